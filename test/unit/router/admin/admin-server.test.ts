import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createAdminServer, type AdminServer } from '../../../../src/router/admin/server.ts';
import { createTokenVerifier } from '../../../../src/router/admin/auth.ts';
import { routerAdminSchema } from '../../../../src/router/admin/config.ts';
import { createRolloutController } from '../../../../src/router/rollout/controller.ts';
import { rolloutSpecSchema } from '../../../../src/router/rollout/spec.ts';
import { createAuditTrail, MemoryAuditSink } from '../../../../src/router/audit/audit-trail.ts';
import { MemoryRouteStateStore } from '../../../../src/router/state/route-state.ts';
import { createRouteStateBook } from '../../../../src/router/state/state-book.ts';
import { createRouterStats } from '../../../../src/router/stats/router-stats.ts';
import { createRouterMetrics } from '../../../../src/router/stats/metrics.ts';
import { createDecommissionTracker } from '../../../../src/router/decommission/tracker.ts';
import { FakePort, routeView } from '../rollout/fake-port.ts';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

async function setup(): Promise<{ server: AdminServer; port: FakePort; sink: MemoryAuditSink; store: MemoryRouteStateStore }> {
  const port = new FakePort([
    routeView('accounts', { rollout: rolloutSpecSchema.parse({ steps: [10, { weight: 50, approve: true }] }) }),
    routeView('static', { mode: 'legacy' }),
  ]);
  const sink = new MemoryAuditSink();
  const store = new MemoryRouteStateStore();
  const book = createRouteStateBook(store);
  const audit = createAuditTrail({ sink });
  const registry = new Registry();
  const stats = createRouterStats({ metrics: createRouterMetrics(registry) });
  stats.attach(port);
  const controller = createRolloutController({ port, book, audit, tickMs: 0 });
  await controller.start();
  const decommission = createDecommissionTracker({ port, book, criteria: { legacyZeroDays: 14, minMatchRate: 0.999, minComparisons: 1000 }, flushMs: 0 });
  decommission.start();
  const server = createAdminServer({ controller, stats, port, audit, decommission, tokens: [{ name: 'release-bot', token: TOKEN }], registry });
  return { server, port, sink, store };
}

