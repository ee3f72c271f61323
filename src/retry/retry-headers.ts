/**
 * The headers the retry processor puts on every record it sends to a retry tier or parks on the
 * dead-letter topic, and reads back from them. Names follow Spring Kafka where it has one
 * (KafkaHeaders.DLT_* and RetryTopicHeaders), `banyan-retry-*` where it has none; every name and
 * its Kafka Connect counterpart (`__connect.errors.*`) is listed in docs/retry-headers.md. Values
 * are UTF-8 text; times are ms since the epoch in decimal, as Spring writes them.
 *
 * The event's own headers (banyan-event-id above all) travel on untouched: a retried or replayed
 * event keeps its id, so a target stays idempotent.
 */
import { BRIDGE_HEADERS } from '../core/bridge-headers.ts';
import type { DeliveryFailure } from './delivery-target.ts';

export const RETRY_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionClass: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  attempts: 'retry_topic-attempts',
  /** When the tier consumer may try the record (Spring's back-off timestamp). */
  dueAt: 'retry_topic-backoff-timestamp',
  originalKey: 'banyan-retry-original-key',
  firstFailureAt: 'banyan-retry-first-failure',
  lastFailureAt: 'banyan-retry-last-failure',
  httpStatus: 'banyan-retry-http-status',
  target: 'banyan-retry-target',
  bridge: 'banyan-retry-bridge',
  /** Why it is on this topic: `retriable`, `following` (its key had an earlier record in retry), `permanent`, `exhausted`. */
  reason: 'banyan-retry-reason',
  /** Its place in its key's retry backlog (ordering: key), see key-backlog.ts. */
  keySequence: 'banyan-retry-key-seq',
  replayCount: 'banyan-replay-count',
  replayedAt: 'banyan-replay-at',
  replayedFrom: 'banyan-replay-from',
} as const;

export type RetryReason = 'retriable' | 'following' | 'permanent' | 'exhausted';

/** What the retry headers of a record say; absent on a record read from the source topic for the first time. */
export interface RetryState {
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly originalTimestamp: number;
  /** Delivery attempts made so far (0 for a record that followed its key without an attempt). */
  readonly attempts: number;
  readonly dueAt: number;
  readonly firstFailureAt?: number;
  readonly lastFailureAt?: number;
  readonly failure?: DeliveryFailure;
  readonly keySequence?: number;
  readonly replayCount: number;
}

/** Everything a record carries that is not the processor's own: the event's headers. */
export function eventHeadersOf(headers: Readonly<Record<string, Buffer>>): Record<string, Buffer> {
  const own = new Set<string>(Object.values(RETRY_HEADERS));
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !own.has(k)));
}

/** The retry state a record carries, or undefined when it carries none (a first read). */
export function readRetryState(headers: Readonly<Record<string, Buffer>>): RetryState | undefined {
  const text = (name: string) => headers[name]?.toString('utf8');
  const num = (name: string) => {
    const t = text(name);
    const n = t === undefined ? NaN : Number(t);
    return Number.isFinite(n) ? n : undefined;
  };
  const topic = text(RETRY_HEADERS.originalTopic);
  const partition = num(RETRY_HEADERS.originalPartition);
  const offset = text(RETRY_HEADERS.originalOffset);
  if (topic === undefined || partition === undefined || offset === undefined) return undefined;
  const errorClass = text(RETRY_HEADERS.exceptionClass);
  const status = num(RETRY_HEADERS.httpStatus);
  const first = num(RETRY_HEADERS.firstFailureAt);
  const last = num(RETRY_HEADERS.lastFailureAt);
  const seq = num(RETRY_HEADERS.keySequence);
  return {
    originalTopic: topic,
    originalPartition: partition,
    originalOffset: offset,
    originalTimestamp: num(RETRY_HEADERS.originalTimestamp) ?? 0,
    attempts: num(RETRY_HEADERS.attempts) ?? 0,
    dueAt: num(RETRY_HEADERS.dueAt) ?? 0,
    ...(first !== undefined ? { firstFailureAt: first } : {}),
    ...(last !== undefined ? { lastFailureAt: last } : {}),
    ...(errorClass !== undefined ? { failure: { errorClass, message: text(RETRY_HEADERS.exceptionMessage) ?? '', ...(status !== undefined ? { status } : {}) } } : {}),
    ...(seq !== undefined ? { keySequence: seq } : {}),
    replayCount: num(RETRY_HEADERS.replayCount) ?? 0,
  };
}

export interface RetryHeaderFacts {
  readonly state: RetryState;
  readonly key: Buffer | null;
  readonly reason: RetryReason;
  readonly target: string;
  readonly bridge: string;
  readonly consumerGroup: string;
}

/** The processor's headers for a record it sends on, as strings (the event's headers are added by the caller). */
export function writeRetryHeaders(f: RetryHeaderFacts): Record<string, string | Buffer> {
  const s = f.state;
  const out: Record<string, string | Buffer> = {
    [RETRY_HEADERS.originalTopic]: s.originalTopic,
    [RETRY_HEADERS.originalPartition]: String(s.originalPartition),
    [RETRY_HEADERS.originalOffset]: s.originalOffset,
    [RETRY_HEADERS.originalTimestamp]: String(s.originalTimestamp),
    [RETRY_HEADERS.originalConsumerGroup]: f.consumerGroup,
    [RETRY_HEADERS.attempts]: String(s.attempts),
    [RETRY_HEADERS.dueAt]: String(s.dueAt),
    [RETRY_HEADERS.target]: f.target,
    [RETRY_HEADERS.bridge]: f.bridge,
    [RETRY_HEADERS.reason]: f.reason,
  };
  if (f.key !== null) out[RETRY_HEADERS.originalKey] = f.key;
  if (s.firstFailureAt !== undefined) out[RETRY_HEADERS.firstFailureAt] = String(s.firstFailureAt);
  if (s.lastFailureAt !== undefined) out[RETRY_HEADERS.lastFailureAt] = String(s.lastFailureAt);
  if (s.failure) {
    out[RETRY_HEADERS.exceptionClass] = s.failure.errorClass;
    out[RETRY_HEADERS.exceptionMessage] = s.failure.message;
    if (s.failure.status !== undefined) out[RETRY_HEADERS.httpStatus] = String(s.failure.status);
  }
  if (s.keySequence !== undefined) out[RETRY_HEADERS.keySequence] = String(s.keySequence);
  if (s.replayCount > 0) out[RETRY_HEADERS.replayCount] = String(s.replayCount);
  return out;
}

/** The stable event id: the bridge's banyan-event-id, else the record's original coordinates. */
export function eventIdOf(headers: Readonly<Record<string, Buffer>>, origin: { topic: string; partition: number; offset: string }): string {
  return headers[BRIDGE_HEADERS.eventId]?.toString('utf8') ?? `${origin.topic}/${origin.partition}/${origin.offset}`;
}
