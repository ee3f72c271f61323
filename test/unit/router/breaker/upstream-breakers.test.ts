import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerState } from '../../../../src/router/contracts.ts';
import { createUpstreamBreakers, isOpenBreakerError } from '../../../../src/router/breaker/upstream-breakers.ts';
import { ClientGoneError, parseUpstream, UpstreamStatusError, type UpstreamPools, type UpstreamResponse } from '../../../../src/router/proxy/upstream.ts';

const target = parseUpstream('http://127.0.0.1:9/svc');
const request = { method: 'GET', path: '/x', headers: {}, timeoutMs: 100 };

function poolsAnswering(status: () => number): UpstreamPools & { calls: number } {
  const pools = {
    calls: 0,
    async send(): Promise<UpstreamResponse> {
      pools.calls++;
      const response = { status: status(), headers: {}, body: undefined as never, latencyMs: 1 };
      if (response.status >= 400) throw new UpstreamStatusError(target.url, response);
      return response;
    },
    async close() {},
  };
  return pools;
}

test('4xx answers and clients that went away do not count as failures: the breaker stays closed', async () => {
  const pools = poolsAnswering(() => 404);
  const breakers = createUpstreamBreakers(pools, { volumeThreshold: 2 });
  for (let i = 0; i < 20; i++) await assert.rejects(breakers.call(target, request), UpstreamStatusError);
  assert.equal(breakers.state(target.url), 'closed');
  const gone = createUpstreamBreakers(
    {
      async send() {
        throw new ClientGoneError();
      },
      async close() {},
    },
    { volumeThreshold: 2 },
  );
  for (let i = 0; i < 20; i++) await assert.rejects(gone.call(target, request), ClientGoneError);
  assert.equal(gone.state(target.url), 'closed');
  breakers.shutdown();
  gone.shutdown();
});

test('5xx answers open the breaker, which then rejects without calling the upstream and reports each state change', async () => {
  const pools = poolsAnswering(() => 503);
  const breakers = createUpstreamBreakers(pools, { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 });
  const changes: Array<[string, BreakerState]> = [];
  breakers.onChange((url, state) => changes.push([url, state]));
  for (let i = 0; i < 3; i++) await assert.rejects(breakers.call(target, request), UpstreamStatusError);
  assert.equal(breakers.state(target.url), 'open');
  assert.deepEqual(changes, [[target.url, 'open']]);
  const before = pools.calls;
  await assert.rejects(breakers.call(target, request), (err) => isOpenBreakerError(err));
  assert.equal(pools.calls, before);
  assert.equal(breakers.state('http://other'), 'closed', 'each upstream has its own breaker');
  breakers.shutdown();
});
