/**
 * `delivery: exactly_once` for a legacy -> Kafka bridge: each batch's events, its dead letters and
 * its checkpoint record go to Kafka in one transaction (KIP-98), so they become visible to
 * read_committed consumers together or not at all. This is Kafka Connect's design for exactly-once
 * sources (KIP-618): the source offset is written to the offsets topic inside the transaction that
 * carries the records it covers.
 *
 * One transactional id per bridge (`banyan-bridge.<name>`), as KIP-618 uses one per connector task:
 * the id names the writer of one source, not a process. Whoever starts the bridge calls
 * InitProducerId with it, which (a) bumps the producer epoch, so a stale owner still running (a
 * paused VM, a partitioned gateway) is fenced — its next transaction fails with
 * INVALID_PRODUCER_EPOCH, mapped to BANYAN_ERR_KAFKA_PRODUCER_FENCED, and it stops — and (b) aborts
 * the transaction the previous owner left open when it died. Only after that is the checkpoint read
 * (read_committed), so the position the bridge resumes from is exactly the one whose events are
 * committed: nothing lost, nothing written twice.
 *
 * What consumers see: a read_committed consumer sees every record exactly once across crashes; a
 * read_uncommitted one also sees the records of aborted transactions (the batch in flight at each
 * crash, written again after the restart), each with the event id of its original. At-least-once
 * bridges (kafka-sink.ts + checkpoint-store.ts) write the checkpoint after the batch instead, so a
 * crash between the two repeats at most one batch (the pipeline writes one batch at a time), each
 * duplicate identifiable by its `banyan-event-id` header.
 *
 * Failures: any failed step leaves kafkajs' transaction state unknown, so the producer is dropped
 * (its open transaction is aborted by the broker when the next producer inits, or by the
 * transaction timeout); a retriable error makes the pipeline write the batch again, in a new
 * transaction. A commit whose answer was lost may still have committed: before writing that batch
 * again the sink reads the checkpoint back, and if the batch's position is already there, the batch
 * is done.
 */
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { isDeepStrictEqual } from 'node:util';
import type { CheckpointStore } from '../../core/bridge-pipeline.ts';
import type { Sink, SinkRecord, SourcePosition } from '../../core/bridge-contracts.ts';
import { checkpointRecord, ensureCheckpointTopic, readCheckpoint } from './checkpoint-store.ts';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { connectOnce } from './connect-once.ts';
import { KafkaErrors } from './errors.ts';
import { toPublishRecord } from './kafka-sink.ts';
import { toTransactionError } from './kafkajs-errors.ts';
import { toTopicMessages } from './publisher.ts';
import type { TopicAdmin } from './topic-admin.ts';

export interface TransactionalBridgeOutputOptions {
  readonly kafka: KafkaClient;
  readonly admin: TopicAdmin;
  readonly bridge: string;
  readonly checkpointTopic: string;
  /**
   * How long the coordinator lets a transaction stay open before aborting it and fencing its
   * producer (transaction.timeout.ms). A crashed owner's transaction on a shared checkpoint topic
   * holds back other exactly-once bridges' checkpoint reads for at most this long. Default 30 s.
   */
  readonly transactionTimeoutMs?: number;
  /** Broker-side wait for the in-sync replicas' acknowledgement. Default 30 s. */
  readonly ackTimeoutMs?: number;
}

/** The sink and checkpoint store of an exactly-once bridge: they share one transactional producer. */
export interface TransactionalBridgeOutput {
  /** Writes events, dead letters and the checkpoint in one transaction per batch. */
  readonly sink: Sink;
  /** load(): fences a previous owner, then reads the committed checkpoint; save(): nothing, the sink wrote it. */
  readonly checkpoints: CheckpointStore;
}

/** The transactional id of a bridge: stable across restarts and instances, one per bridge. */
export function transactionalIdOf(bridge: string): string {
  return `banyan-bridge.${bridge}`;
}

export function createTransactionalBridgeOutput(o: TransactionalBridgeOutputOptions): TransactionalBridgeOutput {
  const transactionalId = transactionalIdOf(o.bridge);
  const transactionTimeoutMs = o.transactionTimeoutMs ?? 30_000;
  const ackTimeoutMs = o.ackTimeoutMs ?? 30_000;
  const kafka = kafkajsOf(o.kafka);
  const producer = connectOnce<Producer>(() =>
    kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: transactionTimeoutMs,
      // The publisher's partitioner: a key lands on the same partition in both delivery modes.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Bounded, like the publisher's: a broker outage surfaces as a retriable error for the
      // pipeline's back-off instead of kafkajs retrying inside one transaction for ever.
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000 },
    }),
  );
  // Set when a commit failed without an answer: that transaction may have committed after all.
  let commitUncertain = false;
  let closed = false;

  /** A producer whose transactional InitProducerId is done: the previous owner is fenced and its open transaction aborted. */
  const fencedIn = async (count: number): Promise<Producer> => {
    try {
      const p = await producer.get();
      // kafkajs inits the transactional producer id lazily, in the first transaction(); a
      // transaction with nothing in it ends on the client alone (no EndTxn is sent).
      const t = await p.transaction();
      await t.abort();
      return p;
    } catch (err) {
      await producer.disconnect().catch(() => {});
      throw toTransactionError(err, count, o.bridge, transactionalId);
    }
  };

  const committedCheckpoint = () =>
    // Longer than the transaction timeout: another bridge's open transaction on a shared checkpoint
    // topic delays the read for at most that long.
    readCheckpoint(o.kafka, o.checkpointTopic, o.bridge, { isolation: 'read_committed', timeoutMs: transactionTimeoutMs * 2 });

  const sink: Sink = {
    async write(records, position) {
      const count = records.length;
      if (closed) throw new KafkaErrors.BANYAN_ERR_KAFKA_PUBLISHER_CLOSED();
      const p = await fencedIn(count);
      if (commitUncertain) {
        if (isDeepStrictEqual(await committedCheckpoint(), position)) {
          commitUncertain = false;
          return; // the lost commit did commit: this batch is in Kafka already
        }
        commitUncertain = false;
      }
      await writeInTransaction(p, records, position, count);
    },
    async close() {
      closed = true;
      await producer.disconnect();
    },
  };

  const writeInTransaction = async (p: Producer, records: readonly SinkRecord[], position: SourcePosition, count: number) => {
    let committing = false;
    try {
      const t = await p.transaction();
      const batch = [...records.map(toPublishRecord), checkpointRecord(o.checkpointTopic, o.bridge, position)];
      await t.sendBatch({ topicMessages: toTopicMessages(batch), acks: -1, timeout: ackTimeoutMs, compression: CompressionTypes.None });
      committing = true;
      await t.commit();
    } catch (err) {
      const error = toTransactionError(err, count, o.bridge, transactionalId);
      if (committing && error.retriable) commitUncertain = true;
      // The transaction's state in kafkajs is unknown now: drop the producer. The next one's
      // InitProducerId aborts whatever the broker still holds open for this transactional id.
      await producer.disconnect().catch(() => {});
      throw error;
    }
  };

  const checkpoints: CheckpointStore = {
    async load() {
      await ensureCheckpointTopic(o.admin, o.checkpointTopic);
      await fencedIn(0);
      return committedCheckpoint();
    },
    async save() {
      // Written by the sink, in the batch's own transaction.
    },
  };
  return { sink, checkpoints };
}
