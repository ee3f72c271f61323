/**
 * A consumer-group member that hands every fetched record to its owner and leaves offsets to it:
 * autoCommit off, the owner commits the offsets it decides on (the JMS engine commits the
 * contiguous prefix of acknowledged messages). Used by consumers that track their own progress
 * per record rather than per batch (kafka-source.ts is the batch-oriented bridge source).
 *
 * - Records below the offset already handed out for a partition this member kept across a
 *   rebalance are dropped: kafkajs fetches such a partition again from its committed offset.
 * - onAssignment is called after every join with the partitions now held, before their first
 *   records, so the owner can forget what it tracked for partitions it lost (their new owner
 *   reads them again from the last commit: across members a rebalance may duplicate, never lose).
 * - pause()/resume() hold back fetching for flow control (the eachBatch callback never blocks,
 *   which would stop heartbeats, kafkajs#447).
 */
import type { Consumer } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import { kafkajsErrorFacts } from './kafkajs-errors.ts';
import type { TopicRecord } from './topic-reader.ts';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface GroupConsumerOptions {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a partition without a committed offset starts (default earliest). */
  readonly start?: 'earliest' | 'latest';
  /** A member that died holds its partitions this long (default 10 s, above the broker's 6 s minimum). */
  readonly sessionTimeoutMs?: number;
  /** read_committed (default): records of aborted transactions never arrive. */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
  /** Fetched records, in offset order per partition. Must not throw. */
  onRecords(records: readonly TopicRecord[]): void;
  /** The partitions held after a join. Must not throw. */
  onAssignment?(held: readonly TopicPartition[]): void;
  /** The consumer stopped for good (kafkajs gave up restarting it). Must not throw. */
  onFailure?(error: Error): void;
}

export interface GroupConsumer {
  /** Joins the group; resolves once the first assignment is known. Rejects with BANYAN_ERR_KAFKA_CONSUMER_FAILED. */
  start(): Promise<void>;
  /** Commits `offset` (the next offset to read) per partition. Rejects with BANYAN_ERR_KAFKA_COMMIT_FAILED. */
  commit(offsets: ReadonlyArray<TopicPartition & { offset: bigint }>): Promise<void>;
  /** Stops fetching (records already fetched may still arrive). */
  pause(): void;
  resume(): void;
  /** Leaves the group. */
  close(): Promise<void>;
}

export function createGroupConsumer(o: GroupConsumerOptions): GroupConsumer {
  const kafka = kafkajsOf(o.kafka);
  let consumer: Consumer | undefined;
  let paused = false;
  let closed = false;
  /** Per partition held (`topic/partition`), the offset after the last record handed out. */
  const handedOut = new Map<string, bigint>();
  const topicsArg = () => o.topics.map((topic) => ({ topic }));

  const onJoin = (assignment: Record<string, number[]>) => {
    const held: TopicPartition[] = Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
    const keys = new Set(held.map((tp) => `${tp.topic}/${tp.partition}`));
    for (const k of [...handedOut.keys()]) if (!keys.has(k)) handedOut.delete(k);
    o.onAssignment?.(held);
  };

  return {
    async start() {
      const c = (consumer = kafka.consumer({
        groupId: o.groupId,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 100,
        sessionTimeout: o.sessionTimeoutMs ?? 10_000,
        readUncommitted: o.isolation === 'read_uncommitted',
      }));
      c.on(c.events.GROUP_JOIN, (e) => onJoin(e.payload.memberAssignment as Record<string, number[]>));
      c.on(c.events.CRASH, (e) => {
        if (!e.payload.restart && !closed) o.onFailure?.(new KafkaErrors.BANYAN_ERR_KAFKA_CONSUMER_FAILED(o.groupId, kafkajsErrorFacts(e.payload.error).root.message, e.payload.error));
      });
      try {
        await c.connect();
        await c.subscribe({ topics: [...o.topics], fromBeginning: (o.start ?? 'earliest') === 'earliest' });
        await c.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}/${batch.partition}`;
            const floor = handedOut.get(key) ?? -1n;
            const records: TopicRecord[] = [];
            for (const m of batch.messages) {
              const offset = BigInt(m.offset);
              if (offset < floor) continue;
              records.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers as TopicRecord['headers'] });
              handedOut.set(key, offset + 1n);
            }
            if (records.length > 0) o.onRecords(records);
          },
        });
        if (paused) c.pause(topicsArg());
      } catch (err) {
        await c.disconnect().catch(() => {});
        throw new KafkaErrors.BANYAN_ERR_KAFKA_CONSUMER_FAILED(o.groupId, kafkajsErrorFacts(err).root.message, err as Error);
      }
    },
    async commit(offsets) {
      if (offsets.length === 0 || !consumer) return;
      try {
        await consumer.commitOffsets(offsets.map((x) => ({ topic: x.topic, partition: x.partition, offset: String(x.offset) })));
      } catch (err) {
        throw new KafkaErrors.BANYAN_ERR_KAFKA_COMMIT_FAILED(o.groupId, kafkajsErrorFacts(err).root.message, err as Error);
      }
    },
    pause() {
      if (paused) return;
      paused = true;
      consumer?.pause(topicsArg());
    },
    resume() {
      if (!paused) return;
      paused = false;
      consumer?.resume(topicsArg());
    },
    async close() {
      closed = true;
      await consumer?.disconnect().catch(() => {});
    },
  };
}
