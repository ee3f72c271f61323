/**
 * "Ready to decommission": per route, has the legacy endpoint served nobody for N days while the
 * new one answered in parity? Tracks, from RouterEvents, when legacy last served a client of the
 * route and the shadow comparisons per day, and keeps both in the persisted route state so a
 * restart does not reset the N-day clock. Flushed every `flushMs` (not per request).
 */
import type { RequestOutcome, RouteControlPort, RouteView, ShadowOutcome } from '../contracts.ts';
import type { DecommissionProgress } from '../state/route-state.ts';
import type { RouteStateBook } from '../state/state-book.ts';

export interface DecommissionCriteria {
  /** Days in a row legacy must have served no client of the route. */
  readonly legacyZeroDays: number;
  /** Shadow match rate the route must hold, overall and on every day with comparisons in the window. */
  readonly minMatchRate: number;
  /** Comparisons needed before parity counts as shown. */
  readonly minComparisons: number;
}

export interface DecommissionReport {
  readonly routeId: string;
  readonly ready: boolean;
  /** Why not, in words an operator can act on; empty when ready. */
  readonly blockers: readonly string[];
  readonly mode: string;
  readonly weight: number;
  /** Since when legacy has served nobody (ms since epoch). */
  readonly legacyZeroSince: number;
  readonly daysAtZero: number;
  readonly requiredDays: number;
  readonly parity: {
    readonly compared: number;
    readonly matched: number;
    readonly matchRate?: number;
    readonly worstDayMatchRate?: number;
    readonly required: number;
    readonly minComparisons: number;
  };
}

export interface DecommissionTracker {
  start(): void;
  /** Flushes pending counters and stops listening. */
  stop(): Promise<void>;
  flush(): Promise<void>;
  report(routeId: string): DecommissionReport;
  reportAll(): DecommissionReport[];
}

export interface DecommissionTrackerOptions {
  readonly port: RouteControlPort;
  readonly book: RouteStateBook;
  readonly criteria: DecommissionCriteria;
  readonly now?: () => number;
  /** Default 10 s; 0 disables the timer (tests call flush()). */
  readonly flushMs?: number;
}

const DAY_MS = 86_400_000;

interface DayParity {
  readonly day: number;
  compared: number;
  matched: number;
}

interface Tracked {
  trackingSince: number;
  legacyLastServedAt?: number;
  days: DayParity[];
  dirty: boolean;
}

export function createDecommissionTracker(options: DecommissionTrackerOptions): DecommissionTracker {
  const { port, book, criteria } = options;
  const now = options.now ?? Date.now;
  const keepDays = Math.max(30, Math.ceil(criteria.legacyZeroDays) + 1);
  const tracked = new Map<string, Tracked>();
  let timer: NodeJS.Timeout | undefined;

  const get = (routeId: string): Tracked => {
    let t = tracked.get(routeId);
    if (!t) {
      const saved = book.get(routeId)?.decommission;
      t = saved
        ? { trackingSince: saved.trackingSince, legacyLastServedAt: saved.legacyLastServedAt, days: (saved.days ?? []).map((d) => ({ ...d })), dirty: false }
        : { trackingSince: now(), days: [], dirty: true };
      tracked.set(routeId, t);
    }
    return t;
  };

  const onRequest = (o: RequestOutcome): void => {
    if (o.servedBy !== 'legacy') return;
    const t = get(o.routeId);
    t.legacyLastServedAt = Math.max(t.legacyLastServedAt ?? 0, o.at);
    t.dirty = true;
  };
  const onShadow = (o: ShadowOutcome): void => {
    const t = get(o.routeId);
    const day = Math.floor(o.at / DAY_MS);
    let d = t.days.at(-1);
    if (!d || d.day !== day) {
      d = { day, compared: 0, matched: 0 };
      t.days.push(d);
      if (t.days.length > keepDays) t.days.splice(0, t.days.length - keepDays);
    }
    d.compared++;
    if (o.matched) d.matched++;
    t.dirty = true;
  };

  const tracker: DecommissionTracker = {
    start() {
      for (const view of port.listRoutes()) get(view.id);
      port.on('request', onRequest);
      port.on('shadow', onShadow);
      const flushMs = options.flushMs ?? 10_000;
      if (flushMs > 0) {
        timer = setInterval(() => void tracker.flush(), flushMs);
        timer.unref();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      port.off('request', onRequest);
      port.off('shadow', onShadow);
      await tracker.flush();
    },
    async flush() {
      const writes: Promise<void>[] = [];
      for (const [routeId, t] of tracked) {
        if (!t.dirty) continue;
        t.dirty = false;
        const decommission: DecommissionProgress = {
          trackingSince: t.trackingSince,
          legacyLastServedAt: t.legacyLastServedAt,
          days: t.days.map((d) => ({ ...d })),
        };
        writes.push(book.update(routeId, { decommission }));
      }
      await Promise.all(writes);
    },
    report(routeId) {
      return reportOf(routeId, port.listRoutes().find((r) => r.id === routeId));
    },
    reportAll() {
      return port.listRoutes().map((v) => reportOf(v.id, v));
    },
  };

  function reportOf(routeId: string, view: RouteView | undefined): DecommissionReport {
    const t = get(routeId);
    const at = now();
    const legacyZeroSince = t.legacyLastServedAt ?? t.trackingSince;
    const daysAtZero = (at - legacyZeroSince) / DAY_MS;
    const compared = t.days.reduce((s, d) => s + d.compared, 0);
    const matched = t.days.reduce((s, d) => s + d.matched, 0);
    const matchRate = compared > 0 ? matched / compared : undefined;
    const windowStart = Math.floor(at / DAY_MS) - Math.ceil(criteria.legacyZeroDays);
    const dayRates = t.days.filter((d) => d.day >= windowStart && d.compared > 0).map((d) => d.matched / d.compared);
    const worstDayMatchRate = dayRates.length > 0 ? Math.min(...dayRates) : undefined;

    const blockers: string[] = [];
    if (!view) blockers.push('route is not in the running configuration');
    else {
      const allNew = view.mode === 'new' || (view.mode === 'canary' && view.weight >= 100);
      if (!allNew) blockers.push(`route still sends traffic to legacy (mode ${view.mode}, weight ${view.weight})`);
      if (view.killSwitch) blockers.push('kill switch is on');
    }
    if (daysAtZero < criteria.legacyZeroDays) {
      blockers.push(`legacy served a client ${daysAtZero.toFixed(1)} days ago; needs ${criteria.legacyZeroDays}`);
    }
    if (compared < criteria.minComparisons) blockers.push(`${compared} shadow comparisons; needs ${criteria.minComparisons}`);
    if (matchRate !== undefined && matchRate < criteria.minMatchRate) {
      blockers.push(`shadow match rate ${(matchRate * 100).toFixed(3)}% below ${(criteria.minMatchRate * 100).toFixed(3)}%`);
    }
    if (worstDayMatchRate !== undefined && worstDayMatchRate < criteria.minMatchRate) {
      blockers.push(`a day in the last ${criteria.legacyZeroDays} had match rate ${(worstDayMatchRate * 100).toFixed(3)}%`);
    }
    return {
      routeId,
      ready: blockers.length === 0,
      blockers,
      mode: view?.mode ?? 'unknown',
      weight: view?.weight ?? 0,
      legacyZeroSince,
      daysAtZero,
      requiredDays: criteria.legacyZeroDays,
      parity: { compared, matched, matchRate, worstDayMatchRate, required: criteria.minMatchRate, minComparisons: criteria.minComparisons },
    };
  }
  return tracker;
}
