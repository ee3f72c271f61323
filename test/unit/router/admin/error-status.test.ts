/**
 * The admin API's error answers, byte for byte: the status comes from the error code's spec
 * (src/router/rollout/control-errors.ts, src/router/errors.ts), 500 for a coded error without one
 * or an uncoded error, fastify's statusCode for fastify's own errors; the body is `{ code, message }`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminServer, type AdminServer } from '../../../../src/router/admin/server.ts';
import { createAuditTrail, MemoryAuditSink } from '../../../../src/router/audit/audit-trail.ts';
import { createDecommissionTracker } from '../../../../src/router/decommission/tracker.ts';
import { RouterErrors } from '../../../../src/router/errors.ts';
import { RouterControlErrors } from '../../../../src/router/rollout/control-errors.ts';
import { createRolloutController, type RolloutController } from '../../../../src/router/rollout/controller.ts';
import { rolloutSpecSchema } from '../../../../src/router/rollout/spec.ts';
import { MemoryRouteStateStore } from '../../../../src/router/state/route-state.ts';
import { createRouteStateBook } from '../../../../src/router/state/state-book.ts';
import { createRouterMetrics } from '../../../../src/router/stats/metrics.ts';
import { createRouterStats } from '../../../../src/router/stats/router-stats.ts';
import type { RouteOverride } from '../../../../src/router/contracts.ts';
import { Registry } from 'prom-client';
import { FakePort, routeView } from '../rollout/fake-port.ts';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A data plane that refuses overrides the way the real one can, plus two that fail unexpectedly. */
class RefusingPort extends FakePort {
  override applyOverride(routeId: string, override: RouteOverride): void {
    if (routeId === 'static' && override.mode === 'new') throw new RouterErrors.BANYAN_ERR_ROUTER_INVALID_OVERRIDE(routeId, 'mode "new" needs a new upstream');
    if (routeId === 'stuck') throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_STATE_UNWRITABLE('var/state.json', 'disk full');
    if (routeId === 'buggy') throw new TypeError('override is not iterable');
    super.applyOverride(routeId, override);
  }
}

async function setup(): Promise<AdminServer & { controller: RolloutController }> {
  const port = new RefusingPort([
    routeView('accounts', { rollout: rolloutSpecSchema.parse({ steps: [10, { weight: 50, approve: true }] }) }),
    routeView('static', { mode: 'legacy' }),
    routeView('stuck'),
    routeView('buggy'),
  ]);
  const book = createRouteStateBook(new MemoryRouteStateStore());
  const audit = createAuditTrail({ sink: new MemoryAuditSink() });
  const registry = new Registry();
  const stats = createRouterStats({ metrics: createRouterMetrics(registry) });
  const controller = createRolloutController({ port, book, audit, tickMs: 0 });
  await controller.start();
  const decommission = createDecommissionTracker({ port, book, criteria: { legacyZeroDays: 14, minMatchRate: 0.999, minComparisons: 1000 }, flushMs: 0 });
  return Object.assign(createAdminServer({ controller, stats, port, audit, decommission, tokens: [{ name: 'release-bot', token: TOKEN }], registry }), { controller });
}

async function answer(server: AdminServer, method: 'GET' | 'PUT' | 'POST', url: string, payload?: Record<string, unknown> | string, headers: Record<string, string> = auth) {
  const res = await server.app.inject({ method, url, headers: typeof payload === 'string' ? { ...headers, 'content-type': 'application/json' } : headers, payload });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.body };
}

const JSON_TYPE = 'application/json; charset=utf-8';

test('401 BANYAN_ERR_ROUTERCTL_UNAUTHORIZED, with a Bearer challenge', async () => {
  const server = await setup();
  const res = await server.app.inject({ method: 'GET', url: '/admin/routes' });
  assert.deepEqual(
    { status: res.statusCode, type: res.headers['content-type'], challenge: res.headers['www-authenticate'], body: res.body },
    { status: 401, type: JSON_TYPE, challenge: 'Bearer realm="banyan-admin"', body: '{"code":"BANYAN_ERR_ROUTERCTL_UNAUTHORIZED","message":"missing or invalid bearer token"}' },
  );
});

test('404 BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE', async () => {
  const server = await setup();
  assert.deepEqual(await answer(server, 'POST', '/admin/routes/nope/rollback', { reason: 'x' }), {
    status: 404,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE","message":"unknown route \\"nope\\""}',
  });
});

test('400 for a missing reason, an invalid change and an override the data plane refuses', async () => {
  const server = await setup();
  assert.deepEqual(await answer(server, 'PUT', '/admin/routes/static/weight', { weight: 5 }), {
    status: 400,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_REASON_REQUIRED","message":"a reason is required for every change"}',
  });
  assert.deepEqual(await answer(server, 'PUT', '/admin/routes/static/weight', { weight: 250, reason: 'x' }), {
    status: 400,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_INVALID_CHANGE","message":"invalid change for route \\"static\\": weight: Too big: expected number to be <=100"}',
  });
  assert.deepEqual(await answer(server, 'PUT', '/admin/routes/static/mode', { mode: 'new', reason: 'x' }), {
    status: 400,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTER_INVALID_OVERRIDE","message":"invalid override for route \\"static\\": mode \\"new\\" needs a new upstream"}',
  });
});

test('409 for a rollout action on a route without a rollout, or in the wrong phase', async () => {
  const server = await setup();
  assert.deepEqual(await answer(server, 'POST', '/admin/routes/static/pause', { reason: 'x' }), {
    status: 409,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_NO_ROLLOUT","message":"route \\"static\\" has no rollout"}',
  });
  server.controller.tick(); // the accounts rollout starts
  assert.deepEqual(await answer(server, 'POST', '/admin/routes/accounts/resume', { reason: 'x' }), {
    status: 409,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_PHASE","message":"route \\"accounts\\": cannot resume while the rollout is progressing"}',
  });
});

test('500 for a coded error without a status and for an uncoded error; fastify errors keep their own status', async () => {
  const server = await setup();
  assert.deepEqual(await answer(server, 'PUT', '/admin/routes/stuck/weight', { weight: 5, reason: 'x' }), {
    status: 500,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_STATE_UNWRITABLE","message":"route state var/state.json cannot be written: disk full"}',
  });
  assert.deepEqual(await answer(server, 'PUT', '/admin/routes/buggy/weight', { weight: 5, reason: 'x' }), {
    status: 500,
    type: JSON_TYPE,
    body: '{"code":"BANYAN_ERR_ROUTERCTL_INTERNAL","message":"override is not iterable"}',
  });
  const badJson = await answer(server, 'PUT', '/admin/routes/static/weight', '{"weight":');
  assert.deepEqual({ ...badJson, body: JSON.parse(badJson.body).code }, { status: 400, type: JSON_TYPE, body: 'FST_ERR_CTP_INVALID_JSON_BODY' });
});
