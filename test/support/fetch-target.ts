/**
 * A minimal DeliveryTarget over fetch for the retry processor's tests: POST the event with its
 * Idempotency-Key, 2xx delivered, 5xx / 408 / 429 / a failed connection retriable, other 4xx
 * permanent. Its availability is set by the test (`setAvailability`), to drive the processor's
 * breaker handling exactly. The product's HTTP target (src/connectors/http) has its own tests.
 */
import type { DeliveryOutcome, DeliveryRecord, DeliveryTarget, TargetAvailability } from '../../src/retry/delivery-target.ts';

export interface FetchTarget extends DeliveryTarget {
  /** Tells the processor the target's breaker state, as an opossum breaker would. */
  setAvailability(a: TargetAvailability): void;
  /** Attempts that reached the network. */
  readonly sent: () => number;
}

export function createFetchTarget(url: string, name = 'test-service'): FetchTarget {
  const listeners = new Set<(a: TargetAvailability) => void>();
  let availability: TargetAvailability = 'available';
  let sent = 0;
  return {
    name,
    async deliver(record: DeliveryRecord, signal: AbortSignal): Promise<DeliveryOutcome> {
      if (availability === 'unavailable') return { kind: 'unavailable' };
      sent++;
      try {
        const res = await fetch(url, {
          method: 'POST',
          body: record.value ? new Uint8Array(record.value) : '',
          headers: { 'content-type': 'application/json', 'idempotency-key': record.eventId, 'x-delivery-attempt': String(record.attempt), ...(record.key ? { 'x-event-key': record.key.toString('utf8') } : {}) },
          signal,
        });
        await res.arrayBuffer();
        if (res.ok) return { kind: 'delivered', status: res.status };
        const failure = { errorClass: 'HttpStatus', message: `${res.status} ${res.statusText}`, status: res.status };
        if (res.status >= 500 || res.status === 408 || res.status === 429) {
          const ra = Number(res.headers.get('retry-after'));
          return { kind: 'retriable', failure, ...(Number.isFinite(ra) && ra > 0 ? { retryAfterMs: ra * 1000 } : {}) };
        }
        return { kind: 'permanent', failure };
      } catch (err) {
        const e = err as Error;
        return { kind: 'retriable', failure: { errorClass: e.name, message: e.message } };
      }
    },
    onAvailability(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setAvailability(a) {
      availability = a;
      for (const l of listeners) l(a);
    },
    sent: () => sent,
    async close() {},
  };
}
