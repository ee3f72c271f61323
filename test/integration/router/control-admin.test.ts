/**
 * The admin API over real HTTP in front of a real router: bearer token required, a weight change
 * and the kill switch act on live traffic, and both survive a restart of router and control plane
 * (state file), so the restarted router serves as the operator left it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControlPlane, type ControlPlane } from '../../../src/router/admin/control-plane.ts';
import { MemoryAuditSink } from '../../../src/router/audit/audit-trail.ts';
import { createFileRouteStateStore } from '../../../src/router/state/file-state-store.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

const TOKEN = 'admin-it-token-0123456789';
let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
const stateFile = join(mkdtempSync(join(tmpdir(), 'banyan-admin-state-')), 'state.json');
let r: RunningRouter;
let cp: ControlPlane;
let admin: string;
const sink = new MemoryAuditSink();

async function boot(): Promise<void> {
  r = await startRouter({ routesDir: dir.dir, watch: false });
  cp = createControlPlane({
    port: r.router.control,
    tokens: [{ name: 'ops', token: TOKEN }],
    store: createFileRouteStateStore(stateFile),
    auditSink: sink,
    registry: r.router.metrics,
    tickMs: 0,
  });
  admin = (await cp.start()).url;
}

async function shutdown(): Promise<void> {
  await cp.stop();
  await r.close();
}

function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${admin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Which side served each of `n` requests with distinct cohort keys. */
async function sides(n: number): Promise<Record<string, number>> {
  const count: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const side = String((await r.get(`/items/${i}`)).headers['x-banyan-upstream']);
    count[side] = (count[side] ?? 0) + 1;
  }
  return count;
}

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(jsonHandler('new'));
  dir = routesDir({
    'items.yaml': `
routes:
  - id: items
    match: { path: /items/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 0
    cohort: { key: { from: path, name: id } }
`,
  });
  await boot();
});

after(async () => {
  await shutdown();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

test('the admin API answers 401 without a valid bearer token over HTTP', async () => {
  const none = await call('GET', '/admin/routes', undefined, null);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="banyan-admin"');
  assert.equal((await call('PUT', '/admin/routes/items/weight', { weight: 100, reason: 'x' }, 'wrong-token-0123456789')).status, 401);
  assert.deepEqual(await sides(20), { legacy: 20 }, 'nothing changed');
});

test('a weight set through the admin API moves live traffic, and the kill switch sends it all back to legacy', async () => {
  const res = await call('PUT', '/admin/routes/items/weight', { weight: 100, reason: 'cut over items' });
  assert.equal(res.status, 200);
  assert.deepEqual(await sides(20), { new: 20 });

  assert.equal((await call('PUT', '/admin/routes/items/kill-switch', { on: true, reason: 'incident 7' })).status, 200);
  assert.deepEqual(await sides(20), { legacy: 20 });
  const listed = (await (await call('GET', '/admin/routes')).json()) as { routes: Array<{ route: { id: string; killSwitch: boolean; weight: number } }> };
  assert.deepEqual(listed.routes.map((x) => [x.route.id, x.route.weight, x.route.killSwitch]), [['items', 100, true]]);
});

test('a restart of router and control plane keeps the weight and the kill switch', async () => {
  await shutdown();
  await boot();
  const view = r.router.control.listRoutes()[0]!;
  assert.deepEqual([view.weight, view.killSwitch], [100, true]);
  assert.deepEqual(await sides(20), { legacy: 20 }, 'the kill switch still holds');

  assert.equal((await call('PUT', '/admin/routes/items/kill-switch', { on: false, reason: 'incident 7 closed' })).status, 200);
  assert.deepEqual(await sides(20), { new: 20 }, 'the persisted weight applies again');
  assert.deepEqual(
    sink.events.map((e) => `${e.action}:${e.actor}:${e.reason}`),
    ['set-weight:ops:cut over items', 'kill-switch-on:ops:incident 7', 'kill-switch-off:ops:incident 7 closed'],
  );
});
