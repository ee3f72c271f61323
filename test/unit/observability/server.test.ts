import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { buildObservabilityApp, startObservabilityServer } from '../../../src/observability/server.ts';
import { Reports } from '../../../src/observability/reports.ts';
import { createGatewayMetrics } from '../../../src/observability/metrics.ts';
import { Readiness } from '../../../src/observability/readiness.ts';

const logger = pino({ level: 'silent' });

test('/metrics serves the Prometheus text format with default process metrics and banyan_info', async () => {
  const app = buildObservabilityApp({ metrics: createGatewayMetrics({ version: '9.9.9' }), readiness: new Readiness(), logger });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
  assert.match(res.body, /^# TYPE process_cpu_user_seconds_total counter$/m);
  assert.match(res.body, /^nodejs_eventloop_lag_seconds \d/m);
  assert.match(res.body, /^banyan_info\{version="9\.9\.9"\} 1$/m);
  await app.close();
});

test('/health/live answers 200 even when a dependency is down', async () => {
  const readiness = new Readiness();
  readiness.register('kafka', async () => {
    throw new Error('Connection refused');
  });
  const app = buildObservabilityApp({ metrics: createGatewayMetrics(), readiness, logger });
  const res = await app.inject({ method: 'GET', url: '/health/live' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'live' });
  await app.close();
});

test('/health/ready is 503 with reasons while a check fails, 200 once it passes, and banyan_ready follows', async () => {
  let kafkaUp = false;
  const readiness = new Readiness();
  readiness.register('kafka', async () => {
    if (!kafkaUp) throw new Error('Connection refused');
  });
  const metrics = createGatewayMetrics();
  const app = buildObservabilityApp({ metrics, readiness, logger });

  const down = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(down.statusCode, 503);
  assert.deepEqual(down.json(), { status: 'not-ready', checks: [{ name: 'kafka', ok: false, reason: 'Connection refused' }] });
  assert.match(await metrics.registry.metrics(), /^banyan_ready 0$/m);

  kafkaUp = true;
  const up = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(up.statusCode, 200);
  assert.deepEqual(up.json(), { status: 'ready', checks: [{ name: 'kafka', ok: true }] });
  assert.match(await metrics.registry.metrics(), /^banyan_ready 1$/m);
  await app.close();
});

test('a page a component registers after start (GET /bridges) is served as JSON, computed per request; unknown paths are 404', async () => {
  const reports = new Reports();
  const app = buildObservabilityApp({ metrics: createGatewayMetrics(), readiness: new Readiness(), reports, logger });
  assert.equal((await app.inject({ url: '/bridges' })).statusCode, 404);
  let calls = 0;
  const remove = reports.register('/bridges', () => ({ calls: ++calls }));
  assert.deepEqual((await app.inject({ url: '/bridges' })).json(), { calls: 1 });
  assert.deepEqual((await app.inject({ url: '/bridges?x=1' })).json(), { calls: 2 });
  assert.throws(() => reports.register('/bridges', () => ({})), /already registered/);
  assert.equal((await app.inject({ url: '/bridges', method: 'POST' })).statusCode, 404);
  remove();
  assert.equal((await app.inject({ url: '/bridges' })).statusCode, 404);
  await app.close();
});

test('the server listens on loopback, reports its real port, and a taken port is a coded error', async () => {
  const opts = { host: '127.0.0.1', port: 0, metrics: createGatewayMetrics(), readiness: new Readiness(), logger };
  const server = await startObservabilityServer(opts);
  assert.match(server.address, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${server.address}/health/live`);
  assert.equal(res.status, 200);
  await assert.rejects(startObservabilityServer({ ...opts, port: server.port, metrics: createGatewayMetrics() }), {
    code: 'BANYAN_ERR_OBSERVABILITY_LISTEN_FAILED',
  });
  await server.close();
});
