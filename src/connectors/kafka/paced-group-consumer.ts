/**
 * A group consumer for readers that pace themselves per partition: records are handed over one at a
 * time in partition order, the reader may pause any partition (the rest of a fetched batch of a
 * paused partition is fetched again after resume: its offsets were never resolved, kafkajs'
 * pause-inside-eachBatch pattern), and offsets are committed only when the reader says so (autoCommit
 * off). Built for the CDC transaction consumer (db2-cdc/transaction-consumer.ts), which holds
 * records across batches until their transaction is whole; kafkajs stays inside this folder.
 *
 * A handler that awaits (back-pressure from the reader's own consumer) gets `heartbeat` to keep the
 * member in its group: kafkajs does not heartbeat while eachBatch runs (kafkajs#447).
 */
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { toReadError } from './kafkajs-errors.ts';
import type { TopicRecord } from './topic-reader.ts';

export interface PacedGroupConsumerOptions {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts (default earliest). */
  readonly start?: 'earliest' | 'latest';
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Called for each record in partition order; its offset counts as taken once it resolves. */
export type RecordHandler = (record: TopicRecord, heartbeat: () => Promise<void>) => Promise<void> | void;

export interface PacedGroupConsumer {
  /** Joins the group and starts handing records to `onRecord`; resolves once consuming has started. */
  start(onRecord: RecordHandler, onFailure: (err: Error) => void): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  isPaused(partition: TopicPartition): boolean;
  paused(): TopicPartition[];
  /** Commits `topic/partition` -> next offset to read (retriable failures are left to the next commit). */
  commit(offsets: ReadonlyMap<string, string>): Promise<void>;
  /** Partition count of a topic, from the cluster's metadata. */
  partitionCount(topic: string): Promise<number>;
  stop(): Promise<void>;
}

export function createPacedGroupConsumer(options: PacedGroupConsumerOptions): PacedGroupConsumer {
  const kafka = kafkajsOf(options.kafka);
  let consumer: Consumer | undefined;
  const pausedSet = new Set<string>();
  return {
    async start(onRecord, onFailure) {
      consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250, sessionTimeout: 10_000 });
      consumer.on(consumer.events.CRASH, (e) => {
        if (!e.payload.restart) onFailure(toReadError(e.payload.error, options.topics.join(',')));
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [...options.topics], fromBeginning: (options.start ?? 'earliest') === 'earliest' });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => onBatch(payload, onRecord) });
      } catch (err) {
        throw toReadError(err, options.topics.join(','));
      }
    },
    pause(partitions) {
      const fresh = partitions.filter((p) => !pausedSet.has(tpOf(p)));
      if (fresh.length === 0 || !consumer) return;
      for (const p of fresh) pausedSet.add(tpOf(p));
      consumer.pause(grouped(fresh));
    },
    resume(partitions) {
      const held = partitions.filter((p) => pausedSet.has(tpOf(p)));
      if (held.length === 0 || !consumer) return;
      for (const p of held) pausedSet.delete(tpOf(p));
      consumer.resume(grouped(held));
    },
    isPaused(p) {
      return pausedSet.has(tpOf(p));
    },
    paused() {
      return [...pausedSet].map(splitTp);
    },
    async commit(offsets) {
      if (!consumer || offsets.size === 0) return;
      try {
        await consumer.commitOffsets([...offsets].map(([tp, offset]) => ({ ...splitTp(tp), offset })));
      } catch (err) {
        const mapped = toReadError(err, options.topics.join(','));
        // Mid-rebalance or an outage: the next commit carries these offsets again.
        if (!mapped.retriable && !/REBALANCE|NOT_COORDINATOR|UNKNOWN_MEMBER_ID|ILLEGAL_GENERATION/.test(mapped.message)) throw mapped;
      }
    },
    async partitionCount(topic) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0]?.partitions.length ?? 0;
      } catch (err) {
        throw toReadError(err, topic);
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    async stop() {
      const c = consumer;
      consumer = undefined;
      pausedSet.clear();
      await c?.disconnect().catch(() => {});
    },
  };

  async function onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, onRecord: RecordHandler): Promise<void> {
    const tp = { topic: batch.topic, partition: batch.partition };
    for (const m of batch.messages) {
      if (!isRunning() || isStale() || pausedSet.has(tpOf(tp))) return;
      const headers: Record<string, Buffer | undefined> = {};
      for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v) : undefined;
      await onRecord({ topic: batch.topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key ?? null, value: m.value ?? null, headers }, heartbeat);
      resolveOffset(m.offset);
    }
    await heartbeat();
  }
}

function tpOf(p: TopicPartition): string {
  return `${p.topic}/${p.partition}`;
}

function splitTp(tp: string): TopicPartition {
  const slash = tp.lastIndexOf('/');
  return { topic: tp.slice(0, slash), partition: Number(tp.slice(slash + 1)) };
}

function grouped(parts: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
