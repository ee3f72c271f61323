/**
 * A transactional producer for callers that commit records and consumer-group offsets as one unit
 * (KIP-98 "consume-transform-produce": AddOffsetsToTxn + TxnOffsetCommit): the JMS engine's
 * SESSION_TRANSACTED commit writes the session's sends and the offsets of what it acknowledged in
 * one transaction. The bridge's exactly-once sink (transactional-sink.ts) is the other user of
 * Kafka transactions, with a checkpoint record instead of group offsets.
 *
 * One transaction at a time. A failed step leaves kafkajs' transaction state unknown, so the
 * producer is dropped; the next commit() makes a new one, whose InitProducerId aborts what the
 * broker still holds open for the id.
 */
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { connectOnce } from './connect-once.ts';
import { SentTopics } from './sent-topics.ts';
import type { TopicPartition } from './group-consumer.ts';
import { toTransactionError } from './kafkajs-errors.ts';
import { toTopicMessages, type PublishRecord } from './publisher.ts';

export interface GroupOffsets {
  readonly groupId: string;
  /** The next offset to read, per partition. */
  readonly offsets: ReadonlyArray<TopicPartition & { readonly offset: bigint }>;
}

export interface TransactionalProducer {
  /**
   * Writes `records` and commits `offsets` atomically; resolves once the transaction committed.
   * Rejects with BANYAN_ERR_KAFKA_PRODUCER_FENCED (another writer took the id) or a publish error
   * (retriable: nothing of the transaction is visible to read_committed readers).
   */
  commit(records: readonly PublishRecord[], offsets: readonly GroupOffsets[]): Promise<void>;
  /**
   * These topics were deleted: when this producer sent to one, the next commit starts a fresh one
   * (a kafkajs producer keeps asking for their metadata and fails; publisher.ts forgetTopics).
   */
  forgetTopics(topics: readonly string[]): void;
  close(): Promise<void>;
}

export interface TransactionalProducerOptions {
  readonly kafka: KafkaClient;
  readonly transactionalId: string;
  /** Who writes, for error messages (e.g. `jms session <id>`). */
  readonly owner: string;
  readonly transactionTimeoutMs?: number;
}

export function createTransactionalProducer(o: TransactionalProducerOptions): TransactionalProducer {
  const kafka = kafkajsOf(o.kafka);
  const producer = connectOnce<Producer>(() =>
    kafka.producer({
      transactionalId: o.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: o.transactionTimeoutMs ?? 30_000,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000 },
    }),
  );
  let tail: Promise<unknown> = Promise.resolve();
  const sentTopics = new SentTopics();
  const renewProducer = async () => {
    sentTopics.reset();
    await producer.disconnect().catch(() => {});
  };

  const run = async (records: readonly PublishRecord[], offsets: readonly GroupOffsets[]) => {
    if (sentTopics.replacementDue) await renewProducer();
    for (const r of records) sentTopics.add(r.topic);
    try {
      const p = await producer.get();
      const t = await p.transaction();
      try {
        if (records.length > 0) await t.sendBatch({ topicMessages: toTopicMessages(records), acks: -1, compression: CompressionTypes.None });
        for (const g of offsets) {
          if (g.offsets.length === 0) continue;
          const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
          for (const x of g.offsets) {
            let list = byTopic.get(x.topic);
            if (!list) byTopic.set(x.topic, (list = []));
            list.push({ partition: x.partition, offset: String(x.offset) });
          }
          await t.sendOffsets({ consumerGroupId: g.groupId, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
        }
        await t.commit();
      } catch (err) {
        await t.abort().catch(() => {});
        throw err;
      }
    } catch (err) {
      await renewProducer();
      throw toTransactionError(err, records.length, o.owner, o.transactionalId);
    }
  };

  return {
    commit(records, offsets) {
      const next = tail.then(() => run(records, offsets));
      tail = next.catch(() => {});
      return next;
    },
    forgetTopics(topics) {
      sentTopics.forget(topics);
    },
    async close() {
      await tail;
      await producer.disconnect();
    },
  };
}
