/**
 * The consumer helper for downstream services: reads a CDC bridge's per-table topics and its
 * transaction topic and yields whole transactions in commit order (every change of one unit of
 * work, BEGIN..END with all event_count events, across topics and partitions), snapshot reads as
 * they come, and orphans (changes whose BEGIN was never read) rather than dropping them. Import it
 * from `src/connectors/db2-cdc/transaction-consumer.ts` (docs/db2-cdc-transaction-consumer.md):
 *
 *   const txns = createTransactionConsumer({ kafka, groupId: 'billing', tableTopics, transactionTopic });
 *   for await (const item of txns) {
 *     if (item.kind === 'transaction') await apply(item.transaction.changes);   // all or nothing
 *   }
 *
 * Delivery: at least once, whole. A transaction's offsets are committed when the loop asks for the
 * next item, i.e. after the body processed it; a crash before then yields it again after restart
 * (its id, the commit_lsn, lets the service skip what it applied). Duplicates a restarted bridge
 * wrote are dropped by position (transaction-reassembly.ts).
 *
 * Memory is bounded: above `pauseAboveEvents` buffered changes the partitions that hold nothing more
 * of the awaited transaction are paused, each resumed as soon as it is no longer ahead, all of them
 * below half of it (or after `stallResumeMs` without a record, should the bridge's per-partition
 * ordering ever not hold); above
 * `maxBufferedEvents` the consumer fails with BANYAN_ERR_CDC_TRANSACTION_TOO_LARGE. Items ready but
 * not yet taken by the loop are capped at `maxReadyItems`; reading waits for the loop beyond it.
 *
 * One member per group: a transaction spans partitions, so the group's partitions must all be read
 * by one member (as IBM's transactionally consistent consumer is one reader). The transaction topic
 * must have one partition (checked at start: BANYAN_ERR_CDC_TRANSACTION_TOPIC_PARTITIONED).
 */
import type { ChangeEvent, TransactionBoundary } from './change-event.ts';
import type { KafkaClient } from '../kafka/client.ts';
import { createPacedGroupConsumer, type PacedGroupConsumer } from '../kafka/paced-group-consumer.ts';
import type { TopicRecord } from '../kafka/topic-reader.ts';
import { CdcErrors } from './errors.ts';
import { TransactionReassembler, type ReassemblyInput, type ReassemblyOutput, type Released } from './transaction-reassembly.ts';
import type { EntityKey } from './transaction-keys.ts';

export type { ReassemblyOutput, WholeTransaction } from './transaction-reassembly.ts';

export interface TransactionConsumerOptions {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  /** The bridge's per-table topics. */
  readonly tableTopics: readonly string[];
  /** The bridge's transaction metadata topic (one partition). */
  readonly transactionTopic: string;
  /** Buffered changes above which partitions ahead of the awaited transaction pause (default 10,000). */
  readonly pauseAboveEvents?: number;
  /** Buffered changes at which the consumer fails (default 200,000). */
  readonly maxBufferedEvents?: number;
  /** Resume paused partitions after this long without a record (default 5,000 ms). */
  readonly stallResumeMs?: number;
  /** Items ready for the loop beyond which reading waits (default 1,000). */
  readonly maxReadyItems?: number;
  /** Instrumentation: pauses, resumes, commits (metrics subscribe in one place). */
  readonly events?: (event: TransactionConsumerEvent) => void;
}

export type TransactionConsumerEvent =
  | { readonly type: 'paused'; readonly partitions: number; readonly bufferedEvents: number }
  | { readonly type: 'resumed'; readonly partitions: number; readonly reason: 'caught-up' | 'drained' | 'stalled' }
  | { readonly type: 'committed'; readonly partitions: number };

export interface TransactionConsumer extends AsyncIterable<ReassemblyOutput> {
  /** Leaves the group; a pending iteration ends. What the loop finished is committed already. */
  stop(): Promise<void>;
}

