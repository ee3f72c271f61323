/**
 * What the engine does with a message it is about to hand to a consumer: decide, then act (the
 * subscription feed acts). Jakarta Messaging 3.1: expired messages are not delivered (3.4.9; here
 * they go to the expiry topic, never silently dropped), a message is not delivered before its
 * delivery time (3.4.13), a selector filters (3.8.1), noLocal drops the connection's own messages
 * (4.2.3.2 / 8.3), and a message delivered `maxDeliveries` times goes to the dead-letter topic.
 */
import type { MessageSelector } from '../selector/selector-contract.ts';
import type { JmsMessage } from '../message.ts';
import { selectorSubjectOf } from '../selector-subject.ts';

export type DispatchDecision =
  | { readonly action: 'deliver' }
  | { readonly action: 'delay'; readonly untilMs: number }
  | { readonly action: 'skip'; readonly reason: 'selector' | 'no-local' }
  | { readonly action: 'expire'; readonly reason: string }
  | { readonly action: 'dead-letter'; readonly reason: string };

export interface DispatchFacts {
  readonly message: JmsMessage;
  readonly nowMs: number;
  /** Deliveries so far (0 for a first delivery). */
  readonly deliveries: number;
  readonly maxDeliveries: number;
  readonly selector?: MessageSelector;
  /** Set for a noLocal consumer: its connection's id. */
  readonly noLocalConnection?: string;
  /** The connection that sent the record, if known. */
  readonly senderConnection?: string;
}

export function decideDispatch(f: DispatchFacts): DispatchDecision {
  if (f.deliveries >= f.maxDeliveries) {
    return { action: 'dead-letter', reason: `delivered ${f.deliveries} times, the maximum is ${f.maxDeliveries}` };
  }
  if (f.message.JMSExpiration !== 0 && f.message.JMSExpiration <= f.nowMs) {
    return { action: 'expire', reason: `expired at ${new Date(f.message.JMSExpiration).toISOString()}` };
  }
  if (f.noLocalConnection !== undefined && f.senderConnection === f.noLocalConnection) return { action: 'skip', reason: 'no-local' };
  if (f.selector && !f.selector.matches(selectorSubjectOf(f.message))) return { action: 'skip', reason: 'selector' };
  if (f.message.JMSDeliveryTime > f.nowMs) return { action: 'delay', untilMs: f.message.JMSDeliveryTime };
  return { action: 'deliver' };
}
