import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientLink } from '../../../../src/router/proxy/upstream.ts';

test('a client marked gone calls the watching upstream call once and stays gone', () => {
  const link = new ClientLink();
  const calls: string[] = [];
  link.watch(() => calls.push('abort'));
  link.markGone();
  link.markGone();
  assert.deepEqual(calls, ['abort']);
  assert.equal(link.gone, true);
});

test('a call that stopped watching (its response head arrived) is not aborted when the client goes later', () => {
  const link = new ClientLink();
  const calls: string[] = [];
  link.watch(() => calls.push('first'));
  link.watch(undefined);
  link.markGone();
  assert.deepEqual(calls, []);
  assert.equal(link.gone, true);
});

test('the fallback call replaces the failed call as the one aborted', () => {
  const link = new ClientLink();
  const calls: string[] = [];
  link.watch(() => calls.push('new'));
  link.watch(() => calls.push('legacy'));
  link.markGone();
  assert.deepEqual(calls, ['legacy']);
});
