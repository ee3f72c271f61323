/**
 * JMSProducer (JMS 2.0, fluent): delivery mode, priority, time to live, delivery delay, async
 * completion, JMSCorrelationID / JMSType / JMSReplyTo and properties set on the producer apply to
 * every message it sends. send() resolves once Kafka acknowledged a PERSISTENT message (acks=all);
 * a NON_PERSISTENT one, once it is queued (its failure goes to the context's onException). With a
 * completion listener (setAsync) send() resolves at once and the listener hears the outcome.
 * In a transacted context sends are held until commit().
 */
import { randomUUID } from 'node:crypto';
import type { PublishRecord } from '../../connectors/kafka/index.ts';
import type { JmsDestination } from '../destination.ts';
import type { EngineCore } from '../engine/engine-core.ts';
import { JmsErrors } from '../jms-errors.ts';
import { toRecord } from '../kafka-record-mapping.ts';
import { JmsMessage, messageOfBody, type AnyMessage, type DeliveryMode, type MessageBody } from '../message.ts';
import { typed, type TypedValue } from '../typed-value.ts';

/** JMS 2.0 CompletionListener. */
export interface CompletionListener {
  onCompletion(message: AnyMessage): void;
  onException(message: AnyMessage, error: Error): void;
}

export interface ProducerDeps {
  readonly core: EngineCore;
  readonly connectionId: string;
  readonly transacted: boolean;
  hold(record: PublishRecord): void;
  onAsyncError(error: Error): void;
  checkOpen(): void;
}

export class JmsProducer {
  readonly #d: ProducerDeps;
  #deliveryMode: DeliveryMode = 'PERSISTENT';
  #priority = 4;
  #timeToLive = 0;
  #deliveryDelay = 0;
  #async: CompletionListener | undefined;
  #correlationId: string | null = null;
  #type: string | null = null;
  #replyTo: JmsDestination | null = null;
  #disableMessageId = false;
  #disableTimestamp = false;
  readonly #properties = new Map<string, TypedValue>();

  /** Made by JmsContext.createProducer. */
  constructor(deps: ProducerDeps) {
    this.#d = deps;
  }

  setDeliveryMode(mode: DeliveryMode): this { this.#deliveryMode = mode; return this; }
  getDeliveryMode(): DeliveryMode { return this.#deliveryMode; }

  setPriority(priority: number): this {
    if (!Number.isInteger(priority) || priority < 0 || priority > 9) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`priority ${priority} is not 0..9`);
    this.#priority = priority;
    return this;
  }
  getPriority(): number { return this.#priority; }

  /** ms; 0 = never expires. */
  setTimeToLive(ms: number): this { this.#timeToLive = nonNegative('time to live', ms); return this; }
  getTimeToLive(): number { return this.#timeToLive; }

  /** ms a message waits before it may be delivered (JMS 2.0 delivery delay). */
  setDeliveryDelay(ms: number): this { this.#deliveryDelay = nonNegative('delivery delay', ms); return this; }
  getDeliveryDelay(): number { return this.#deliveryDelay; }

  /** A completion listener makes sends asynchronous (JMS 2.0 7.3); undefined makes them synchronous again. */
  setAsync(listener: CompletionListener | undefined): this { this.#async = listener; return this; }

  setJMSCorrelationID(id: string | null): this { this.#correlationId = id; return this; }
  setJMSType(type: string | null): this { this.#type = type; return this; }
  setJMSReplyTo(d: JmsDestination | null): this { this.#replyTo = d; return this; }
  setDisableMessageID(disable: boolean): this { this.#disableMessageId = disable; return this; }
  setDisableMessageTimestamp(disable: boolean): this { this.#disableTimestamp = disable; return this; }

  setProperty(name: string, value: TypedValue): this {
    new TextProbe().setProperty(name, value); // the message's own name and type checks
    this.#properties.set(name, typed(value.type, value.value));
    return this;
  }
  setBooleanProperty(name: string, v: boolean): this { return this.setProperty(name, { type: 'boolean', value: v }); }
  setIntProperty(name: string, v: number): this { return this.setProperty(name, { type: 'int', value: v }); }
  setLongProperty(name: string, v: bigint | number): this { return this.setProperty(name, typed('long', v)); }
  setDoubleProperty(name: string, v: number): this { return this.setProperty(name, { type: 'double', value: v }); }
  setStringProperty(name: string, v: string): this { return this.setProperty(name, { type: 'string', value: v }); }
  clearProperties(): this { this.#properties.clear(); return this; }

  /** Sends a message, or a body as the message type it makes (string: Text, bytes: Bytes, Map: Map, JSON: Object). */
  async send(destination: JmsDestination, messageOrBody: AnyMessage | MessageBody): Promise<this> {
    this.#d.checkOpen();
    const message = messageOrBody instanceof JmsMessage ? (messageOrBody as AnyMessage) : messageOfBody(messageOrBody as MessageBody);
    const now = this.#d.core.clock();
    message.JMSDestination = destination;
    message.JMSDeliveryMode = this.#deliveryMode;
    message.JMSPriority = this.#priority;
    message.JMSExpiration = this.#timeToLive > 0 ? now + this.#timeToLive : 0;
    message.JMSTimestamp = this.#disableTimestamp ? 0 : now;
    message.JMSDeliveryTime = this.#deliveryDelay > 0 ? now + this.#deliveryDelay : 0;
    message.JMSMessageID = this.#disableMessageId ? null : `ID:${randomUUID()}`;
    if (this.#correlationId !== null) message.JMSCorrelationID = this.#correlationId;
    if (this.#type !== null) message.JMSType = this.#type;
    if (this.#replyTo !== null) message.JMSReplyTo = this.#replyTo;
    for (const [name, value] of this.#properties) message.setProperty(name, value);

    const topic = await this.#d.core.ensureDestination(destination);
    const r = toRecord(message, { keyProperty: this.#d.core.mapping.key_property, timeToLive: this.#timeToLive, connectionId: this.#d.connectionId });
    const record: PublishRecord = { topic, key: r.key, value: r.value, headers: r.headers as Record<string, string> };
    if (this.#d.transacted) {
      this.#d.hold(record);
      this.#async?.onCompletion(message);
      return this;
    }
    const sent = this.#d.core.send(record).catch((err: Error) => {
      throw new JmsErrors.BANYAN_ERR_JMS_SEND_FAILED(`${destination.kind} ${destination.name}`, err.message, err);
    });
    const listener = this.#async;
    if (listener) {
      sent.then(() => listener.onCompletion(message), (err: Error) => listener.onException(message, err));
    } else if (this.#deliveryMode === 'NON_PERSISTENT') {
      sent.catch((err: Error) => this.#d.onAsyncError(err));
    } else {
      await sent;
    }
    return this;
  }
}

/** A scratch message, to check a producer property the way a message checks it. */
class TextProbe extends JmsMessage {
  readonly kind = 'message';
  protected resetBody(): void {}
}

function nonNegative(what: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`${what} ${ms} is not a non-negative number of ms`);
  return ms;
}
