import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { LatencyHistogram } from '../../../../src/router/stats/latency-histogram.ts';
import { createRouterStats } from '../../../../src/router/stats/router-stats.ts';
import { createRouterMetrics } from '../../../../src/router/stats/metrics.ts';
import { createShadowMetrics } from '../../../../src/router/shadow/shadow-metrics.ts';
import type { RequestOutcome } from '../../../../src/router/contracts.ts';
import { FakePort, routeView } from '../rollout/fake-port.ts';

const outcome = (o: Partial<RequestOutcome>): RequestOutcome => ({
  routeId: 'r',
  servedBy: 'legacy',
  chosen: 'legacy',
  status: 200,
  latencyMs: 1,
  chosenFailed: false,
  fellBack: false,
  at: 0,
  ...o,
});

test('latency histogram quantiles are within 4% of the exact nearest-rank value', () => {
  const h = new LatencyHistogram();
  const values = Array.from({ length: 1000 }, (_, i) => 0.1 + i * 0.05);
  for (const v of values) h.record(v);
  const exact = (q: number) => values[Math.ceil(q * values.length) - 1]!;
  for (const q of [0.5, 0.9, 0.99]) {
    const got = h.quantile(q)!;
    assert.ok(Math.abs(got - exact(q)) / exact(q) <= 0.04, `q=${q}: ${got} vs ${exact(q)}`);
  }
  assert.equal(h.quantile(1), 0.1 + 999 * 0.05);
});

test('an empty histogram has no quantile', () => {
  assert.equal(new LatencyHistogram().quantile(0.99), undefined);
});

test('stats count error rate by the chosen side and latency by the serving side, so a fallback is an error of new', () => {
  let now = 10_000;
  const stats = createRouterStats({ now: () => now });
  for (let i = 0; i < 8; i++) stats.recordRequest(outcome({ chosen: 'new', servedBy: 'new', latencyMs: 2 }));
  for (let i = 0; i < 2; i++) stats.recordRequest(outcome({ chosen: 'new', servedBy: 'legacy', chosenFailed: true, fellBack: true, latencyMs: 1 }));
  for (let i = 0; i < 10; i++) stats.recordRequest(outcome({ latencyMs: 1 }));
  const s = stats.route('r', 10_000);
  assert.equal(s.new.chosen, 10);
  assert.equal(s.new.failed, 2);
  assert.equal(s.new.errorRate, 0.2);
  assert.equal(s.new.fellBack, 2);
  assert.equal(s.new.served, 8);
  assert.equal(s.legacy.served, 12);
  assert.equal(s.legacy.errorRate, 0);
  assert.equal(s.legacy.clientErrors, 0);
  assert.equal(s.legacy.ratePerSec, 1.2);
  assert.ok(Math.abs(s.new.p99Ms! - 2) / 2 <= 0.04);
});

test('old slots leave the rolling window as the clock moves on', () => {
  let now = 0;
  const stats = createRouterStats({ now: () => now, slotMs: 1000, slots: 10 });
  stats.recordRequest(outcome({}));
  now = 5_000;
  stats.recordRequest(outcome({}));
  assert.equal(stats.route('r', 10_000).legacy.served, 2);
  assert.equal(stats.route('r', 3_000).legacy.served, 1);
  now = 12_000;
  assert.equal(stats.route('r').legacy.served, 1);
  now = 30_000;
  assert.equal(stats.route('r').legacy.served, 0);
});

test('shadow match rate and breaker state come from the port events; detach stops listening', () => {
  const port = new FakePort([routeView('r', { breakers: { legacy: 'closed', new: 'half-open' } })]);
  const stats = createRouterStats({ now: () => 0 });
  stats.attach(port);
  assert.equal(stats.route('r').breakers.new, 'half-open');
  port.emit('shadow', { routeId: 'r', matched: true, differingFields: [], at: 0 });
  port.emit('shadow', { routeId: 'r', matched: false, differingFields: ['body.x'], at: 0 });
  port.emit('breaker', { routeId: 'r', side: 'new', state: 'open', at: 0 });
  const s = stats.route('r');
  assert.equal(s.shadow.matchRate, 0.5);
  assert.equal(s.breakers.new, 'open');
  stats.detach();
  assert.equal(port.listenerCount('request'), 0);
});

