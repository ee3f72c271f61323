import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncOutcome } from '../../../../src/router/proxy/sync-outcome.ts';

test('the subscriber hears a fulfilment in the same tick, as `.then(ok).catch(failed)` and as `await`', async () => {
  const seen: string[] = [];
  const a = new SyncOutcome<number>();
  (a.then((v) => seen.push(`ok ${v}`)) as SyncOutcome<number>).catch(() => seen.push('never'));
  a.fulfill(7);
  assert.deepEqual(seen, ['ok 7'], 'called synchronously by fulfill');
  const b = new SyncOutcome<number>();
  setImmediate(() => b.fulfill(8));
  assert.equal(await b, 8);
});

test('a rejection reaches the rejection handler given to then() or to catch(), and await throws it', async () => {
  const seen: string[] = [];
  const a = new SyncOutcome<number>();
  (a.then(() => seen.push('never')) as SyncOutcome<number>).catch((e) => seen.push(`caught ${(e as Error).message}`));
  a.reject(new Error('boom'));
  const b = new SyncOutcome<number>();
  b.then(undefined, (e) => seen.push(`then ${(e as Error).message}`));
  b.reject(new Error('bang'));
  assert.deepEqual(seen, ['caught boom', 'then bang']);
  const c = new SyncOutcome<number>();
  setImmediate(() => c.reject(new Error('late')));
  await assert.rejects(async () => await c, /late/);
});

test('it settles once, a late subscriber still hears the outcome, a throwing success handler reaches the rejection handler, and a second subscriber is refused', () => {
  const seen: string[] = [];
  const a = new SyncOutcome<number>();
  a.fulfill(1);
  a.reject(new Error('ignored'));
  a.fulfill(2);
  a.then(
    (v) => {
      seen.push(`ok ${v}`);
      throw new Error('handler bug');
    },
    (e) => seen.push(`failed ${(e as Error).message}`),
  );
  assert.deepEqual(seen, ['ok 1', 'failed handler bug']);
  assert.throws(() => a.then(() => undefined), /one subscriber/);
});
