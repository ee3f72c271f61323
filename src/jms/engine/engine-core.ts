/**
 * What the API objects (context, producer, consumer, browser) use of the engine: one per engine,
 * shared by its contexts. The AMQP endpoint drives the same engine through the same contexts.
 */
import type { GroupAdmin, KafkaClient, PublishRecord, TopicAdmin, TopicRecord } from '../../connectors/kafka/index.ts';
import type { JmsMapping } from '../config/spec.ts';
import type { JmsDestination } from '../destination.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import type { SubscriptionFeed, SubscriptionFeedEvents } from './subscription-feed.ts';

export interface EngineCore {
  readonly kafka: KafkaClient;
  readonly mapping: JmsMapping;
  readonly groups: GroupAdmin;
  readonly topics: TopicAdmin;
  readonly clock: () => number;
  readonly events: JmsEngineEvents;
  /** Parses a selector; throws BANYAN_ERR_JMS_INVALID_SELECTOR . */
  parseSelector(text: string): MessageSelector;
  /** The Kafka topic of a destination, created on first use when the mapping allows; throws INVALID_DESTINATION. */
  ensureDestination(d: JmsDestination): Promise<string>;
  /**
   * Topics were deleted (temporary destinations): a later send finds them missing, and the Kafka
   * producers that sent to them start afresh (publisher.ts forgetTopics).
   */
  forgetTopics(topics: readonly string[]): void;
  /** Publishes one record (batched with concurrent sends); resolves once Kafka acknowledged it. */
  send(record: PublishRecord): Promise<void>;
  /** Creates the dead-letter and expiry topics if missing (once per engine; before the first consumer reads). */
  ensureMoveTopics(): Promise<void>;
  /** Copies a record to the dead-letter or expiry topic with extra headers; resolves once durable. */
  move(to: 'dead-letter' | 'expiry', record: TopicRecord, headers: Record<string, string>): Promise<void>;
  /** Book-keeping across contexts (JMS rules that span connections). */
  readonly registry: EngineRegistry;
}

export interface EngineRegistry {
  /** Claims a client id for a context; throws INVALID_CLIENT_ID when another open context holds it. */
  claimClientId(clientId: string, contextId: string): void;
  releaseClientId(clientId: string, contextId: string): void;
  /** Temporary destination name -> the context that created it. */
  readonly temporaryOwners: Map<string, string>;
  /** Unshared durable subscriptions with an active consumer (group ids). */
  readonly activeDurable: Set<string>;
  /**
   * The feed a queue's (or shared subscription's) consumers in this engine share, by group and
   * commit mode: one group member, so they balance and see each other's returned messages.
   */
  readonly sharedFeeds: Map<string, Promise<SubscriptionFeed>>;
}

/** Instrumentation of an engine (metrics subscribe in one place); handlers must not throw. */
export interface JmsEngineEvents extends SubscriptionFeedEvents {
  /** An error no caller is waiting for (a non-persistent send, a background commit). */
  asyncError?(e: { contextId: string; error: Error }): void;
}
