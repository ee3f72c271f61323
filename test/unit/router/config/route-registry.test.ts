import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRouteDirectory } from '../../../../src/router/config/load-routes.ts';
import { DEFAULT_ROUTE_ID, RouteRegistry } from '../../../../src/router/config/route-registry.ts';
import type { RequestShape } from '../../../../src/router/match/route-matcher.ts';

function registry(): RouteRegistry {
  const r = loadRouteDirectory(new URL('../../../fixtures/routes/valid', import.meta.url).pathname, {});
  assert.ok(r.ok);
  const reg = new RouteRegistry();
  if (r.ok) reg.replace(r.table);
  return reg;
}

const get = (path: string): RequestShape => ({ method: 'GET', path, headers: {}, query: () => new URLSearchParams() });

test('routes resolve salt and buckets from their named cohort and upstream prefixes from the url', () => {
  const reg = registry();
  const accounts = reg.get('accounts')!;
  assert.equal(accounts.salt, 's-1');
  assert.equal(accounts.buckets, 10_000);
  assert.equal(accounts.legacy.origin, 'http://127.0.0.1:8080');
  assert.equal(accounts.legacy.prefix, '/legacy');
  assert.equal(accounts.new?.prefix, '');
});

test('inactive routes are skipped and unmatched requests fall to the default catch-all', () => {
  const reg = registry();
  assert.equal(reg.find(get('/accounts/1'))?.route.id, 'accounts');
  assert.equal(reg.find({ ...get('/accounts/1'), method: 'POST' })?.route.id, DEFAULT_ROUTE_ID, 'the inactive route would match POST');
  reg.applyOverride('inactive', { active: true });
  assert.equal(reg.find({ ...get('/accounts/1'), method: 'POST' })?.route.id, 'inactive');
  assert.equal(reg.find(get('/else'))?.route.id, DEFAULT_ROUTE_ID);
});

test('overrides merge field by field, clear back to the YAML values, and survive a reload', () => {
  const reg = registry();
  reg.applyOverride('accounts', { weight: 50 });
  reg.applyOverride('accounts', { killSwitch: true });
  let a = reg.get('accounts')!;
  assert.deepEqual([a.weight, a.killSwitch, a.mode], [50, true, 'canary']);
  const reloaded = loadRouteDirectory(new URL('../../../fixtures/routes/valid', import.meta.url).pathname, {});
  if (reloaded.ok) reg.replace(reloaded.table);
  a = reg.get('accounts')!;
  assert.deepEqual([a.weight, a.killSwitch], [50, true]);
  reg.clearOverride('accounts');
  assert.deepEqual([a.weight, a.killSwitch], [12.5, false]);
});

test('invalid overrides are refused with coded errors', () => {
  const reg = registry();
  assert.throws(() => reg.applyOverride('nope', { weight: 1 }), { code: 'BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE' });
  assert.throws(() => reg.applyOverride('accounts', { weight: 101 }), { code: 'BANYAN_ERR_ROUTER_INVALID_OVERRIDE' });
  assert.throws(() => reg.applyOverride('accounts', { weight: Number.NaN }), { code: 'BANYAN_ERR_ROUTER_INVALID_OVERRIDE' });
  assert.throws(() => reg.applyOverride('inactive', { mode: 'canary' }), { code: 'BANYAN_ERR_ROUTER_INVALID_OVERRIDE' });
  assert.throws(() => reg.clearOverride('nope'), { code: 'BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE' });
});
