/**
 * Shadow mode against real HTTP upstreams: the client always gets legacy's answer, a marked copy
 * goes to new, a seeded difference is reported field by field, and a field that is random on both
 * sides is learned as noise (legacy vs legacy) and never reported. Writes are mirrored only when
 * declared safe or carrying an Idempotency-Key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { ShadowOutcome } from '../../../src/router/contracts.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;
const outcomes: ShadowOutcome[] = [];

// Both sides put a random `nonce` in every answer; new renders `total` differently for account 7 only.
const body = (side: string) => (req: IncomingMessage) => {
  const id = Number((req.url ?? '').split('/').pop()?.split('?')[0]);
  return {
    account: id,
    nonce: Math.random().toString(36).slice(2),
    total: side === 'new' && id % 10 === 7 ? `${id}.00` : id,
    items: [
      { sku: 'b', qty: 2 },
      { sku: 'a', qty: 1 },
    ],
  };
};

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy', body('legacy')));
  fresh = await startUpstream(jsonHandler('new', body('new')));
  dir = routesDir({
    'shadow.yaml': `
routes:
  - id: balances
    match: { path: /balances/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: shadow
    shadow:
      compare:
        ignore: [body.side, body.path]
      noise: { rate: 0.2, warmup: 10 }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false });
  r.router.control.on('shadow', (o) => outcomes.push(o));
});

after(async () => {
  await r.close();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

test('shadow mode serves legacy and mirrors a copy marked x-banyan-shadow to new', async () => {
  const res = await r.get('/balances/1');
  assert.equal(res.status, 200);
  assert.equal(res.json.side, 'legacy');
  assert.equal(res.headers['x-banyan-upstream'], 'legacy');
  await r.router.shadowIdle();
  const mirrored = fresh.received.filter((q) => q.url === '/balances/1');
  assert.equal(mirrored.length, 1);
  assert.equal(mirrored[0].headers['x-banyan-shadow'], '1');
  assert.equal(legacy.received.filter((q) => q.url === '/balances/1' && q.headers['x-banyan-shadow'] === undefined).length, 1);
});

test('a seeded difference is reported on its field and a field random on both sides stays quiet', async () => {
  outcomes.length = 0;
  for (let i = 0; i < 200; i++) await r.get(`/balances/${i}`);
  await r.router.shadowIdle();
  assert.equal(outcomes.length, 200);
  const mismatched = outcomes.filter((o) => !o.matched);
  assert.deepEqual(
    [...new Set(mismatched.flatMap((o) => o.differingFields))],
    ['body.total'],
    'only the seeded field is reported; body.nonce (random on both sides) is noise',
  );
  assert.equal(mismatched.length, 20, 'accounts ending in 7 differ: 20 of 200');
  const sample = r.router.control.recentMismatches('balances', 1)[0];
  assert.deepEqual(sample.fields.map((f) => [f.path, f.legacy, f.candidate]), [['body.total', '197', '"197.00"']]);
  const metrics = await r.router.metrics.getSingleMetricAsString('banyan_router_shadow_match_ratio');
  assert.match(metrics, /banyan_router_shadow_match_ratio\{route="balances"\} 0\.9/);
});

test('writes are not mirrored by default, but are when they carry an Idempotency-Key', async () => {
  const before = fresh.received.length;
  const post = (headers: Record<string, string>) =>
    r.client.request({ method: 'POST', path: '/balances/3', headers: { 'content-type': 'application/json', ...headers }, body: '{"amount":5}' }).then((x) => x.body.text());
  await post({});
  await r.router.shadowIdle();
  assert.equal(fresh.received.length, before, 'a POST without Idempotency-Key is not shadowed');
  await post({ 'idempotency-key': 'k-1' });
  await r.router.shadowIdle();
  const copy = fresh.received.at(-1)!;
  assert.equal(copy.method, 'POST');
  assert.equal(copy.body, '{"amount":5}');
  assert.equal(copy.headers['idempotency-key'], 'k-1');
});
