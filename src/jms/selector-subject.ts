/**
 * What a selector sees of a message (src/jms/selector/selector-contract.ts): the user and JMSX
 * properties, and the six headers a selector may name (Jakarta Messaging 3.1, 3.8.1.1) with the
 * types the spec gives them. JMSTimestamp 0 (timestamps disabled) and absent string headers are NULL.
 */
import type { SelectorSubject, TypedValue } from './selector/selector-contract.ts';
import type { JmsMessage } from './message.ts';

export function selectorSubjectOf(message: JmsMessage): SelectorSubject {
  return {
    get(identifier: string): TypedValue | undefined {
      switch (identifier) {
        case 'JMSDeliveryMode':
          return { type: 'string', value: message.JMSDeliveryMode };
        case 'JMSPriority':
          return { type: 'int', value: message.JMSPriority };
        case 'JMSMessageID':
          return text(message.JMSMessageID);
        case 'JMSCorrelationID':
          return text(message.JMSCorrelationID);
        case 'JMSType':
          return text(message.JMSType);
        case 'JMSTimestamp':
          return message.JMSTimestamp === 0 ? undefined : { type: 'long', value: BigInt(message.JMSTimestamp) };
        default:
          return message.getProperty(identifier);
      }
    },
  };
}

function text(value: string | null): TypedValue | undefined {
  return value === null ? undefined : { type: 'string', value };
}
