/**
 * Reads a topic from its beginning up to its end as of the read's start, the way Kafka Connect's
 * KafkaBasedLog reads its offsets topic at start-up. Used for a bridge's checkpoints (a compacted
 * topic: the last value per key wins).
 * The read uses a throwaway consumer group (throwaway-group.ts).
 *
 * Where "the end" is, with transactions (KIP-98) in the topic:
 * - kafkajs' admin lists offsets read_committed, so it answers the last stable offset (LSO), which
 *   stops short of a transaction still open. Records after that LSO can be committed ones (another
 *   producer's open transaction only holds back what follows it), so the end is raised to the high
 *   watermark that the first fetch of each partition reports, like Connect reading to
 *   `endOffsets()` with read_uncommitted. A read_committed read then waits until transactions open
 *   at that point end (commit, abort, or the coordinator's transaction timeout).
 * - A partition ending in control records (commit/abort markers) or an aborted transaction: kafkajs
 *   filters those out and does not call eachBatch for a batch left empty, so progress is taken
 *   from its END_BATCH_PROCESS instrumentation event, which it emits for every fetched batch and
 *   whose lastOffset counts markers, aborted records and compacted gaps.
 * - Known gap: a partition whose LSO is still its log start (every record sits at or after an open
 *   transaction) reads as empty; no Banyan producer leaves such a partition behind for longer than
 *   its transaction timeout.
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
  /** Rejects with READ_RETRIABLE when the end is not reached in time. Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * read_committed (default): records of aborted and still-open transactions are not delivered.
   * read_uncommitted: every record, for a reader whose own records are never transactional.
   */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
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
  const timeoutMs = options.timeoutMs ?? 30_000;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = throwawayGroupId('reader');
  let consumer: Consumer | undefined;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = new Map<number, bigint>();
    for (const p of offsets) if (BigInt(p.high) > BigInt(p.low)) end.set(p.partition, BigInt(p.high));
    if (end.size === 0) return;
    const raised = new Set<number>();
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false, readUncommitted: options.isolation === 'read_uncommitted' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new KafkaErrors.BANYAN_ERR_KAFKA_READ_RETRIABLE(topic, `reading to its end took longer than ${timeoutMs} ms (an open transaction holds read_committed readers back until it ends)`)),
        timeoutMs,
      );
      consumer!.on(consumer!.events.END_BATCH_PROCESS, ({ payload }) => {
        const stop = end.get(payload.partition);
        if (stop === undefined) return;
        if (!raised.has(payload.partition)) {
          raised.add(payload.partition);
          const high = BigInt(payload.highWatermark);
          if (high > stop) end.set(payload.partition, high);
        }
        if (BigInt(payload.lastOffset) + 1n >= end.get(payload.partition)!) end.delete(payload.partition);
        if (end.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer!
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const stop = end.get(batch.partition);
            if (stop === undefined) return;
            // The first batch of a partition may raise its end (END_BATCH_PROCESS runs after this).
            const limit = raised.has(batch.partition) ? stop : maxOf(stop, BigInt(batch.highWatermark));
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= limit) break;
              onRecord({ topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers as TopicRecord['headers'] });
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

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
