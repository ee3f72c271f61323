/**
 * Replay of parked records (`banyan replay`, `banyan dlq`): which records of a dead-letter topic a
 * filter picks, and the record each becomes when it goes back. Pure: the CLI reads the topic and
 * publishes what this returns.
 *
 * A replayed record keeps its key, value and event headers (banyan-event-id above all, set from its
 * original coordinates when the bridge gave it none, so the target's idempotency key does not
 * change), keeps its original coordinates (kafka_dlt-original-*), drops the attempt count and
 * failure headers (the processor starts counting again), and records the replay:
 * banyan-replay-count (raised by one), banyan-replay-at, banyan-replay-from (`<dlq>/<partition>/<offset>`).
 */
import { BRIDGE_HEADERS } from '../core/bridge-headers.ts';
import { eventHeadersOf, eventIdOf, readRetryState, RETRY_HEADERS, type RetryState } from './retry-headers.ts';

/** A record read from a dead-letter topic. */
export interface ParkedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka timestamp of the dead-letter record (when it was parked), ms. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer>>;
}

export interface ReplayFilter {
  /** Only records with this key (UTF-8). */
  readonly key?: string;
  /** Only records parked at or after this time (ms). */
  readonly since?: number;
  /** Only records whose error class, HTTP status or error code is this, or whose error message contains it. */
  readonly error?: string;
}

/** What `banyan dlq list` prints of one parked record. */
export interface ParkedSummary {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly eventId: string;
  readonly originalTopic: string | null;
  readonly reason: string | null;
  readonly attempts: number;
  readonly errorClass: string | null;
  readonly errorMessage: string | null;
  readonly httpStatus: number | null;
  readonly parkedAt: string;
  readonly replays: number;
}

export function matchesFilter(r: ParkedRecord, f: ReplayFilter): boolean {
  if (f.key !== undefined && r.key?.toString('utf8') !== f.key) return false;
  if (f.since !== undefined && parkedAt(r) < f.since) return false;
  if (f.error !== undefined) {
    const s = readRetryState(r.headers);
    const code = r.headers[BRIDGE_HEADERS.errorCode]?.toString('utf8');
    const candidates = [s?.failure?.errorClass, s?.failure?.status !== undefined ? String(s.failure.status) : undefined, code];
    if (!candidates.includes(f.error) && !(s?.failure?.message ?? '').includes(f.error)) return false;
  }
  return true;
}

export function summarizeParked(r: ParkedRecord): ParkedSummary {
  const s = readRetryState(r.headers);
  return {
    partition: r.partition,
    offset: Number(r.offset),
    key: r.key === null ? null : r.key.toString('utf8'),
    eventId: eventIdOf(r.headers, originOf(r, s)),
    originalTopic: s?.originalTopic ?? null,
    reason: r.headers[RETRY_HEADERS.reason]?.toString('utf8') ?? null,
    attempts: s?.attempts ?? 0,
    errorClass: s?.failure?.errorClass ?? r.headers[BRIDGE_HEADERS.errorCode]?.toString('utf8') ?? null,
    errorMessage: s?.failure?.message ?? r.headers[BRIDGE_HEADERS.errorReason]?.toString('utf8') ?? null,
    httpStatus: s?.failure?.status ?? null,
    parkedAt: new Date(parkedAt(r)).toISOString(),
    replays: s?.replayCount ?? 0,
  };
}

/** Where a replayed record goes: its original topic, or a topic named with --to. */
export type ReplayDestination = { readonly kind: 'original' } | { readonly kind: 'topic'; readonly topic: string };

export interface ReplayedRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string | Buffer>;
}

/** The record a parked one becomes on replay; throws when it does not say its original topic and none is given. */
export function replayRecordOf(r: ParkedRecord, to: ReplayDestination, now: number): ReplayedRecord {
  const s = readRetryState(r.headers);
  const topic = to.kind === 'topic' ? to.topic : s?.originalTopic;
  if (topic === undefined) throw new Error(`record ${r.topic}/${r.partition}/${r.offset} has no ${RETRY_HEADERS.originalTopic} header: replay it with --to TOPIC`);
  const origin = originOf(r, s);
  const headers: Record<string, string | Buffer> = { ...eventHeadersOf(r.headers) };
  headers[BRIDGE_HEADERS.eventId] ??= eventIdOf(r.headers, origin);
  headers[RETRY_HEADERS.originalTopic] = origin.topic;
  headers[RETRY_HEADERS.originalPartition] = String(origin.partition);
  headers[RETRY_HEADERS.originalOffset] = origin.offset;
  headers[RETRY_HEADERS.originalTimestamp] = String(s?.originalTimestamp ?? r.timestamp);
  headers[RETRY_HEADERS.replayCount] = String((s?.replayCount ?? 0) + 1);
  headers[RETRY_HEADERS.replayedAt] = String(now);
  headers[RETRY_HEADERS.replayedFrom] = `${r.topic}/${r.partition}/${r.offset}`;
  return { topic, key: r.key, value: r.value, headers };
}

/** `--since`: an ISO 8601 time, or ms since the epoch. */
export function parseSince(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function parkedAt(r: ParkedRecord): number {
  const last = Number(r.headers[RETRY_HEADERS.lastFailureAt]?.toString('utf8'));
  return Number.isFinite(last) && last > 0 ? last : r.timestamp;
}

function originOf(r: ParkedRecord, s: RetryState | undefined): { topic: string; partition: number; offset: string } {
  return s ? { topic: s.originalTopic, partition: s.originalPartition, offset: s.originalOffset } : { topic: r.topic, partition: r.partition, offset: r.offset };
}
