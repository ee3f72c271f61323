import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readiness } from '../../../src/observability/readiness.ts';

test('with no checks registered the process is not ready', async () => {
  const r = await new Readiness().evaluate();
  assert.equal(r.ready, false);
  assert.equal(r.checks[0]?.name, 'startup');
});

test('ready only when every registered check passes, with the failing reasons listed', async () => {
  const readiness = new Readiness();
  readiness.register('kafka', async () => {});
  const removeMq = readiness.register('mq', async () => {
    throw new Error('MQRC 2059 queue manager not available');
  });
  assert.deepEqual(await readiness.evaluate(), {
    ready: false,
    checks: [
      { name: 'kafka', ok: true },
      { name: 'mq', ok: false, reason: 'MQRC 2059 queue manager not available' },
    ],
  });
  removeMq();
  assert.deepEqual(await readiness.evaluate(), { ready: true, checks: [{ name: 'kafka', ok: true }] });
});

test('a check that never answers fails with a timeout reason instead of hanging the probe', async () => {
  const readiness = new Readiness({ timeoutMs: 20 });
  readiness.register('stuck', () => new Promise<void>(() => {}));
  const r = await readiness.evaluate();
  assert.deepEqual(r, { ready: false, checks: [{ name: 'stuck', ok: false, reason: 'no answer within 20 ms' }] });
});

test('a check that throws synchronously counts as failed', async () => {
  const readiness = new Readiness();
  readiness.register('sync', () => {
    throw new Error('boom');
  });
  assert.deepEqual((await readiness.evaluate()).checks, [{ name: 'sync', ok: false, reason: 'boom' }]);
});

test('registering the same name twice is refused', () => {
  const readiness = new Readiness();
  readiness.register('kafka', async () => {});
  assert.throws(() => readiness.register('kafka', async () => {}), /already registered/);
});
