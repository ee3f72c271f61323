/**
 * Destinations onto Kafka topics and subscriptions onto consumer groups (issue 16's mapping, the
 * kafka-jms-client's model): a queue is a topic read by one group for that queue, so its
 * consumers compete; each topic subscription is a group of its own, so every subscription sees
 * every message: non-durable = a fresh group starting at the end, durable = named by clientId and
 * subscription name, shared = named by subscription name (and clientId when set, JMS 2.0 6.11).
 */
import { createHash } from 'node:crypto';
import type { JmsDestination } from '../destination.ts';
import type { JmsMapping } from '../config/spec.ts';

export type Subscription =
  | { readonly kind: 'queue'; readonly selector?: string }
  | { readonly kind: 'non-durable'; readonly id: string }
  | { readonly kind: 'durable'; readonly clientId: string; readonly name: string }
  | { readonly kind: 'shared'; readonly clientId?: string; readonly name: string }
  | { readonly kind: 'shared-durable'; readonly clientId?: string; readonly name: string };

export function kafkaTopicOf(d: JmsDestination, m: JmsMapping): string {
  switch (d.kind) {
    case 'queue':
      return m.topics.queue_prefix + d.name;
    case 'topic':
      return m.topics.topic_prefix + d.name;
    default:
      return m.topics.temporary_prefix + d.name;
  }
}

/**
 * The group of a subscription on `d`. A queue consumer with a selector reads in a group of its own
 * per selector text: messages it does not select stay for the queue's other consumers (a shared
 * group would commit past them). Consumers that should compete must use the same selector.
 */
export function groupIdOf(d: JmsDestination, s: Subscription, m: JmsMapping): string {
  const g = m.group_prefix;
  switch (s.kind) {
    case 'queue':
      return `${g}queue.${kafkaTopicOf(d, m)}${s.selector ? `.selector-${digest(s.selector)}` : ''}`;
    case 'non-durable':
      return `${g}subscriber.${s.id}`;
    case 'durable':
      return `${g}durable.${s.clientId}.${s.name}`;
    case 'shared':
      return `${g}shared.${s.clientId ?? ''}.${s.name}`;
    case 'shared-durable':
      return `${g}shared-durable.${s.clientId ?? ''}.${s.name}`;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
