/**
 * One bridge's loop, the four hops of shared/DESIGN.md: read a batch from the source, decode and
 * map each record (a bad one becomes a dead letter carrying its raw bytes), write the batch to the
 * sink, and only once the sink says it is durable save the checkpoint and commit the source.
 *
 * The next batch is read and decoded while the previous one is being written, so the source and the
 * codec work while Kafka acknowledges; writes and commits stay one at a time, in read order.
 * Retriable errors (source unavailable, Kafka down) are retried with capped exponential back-off
 * without end; any other error ends the run with that error, for the caller to report.
 */
import type { BatchLimits, Sink, SinkRecord, Source, SourceBatch, SourcePosition, SourceRecord } from './bridge-contracts.ts';
import { deadLetterHeaders, eventHeaders, type EventProvenance, type RecordRejection } from './bridge-headers.ts';
import { BanyanError } from './errors.ts';
import { BridgePipelineErrors } from './bridge-errors.ts';

/** What the mapping made of one record. */
export type RecordDecision =
  | { readonly kind: 'event'; readonly topic: string; readonly key: string | null; readonly value: string | Uint8Array }
  | { readonly kind: 'rejected'; readonly rejection: RecordRejection }
  /** The mapping's segment rules say to skip it: counted, committed, not published. */
  | { readonly kind: 'skipped' };

/** Decodes and maps one raw record. Must not throw for bad record bytes: those are `rejected`. */
export type RecordDecoder = (record: SourceRecord) => RecordDecision;

/** Where a bridge keeps its committed position (a compacted Kafka topic, keyed by bridge). */
export interface CheckpointStore {
  /** Called once at start: the last saved position, undefined for a bridge that never committed. */
  load(): Promise<SourcePosition | undefined>;
  /** Called after the sink made the batch durable and before the source commits it. */
  save(position: SourcePosition): Promise<void>;
}

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /**
   * Consecutive retriable failures after which the bridge gives up (stops, non-retriable
   * BANYAN_ERR_BRIDGE_RETRIES_EXHAUSTED); absent: it never gives up.
   */
  readonly maxAttempts?: number;
}

/** The error that ends retrying once `maxAttempts` failures in a row are reached, or undefined to go on. */
export function exhausted(policy: BackoffPolicy, attempts: number, stage: string, err: BanyanError): BanyanError | undefined {
  if (policy.maxAttempts === undefined || attempts < policy.maxAttempts) return undefined;
  return new BridgePipelineErrors.BANYAN_ERR_BRIDGE_RETRIES_EXHAUSTED(attempts, stage, err.message, err);
}

/** Instrumentation: the pipeline reports, metrics and logs subscribe in one place. */
export interface BridgeEvents {
  batchWritten?(e: { readonly records: number; readonly published: number; readonly deadLettered: number; readonly skipped: number; readonly bytes: number; readonly ms: number }): void;
  committed?(e: { readonly position: SourcePosition; readonly at: number }): void;
  retrying?(e: { readonly stage: 'read' | 'write'; readonly error: BanyanError; readonly attempt: number; readonly delayMs: number }): void;
}

