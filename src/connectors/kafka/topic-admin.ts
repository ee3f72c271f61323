/**
 * Creates the topics Banyan publishes to, on demand, with the configured partitions and
 * replication. Idempotent: an existing topic with the configured partition count is fine; one with
 * a different count is an error, because entity keys would hash to other partitions than the
 * ones Java consumers expect (partition = murmur2(key) % count).
 */
import type { Admin, ITopicConfig } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { connectOnce } from './connect-once.ts';
import { KafkaErrors } from './errors.ts';
import { kafkajsErrorFacts } from './kafkajs-errors.ts';
import { topicSettingsSchema, type TopicSettings } from './spec.ts';

export interface TopicAdmin {
  /**
   * Makes sure each topic exists with its settings (defaults for omitted fields). Resolves with the
   * names it created. Safe to call concurrently and repeatedly; results are remembered per topic.
   */
  ensureTopics(topics: ReadonlyArray<{ topic: string } & Partial<TopicSettings>>): Promise<string[]>;
  /** Partition count of an existing topic, or undefined when it does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  /** Disconnects (waiting for a connect in flight) and forgets the topics seen; a later call connects again. */
  close(): Promise<void>;
}

export interface TopicAdminOptions {
  kafka: KafkaClient;
  /** Settings for topics that do not name their own. */
  defaults?: Partial<TopicSettings>;
  logger?: Logger;
}

export function createTopicAdmin(options: TopicAdminOptions): TopicAdmin {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'kafka-topic-admin' });
  const defaults = topicSettingsSchema.parse(options.defaults ?? {});
  const known = new Map<string, number>();
  const kafka = kafkajsOf(options.kafka);
  // A failed connect is not remembered: the next call tries again (connect-once.ts).
  const admin = connectOnce<Admin>(() => kafka.admin());

  const partitionCount = async (topic: string): Promise<number | undefined> => {
    const a = await admin.get();
    try {
      const meta = await a.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]?.partitions.length;
    } catch (err) {
      if (kafkajsErrorFacts(err).type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
      throw err;
    }
  };

  /** partitionCount, asking again for up to ~5 s while a just-created topic is not in the metadata yet. */
  const visiblePartitionCount = async (topic: string): Promise<number | undefined> => {
    for (let delayMs = 100; ; delayMs *= 2) {
      const count = await partitionCount(topic);
      if (count !== undefined || delayMs > 2000) return count;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  };

  return {
    async ensureTopics(requests) {
      const wanted = requests.map((r) => ({ ...defaults, ...r, configs: { ...defaults.configs, ...(r.configs ?? {}) } }));
      const todo = wanted.filter((w) => known.get(w.topic) !== w.partitions);
      if (todo.length === 0) return [];
      const a = await admin.get();
      const existing = new Set(await a.listTopics());
      const missing = todo.filter((w) => !existing.has(w.topic));
      const created: string[] = [];
      if (missing.length > 0) {
        const topics: ITopicConfig[] = missing.map((w) => ({
          topic: w.topic,
          numPartitions: w.partitions,
          replicationFactor: w.replicationFactor,
          configEntries: Object.entries(w.configs).map(([name, value]) => ({ name, value })),
        }));
        try {
          // createTopics resolves false when a topic already existed (another instance raced us).
          if (await a.createTopics({ topics, waitForLeaders: true })) {
            created.push(...missing.map((w) => w.topic));
            logger.info({ topics: created }, 'created topics');
          }
        } catch (err) {
          const facts = kafkajsErrorFacts(err);
          // waitForLeaders reads metadata right after the create; a broker that has not caught up
          // yet answers UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE for a topic that was
          // created. The visibility check below waits for it instead of failing the create.
          if (!['TOPIC_ALREADY_EXISTS', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(facts.type ?? '')) {
            throw new KafkaErrors.BANYAN_ERR_KAFKA_TOPIC_CREATE_FAILED(missing.map((w) => w.topic).join(', '), facts.root.message, err as Error);
          }
        }
      }
      for (const w of todo) {
        const count = await visiblePartitionCount(w.topic);
        if (count === undefined) throw new KafkaErrors.BANYAN_ERR_KAFKA_TOPIC_CREATE_FAILED(w.topic, 'topic is not visible after creation');
        if (count !== w.partitions) throw new KafkaErrors.BANYAN_ERR_KAFKA_TOPIC_PARTITIONS_MISMATCH(w.topic, count, w.partitions);
        known.set(w.topic, count);
      }
      return created;
    },
    partitionCount,
    async close() {
      known.clear();
      await admin.disconnect();
    },
  };
}
