/**
 * One opossum breaker per upstream url, shared by every route that uses it. The breaker wraps the
 * upstream call; 4xx answers reach it as errors but its errorFilter counts them as successes (the
 * upstream is healthy, the request was wrong), so only 5xx, timeouts and connection errors open it.
 * opossum's own timeout is off: the upstream call aborts itself through undici's headers and body
 * timeouts (opossum's timer would only reject, not cancel, the request).
 */
import CircuitBreaker from 'opossum';
import type { BreakerState } from '../contracts.ts';
import type { UpstreamPools, UpstreamRequest, UpstreamResponse, UpstreamTarget } from '../proxy/upstream.ts';
import { ClientGoneError, UpstreamStatusError } from '../proxy/upstream.ts';

export interface BreakerOptions {
  /** Percent of failures in the rolling window that opens the breaker (opossum default 50). */
  readonly errorThresholdPercentage?: number;
  /** Time open before one trial request (half-open), ms. */
  readonly resetTimeoutMs?: number;
  /** Failures are judged only after this many requests in the window. */
  readonly volumeThreshold?: number;
  readonly rollingCountTimeoutMs?: number;
}

export interface UpstreamBreakers {
  /** Calls the upstream through its breaker; rejects with EOPENBREAKER (opossum) when open. */
  call(target: UpstreamTarget, req: UpstreamRequest): Promise<UpstreamResponse>;
  state(url: string): BreakerState;
  /** Called on every state change of any breaker. */
  onChange(listener: (url: string, state: BreakerState) => void): void;
  shutdown(): void;
}

export function isOpenBreakerError(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}

export function createUpstreamBreakers(pools: UpstreamPools, options: BreakerOptions = {}): UpstreamBreakers {
  const breakers = new Map<string, CircuitBreaker<[UpstreamTarget, UpstreamRequest], UpstreamResponse>>();
  const listeners: Array<(url: string, state: BreakerState) => void> = [];
  const notify = (url: string, state: BreakerState) => {
    for (const l of listeners) l(url, state);
  };

  const breakerFor = (url: string) => {
    let b = breakers.get(url);
    if (!b) {
      b = new CircuitBreaker((target: UpstreamTarget, req: UpstreamRequest) => pools.send(target, req), {
        timeout: false,
        errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
        resetTimeout: options.resetTimeoutMs ?? 10_000,
        volumeThreshold: options.volumeThreshold ?? 10,
        rollingCountTimeout: options.rollingCountTimeoutMs ?? 10_000,
        // 4xx: the upstream is healthy, the request was wrong. A client that went away says nothing about the upstream.
        errorFilter: (err: unknown) => (err instanceof UpstreamStatusError && err.response.status < 500) || err instanceof ClientGoneError,
        // Latency percentiles and snapshots are computed elsewhere (the control plane's stats, from
        // RouterEvents); opossum's would sort every latency of its window each second and on each failure.
        rollingPercentilesEnabled: false,
        enableSnapshots: false,
        name: url,
      });
      b.on('open', () => notify(url, 'open'));
      b.on('halfOpen', () => notify(url, 'half-open'));
      b.on('close', () => notify(url, 'closed'));
      breakers.set(url, b);
    }
    return b;
  };

  return {
    call(target, req) {
      return breakerFor(target.url).fire(target, req);
    },
    state(url) {
      const b = breakers.get(url);
      if (!b) return 'closed';
      return b.opened ? 'open' : b.halfOpen ? 'half-open' : 'closed';
    },
    onChange(listener) {
      listeners.push(listener);
    },
    shutdown() {
      for (const b of breakers.values()) b.shutdown();
      breakers.clear();
    },
  };
}
