/**
 * The JMS facade over Kafka (issue 16): a JMS 2.0-style API whose engine the AMQP 1.0 endpoint
 * drives too. Start with createJmsEngine({ kafka, parseSelector }) and engine.createContext().
 */
export { createJmsEngine, type JmsEngine, type JmsEngineOptions } from './engine/engine.ts';
export type { JmsEngineEvents } from './engine/engine-core.ts';
export { JmsContext, type ContextOptions, type SessionMode } from './api/context.ts';
export { JmsProducer, type CompletionListener } from './api/producer.ts';
export { JmsConsumer, type MessageListener, type ReceivedBody } from './api/consumer.ts';
export { JmsQueueBrowser } from './api/browser.ts';
export { queue, topic, destination, type DestinationKind, type JmsDestination } from './destination.ts';
export {
  JmsMessage,
  Message,
  TextMessage,
  BytesMessage,
  MapMessage,
  StreamMessage,
  ObjectMessage,
  type AnyMessage,
  type DeliveryMode,
  type JsonValue,
  type MessageBody,
  type MessageKind,
} from './message.ts';
export { typed, type BodyValue, type JmsPropertyType, type TypedValue } from './typed-value.ts';
export { fromRecord, toRecord, HEADERS as JMS_RECORD_HEADERS, type JmsRecord } from './kafka-record-mapping.ts';
export { jmsMappingSchema, jmsMappingOf, type JmsMapping, type JmsMappingInput } from './config/spec.ts';
export { JmsErrors } from './jms-errors.ts';
export type { MessageSelector, SelectorSubject } from './selector/selector-contract.ts';