test('every admin endpoint and /metrics refuse a request without a valid bearer token (401)', async () => {
  const { server } = await setup();
  for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${TOKEN}` }]) {
    const res = await server.app.inject({ method: 'GET', url: '/admin/routes', headers });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'BANYAN_ERR_ROUTERCTL_UNAUTHORIZED');
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  }
  const put = await server.app.inject({ method: 'PUT', url: '/admin/routes/accounts/weight', payload: { weight: 100, reason: 'x' } });
  assert.equal(put.statusCode, 401);
  assert.equal((await server.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
  for (const url of ['/%61dmin/routes', '//admin/routes', '/admin//routes', '/ADMIN/routes', '/admin/routes/', '/metrics?x=1']) {
    const sneaky = await server.app.inject({ method: 'GET', url });
    assert.ok(sneaky.statusCode === 401 || sneaky.statusCode === 404, `${url} answered ${sneaky.statusCode}`);
  }
  assert.equal((await server.app.inject({ method: 'GET', url: '/metrics', headers: auth })).statusCode, 200);
});

test('the admin API refuses to be built without a token', () => {
  assert.throws(() => createTokenVerifier([]), { code: 'BANYAN_ERR_ROUTERCTL_NO_TOKENS' });
  const parsed = routerAdminSchema.safeParse({ tokens: [] });
  assert.equal(parsed.success, false);
  assert.equal(routerAdminSchema.safeParse({ tokens: [{ name: 'ops', token: 'short' }] }).success, false);
});

test('the token verifier names the matching token and rejects near misses', () => {
  const v = createTokenVerifier([{ name: 'a', token: 'aaaaaaaaaaaaaaaa1' }, { name: 'b', token: 'bbbbbbbbbbbbbbbb2' }]);
  assert.equal(v.verify('Bearer bbbbbbbbbbbbbbbb2'), 'b');
  assert.equal(v.verify('bearer aaaaaaaaaaaaaaaa1'), 'a');
  assert.equal(v.verify('Bearer aaaaaaaaaaaaaaaa'), undefined);
  assert.equal(v.verify(undefined), undefined);
});

test('routes are listed with live stats, overrides and rollout progress', async () => {
  const { server, port } = await setup();
  port.emit('request', { routeId: 'static', servedBy: 'legacy', chosen: 'legacy', status: 200, latencyMs: 3, chosenFailed: false, fellBack: false, at: Date.now() });
  const res = await server.app.inject({ method: 'GET', url: '/admin/routes?windowSec=10', headers: auth });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  const stat = body.routes.find((r: { route: { id: string } }) => r.route.id === 'static');
  assert.equal(stat.stats.legacy.served, 1);
  assert.equal(stat.stats.windowMs, 10_000);
  assert.equal(body.config.ok, true);
});

test('a weight change needs a reason, is applied, persisted and audited with the token name and actor header', async () => {
  const { server, port, sink, store } = await setup();
  const noReason = await server.app.inject({ method: 'PUT', url: '/admin/routes/static/weight', headers: auth, payload: { weight: 5 } });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().code, 'BANYAN_ERR_ROUTERCTL_REASON_REQUIRED');

  const res = await server.app.inject({
    method: 'PUT',
    url: '/admin/routes/static/weight',
    headers: { ...auth, 'x-banyan-actor': 'alice' },
    payload: { weight: 5, reason: 'pilot customers' },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().audited, true);
  assert.equal(port.overrides.get('static')!.weight, 5);
  assert.equal(store.data.get('static')!.override!.weight, 5);
  const ev = sink.events.at(-1)!;
  assert.deepEqual([ev.action, ev.actor, ev.reason, ev.from.weight, ev.to.weight], ['set-weight', 'release-bot:alice', 'pilot customers', 0, 5]);

  const bad = await server.app.inject({ method: 'PUT', url: '/admin/routes/static/weight', headers: auth, payload: { weight: 250, reason: 'x' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'BANYAN_ERR_ROUTERCTL_INVALID_CHANGE');
});

test('mode, kill switch, pause, approve and rollback map conflicts and unknown routes to 409 and 404', async () => {
  const { server, port } = await setup();
  const r = (method: 'PUT' | 'POST', url: string, payload: Record<string, unknown> = { reason: 'test' }) =>
    server.app.inject({ method, url, headers: auth, payload });
  assert.equal((await r('POST', '/admin/routes/static/pause')).statusCode, 409, 'no rollout');
  assert.equal((await r('POST', '/admin/routes/nope/rollback')).statusCode, 404);
  assert.equal((await r('PUT', '/admin/routes/static/mode', { mode: 'shadow', reason: 'compare first' })).statusCode, 200);
  assert.equal(port.overrides.get('static')!.mode, 'shadow');
  assert.equal((await r('PUT', '/admin/routes/static/kill-switch', { on: true, reason: 'incident 42' })).statusCode, 200);
  assert.equal(port.overrides.get('static')!.killSwitch, true);
  assert.equal((await r('POST', '/admin/routes/accounts/approve')).statusCode, 409, 'rollout not started yet');
  const rb = await r('POST', '/admin/routes/static/rollback', { reason: 'back to legacy', weight: 0 });
  assert.equal(rb.statusCode, 200);
  const audit = await server.app.inject({ method: 'GET', url: '/admin/audit?route=static', headers: auth });
  assert.deepEqual(audit.json().events.map((e: { action: string }) => e.action), ['rollback', 'kill-switch-on', 'set-mode']);
});

test('mismatches and decommission reports are served per route', async () => {
  const { server, port } = await setup();
  port.mismatches = [
    { routeId: 'accounts', at: 1, request: { method: 'GET', url: '/accounts/1', requestId: 'r1' }, legacy: { status: 200, body: '{}' }, candidate: { status: 200, body: '{}' }, fields: [{ path: 'body.balance', legacy: '"10.00"', candidate: '"10.0"' }] },
  ];
  const m = await server.app.inject({ method: 'GET', url: '/admin/routes/accounts/mismatches', headers: auth });
  assert.equal(m.json().mismatches[0].fields[0].path, 'body.balance');
  const d = await server.app.inject({ method: 'GET', url: '/admin/decommission/static', headers: auth });
  assert.equal(d.statusCode, 200);
  assert.equal(d.json().ready, false);
  assert.ok(d.json().blockers.length > 0);
});

test('the console page and its assets are served without a token and contain no secret', async () => {
  const { server } = await setup();
  const page = await server.app.inject({ method: 'GET', url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(page.body, /migration console/);
  assert.ok(!page.body.includes(TOKEN));
  const js = await server.app.inject({ method: 'GET', url: '/console/console.js' });
  assert.match(String(js.headers['content-type']), /javascript/);
  assert.equal((await server.app.inject({ method: 'GET', url: '/health' })).json().ok, true);
});
