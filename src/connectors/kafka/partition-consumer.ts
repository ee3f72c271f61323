/**
 * A consumer-group member that hands records out per partition and lets its user pause and resume
 * each partition on its own: what the retry processor (src/retry) needs to wait for a retry
 * record's due time without sleeping inside kafkajs' handler (a blocked handler stops heartbeats,
 * kafkajs#447), and to stop fetching from a target whose breaker is open.
 *
 * kafkajs' eachBatch only copies the fetched records into the user's `records` callback and
 * returns; with eachBatchAutoResolve the fetch position moves past them. Offsets are committed only
 * by `commit()` (autoCommit off), after the user made a record durable elsewhere (delivered, or
 * written to the next retry tier). After a rebalance kafkajs fetches again from the committed
 * offset: the user sees those records again and skips the ones it already handled.
 *
 * Assignment: with `coPartitioned`, partition p of every subscribed topic goes to the same member
 * (a topic and its retry tiers have equal partition counts, and a key hashes to the same partition
 * in each), so one member holds every record of a key wherever it sits in the retry path.
 */
import type { Assigner, Consumer, PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from 'kafkajs';
import type { BanyanError } from '../../core/errors.ts';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import { kafkajsErrorFacts } from './kafkajs-errors.ts';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  /** Decimal int64. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Kafka timestamp, ms since the epoch. */
  readonly timestamp: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionConsumerHandlers {
  /** Fetched records of one partition, in offset order. Must not throw or block. */
  records(tp: TopicPartition, records: readonly ConsumedRecord[]): void;
  /** A new assignment (after every rebalance): the partitions this member now holds. */
  assigned(tps: readonly TopicPartition[]): void;
  /** The member failed for good (kafkajs gave up restarting it). */
  failed(error: BanyanError): void;
}

export interface PartitionConsumerOptions {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly start?: 'earliest' | 'latest';
  /** Give partition p of every topic to one member (see the file comment). Default true. */
  readonly coPartitioned?: boolean;
  readonly sessionTimeoutMs?: number;
}

export interface PartitionConsumer {
  /** Joins the group and starts fetching; resolves once the member runs. */
  start(handlers: PartitionConsumerHandlers): Promise<void>;
  /** Stops fetching from these partitions until resume(); heartbeats go on. */
  pause(tps: readonly TopicPartition[]): void;
  resume(tps: readonly TopicPartition[]): void;
  /** Commits `nextOffset` (the offset after the last handled record) of each partition. */
  commit(offsets: ReadonlyArray<TopicPartition & { readonly nextOffset: string }>): Promise<void>;
  close(): Promise<void>;
}

export function createPartitionConsumer(o: PartitionConsumerOptions): PartitionConsumer {
  const kafka = kafkajsOf(o.kafka);
  let consumer: Consumer | undefined;
  const toError = (err: unknown): BanyanError => {
    const facts = kafkajsErrorFacts(err);
    return new KafkaErrors.BANYAN_ERR_KAFKA_CONSUMER_FAILED(o.groupId, `${facts.type ?? facts.root.name}: ${facts.root.message}`, facts.root);
  };
  const byTopic = (tps: readonly TopicPartition[]) => {
    const m = new Map<string, number[]>();
    for (const { topic, partition } of tps) m.set(topic, [...(m.get(topic) ?? []), partition]);
    return [...m].map(([topic, partitions]) => ({ topic, partitions }));
  };

  return {
    async start(handlers) {
      const c = (consumer = kafka.consumer({
        groupId: o.groupId,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 250,
        // A SIGKILLed member holds its partitions until its session expires: 10 s, as the Kafka source.
        sessionTimeout: o.sessionTimeoutMs ?? 10_000,
        ...(o.coPartitioned === false ? {} : { partitionAssigners: [coPartitionedAssigner] }),
      }));
      c.on(c.events.GROUP_JOIN, (e) => {
        const assignment = e.payload.memberAssignment as Record<string, number[]>;
        handlers.assigned(Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))));
      });
      c.on(c.events.CRASH, (e) => {
        if (!e.payload.restart) handlers.failed(toError(e.payload.error));
      });
      try {
        await c.connect();
        await c.subscribe({ topics: [...o.topics], fromBeginning: (o.start ?? 'earliest') === 'earliest' });
        await c.run({
          autoCommit: false,
          partitionsConsumedConcurrently: 4,
          eachBatch: async ({ batch }) => {
            const records = batch.messages.map((m) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key,
              value: m.value,
              headers: buffersOf(m.headers),
              timestamp: Number(m.timestamp),
            }));
            if (records.length > 0) handlers.records({ topic: batch.topic, partition: batch.partition }, records);
          },
        });
      } catch (err) {
        throw toError(err);
      }
    },
    pause(tps) {
      if (tps.length > 0) consumer?.pause(byTopic(tps));
    },
    resume(tps) {
      if (tps.length > 0) consumer?.resume(byTopic(tps));
    },
    async commit(offsets) {
      if (!consumer || offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets.map(({ topic, partition, nextOffset }) => ({ topic, partition, offset: nextOffset })));
      } catch (err) {
        const facts = kafkajsErrorFacts(err);
        // Mid-rebalance or an outage: the next commit carries a later offset; at worst the new owner
        // reads a few records again, and the processor skips or redelivers them (idempotency key).
        if (facts.retriable || ['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR'].includes(facts.type ?? '')) return;
        throw new KafkaErrors.BANYAN_ERR_KAFKA_COMMIT_FAILED(o.groupId, `${facts.type ?? facts.root.name}: ${facts.root.message}`, facts.root);
      }
    },
    async close() {
      const c = consumer;
      consumer = undefined;
      await c?.disconnect().catch(() => {});
    },
  };
}

function buffersOf(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = typeof one === 'string' ? Buffer.from(one, 'utf8') : one;
  }
  return out;
}

/**
 * Partition p of every topic to the same member: members sorted by id, partition numbers dealt
 * round-robin (kafkajs' RoundRobin assigner deals topic-partitions, which splits p across members).
 */
const coPartitionedAssigner: PartitionAssigner = ({ cluster }): Assigner => ({
  name: 'BanyanCoPartitioned',
  version: 0,
  async assign({ members, topics }) {
    const ids = members.map((m) => m.memberId).sort();
    const plan = new Map<string, Record<string, number[]>>(ids.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
      for (const p of partitions) {
        const member = plan.get(ids[p % ids.length]!)!;
        (member[topic] ??= []).push(p);
      }
    }
    return ids.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: plan.get(memberId)!, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: 'BanyanCoPartitioned', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