test('prometheus metrics count requests, shadow results and breaker states per route, control and data plane on one registry', async () => {
  // As in a gateway: the control plane's metrics and the data plane's shadow metrics share the
  // gateway's registry, and banyan_router_shadow_comparisons_total has one owner (the data plane).
  const registry = new Registry();
  const stats = createRouterStats({ now: () => 0, metrics: createRouterMetrics(registry) });
  const shadow = createShadowMetrics(registry);
  stats.recordRequest(outcome({ chosen: 'new', servedBy: 'legacy', fellBack: true, chosenFailed: true }));
  stats.recordShadow({ routeId: 'r', matched: false, differingFields: [], at: 0 });
  shadow.record('r', 'mismatched');
  stats.recordBreaker('r', 'new', 'open');
  const text = await registry.metrics();
  assert.match(text, /banyan_router_requests_total\{route="r",side="legacy",outcome="fallback"\} 1/);
  assert.match(text, /banyan_router_shadow_comparisons_total\{route="r",result="mismatched"\} 1\n/);
  assert.match(text, /banyan_router_breaker_state\{route="r",side="new"\} 2/);
  assert.equal(text.match(/^# TYPE banyan_router_shadow_comparisons_total /gm)?.length, 1, 'one metric of that name in the scrape');
});

test('the latency histogram and request counters read at scrape time show every request counted since start', async () => {
  const registry = new Registry();
  const metrics = createRouterMetrics(registry);
  // 1 ms sits on a bound and counts in le="0.001" (Prometheus `le` is "less or equal"); 20 s is past every bound.
  for (const latencyMs of [0.2, 1, 3, 20_000]) metrics.request(outcome({ servedBy: 'new', chosen: 'new', latencyMs }));
  metrics.request(outcome({ servedBy: 'new', chosen: 'new', status: 502, latencyMs: 0.2 }));
  const first = await registry.metrics();
  assert.match(first, /banyan_router_upstream_latency_seconds_bucket\{le="0.0005",route="r",side="new"\} 2\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_bucket\{le="0.001",route="r",side="new"\} 3\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_bucket\{le="0.005",route="r",side="new"\} 4\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_bucket\{le="10",route="r",side="new"\} 4\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_bucket\{le="\+Inf",route="r",side="new"\} 5\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_count\{route="r",side="new"\} 5\n/);
  assert.match(first, /banyan_router_upstream_latency_seconds_sum\{route="r",side="new"\} 20.0044\d*\n/);
  assert.match(first, /banyan_router_requests_total\{route="r",side="new",outcome="ok"\} 4\n/);
  assert.match(first, /banyan_router_requests_total\{route="r",side="new",outcome="error"\} 1\n/);
  // Sides and outcomes that never counted anything have no series.
  assert.doesNotMatch(first, /side="legacy"/);
  assert.doesNotMatch(first, /outcome="fallback"/);
  // A second scrape keeps counting from the totals (no reset between scrapes, no double count).
  metrics.request(outcome({ servedBy: 'new', chosen: 'new', latencyMs: 0.2 }));
  const second = await registry.metrics();
  assert.match(second, /banyan_router_requests_total\{route="r",side="new",outcome="ok"\} 5\n/);
  assert.match(second, /banyan_router_upstream_latency_seconds_count\{route="r",side="new"\} 6\n/);
  const json = await registry.getMetricsAsJSON();
  const histogram = json.find((m) => m.name === 'banyan_router_upstream_latency_seconds');
  assert.equal(String(histogram?.type), 'histogram');
  assert.equal(histogram?.values.length, LATENCY_SERIES_LINES);
});

/** 14 bounds + the +Inf bucket, then _sum and _count, for the one label set counted. */
const LATENCY_SERIES_LINES = 14 + 1 + 2;
