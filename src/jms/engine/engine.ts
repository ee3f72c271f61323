/**
 * The JMS engine: one per Kafka cluster, shared by every JMS context (and by the AMQP endpoint in
 * front of it). It owns the Kafka clients they share: one batching idempotent publisher for all
 * non-transacted sends, the topic admin and the group admin; each context owns its consumers'
 * group members and, when transacted, a transactional producer.
 */
import { randomUUID } from 'node:crypto';
import { createGroupAdmin, createPublisher, createTopicAdmin, type KafkaClient } from '../../connectors/kafka/index.ts';
import { JmsContext, type ContextOptions } from '../api/context.ts';
import { jmsMappingOf, type JmsMapping, type JmsMappingInput } from '../config/spec.ts';
import { isTemporary } from '../destination.ts';
import { JmsErrors } from '../jms-errors.ts';
import { parseSelector as parseJmsSelector } from '../selector/index.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import type { EngineCore, EngineRegistry, JmsEngineEvents } from './engine-core.ts';
import { kafkaTopicOf } from './naming.ts';
import { createSendBatcher } from './send-batcher.ts';

export interface JmsEngineOptions {
  readonly kafka: KafkaClient;
  /** mappings/jms.yaml's content (defaults for what is omitted). */
  readonly mapping?: JmsMappingInput;
  /** The selector parser; default src/jms/selector's parseSelector (throws BANYAN_ERR_JMS_INVALID_SELECTOR). */
  readonly parseSelector?: (text: string) => MessageSelector;
  /** Injected clock (ms since the epoch) for timestamps, expiry and delivery delay. */
  readonly clock?: () => number;
  readonly events?: JmsEngineEvents;
}

export interface JmsEngine {
  readonly mapping: JmsMapping;
  /** A JMS 2.0 JMSContext (a connection with one session); the default session mode is AUTO_ACKNOWLEDGE. */
  createContext(options?: ContextOptions): Promise<JmsContext>;
  /**
   * Calls `listener` with the Kafka topics of deleted temporary destinations, so that a publisher
   * outside the engine (the AMQP endpoint's) forgets them too (publisher.ts forgetTopics).
   */
  onTopicsDeleted(listener: (topics: readonly string[]) => void): void;
  /** Closes every open context, then the shared Kafka clients. */
  close(): Promise<void>;
}

export function createJmsEngine(o: JmsEngineOptions): JmsEngine {
  const mapping = jmsMappingOf(o.mapping);
  const publisher = createPublisher({ kafka: o.kafka });
  const batcher = createSendBatcher(publisher);
  const topics = createTopicAdmin({ kafka: o.kafka, defaults: { partitions: mapping.topics.partitions } });
  const groups = createGroupAdmin(o.kafka);
  const contexts = new Set<JmsContext>();
  const clientIds = new Map<string, string>();
  const registry: EngineRegistry = {
    claimClientId(clientId, contextId) {
      const holder = clientIds.get(clientId);
      if (holder !== undefined && holder !== contextId) throw new JmsErrors.BANYAN_ERR_JMS_INVALID_CLIENT_ID(JSON.stringify(clientId), 'another open context uses it');
      clientIds.set(clientId, contextId);
    },
    releaseClientId(clientId, contextId) {
      if (clientIds.get(clientId) === contextId) clientIds.delete(clientId);
    },
    temporaryOwners: new Map(),
    activeDurable: new Set(),
    sharedFeeds: new Map(),
  };
  const known = new Set<string>();
  const deletionListeners: Array<(topics: readonly string[]) => void> = [];
  let moveTopics: Promise<void> | undefined;

  const core: EngineCore = {
    kafka: o.kafka,
    mapping,
    groups,
    topics,
    clock: o.clock ?? Date.now,
    events: o.events ?? {},
    registry,
    parseSelector: o.parseSelector ?? parseJmsSelector,
    async ensureDestination(d) {
      const topic = kafkaTopicOf(d, mapping);
      if (known.has(topic)) return topic;
      // Temporary destinations exist only while their context lives: never created by a send.
      if (mapping.topics.auto_create && !isTemporary(d)) {
        await topics.ensureTopics([{ topic }]);
      } else if ((await topics.partitionCount(topic)) === undefined) {
        throw new JmsErrors.BANYAN_ERR_JMS_INVALID_DESTINATION(`${d.kind} ${d.name}`, `Kafka topic ${topic} does not exist`);
      }
      known.add(topic);
      return topic;
    },
    forgetTopics(deleted) {
      for (const t of deleted) known.delete(t);
      publisher.forgetTopics(deleted);
      for (const context of contexts) context.forgetTopics(deleted);
      for (const listener of deletionListeners) listener(deleted);
    },
    send: (record) => batcher.send(record),
    ensureMoveTopics() {
      moveTopics ??= topics.ensureTopics([{ topic: mapping.dead_letter_topic }, { topic: mapping.expiry_topic }]).then(
        () => {},
        (err: unknown) => {
          moveTopics = undefined;
          throw err;
        },
      );
      return moveTopics;
    },
    async move(to, record, headers) {
      const topic = to === 'dead-letter' ? mapping.dead_letter_topic : mapping.expiry_topic;
      await core.ensureMoveTopics();
      const kept: Record<string, Buffer | string> = {};
      for (const [k, v] of Object.entries(record.headers)) if (v !== undefined) kept[k] = v;
      await batcher.send({ topic, key: record.key, value: record.value, headers: { ...kept, ...headers } });
    },
  };

  return {
    mapping,
    async createContext(options = {}) {
      const context = new JmsContext(core, randomUUID(), options, () => contexts.delete(context));
      contexts.add(context);
      try {
        await context.open();
      } catch (err) {
        contexts.delete(context);
        throw err;
      }
      return context;
    },
    onTopicsDeleted(listener) {
      deletionListeners.push(listener);
    },
    async close() {
      await Promise.allSettled([...contexts].map((c) => c.close()));
      // Feeds lingering after their last consumer (subscription-feed.ts) leave their groups now.
      await Promise.allSettled([...registry.sharedFeeds.values()].map((f) => f.then((feed) => feed.closeNow())));
      await batcher.drain();
      await Promise.allSettled([publisher.close(), topics.close(), groups.close()]);
    },
  };
}