export function createTransactionConsumer(options: TransactionConsumerOptions): TransactionConsumer {
  const pauseAbove = options.pauseAboveEvents ?? 10_000;
  const stallResumeMs = options.stallResumeMs ?? 5_000;
  const maxReady = options.maxReadyItems ?? 1_000;
  const emit = options.events ?? (() => {});
  const reassembler = new TransactionReassembler({ maxBufferedEvents: options.maxBufferedEvents ?? 200_000 });
  const consumer: PacedGroupConsumer = createPacedGroupConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [...options.tableTopics, options.transactionTopic],
  });
  const ready: Released[] = [];
  let failure: Error | undefined;
  let stopped = false;
  let started: Promise<void> | undefined;
  let wakeReader: (() => void) | undefined;
  let wakeLoop: (() => void) | undefined;
  let lastRecordAt = Date.now();
  let stallTimer: NodeJS.Timeout | undefined;

  const notify = () => {
    wakeLoop?.();
    wakeLoop = undefined;
  };
  const fail = (err: Error) => {
    failure ??= err;
    notify();
    wakeReader?.();
  };

  async function onRecord(record: TopicRecord, heartbeat: () => Promise<void>): Promise<void> {
    lastRecordAt = Date.now();
    const input = decodeRecord(record, options.transactionTopic);
    if (input) reassembler.accept(input);
    const released = reassembler.take();
    if (released.length > 0) {
      ready.push(...released);
      notify();
    }
    pace();
    // The loop is behind: wait for it, keeping the membership alive.
    while (ready.length >= maxReady && !stopped && !failure) {
      await new Promise<void>((resolve) => {
        wakeReader = resolve;
        setTimeout(resolve, 1_000).unref();
      });
      await heartbeat();
    }
  }

  /**
   * Decide, then act: while too much is buffered the paused partitions are exactly those ahead of
   * the awaited transaction (one that is no longer ahead, because the transaction it waited behind
   * was released, reads again); below half the threshold everything reads.
   */
  function pace(): void {
    const buffered = reassembler.stats().bufferedEvents;
    if (buffered <= pauseAbove / 2) return resumeAll('drained');
    if (buffered <= pauseAbove) return;
    const ahead = reassembler.aheadPartitions();
    const aheadSet = new Set(ahead.map((p) => `${p.topic}/${p.partition}`));
    const caughtUp = consumer.paused().filter((p) => !aheadSet.has(`${p.topic}/${p.partition}`));
    if (caughtUp.length > 0) {
      consumer.resume(caughtUp);
      emit({ type: 'resumed', partitions: caughtUp.length, reason: 'caught-up' });
    }
    const fresh = ahead.filter((p) => !consumer.isPaused(p));
    if (fresh.length > 0) {
      consumer.pause(fresh);
      emit({ type: 'paused', partitions: fresh.length, bufferedEvents: buffered });
    }
  }

  function resumeAll(reason: 'drained' | 'stalled'): void {
    const paused = consumer.paused();
    if (paused.length === 0) return;
    consumer.resume(paused);
    emit({ type: 'resumed', partitions: paused.length, reason });
  }

  async function start(): Promise<void> {
    const partitions = await consumer.partitionCount(options.transactionTopic);
    if (partitions !== 1) throw new CdcErrors.BANYAN_ERR_CDC_TRANSACTION_TOPIC_PARTITIONED(options.transactionTopic, partitions);
    stallTimer = setInterval(() => {
      if (consumer.paused().length > 0 && Date.now() - lastRecordAt >= stallResumeMs) resumeAll('stalled');
    }, Math.max(100, Math.floor(stallResumeMs / 4)));
    stallTimer.unref();
    await consumer.start(async (record, heartbeat) => {
      try {
        await onRecord(record, heartbeat);
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    }, fail);
  }

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (stallTimer) clearInterval(stallTimer);
    notify();
    wakeReader?.();
    await consumer.stop();
  }

  return {
    stop,
    async *[Symbol.asyncIterator](): AsyncIterator<ReassemblyOutput> {
      started ??= start();
      await started;
      let toCommit: ReadonlyMap<string, string> | undefined;
      try {
        for (;;) {
          if (toCommit) {
            // The body finished the previous item: it (and all before it) may be committed.
            await consumer.commit(toCommit);
            emit({ type: 'committed', partitions: toCommit.size });
            toCommit = undefined;
          }
          if (failure) throw failure;
          if (stopped) return;
          const next = ready.shift();
          if (!next) {
            await new Promise<void>((resolve) => (wakeLoop = resolve));
            continue;
          }
          if (ready.length < maxReady) {
            wakeReader?.();
            wakeReader = undefined;
          }
          toCommit = next.offsets;
          yield next.output;
        }
      } finally {
        // Leaving the loop (break, or an exception in its body) does not commit the item in hand:
        // whether the body finished it is unknown, so it is read again after a restart.
        await stop();
      }
    },
  };
}

/**
 * A Kafka record -> reassembly input; null for a tombstone (Debezium writes one after a delete when
 * asked). Values are the bridge's JSON (the Debezium envelope, optionally inside {schema, payload}).
 */
export function decodeRecord(record: TopicRecord, transactionTopic: string): ReassemblyInput | null {
  const at = { topic: record.topic, partition: record.partition, offset: record.offset };
  const bad = (why: string): never => {
    throw new CdcErrors.BANYAN_ERR_CDC_EVENT_INVALID(record.topic, record.partition, record.offset, why);
  };
  if (record.value === null) return null;
  const value = unwrap(parseJson(record.value.toString('utf8'), bad));
  if (record.topic === transactionTopic) {
    const b = value as Partial<TransactionBoundary>;
    if ((b.status !== 'BEGIN' && b.status !== 'END') || typeof b.id !== 'string') return bad('not a transaction boundary {status: BEGIN|END, id}');
    return { kind: 'boundary', boundary: b as TransactionBoundary, at };
  }
  const e = value as Partial<ChangeEvent>;
  if (typeof e.op !== 'string' || typeof e.source !== 'object' || e.source === null || e.transaction === undefined) {
    return bad('not a change event envelope {before, after, source, op, transaction}');
  }
  if (e.transaction !== null && (typeof e.transaction.id !== 'string' || typeof e.transaction.total_order !== 'number')) {
    return bad('its transaction block has no id or total_order');
  }
  const key = record.key === null ? null : (unwrap(parseJson(record.key.toString('utf8'), bad)) as EntityKey);
  return { kind: 'change', key, event: e as ChangeEvent, at };
}

function parseJson(text: string, bad: (why: string) => never): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return bad(`not JSON: ${(err as Error).message}`);
  }
}

/** Kafka Connect's JsonConverter with schemas on wraps the value as {schema, payload}. */
function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'payload' in value && 'schema' in value) return (value as { payload: unknown }).payload;
  return value;
}

