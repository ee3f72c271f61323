/**
 * What a JMS message selector (Jakarta Messaging 3.1, section 3.8.1) sees of a message, and what a
 * parsed selector offers the engine. The parser (./index.ts) and the engine (src/jms/) meet here.
 */

/** The JMS property types (Jakarta Messaging 3.5.4); `long` values are bigint so none lose precision. */
export type JmsPropertyType = 'boolean' | 'byte' | 'short' | 'int' | 'long' | 'float' | 'double' | 'string';

export type TypedValue =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte' | 'short' | 'int' | 'float' | 'double'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'string'; readonly value: string };

/** The message as a selector sees it. */
export interface SelectorSubject {
  /**
   * A user property (JMSX* included), or one of the headers a selector may name (3.8.1.1):
   * JMSDeliveryMode ('PERSISTENT' | 'NON_PERSISTENT' as string), JMSPriority (int),
   * JMSMessageID, JMSCorrelationID, JMSType (string), JMSTimestamp (long).
   * Undefined when the message has no such value: the selector treats it as NULL.
   */
  get(identifier: string): TypedValue | undefined;
}

export interface MessageSelector {
  /** The selector text as the application gave it. */
  readonly text: string;
  /** True only when the selector evaluates to TRUE; FALSE and UNKNOWN (NULL) do not match. */
  matches(message: SelectorSubject): boolean;
}
