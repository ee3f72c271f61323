/**
 * The seam between the retry processor (src/retry) and the places it delivers to: an HTTP service
 * (src/connectors/http) or a legacy queue (the MQ/AMQP sink). The processor owns consumption,
 * retry tiers, ordering and the dead-letter topic; a target only tries one delivery and says what
 * happened, the "decide, then act" split of STYLE.md: the target decides the outcome, the processor
 * acts on it.
 */

/** One event as the processor hands it to a target: the Kafka record and its delivery history. */
export interface DeliveryRecord {
  /** The topic the event was first published to (not the retry tier it is read from now). */
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The event's own headers, without the processor's retry headers. */
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Kafka timestamp (ms since epoch) of the original record. */
  readonly timestamp: number;
  /**
   * Stable event id: the `banyan-event-id` header when the bridge set one, else
   * `<originalTopic>/<originalPartition>/<originalOffset>`. The same on every retry and replay,
   * so a target can send it as an idempotency key.
   */
  readonly eventId: string;
  /** 1 for the first delivery; raised on each retry; reset to 1 by a replay. */
  readonly attempt: number;
}

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status?: number }
  /** Worth trying again later (5xx, 408, 429, a timeout, a lost connection, MQRC 2009). */
  | { readonly kind: 'retriable'; readonly failure: DeliveryFailure; readonly retryAfterMs?: number }
  /** Trying again cannot help (another 4xx, MQRC 2085): straight to the dead-letter topic. */
  | { readonly kind: 'permanent'; readonly failure: DeliveryFailure }
  /** Not attempted: the target's breaker is open. No attempt is spent; the processor pauses. */
  | { readonly kind: 'unavailable' };

export interface DeliveryFailure {
  /** A stable class name, e.g. `HttpStatus`, `Timeout`, `ConnectionRefused`, `MQRC_Q_FULL`. */
  readonly errorClass: string;
  readonly message: string;
  /** HTTP status, when the target answered. */
  readonly status?: number;
}

/** Whether a target takes deliveries now (opossum's closed / half-open / open). */
export type TargetAvailability = 'available' | 'probing' | 'unavailable';

export interface DeliveryTarget {
  /** The target's name from its bridge file; goes into the retry headers. */
  readonly name: string;
  /**
   * Called for one event at a time per partition (per key with `ordering: key`). Must not throw:
   * every failure is an outcome. `signal` aborts an attempt at shutdown (the outcome is then
   * `retriable`, and the event is delivered again after restart).
   */
  deliver(record: DeliveryRecord, signal: AbortSignal): Promise<DeliveryOutcome>;
  /**
   * Availability changes: `unavailable` (breaker opened) makes the processor pause the partitions
   * feeding this target; `probing` (half-open) lets one trial delivery through; `available` resumes.
   * Returns a function that removes the listener.
   */
  onAvailability(listener: (availability: TargetAvailability) => void): () => void;
  /** Called once at shutdown, after the last deliver resolved. */
  close(): Promise<void>;
}
