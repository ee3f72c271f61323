/**
 * Reads a topic from its beginning up to the end offsets it had when the read started, the way
 * Kafka Connect's KafkaBasedLog reads its offsets topic at start-up. Used for a bridge's
 * checkpoints (a compacted topic: the last value per key wins) and by `banyan consume`.
 * The read uses a throwaway consumer group (throwaway-group.ts).
 */
import type { Consumer } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import { toReadError } from './kafkajs-errors.ts';
import { deleteThrowawayGroup, throwawayGroupId } from './throwaway-group.ts';

export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | undefined>>;
}

export interface ReadToEndOptions {
  /** Rejects (retriable) when the end is not reached in time. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Calls `onRecord` for every record of `topic` below the end offsets seen at the start, per
 * partition in order. Rejects with BANYAN_ERR_KAFKA_READ_RETRIABLE (broker away, leader not yet
 * elected, too slow) or another coded Kafka error, never a bare kafkajs one.
 */
export async function readTopicToEnd(client: KafkaClient, topic: string, onRecord: (r: TopicRecord) => void, options: ReadToEndOptions = {}): Promise<void> {
  try {
    await readToEnd(client, topic, onRecord, options);
  } catch (err) {
    throw toReadError(err, topic);
  }
}

async function readToEnd(client: KafkaClient, topic: string, onRecord: (r: TopicRecord) => void, options: ReadToEndOptions): Promise<void> {
  const kafka = kafkajsOf(client);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = throwawayGroupId('reader');
  let consumer: Consumer | undefined;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = new Map<number, bigint>();
    for (const p of offsets) if (BigInt(p.high) > BigInt(p.low)) end.set(p.partition, BigInt(p.high));
    if (end.size === 0) return;
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new KafkaErrors.BANYAN_ERR_KAFKA_READ_RETRIABLE(topic, `reading to its end took longer than ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      consumer!
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const stop = end.get(batch.partition);
            if (stop === undefined) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= stop) break;
              onRecord({ topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers as TopicRecord['headers'] });
            }
            // lastOffset() counts control records and compacted gaps, which never reach `messages`.
            if (BigInt(batch.lastOffset()) + 1n >= stop) end.delete(batch.partition);
            if (end.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err);
        });
    });
  } finally {
    await consumer?.disconnect().catch(() => {});
    await deleteThrowawayGroup(admin, groupId);
    await admin.disconnect().catch(() => {});
  }
}
