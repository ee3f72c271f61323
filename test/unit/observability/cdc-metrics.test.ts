import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Registry } from 'prom-client';
import { createCdcMetrics } from '../../../src/observability/cdc-metrics.ts';

it('counts CDC queries and rows per query by statement, and polls with the interval they backed off to', async () => {
  const registry = new Registry();
  const events = createCdcMetrics(registry).forBridge('gw-cdc');
  events.queried!({ statement: 'register', rows: 4, ms: 2 });
  events.queried!({ statement: 'register', rows: 4, ms: 3 });
  events.queried!({ statement: 'window', rows: 1000, ms: 40 });
  events.polled!({ found: false, maxLsn: null, nextPollMs: 400 });
  const text = await registry.metrics();
  assert.match(text, /banyan_cdc_queries_total\{bridge="gw-cdc",statement="register"\} 2/);
  assert.match(text, /banyan_cdc_queries_total\{bridge="gw-cdc",statement="window"\} 1/);
  assert.match(text, /banyan_cdc_rows_per_query_sum\{bridge="gw-cdc",statement="register"\} 8/);
  assert.match(text, /banyan_cdc_rows_per_query_bucket\{le="1000",bridge="gw-cdc",statement="window"\} 1/);
  assert.match(text, /banyan_cdc_polls_total\{bridge="gw-cdc",found="false"\} 1/);
  assert.match(text, /banyan_cdc_poll_interval_seconds\{bridge="gw-cdc"\} 0\.4/);
});
