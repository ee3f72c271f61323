/**
 * Hot reload of mappings/routes: a valid edit is picked up by the directory watcher, a broken edit
 * keeps the running routes and reports file:line:col (status and `reload` event), and fixing the
 * file recovers. Overrides survive reloads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouterEvents } from '../../../src/router/contracts.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

type ReloadEvent = Parameters<RouterEvents['reload']>[0];

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;

const routeFile = (mode: string, path = '/items/:id') => `
routes:
  - id: items
    match: { method: GET, path: ${path} }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: ${mode}
`;

function nextReload(): Promise<ReloadEvent> {
  return new Promise((resolve) => {
    const listener = (e: ReloadEvent) => {
      r.router.control.off('reload', listener);
      resolve(e);
    };
    r.router.control.on('reload', listener);
  });
}

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(jsonHandler('new'));
  dir = routesDir({ 'items.yaml': routeFile('legacy') });
  r = await startRouter({ routesDir: dir.dir, reloadDebounceMs: 50 });
});

after(async () => {
  await r.close();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

test('a valid edit of a route file is picked up without a restart', async () => {
  assert.equal((await r.get('/items/1')).json.side, 'legacy');
  const reloaded = nextReload();
  dir.write('items.yaml', routeFile('new'));
  const e = await reloaded;
  assert.equal(e.ok, true);
  assert.equal((await r.get('/items/1')).json.side, 'new');
  assert.equal(r.router.control.status().ok, true);
});

test('a broken file keeps serving the running routes and reports file:line:col', async () => {
  const reloaded = nextReload();
  // weight is a string and the path lost its leading slash: two issues, both pinned.
  dir.write('items.yaml', routeFile('new', 'items/:id').replace('    mode: new', '    mode: new\n    weight: "ten"'));
  const e = await reloaded;
  assert.equal(e.ok, false);
  const file = `${dir.dir}/items.yaml`;
  assert.deepEqual(e.issues, [
    `${file}:4:33: format: must start with / (at routes[0].match.path)`,
    `${file}:8:13: type: Invalid input: expected number, received string (at routes[0].weight)`,
  ]);
  const status = r.router.control.status();
  assert.equal(status.ok, false);
  assert.deepEqual(status.issues, e.issues);
  const res = await r.get('/items/2');
  assert.equal(res.status, 200);
  assert.equal(res.json.side, 'new', 'the last good table is still served');
});

test('fixing the file recovers, and an override applied before the reload survives it', async () => {
  r.router.control.applyOverride('items', { killSwitch: true });
  const reloaded = nextReload();
  dir.write('items.yaml', routeFile('new'));
  assert.equal((await reloaded).ok, true);
  assert.equal(r.router.control.status().ok, true);
  assert.deepEqual(r.router.control.status().issues, []);
  assert.equal((await r.get('/items/3')).json.side, 'legacy', 'the kill switch still holds');
  r.router.control.clearOverride('items');
  assert.equal((await r.get('/items/3')).json.side, 'new');
});

test('a request no route matches and no default covers gets a coded 404', async () => {
  const res = await r.get('/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(res.json.code, 'BANYAN_ERR_ROUTER_NO_ROUTE');
});
