/**
 * Bridge checkpoints in Kafka: one compacted topic (default `banyan.checkpoints`) keyed by bridge
 * name, the value the last committed source position as JSON. Kafka Connect keeps source offsets
 * the same way (its offsets topic); compaction keeps the last value per bridge.
 *
 * Written only after the events a checkpoint covers were acknowledged (the pipeline calls save()
 * after the sink), with the idempotent publisher, so a saved checkpoint never runs ahead of Kafka.
 * Its own records are never transactional, so it reads read_uncommitted: an exactly-once bridge's
 * open transaction on a shared checkpoint topic does not hold its start back. Exactly-once bridges
 * write the same records inside their transactions (transactional-sink.ts).
 */
import type { CheckpointStore } from '../../core/bridge-pipeline.ts';
import type { SourcePosition } from '../../core/bridge-contracts.ts';
import type { KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import type { Publisher, PublishRecord } from './publisher.ts';
import { readTopicToEnd, type ReadToEndOptions } from './topic-reader.ts';
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
      return readCheckpoint(o.kafka, topic, o.bridge, { isolation: 'read_uncommitted' });
    },
    async save(position) {
      await o.publisher.publish([checkpointRecord(topic, o.bridge, position)]);
    },
  };
}

/** The bridge's last checkpoint in `topic` (undefined: none, or reset by a tombstone). */
export async function readCheckpoint(kafka: KafkaClient, topic: string, bridge: string, options: ReadToEndOptions): Promise<SourcePosition | undefined> {
  let last: SourcePosition | undefined;
  await readTopicToEnd(
    kafka,
    topic,
    (r) => {
      if (r.key?.toString('utf8') !== bridge) return;
      // A null value is a tombstone: the bridge's checkpoint was reset on purpose.
      last = r.value === null ? undefined : parseCheckpoint(topic, r.offset, r.value).position;
    },
    options,
  );
  return last;
}

/** The record that saves `position` as the bridge's checkpoint: key = bridge name, value = JSON. */
export function checkpointRecord(topic: string, bridge: string, position: SourcePosition): PublishRecord {
  const value: CheckpointValue = { bridge, position, savedAt: Date.now() };
  return { topic, key: bridge, value: JSON.stringify(value) };
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
