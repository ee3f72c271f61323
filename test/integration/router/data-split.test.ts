/**
 * The weighted sticky split through a real router and real HTTP upstreams: the share of new
 * matches the weight, a key stays on its side, raising the weight only moves keys legacy -> new,
 * and a shared cohort keeps one key on one side across routes.
 *
 * Tolerance: with n requests of distinct keys and weight p, the count sent to new is binomial
 * (n, p) if the hash is uniform; the test accepts |count - np| <= 4 sqrt(np(1-p)) (4 sigma, a
 * false alarm about 1 in 15,000 for a uniform hash; the hash is deterministic, so the outcome is too).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(jsonHandler('new'));
  dir = routesDir({
    'cohorts.yaml': 'cohorts:\n  customer: { salt: customer-2026, buckets: 10000 }\n',
    'routes.yaml': `
routes:
  - id: accounts
    match: { method: GET, path: /accounts/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 10
    cohort: { name: customer, key: { from: path, name: id } }
    allow: [pilot-1]
  - id: orders
    match: { method: GET, path: /orders }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 10
    cohort: { name: customer, key: { from: query, name: customer } }
  - id: by-header
    match: { method: GET, path: /profile }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 30
    cohort: { key: { from: header, name: x-customer } }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false });
});

after(async () => {
  await r.close();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

async function sideOf(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await r.get(path, headers);
  assert.equal(res.status, 200);
  const side = res.headers['x-banyan-upstream'];
  assert.equal(side, res.json.side, 'the x-banyan-upstream header names the side that answered');
  return String(side);
}

async function sidesOf(paths: string[], concurrency = 32): Promise<string[]> {
  const out: string[] = new Array(paths.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const i = next++;
        out[i] = await sideOf(paths[i]);
      }
    }),
  );
  return out;
}

const keys = Array.from({ length: 10_000 }, (_, i) => `cust-${i}`);

function withinFourSigma(count: number, n: number, weightPercent: number): void {
  const p = weightPercent / 100;
  const mean = n * p;
  const sigma = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - mean) <= 4 * sigma, `${count} of ${n} sent to new; expected ${mean} +/- ${(4 * sigma).toFixed(1)} (4 sigma)`);
}

test('over 10,000 requests with distinct keys the share sent to new matches the weight within 4 sigma', async () => {
  r.router.control.applyOverride('accounts', { weight: 10 });
  const sides = await sidesOf(keys.map((k) => `/accounts/${k}`));
  withinFourSigma(sides.filter((s) => s === 'new').length, keys.length, 10);
});

test('each key stays on the same side across repeated requests', async () => {
  const sample = keys.slice(0, 300).map((k) => `/accounts/${k}`);
  const first = await sidesOf(sample);
  const second = await sidesOf(sample);
  const third = await sidesOf(sample);
  assert.deepEqual(second, first);
  assert.deepEqual(third, first);
  assert.ok(first.includes('new') && first.includes('legacy'));
});

test('raising the weight 10 -> 20 -> 50 only moves keys from legacy to new', async () => {
  const sample = keys.slice(0, 3000).map((k) => `/accounts/${k}`);
  const byWeight: string[][] = [];
  for (const weight of [10, 20, 50]) {
    r.router.control.applyOverride('accounts', { weight });
    const sides = await sidesOf(sample);
    withinFourSigma(sides.filter((s) => s === 'new').length, sample.length, weight);
    byWeight.push(sides);
  }
  for (let step = 1; step < byWeight.length; step++) {
    const movedBack = sample.filter((_, i) => byWeight[step - 1][i] === 'new' && byWeight[step][i] === 'legacy');
    assert.deepEqual(movedBack, [], `no key goes back to legacy at step ${step}`);
  }
  r.router.control.clearOverride('accounts');
});

test('a shared cohort keeps each customer on one side across two routes keyed differently', async () => {
  for (const weight of [10, 40]) {
    r.router.control.applyOverride('accounts', { weight });
    r.router.control.applyOverride('orders', { weight });
    const sample = keys.slice(0, 1000);
    const a = await sidesOf(sample.map((k) => `/accounts/${k}`));
    const b = await sidesOf(sample.map((k) => `/orders?customer=${encodeURIComponent(k)}`));
    assert.deepEqual(b, a);
    assert.ok(a.includes('new'));
  }
  r.router.control.clearOverride('accounts');
  r.router.control.clearOverride('orders');
});

test('the force header and cookie override the bucket, and allow-listed keys go to new', async () => {
  const legacyKey = 'cust-0';
  assert.equal(await sideOf(`/accounts/${legacyKey}`, { 'x-banyan-force': 'always' }), 'new');
  assert.equal(await sideOf(`/accounts/${legacyKey}`, { cookie: 'a=1; banyan-force=never' }), 'legacy');
  r.router.control.applyOverride('accounts', { weight: 0 });
  assert.equal(await sideOf('/accounts/pilot-1'), 'new');
  assert.equal(await sideOf('/accounts/cust-1'), 'legacy');
  r.router.control.clearOverride('accounts');
});

test('a header cohort key splits at the configured weight and an override takes effect on the next request', async () => {
  const sides: string[] = [];
  for (const k of keys.slice(0, 2000)) sides.push(await sideOf('/profile', { 'x-customer': k }));
  withinFourSigma(sides.filter((s) => s === 'new').length, 2000, 30);
  r.router.control.applyOverride('by-header', { killSwitch: true });
  assert.equal(await sideOf('/profile', { 'x-customer': keys[sides.indexOf('new')] }), 'legacy');
  r.router.control.applyOverride('by-header', { killSwitch: false, mode: 'new' });
  assert.equal(await sideOf('/profile', { 'x-customer': keys[sides.indexOf('legacy')] }), 'new');
  r.router.control.clearOverride('by-header');
});
