import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatch, type RequestShape } from '../../../../src/router/match/route-matcher.ts';
import { MatchSchema } from '../../../../src/router/config/schema.ts';

const req = (method: string, url: string, headers: Record<string, string> = {}): RequestShape => {
  const [path, qs = ''] = url.split('?');
  return { method, path, headers, query: () => new URLSearchParams(qs) };
};

test('method, path, headers and query must all match; methods are case-insensitive in config', () => {
  const m = compileMatch(
    MatchSchema.parse({
      method: ['get', 'HEAD'],
      path: '/orders/:id',
      headers: { 'X-Tenant': 'acme', 'x-beta': { present: true }, accept: { regex: 'json' } },
      query: { view: 'full', debug: { present: false } },
    }),
  );
  const headers = { 'x-tenant': 'acme', 'x-beta': '1', accept: 'application/json' };
  assert.deepEqual(m.test(req('GET', '/orders/9?view=full', headers)), { id: '9' });
  assert.equal(m.test(req('POST', '/orders/9?view=full', headers)), undefined);
  assert.equal(m.test(req('GET', '/orders/9?view=full', { ...headers, 'x-tenant': 'other' })), undefined);
  assert.equal(m.test(req('GET', '/orders/9?view=full', { 'x-tenant': 'acme', accept: 'application/json' })), undefined);
  assert.equal(m.test(req('GET', '/orders/9?view=full', { ...headers, accept: 'text/html' })), undefined);
  assert.equal(m.test(req('GET', '/orders/9?view=full&debug=1', headers)), undefined);
  assert.equal(m.test(req('GET', '/orders/9', headers)), undefined);
});

test('without a method list any method matches, and the query string is not parsed when not needed', () => {
  const m = compileMatch(MatchSchema.parse({ path: '/ping' }));
  let parsed = false;
  const shape: RequestShape = { method: 'DELETE', path: '/ping', headers: {}, query: () => ((parsed = true), new URLSearchParams()) };
  assert.deepEqual(m.test(shape), {});
  assert.equal(parsed, false);
});