export interface BridgePipelineOptions {
  readonly provenance: EventProvenance;
  readonly source: Source;
  readonly decode: RecordDecoder;
  readonly sink: Sink;
  /**
   * Where dead letters go when the sink is not Kafka (a file sink must not get them): written, and
   * durable, before the batch's events reach the sink. Absent: the sink takes them with the events.
   */
  readonly deadLetters?: Sink;
  readonly checkpoints: CheckpointStore;
  readonly deadLetterTopic: string;
  readonly limits: BatchLimits;
  /** Pause before asking an idle source again. */
  readonly idlePollMs: number;
  readonly backoff: BackoffPolicy;
  /** End the run (resolve) once the source is drained and everything read is committed. */
  readonly untilIdle?: boolean;
  readonly events?: BridgeEvents;
  /** Injected for tests: resolves after `ms` or when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface BridgeRunSummary {
  readonly records: number;
  readonly published: number;
  readonly deadLettered: number;
  readonly skipped: number;
}

/**
 * Runs until `signal` aborts (the batch in flight is written and committed first) or, with
 * `untilIdle`, until the source is drained. Rejects with the first non-retriable error.
 */
export async function runBridgePipeline(o: BridgePipelineOptions, signal: AbortSignal): Promise<BridgeRunSummary> {
  const sleep = o.sleep ?? abortableSleep;
  const totals = { records: 0, published: 0, deadLettered: 0, skipped: 0 };
  // A broker that just started may not serve the checkpoint topic yet: retriable, like a read.
  let committed: SourcePosition | undefined;
  await retrying('read', o, signal, sleep, async () => {
    committed = await o.checkpoints.load();
  });
  await retrying('read', o, signal, sleep, () => o.source.open(committed));
  let writing: Promise<void> = Promise.resolve();
  try {
    while (!signal.aborted) {
      const read = await readOnce(o, signal, sleep, async () => {
        await writing.catch(() => {}); // reopen only from a position no batch in flight is still ahead of
        return committed;
      });
      if ('idle' in read) {
        if (read.idle === 'drained' && o.untilIdle) break;
        await sleep(o.idlePollMs, signal);
        continue;
      }
      const prepared = prepare(o, read);
      await writing; // writes and commits in read order, one at a time
      writing = (async () => {
        const started = performance.now();
        if (o.deadLetters && prepared.dead.length > 0) await retrying('write', o, signal, sleep, () => o.deadLetters!.write(prepared.dead, read.position), true);
        await retrying('write', o, signal, sleep, () => o.sink.write(prepared.records, read.position), true);
        await retrying('write', o, signal, sleep, () => o.checkpoints.save(read.position), true);
        await o.source.commit(read.position);
        committed = read.position;
        totals.records += read.records.length;
        totals.published += prepared.published;
        totals.deadLettered += prepared.deadLettered;
        totals.skipped += prepared.skipped;
        o.events?.batchWritten?.({ ...countsOf(prepared), records: read.records.length, bytes: prepared.bytes, ms: performance.now() - started });
        o.events?.committed?.({ position: read.position, at: Date.now() });
      })();
      // Surface a failed write before reading further (and keep an unhandled rejection from escaping).
      writing.catch(() => {});
    }
    await writing;
  } finally {
    await writing.catch(() => {});
    await o.source.close();
  }
  return totals;
}

interface PreparedBatch {
  readonly records: SinkRecord[];
  /** Dead letters kept apart for `deadLetters` (then not in `records`). */
  readonly dead: SinkRecord[];
  readonly published: number;
  readonly deadLettered: number;
  readonly skipped: number;
  readonly bytes: number;
}

function prepare(o: BridgePipelineOptions, batch: SourceBatch): PreparedBatch {
  const records: SinkRecord[] = [];
  const dead = o.deadLetters ? [] as SinkRecord[] : records;
  let published = 0;
  let deadLettered = 0;
  let skipped = 0;
  let bytes = 0;
  for (const record of batch.records) {
    bytes += record.bytes.length;
    const decision = o.decode(record);
    if (decision.kind === 'event') {
      records.push({ topic: decision.topic, key: decision.key, value: decision.value, headers: eventHeaders(o.provenance, record) });
      published++;
    } else if (decision.kind === 'rejected') {
      // The raw bytes are copied: the source may reuse its read buffer once the batch is handed on.
      dead.push({ topic: o.deadLetterTopic, key: null, value: Uint8Array.from(record.bytes), headers: deadLetterHeaders(o.provenance, record, decision.rejection) });
      deadLettered++;
    } else skipped++;
  }
  return { records, dead: dead === records ? [] : dead, published, deadLettered, skipped, bytes };
}

function countsOf(p: PreparedBatch) {
  return { published: p.published, deadLettered: p.deadLettered, skipped: p.skipped };
}

/** A read, where a retriable failure reopens the source from the last committed position. */
async function readOnce(
  o: BridgePipelineOptions,
  signal: AbortSignal,
  sleep: NonNullable<BridgePipelineOptions['sleep']>,
  settledPosition: () => Promise<SourcePosition | undefined>,
): Promise<Awaited<ReturnType<Source['read']>>> {
  let attempt = 0;
  for (;;) {
    try {
      return await o.source.read(o.limits, signal);
    } catch (err) {
      if (!isRetriable(err) || signal.aborted) throw err;
      const gaveUp = exhausted(o.backoff, attempt + 1, 'read', err);
      if (gaveUp) throw gaveUp;
      const delayMs = backoffDelay(o.backoff, attempt++);
      o.events?.retrying?.({ stage: 'read', error: err, attempt, delayMs });
      const from = await settledPosition();
      await o.source.close().catch(() => {});
      await sleep(delayMs, signal);
      await retrying('read', o, signal, sleep, () => o.source.open(from));
    }
  }
}

/**
 * Calls `fn` until it succeeds or fails non-retriably. `finishEvenIfAborted`: the batch in flight
 * at shutdown is still written (SIGTERM finishes it), so aborting does not stop those retries.
 */
async function retrying(
  stage: 'read' | 'write',
  o: BridgePipelineOptions,
  signal: AbortSignal,
  sleep: NonNullable<BridgePipelineOptions['sleep']>,
  fn: () => Promise<void>,
  finishEvenIfAborted = false,
): Promise<void> {
  const never = new AbortController().signal;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err) || (signal.aborted && !finishEvenIfAborted)) throw err;
      const gaveUp = exhausted(o.backoff, attempt + 1, stage, err);
      if (gaveUp) throw gaveUp;
      const delayMs = backoffDelay(o.backoff, attempt);
      o.events?.retrying?.({ stage, error: err, attempt: attempt + 1, delayMs });
      await sleep(delayMs, finishEvenIfAborted ? never : signal);
    }
  }
}

function isRetriable(err: unknown): err is BanyanError {
  return err instanceof BanyanError && err.retriable;
}

/** Capped exponential back-off with "equal jitter" (AWS architecture blog, "Exponential Backoff And Jitter"): half fixed, half random. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
