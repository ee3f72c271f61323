/**
 * Bridge checkpoints in Kafka: one compacted topic (default `banyan.checkpoints`) keyed by bridge
 * name, the value the last committed source position as JSON. Kafka Connect keeps source offsets
 * the same way (its offsets topic); compaction keeps the last value per bridge.
 *
 * Written only after the events a checkpoint covers were acknowledged (the pipeline calls save()
 * after the sink), with the idempotent publisher, so a saved checkpoint never runs ahead of Kafka.
 */
import type { CheckpointStore } from '../../core/bridge-pipeline.ts';
import type { SourcePosition } from '../../core/bridge-contracts.ts';
import type { KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import type { Publisher } from './publisher.ts';
import { readTopicToEnd } from './topic-reader.ts';
import type { TopicAdmin } from './topic-admin.ts';

export const DEFAULT_CHECKPOINT_TOPIC = 'banyan.checkpoints';

export interface KafkaCheckpointStoreOptions {
  readonly kafka: KafkaClient;
  readonly publisher: Publisher;
  readonly admin: TopicAdmin;
  readonly bridge: string;
  readonly topic?: string;
}

/** What a checkpoint record's value holds. */
interface CheckpointValue {
  readonly bridge: string;
  readonly position: SourcePosition;
  /** When it was saved (ms since the epoch), for `GET /bridges` and people reading the topic. */
  readonly savedAt: number;
}

export function createKafkaCheckpointStore(o: KafkaCheckpointStoreOptions): CheckpointStore {
  const topic = o.topic ?? DEFAULT_CHECKPOINT_TOPIC;
  return {
    async load() {
      await ensureCheckpointTopic(o.admin, topic);
      let last: SourcePosition | undefined;
      await readTopicToEnd(o.kafka, topic, (r) => {
        if (r.key?.toString('utf8') !== o.bridge) return;
        // A null value is a tombstone: the bridge's checkpoint was reset on purpose.
        last = r.value === null ? undefined : parseCheckpoint(topic, r.offset, r.value).position;
      });
      return last;
    },
    async save(position) {
      const value: CheckpointValue = { bridge: o.bridge, position, savedAt: Date.now() };
      await o.publisher.publish([{ topic, key: o.bridge, value: JSON.stringify(value) }]);
    },
  };
}

/** The checkpoint topic: compacted, one partition (a few records per bridge; order per key is what matters). */
export async function ensureCheckpointTopic(admin: TopicAdmin, topic: string): Promise<void> {
  await admin.ensureTopics([{ topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
}

function parseCheckpoint(topic: string, offset: string, value: Buffer): CheckpointValue {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as CheckpointValue;
    if (parsed && typeof parsed.position === 'object' && parsed.position !== null) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new KafkaErrors.BANYAN_ERR_KAFKA_CHECKPOINT_INVALID(topic, offset);
}
