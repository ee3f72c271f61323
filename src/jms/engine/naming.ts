/**
 * Destinations onto Kafka topics and subscriptions onto consumer groups (issue 16's mapping, the
 * kafka-jms-client's model): a queue is a topic read by one group for that queue, so its
 * consumers compete; each topic subscription is a group of its own, so every subscription sees
 * every message: non-durable = a fresh group starting at the end, durable = named by clientId and
 * subscription name, shared = named by subscription name (and clientId when set, JMS 2.0 6.11).
 */
import type { JmsDestination } from '../destination.ts';
import type { JmsMapping } from '../config/spec.ts';

export type Subscription =
  | { readonly kind: 'queue' }
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
 * The group of a subscription on `d`. A queue has one group whatever its consumers' selectors:
 * they share one feed in this process, where each takes only what it selects and the rest stays
 * for the others (subscription-feed.ts).
 */
export function groupIdOf(d: JmsDestination, s: Subscription, m: JmsMapping): string {
  const g = m.group_prefix;
  switch (s.kind) {
    case 'queue':
      return `${g}queue.${kafkaTopicOf(d, m)}`;
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
