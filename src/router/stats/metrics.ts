/**
 * Prometheus metrics of the router's control plane, made from RouterEvents in one place (STYLE:
 * "metrics come from events in one place"). Registered on the registry passed in: in a gateway the
 * gateway's, which its /metrics and the admin /metrics both serve, next to the data plane's shadow
 * metrics (shadow/shadow-metrics.ts, the one owner of banyan_router_shadow_comparisons_total); never
 * on prom-client's global one, so several routers in one process (tests) do not collide.
 *
 * Per-request accounting is plain number increments in a series object per route and side; the
 * prom-client metrics are filled from those only when scraped. prom-client's `observe`/`inc`, even
 * on a child handle, build and hash the label set on every call (~1.4 µs and several small objects
 * per request in the bench), which is the control plane's per-request cost and GC pressure.
 */
import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client';
import type { BreakerState, RequestOutcome, Side } from '../contracts.ts';

export interface RouterMetrics {
  request(outcome: RequestOutcome): void;
  breaker(routeId: string, side: Side, state: BreakerState): void;
  weight(routeId: string, weight: number): void;
}

/** opossum's three states as a gauge value: 0 closed, 1 half-open, 2 open. */
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Upper bounds (seconds) of the upstream latency histogram, as before the scrape-time rewrite. */
const LATENCY_BOUNDS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Everything counted for one route and side since start (monotonic, as Prometheus counters are). */
class SideSeries {
  ok = 0;
  error = 0;
  fallback = 0;
  /** Observations per latency bucket (not cumulative); the last slot is +Inf. */
  readonly buckets = new Float64Array(LATENCY_BOUNDS.length + 1);
  sum = 0;
  count = 0;
  readonly route: string;
  readonly side: Side;

  constructor(
    route: string,
    side: Side,
  ) {
    this.route = route;
    this.side = side;
  }
}

interface RouteSeries {
  readonly legacy: SideSeries;
  readonly new: SideSeries;
}

export function createRouterMetrics(registry: Registry): RouterMetrics {
  const registers = [registry];
  const series = new Map<string, RouteSeries>();
  new Counter({
    name: 'banyan_router_requests_total',
    help: 'Client requests per route, side that served them and outcome (ok, error, fallback).',
    labelNames: ['route', 'side', 'outcome'] as const,
    registers,
    // Filled from the per-side series on scrape. A series appears only once it has counted something.
    collect() {
      this.reset();
      for (const r of series.values()) {
        for (const s of [r.legacy, r.new]) {
          if (s.ok > 0) this.inc({ route: s.route, side: s.side, outcome: 'ok' }, s.ok);
          if (s.error > 0) this.inc({ route: s.route, side: s.side, outcome: 'error' }, s.error);
          if (s.fallback > 0) this.inc({ route: s.route, side: s.side, outcome: 'fallback' }, s.fallback);
        }
      }
    },
  });
  new ScrapedHistogram(
    {
      name: 'banyan_router_upstream_latency_seconds',
      help: 'Upstream latency of the side that served the client.',
      labelNames: ['route', 'side'] as const,
      buckets: [...LATENCY_BOUNDS],
      registers,
    },
    series,
  );
  const breaker = new Gauge({
    name: 'banyan_router_breaker_state',
    help: 'Breaker state per route and side: 0 closed, 1 half-open, 2 open.',
    labelNames: ['route', 'side'] as const,
    registers,
  });
  const weight = new Gauge({
    name: 'banyan_router_route_weight_percent',
    help: 'Percentage of the route cohort sent to the new upstream.',
    labelNames: ['route'] as const,
    registers,
  });
  return {
    request(o) {
      let r = series.get(o.routeId);
      if (r === undefined) {
        r = { legacy: new SideSeries(o.routeId, 'legacy'), new: new SideSeries(o.routeId, 'new') };
        series.set(o.routeId, r);
      }
      const s = o.servedBy === 'new' ? r.new : r.legacy;
      if (o.fellBack) s.fallback++;
      else if (o.status >= 500) s.error++;
      else s.ok++;
      const seconds = o.latencyMs / 1000;
      // prom-client's Histogram counts a value equal to a bound in that bound's bucket (le).
      let b = 0;
      while (b < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[b]!) b++;
      s.buckets[b]!++;
      s.sum += seconds;
      s.count++;
    },
    breaker(routeId, side, state) {
      breaker.set({ route: routeId, side }, BREAKER_VALUE[state]);
    },
    weight(routeId, w) {
      weight.set({ route: routeId }, w);
    },
  };
}

type LatencyLabel = 'route' | 'side';
type LatencyValue = MetricValueWithName<LatencyLabel | 'le'>;

/**
 * A prom-client Histogram whose values come from the SideSeries at scrape time. prom-client has no
 * public way to load bucket counts into a Histogram, so `get` (and `getForPromString`, which the
 * Registry prefers when present) build the same value list Histogram itself exports: cumulative
 * `_bucket` lines per `le` ending with +Inf, then `_sum` and `_count` per label set.
 */
class ScrapedHistogram extends Histogram<LatencyLabel> {
  private readonly config: ConstructorParameters<typeof Histogram<LatencyLabel>>[0];
  private readonly series: ReadonlyMap<string, RouteSeries>;

  constructor(
    config: ConstructorParameters<typeof Histogram<LatencyLabel>>[0],
    series: ReadonlyMap<string, RouteSeries>,
  ) {
    super(config);
    this.config = config;
    this.series = series;
  }

  override async get(): Promise<MetricObjectWithValues<LatencyValue>> {
    const { name, help } = this.config;
    const values: LatencyValue[] = [];
    for (const r of this.series.values()) {
      for (const s of [r.legacy, r.new]) {
        if (s.count === 0) continue;
        let acc = 0;
        for (let i = 0; i < LATENCY_BOUNDS.length; i++) {
          acc += s.buckets[i]!;
          values.push({ labels: { le: LATENCY_BOUNDS[i]!, route: s.route, side: s.side }, value: acc, metricName: `${name}_bucket` });
        }
        values.push({ labels: { le: '+Inf', route: s.route, side: s.side }, value: s.count, metricName: `${name}_bucket` });
        values.push({ labels: { route: s.route, side: s.side }, value: s.sum, metricName: `${name}_sum` });
        values.push({ labels: { route: s.route, side: s.side }, value: s.count, metricName: `${name}_count` });
      }
    }
    // The typings declare `type` as a numeric enum that prom-client never exports; at run time it is the text.
    const type = 'histogram' as unknown as MetricObjectWithValues<LatencyValue>['type'];
    return { name, help, type, values, aggregator: 'sum', collect() {} };
  }

  getForPromString(): Promise<MetricObjectWithValues<LatencyValue>> {
    return this.get();
  }
}
