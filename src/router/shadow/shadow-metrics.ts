/**
 * Shadow parity metrics in Prometheus form: comparisons per route and result, and the match ratio
 * per route (matched / compared), which the rollout gates and dashboards read.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ShadowMetrics {
  record(routeId: string, result: 'matched' | 'mismatched' | 'skipped'): void;
}

export function createShadowMetrics(registry: Registry): ShadowMetrics {
  const totals = new Map<string, { matched: number; mismatched: number }>();
  const comparisons = new Counter({
    name: 'banyan_router_shadow_comparisons_total',
    help: 'Shadow comparisons per route and result (skipped: a side failed or a body exceeded the cap)',
    labelNames: ['route', 'result'],
    registers: [registry],
  });
  new Gauge({
    name: 'banyan_router_shadow_match_ratio',
    help: 'Matched shadow comparisons / all compared, per route',
    labelNames: ['route'],
    registers: [registry],
    collect() {
      for (const [route, t] of totals) {
        const n = t.matched + t.mismatched;
        if (n > 0) this.set({ route }, t.matched / n);
      }
    },
  });
  return {
    record(routeId, result) {
      comparisons.inc({ route: routeId, result });
      if (result === 'skipped') return;
      const t = totals.get(routeId) ?? { matched: 0, mismatched: 0 };
      t[result]++;
      totals.set(routeId, t);
    },
  };
}
