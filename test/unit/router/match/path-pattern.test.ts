import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePathPattern } from '../../../../src/router/match/path-pattern.ts';

test('parameters capture one segment each, percent-decoded; literals must match exactly', () => {
  const p = compilePathPattern('/accounts/:id/orders/:orderNo');
  assert.deepEqual(p.match('/accounts/7/orders/A%201'), { id: '7', orderNo: 'A 1' });
  assert.equal(p.match('/accounts/7/orders'), undefined);
  assert.equal(p.match('/accounts/7/orders/1/x'), undefined);
  assert.equal(p.match('/accounts//orders/1'), undefined, 'an empty segment is not a parameter value');
  assert.equal(p.match('/Accounts/7/orders/1'), undefined);
  assert.deepEqual(compilePathPattern('/health').match('/health'), {});
});

test('a trailing * matches the rest of the path, including nothing', () => {
  const p = compilePathPattern('/static/*');
  assert.deepEqual(p.match('/static/css/site.css'), { '*': 'css/site.css' });
  assert.deepEqual(p.match('/static/'), { '*': '' });
  assert.equal(p.match('/stat'), undefined);
  assert.deepEqual(compilePathPattern('/*').match('/anything/at/all'), { '*': 'anything/at/all' });
});

test('an encoded slash inside a parameter stays inside it', () => {
  assert.deepEqual(compilePathPattern('/files/:name').match('/files/a%2Fb'), { name: 'a/b' });
  assert.equal(compilePathPattern('/files/:name').match('/files/a/b'), undefined);
});
