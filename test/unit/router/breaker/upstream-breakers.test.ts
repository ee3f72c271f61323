import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerState } from '../../../../src/router/contracts.ts';
import { createUpstreamBreakers, isOpenBreakerError } from '../../../../src/router/breaker/upstream-breakers.ts';
import {
  ClientGoneError,
  parseUpstream,
  UpstreamStatusError,
  type UpstreamPools,
  type UpstreamReply,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../../../src/router/proxy/upstream.ts';
import { SyncOutcome } from '../../../../src/router/proxy/sync-outcome.ts';
import type { UpstreamBreakers } from '../../../../src/router/breaker/upstream-breakers.ts';

const target = parseUpstream('http://127.0.0.1:9/svc');
const request = { method: 'GET', path: '/x', headers: {}, timeoutMs: 100 };

/**
 * Pools whose every call settles on the next macrotask with what `outcome` returns (a response, or
 * an error to fail with), the way the real pools do: the thenable first, then the reply.
 */
function fakePools(outcome: () => UpstreamResponse | Error): UpstreamPools & { calls: number } {
  const pools = {
    calls: 0,
    send(_t: unknown, _r: UpstreamRequest, reply?: UpstreamReply): PromiseLike<UpstreamResponse> {
      pools.calls++;
      const call = new SyncOutcome<UpstreamResponse>();
      setImmediate(() => {
        const o = outcome();
        if (o instanceof Error) {
          call.reject(o);
          reply?.onFailure(o);
        } else {
          call.fulfill(o);
          reply?.onResponse(o);
        }
      });
      return call;
    },
    async close() {},
  };
  return pools;
}

function poolsAnswering(status: () => number): UpstreamPools & { calls: number } {
  return fakePools(() => {
    const response = { status: status(), headers: {}, body: undefined as never, latencyMs: 1 };
    return response.status >= 400 ? new UpstreamStatusError(target.url, response) : response;
  });
}

/** breakers.call's reply as a promise. */
function call(breakers: UpstreamBreakers): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => breakers.call(target, request, { onResponse: resolve, onFailure: reject }));
}

test('4xx answers and clients that went away do not count as failures: the breaker stays closed', async () => {
  const pools = poolsAnswering(() => 404);
  const breakers = createUpstreamBreakers(pools, { volumeThreshold: 2 });
  for (let i = 0; i < 20; i++) await assert.rejects(call(breakers), UpstreamStatusError);
  assert.equal(breakers.state(target.url), 'closed');
  const gone = createUpstreamBreakers(
    fakePools(() => new ClientGoneError()),
    { volumeThreshold: 2 },
  );
  for (let i = 0; i < 20; i++) await assert.rejects(call(gone), ClientGoneError);
  assert.equal(gone.state(target.url), 'closed');
  breakers.shutdown();
  gone.shutdown();
});

test('5xx answers open the breaker, which then rejects without calling the upstream and reports each state change', async () => {
  const pools = poolsAnswering(() => 503);
  const breakers = createUpstreamBreakers(pools, { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 });
  const changes: Array<[string, BreakerState]> = [];
  breakers.onChange((url, state) => changes.push([url, state]));
  for (let i = 0; i < 3; i++) await assert.rejects(call(breakers), UpstreamStatusError);
  assert.equal(breakers.state(target.url), 'open');
  assert.deepEqual(changes, [[target.url, 'open']]);
  const before = pools.calls;
  await assert.rejects(call(breakers), (err: unknown) => isOpenBreakerError(err));
  assert.equal(pools.calls, before);
  assert.equal(breakers.state('http://other'), 'closed', 'each upstream has its own breaker');
  breakers.shutdown();
});

test('every outcome reaches the reply exactly once, and failed calls leave no unhandled rejection behind', async () => {
  let n = 0;
  const pools = poolsAnswering(() => (n++ % 2 === 0 ? 200 : 503));
  const breakers = createUpstreamBreakers(pools, { volumeThreshold: 1000 });
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  try {
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 10; i++) {
        breakers.call(target, request, {
          onResponse: (r) => (seen.push(`ok ${r.status}`), seen.length === 10 && resolve()),
          onFailure: (e) => (seen.push(`failed ${(e as UpstreamStatusError).response.status}`), seen.length === 10 && resolve()),
        });
      }
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen.sort(), [...Array(5).fill('failed 503'), ...Array(5).fill('ok 200')]);
    assert.equal(pools.calls, 10);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    breakers.shutdown();
  }
});
