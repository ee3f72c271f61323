/**
 * Live statistics per route and side, from the data plane's RouterEvents: request rate, error
 * rate, p50/p99 latency, breaker state and shadow match rate over a rolling window (a ring of
 * fixed time slots, like opossum's rollingCountBuckets: old slots are overwritten, never scanned).
 * The admin API and the console read `route()`; Prometheus gets the same events via RouterMetrics.
 */
import type { BreakerState, RequestOutcome, RouteControlPort, RouterEvents, ShadowOutcome, Side } from '../contracts.ts';
import type { RouterMetrics } from './metrics.ts';
import { ShadowTally, SideTally, type SideSummary } from './side-tally.ts';

export interface SideStats extends SideSummary {
  /** Requests served by this side per second over the window. */
  readonly ratePerSec: number;
}

export interface RouteStats {
  readonly routeId: string;
  readonly windowMs: number;
  readonly legacy: SideStats;
  readonly new: SideStats;
  readonly shadow: { readonly compared: number; readonly matched: number; readonly matchRate?: number };
  readonly breakers: Readonly<Record<Side, BreakerState>>;
  /** When legacy last served a client request of this route (ms since epoch), if ever seen. */
  readonly legacyLastServedAt?: number;
}

export interface RouterStatsOptions {
  /** Injectable clock (ms since epoch) so tests drive time without sleeping. */
  readonly now?: () => number;
  readonly slotMs?: number;
  /** Slots kept; the longest window answerable is slotMs x slots. */
  readonly slots?: number;
  readonly metrics?: RouterMetrics;
}

export interface RouterStats {
  /** Starts listening to the port's events (once). */
  attach(port: RouteControlPort): void;
  detach(): void;
  recordRequest(outcome: RequestOutcome): void;
  recordShadow(outcome: ShadowOutcome): void;
  recordBreaker(routeId: string, side: Side, state: BreakerState): void;
  /** Stats over the last `windowMs` (default: the whole ring). */
  route(routeId: string, windowMs?: number): RouteStats;
}

export function createRouterStats(options: RouterStatsOptions = {}): RouterStats {
  const now = options.now ?? Date.now;
  const slotMs = options.slotMs ?? 1_000;
  const slotCount = options.slots ?? 60;
  const routes = new Map<string, RouteRing>();
  let attached: { port: RouteControlPort; listeners: Pick<RouterEvents, 'request' | 'shadow' | 'breaker'> } | undefined;

  const ring = (routeId: string): RouteRing => {
    let r = routes.get(routeId);
    if (!r) {
      r = new RouteRing(slotCount);
      routes.set(routeId, r);
    }
    return r;
  };

  const stats: RouterStats = {
    attach(port) {
      if (attached) return;
      const listeners = {
        request: (o: RequestOutcome) => stats.recordRequest(o),
        shadow: (o: ShadowOutcome) => stats.recordShadow(o),
        breaker: (e: { routeId: string; side: Side; state: BreakerState }) => stats.recordBreaker(e.routeId, e.side, e.state),
      };
      port.on('request', listeners.request);
      port.on('shadow', listeners.shadow);
      port.on('breaker', listeners.breaker);
      // Seed breaker states from the live view: events only report changes.
      for (const view of port.listRoutes()) {
        for (const side of ['legacy', 'new'] as const) stats.recordBreaker(view.id, side, view.breakers[side]);
      }
      attached = { port, listeners };
    },
    detach() {
      if (!attached) return;
      attached.port.off('request', attached.listeners.request);
      attached.port.off('shadow', attached.listeners.shadow);
      attached.port.off('breaker', attached.listeners.breaker);
      attached = undefined;
    },
    recordRequest(outcome) {
      const r = ring(outcome.routeId);
      const slot = r.slotAt(Math.floor(now() / slotMs));
      slot.legacy.add('legacy', outcome);
      slot.new.add('new', outcome);
      if (outcome.servedBy === 'legacy') r.legacyLastServedAt = outcome.at;
      options.metrics?.request(outcome);
    },
    recordShadow(outcome) {
      // No metric here: the data plane's shadow metrics (shadow/shadow-metrics.ts) count comparisons.
      ring(outcome.routeId).slotAt(Math.floor(now() / slotMs)).shadow.add(outcome.matched);
    },
    recordBreaker(routeId, side, state) {
      ring(routeId).breakers[side] = state;
      options.metrics?.breaker(routeId, side, state);
    },
    route(routeId, windowMs = slotMs * slotCount) {
      const r = routes.get(routeId) ?? new RouteRing(slotCount);
      const newest = Math.floor(now() / slotMs);
      const span = Math.max(1, Math.min(slotCount, Math.ceil(windowMs / slotMs)));
      const legacy = new SideTally();
      const next = new SideTally();
      const shadow = new ShadowTally();
      for (const slot of r.slotsSince(newest - span + 1)) {
        legacy.merge(slot.legacy);
        next.merge(slot.new);
        shadow.merge(slot.shadow);
      }
      const seconds = (span * slotMs) / 1000;
      return {
        routeId,
        windowMs: span * slotMs,
        legacy: { ...legacy.summary(), ratePerSec: legacy.served / seconds },
        new: { ...next.summary(), ratePerSec: next.served / seconds },
        shadow: { compared: shadow.compared, matched: shadow.matched, matchRate: shadow.matchRate },
        breakers: { ...r.breakers },
        legacyLastServedAt: r.legacyLastServedAt,
      };
    },
  };
  return stats;
}

interface Slot {
  index: number;
  legacy: SideTally;
  new: SideTally;
  shadow: ShadowTally;
}

class RouteRing {
  private readonly slots: Array<Slot | undefined>;
  breakers: Record<Side, BreakerState> = { legacy: 'closed', new: 'closed' };
  legacyLastServedAt: number | undefined;

  private readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.slots = new Array<Slot | undefined>(size);
  }

  /** The slot for absolute slot number `index`, recycled when it last held an older one. */
  slotAt(index: number): Slot {
    const at = index % this.size;
    const slot = this.slots[at];
    if (slot && slot.index === index) return slot;
    const fresh: Slot = { index, legacy: new SideTally(), new: new SideTally(), shadow: new ShadowTally() };
    this.slots[at] = fresh;
    return fresh;
  }

  *slotsSince(firstIndex: number): Iterable<Slot> {
    for (const slot of this.slots) if (slot && slot.index >= firstIndex) yield slot;
  }
}
