/**
 * One opossum breaker per target, between the retry processor and the service. While it is open
 * no request is sent: `run` answers `unavailable` at once, the processor pauses the partitions
 * feeding the target and spends no attempt. After `reset_timeout_ms` it half-opens and lets one
 * trial delivery through (opossum rejects the others meanwhile); the trial's outcome closes it
 * (`available`, consumption resumes) or opens it again.
 *
 * What counts against the target (`countsAgainstTarget`): a retriable outcome, i.e. 5xx, 408, 429,
 * timeouts and connection errors, the signs of a service that is down, overloaded or throttling us.
 * A permanent outcome does not: a 400 or 404 is a healthy service refusing one bad event, and
 * letting such events open the breaker would pause every other event behind a few poison ones.
 * A delivery aborted by our own shutdown says nothing about the service and does not count either.
 *
 * Counted failures are thrown inside opossum's action (that is how opossum counts) and caught again
 * here, so `run` never rejects.
 */
import CircuitBreaker from 'opossum';
import type { DeliveryOutcome, TargetAvailability } from '../../retry/delivery-target.ts';

export interface DeliveryBreakerOptions {
  readonly name: string;
  readonly errorThresholdPercentage: number;
  readonly resetTimeoutMs: number;
  readonly volumeThreshold: number;
  readonly rollingCountTimeoutMs: number;
  readonly rollingCountBuckets: number;
}

export interface DeliveryBreaker {
  /** Runs one attempt unless the breaker is open (then `unavailable`, `attempt` not called). */
  run(attempt: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome>;
  availability(): TargetAvailability;
  /** Called on each state change: open -> unavailable, half-open -> probing, closed -> available. */
  onAvailability(listener: (availability: TargetAvailability) => void): () => void;
  /** Stops opossum's timers; later runs answer `unavailable`. */
  shutdown(): void;
}

/** Whether an outcome is a failure of the target, counted toward opening its breaker. */
export function countsAgainstTarget(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'retriable' && outcome.failure.errorClass !== 'Aborted';
}

export function createDeliveryBreaker(options: DeliveryBreakerOptions): DeliveryBreaker {
  const breaker = new CircuitBreaker((attempt: () => Promise<DeliveryOutcome>) => attemptCounted(attempt), {
    name: options.name,
    // The request's own deadline (timeout_ms) aborts it; see spec.ts for why opossum's timer is off.
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    resetTimeout: options.resetTimeoutMs,
    volumeThreshold: options.volumeThreshold,
    rollingCountTimeout: options.rollingCountTimeoutMs,
    rollingCountBuckets: options.rollingCountBuckets,
    // Latency percentiles and snapshots would sort every latency of the window each second; the
    // target reports its own timings through events.
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  const listeners = new Set<(availability: TargetAvailability) => void>();
  const notify = (availability: TargetAvailability) => {
    for (const l of listeners) l(availability);
  };
  breaker.on('open', () => notify('unavailable'));
  breaker.on('halfOpen', () => notify('probing'));
  breaker.on('close', () => notify('available'));

  return {
    async run(attempt) {
      try {
        return await breaker.fire(attempt);
      } catch (err) {
        if (err instanceof CountedFailure) return err.outcome;
        // EOPENBREAKER (open, or half-open with its one trial already under way) and ESHUTDOWN.
        if (CircuitBreaker.isOurError(err as Error)) return { kind: 'unavailable' };
        // An attempt must not throw (http-target.ts maps every error); if one does, it is a bug, and
        // the event is kept for another try rather than lost.
        return { kind: 'retriable', failure: { errorClass: 'Unexpected', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    availability: () => (breaker.opened ? 'unavailable' : breaker.halfOpen ? 'probing' : 'available'),
    onAvailability(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown() {
      listeners.clear();
      breaker.shutdown();
    },
  };
}

class CountedFailure extends Error {
  readonly outcome: DeliveryOutcome;
  constructor(outcome: DeliveryOutcome) {
    super(outcome.kind === 'retriable' ? outcome.failure.message : outcome.kind);
    this.outcome = outcome;
  }
}

async function attemptCounted(attempt: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  const outcome = await attempt();
  if (countsAgainstTarget(outcome)) throw new CountedFailure(outcome);
  return outcome;
}
