/**
 * The new service starts failing: idempotent requests that fail on new are retried once on legacy
 * (clients see no errors), the new side's breaker opens and its traffic goes straight to legacy,
 * 4xx answers never count as failures, a hanging upstream is aborted at the route timeout, and the
 * breaker closes again once new recovers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { BreakerState, RequestOutcome } from '../../../src/router/contracts.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type Handler, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;
const breakerEvents: Array<{ side: string; state: BreakerState }> = [];
const outcomes: RequestOutcome[] = [];

const failing: Handler = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json' });
  res.end('{"error":"down"}');
};

function waitForBreaker(state: BreakerState): Promise<void> {
  if (breakerEvents.some((e) => e.side === 'new' && e.state === state)) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (e: { side: string; state: BreakerState }) => {
      if (e.side === 'new' && e.state === state) {
        r.router.control.off('breaker', listener);
        resolve();
      }
    };
    r.router.control.on('breaker', listener);
  });
}

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(jsonHandler('new'));
  dir = routesDir({
    'routes.yaml': `
routes:
  - id: payments
    match: { path: /payments/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url}, timeout_ms: 300 }
    mode: canary
    weight: 100
    cohort: { key: { from: path, name: id } }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false, breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 400 } });
  r.router.control.on('breaker', (e) => breakerEvents.push({ side: e.side, state: e.state }));
  r.router.control.on('request', (o) => outcomes.push(o));
});

after(async () => {
  await r.close();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

test('4xx answers from new reach the client and do not count as breaker failures', async () => {
  fresh.setHandler((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"no such payment"}');
  });
  for (let i = 0; i < 20; i++) {
    const res = await r.get(`/payments/${i}`);
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-banyan-upstream'], 'new');
  }
  assert.equal(r.router.control.listRoutes()[0].breakers.new, 'closed');
  assert.deepEqual(breakerEvents, []);
});

test('when new starts failing, clients see no errors and the breaker opens; then new gets no traffic', async () => {
  fresh.setHandler(failing);
  outcomes.length = 0;
  // 4xx successes from the previous test are still in opossum's rolling window, so keep going until it opens.
  let sent = 0;
  while (r.router.control.listRoutes()[0].breakers.new !== 'open') {
    assert.ok(sent < 200, 'the breaker opened within 200 failing requests');
    const res = await r.get(`/payments/${sent++}`);
    assert.equal(res.status, 200, 'the failed request was retried on legacy');
    assert.equal(res.json.side, 'legacy');
    assert.equal(res.headers['x-banyan-upstream'], 'legacy');
  }
  assert.ok(breakerEvents.some((e) => e.side === 'new' && e.state === 'open'), 'a breaker event reported the opening');
  assert.ok(outcomes.every((o) => o.chosen === 'new' && o.servedBy === 'legacy' && o.fellBack && o.chosenFailed));
  assert.equal(r.router.control.listRoutes()[0].breakers.new, 'open');

  const seenByNew = fresh.received.length;
  const post = await r.client.request({ method: 'POST', path: '/payments/99', body: '{"amount":1}', headers: { 'content-type': 'application/json' } });
  assert.equal(post.statusCode, 200, 'with the breaker open even a non-idempotent request goes to legacy (it was never sent to new)');
  assert.equal(((await post.body.json()) as { side: string }).side, 'legacy');
  assert.equal(fresh.received.length, seenByNew, 'new received nothing while its breaker is open');
});

test('new recovers: the half-open trial succeeds, the breaker closes and traffic returns to new', async () => {
  fresh.setHandler(jsonHandler('new'));
  const closed = waitForBreaker('closed');
  // Requests keep going to legacy until the reset timeout lets one trial through.
  for (;;) {
    const res = await r.get('/payments/1');
    assert.equal(res.status, 200);
    if (res.headers['x-banyan-upstream'] === 'new') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await closed;
  const res = await r.get('/payments/2');
  assert.equal(res.headers['x-banyan-upstream'], 'new');
  assert.deepEqual(
    breakerEvents.filter((e) => e.side === 'new').map((e) => e.state),
    ['open', 'half-open', 'closed'],
  );
});

test('a hanging new upstream is aborted at the route timeout and the request is served by legacy', async () => {
  let upstreamClosed: Promise<unknown> | undefined;
  fresh.setHandler((req) => {
    upstreamClosed = once(req.socket, 'close');
  });
  const res = await r.get('/payments/5');
  assert.equal(res.status, 200);
  assert.equal(res.json.side, 'legacy');
  assert.ok(upstreamClosed, 'new received the request');
  await upstreamClosed;
  fresh.setHandler(jsonHandler('new'));
});
