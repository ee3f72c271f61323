/**
 * The entity-keyed publisher: one idempotent kafkajs producer (acks=all, one request in flight)
 * that writes batches and resolves only when Kafka acknowledged every record. The caller commits
 * its source position (MQ syncpoint, CDC checkpoint) after that, never before (Debezium's offset
 * discipline): a rejected publish means "keep the batch", and `err.retriable` says whether trying
 * again later can succeed.
 *
 * Ordering: records with the same key go to the same partition (partitioner.ts, Java-compatible)
 * in batch order; batches are sent one after another, so order holds across publish() calls too.
 * Duplicates: the idempotent producer (KIP-98) lets the broker drop resent batches it already
 * wrote, so kafkajs' retries inside one publish() and a caller's retry of the same batch after a
 * connection failure do not duplicate records, as long as the producer instance survives.
 */
import { CompressionTypes, type ICustomPartitioner, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { pino, type Logger } from 'pino';
import type { BanyanError } from '../../core/errors.ts';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { connectOnce } from './connect-once.ts';
import { defaultPartitioner } from './kafkajs-fast-path.ts';
import { KafkaErrors } from './errors.ts';
import { SentTopics } from './sent-topics.ts';
import { kafkajsErrorFacts, toPublishError } from './kafkajs-errors.ts';

export interface PublishRecord {
  readonly topic: string;
  /** Entity key (e.g. account number): same key, same partition, publish order kept. */
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
  /** Milliseconds since the epoch; the producer's clock when omitted. */
  readonly timestamp?: number;
}

export interface PublishReceipt {
  readonly records: number;
  /** Per topic-partition written: offset of this batch's first record there. */
  readonly partitions: ReadonlyArray<{ topic: string; partition: number; baseOffset: string }>;
}

export interface Publisher {
  /**
   * Connects and registers the idempotent producer id. publish() calls it when needed. A failed
   * connect is not remembered: the next connect() or publish() tries again.
   */
  connect(): Promise<void>;
  /**
   * Writes the batch; resolves when Kafka acknowledged all of it (acks=all). Rejects with a
   * BanyanError: retriable codes (BROKER_UNAVAILABLE, PUBLISH_RETRIABLE, PRODUCER_STATE_LOST)
   * mean "keep the batch and publish it again"; others (RECORD_REJECTED, AUTH_FAILED,
   * BATCH_INVALID, PUBLISHER_CLOSED) need a person or a dead-letter decision.
   */
  publish(batch: readonly PublishRecord[]): Promise<PublishReceipt>;
  /**
   * Says these topics were deleted. A kafkajs producer asks for the metadata of every topic it ever
   * sent to and, once one of them is gone, every refresh fails with UNKNOWN_TOPIC_OR_PARTITION
   * (its Cluster.targetTopics only grows), so no send to a new topic gets through. When this
   * producer sent to one of them, the next publish() starts a fresh producer.
   */
  forgetTopics(topics: readonly string[]): void;
  /** Waits for the publish in progress, then disconnects. Later publish() calls reject. */
  close(): Promise<void>;
}

export interface PublisherOptions {
  kafka: KafkaClient;
  /** The owning component's logger (it carries `component`; the publisher does not add it again). */
  logger?: Logger;
  /** kafkajs' retries inside one publish() before it rejects (kafkajs defaults: 5, 300 ms, 30 s). */
  retry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
  /** Broker-side wait for the in-sync replicas' acknowledgement (produce request timeout). */
  ackTimeoutMs?: number;
  compression?: 'none' | 'gzip';
  /**
   * Instrumentation (kafkajs style: events, not ad-hoc logs): called after each acknowledged batch
   * and each failed one, for metrics in one place. Must not throw.
   */
  events?: {
    published?(event: { records: number; durationMs: number; receipt: PublishReceipt }): void;
    failed?(event: { records: number; durationMs: number; error: BanyanError }): void;
  };
}

export function createPublisher(options: PublisherOptions): Publisher {
  const logger = options.logger ?? pino({ level: 'silent' });
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  let closed = false;
  // One batch at a time: the idempotent producer needs max.in.flight 1 in kafkajs, and serial
  // batches keep per-key order across publish() calls.
  let tail: Promise<unknown> = Promise.resolve();

  const kafka = kafkajsOf(options.kafka);
  // A failed connect is not remembered: the next publish() or connect() tries again (connect-once.ts).
  const producer = connectOnce<Producer>(() =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // kafkajs' DefaultPartitioner (Java-compatible murmur2), its hash in int32 arithmetic (kafkajs-fast-path.ts).
      createPartitioner: defaultPartitioner() as unknown as ICustomPartitioner,
      allowAutoTopicCreation: false,
      retry: {
        retries: options.retry?.retries ?? 5,
        initialRetryTime: options.retry?.initialRetryTimeMs ?? 300,
        maxRetryTime: options.retry?.maxRetryTimeMs ?? 30_000,
      },
    }),
  );

  const sentTopics = new SentTopics();
  const renewProducer = async () => {
    sentTopics.reset();
    await producer.disconnect().catch(() => {});
  };

  const send = async (batch: readonly PublishRecord[]): Promise<PublishReceipt> => {
    if (closed) throw new KafkaErrors.BANYAN_ERR_KAFKA_PUBLISHER_CLOSED();
    const topicMessages = toTopicMessages(batch);
    const started = performance.now();
    if (sentTopics.replacementDue) await renewProducer();
    for (const t of topicMessages) sentTopics.add(t.topic);
    try {
      const p = await producer.get();
      const metadata = await p.sendBatch({ topicMessages, acks: -1, timeout: ackTimeoutMs, compression });
      const receipt = {
        records: batch.length,
        partitions: metadata.map((m) => ({ topic: m.topicName, partition: m.partition, baseOffset: m.baseOffset ?? '-1' })),
      };
      options.events?.published?.({ records: batch.length, durationMs: performance.now() - started, receipt });
      return receipt;
    } catch (err) {
      const error = toPublishError(err, batch.length);
      if (error.code === 'BANYAN_ERR_KAFKA_PRODUCER_STATE_LOST') {
        // The broker no longer accepts this producer id/sequence: start over with a new producer id.
        await renewProducer();
      } else if (kafkajsErrorFacts(err).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        // A topic this producer sent to may have been deleted by someone else (forgetTopics): a
        // fresh producer asks only for the topics it is sent to. A batch that failed on metadata was
        // not written; one that failed in a produce response across several brokers may have been
        // in part, and the new producer id does not deduplicate the caller's retry of that part.
        await renewProducer();
      }
      logger.warn({ err: error, records: batch.length }, 'publish failed');
      options.events?.failed?.({ records: batch.length, durationMs: performance.now() - started, error });
      throw error;
    }
  };

  return {
    async connect() {
      if (closed) throw new KafkaErrors.BANYAN_ERR_KAFKA_PUBLISHER_CLOSED();
      try {
        await producer.get();
      } catch (err) {
        throw toPublishError(err, 0);
      }
    },
    publish(batch) {
      if (batch.length === 0) return Promise.resolve({ records: 0, partitions: [] });
      const run = tail.then(() => send(batch));
      tail = run.catch(() => {});
      return run;
    },
    forgetTopics(topics) {
      sentTopics.forget(topics);
    },
    async close() {
      closed = true;
      await tail;
      await producer.disconnect();
    },
  };
}

/** Groups a batch by topic for kafkajs' sendBatch, keeping batch order per topic (and so per key). */
export function toTopicMessages(batch: readonly PublishRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const [i, r] of batch.entries()) {
    if (typeof r.topic !== 'string' || r.topic.length === 0) {
      throw new KafkaErrors.BANYAN_ERR_KAFKA_BATCH_INVALID(`record ${i} has no topic`);
    }
    const message: Message = { key: r.key, value: r.value };
    // kafkajs only reads the headers object while encoding; no copy needed.
    if (r.headers) message.headers = r.headers as Record<string, string | Buffer>;
    if (r.timestamp !== undefined) message.timestamp = String(r.timestamp);
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
