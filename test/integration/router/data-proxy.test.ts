/**
 * Forwarding details through real HTTP upstreams: streamed request and response bodies, forwarding
 * and trace headers, request ids, per-side header rules, the x-banyan-upstream header (and turning
 * it off), a write replayed on legacy when it carries an Idempotency-Key, and canary with shadow
 * alongside (served by new, compared against a legacy copy).
 */
import { after, before, test } from 'node:test';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import assert from 'node:assert/strict';
import type { ShadowOutcome } from '../../../src/router/contracts.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy', (req) => ({ seen: req.headers['x-side-header'] ?? null })));
  fresh = await startUpstream(jsonHandler('new', (req) => ({ seen: req.headers['x-side-header'] ?? null })));
  dir = routesDir({
    'routes.yaml': `
default: { legacy: { url: ${legacy.url} } }
routes:
  - id: profile
    match: { path: /profile/:id }
    legacy:
      url: ${legacy.url}/base
      headers: { add: { x-side-header: legacy-only }, remove: [x-secret] }
      response_headers: { add: { x-served-by: legacy }, remove: [x-internal] }
    new:
      url: ${fresh.url}
      headers: { add: { x-side-header: new-only } }
    mode: canary
    weight: 0
    cohort: { key: { from: header, name: x-customer } }
  - id: uploads
    match: { method: [POST, PUT], path: /uploads/*}
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: new
    max_buffered_body_bytes: 1024
  - id: payments
    match: { method: POST, path: /payments }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 50
    cohort: { key: { from: body, path: customer.id }, on_missing_key: legacy }
  - id: carts
    match: { path: /carts/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 100
    cohort: { key: { from: path, name: id } }
    shadow: { enabled: true, compare: { ignore: [body.side, body.seen] } }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false, forwardedHeader: true });
});

after(async () => {
  await r.close();
  await legacy.close();
  await fresh.close();
  dir.remove();
});

test('the upstream sees forwarding headers, a child traceparent, the request id, its side rules and the url prefix', async () => {
  legacy.setHandler((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-internal': 'hidden' });
    res.end(JSON.stringify({ side: 'legacy', seen: req.headers['x-side-header'] }));
  });
  const res = await r.get('/profile/7?x=1', {
    'x-request-id': 'req-abc',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'x-secret': 'token',
    'x-forwarded-for': '192.0.2.10',
  });
  assert.equal(res.status, 200);
  assert.equal(res.json.seen, 'legacy-only');
  assert.equal(res.headers['x-request-id'], 'req-abc');
  assert.equal(res.headers['x-served-by'], 'legacy');
  assert.equal(res.headers['x-internal'], undefined);
  assert.equal(res.headers['x-banyan-upstream'], 'legacy');
  const seen = legacy.received.at(-1)!;
  assert.equal(seen.url, '/base/profile/7?x=1');
  assert.equal(seen.headers['x-request-id'], 'req-abc');
  assert.equal(seen.headers['x-secret'], undefined);
  assert.equal(seen.headers['x-forwarded-for'], '192.0.2.10, 127.0.0.1');
  assert.equal(seen.headers['x-forwarded-proto'], 'http');
  assert.match(String(seen.headers.forwarded), /^for=127\.0\.0\.1;proto=http;host="127\.0\.0\.1:\d+"$/);
  assert.match(String(seen.headers.traceparent), /^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
  const forced = await r.get('/profile/7', { 'x-banyan-force': 'always' });
  assert.equal(forced.json.seen, 'new-only');
  legacy.setHandler(jsonHandler('legacy', (req) => ({ seen: req.headers['x-side-header'] ?? null })));
});

test('a PUT body larger than the buffer cap (kept for a replay) streams through whole, read part first', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024, 'x');
  const res = await r.client.request({ method: 'PUT', path: '/uploads/a', body: big, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(res.statusCode, 200);
  await res.body.text();
  assert.equal(fresh.received.at(-1)!.body.length, big.length);
});

test('response chunks reach the client as they come, not only at the end', { timeout: 10_000 }, async () => {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  legacy.setHandler((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first|');
    void released.then(() => res.end('second'));
  });
  const res = await r.client.request({ method: 'GET', path: '/anything/stream' });
  const iterator = res.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(Buffer.from(first.value as Buffer).toString(), 'first|', 'the first chunk arrived while the upstream was still sending');
  release();
  let rest = '';
  for (let n = await iterator.next(); !n.done; n = await iterator.next()) rest += Buffer.from(n.value as Buffer).toString();
  assert.equal(rest, 'second');
  legacy.setHandler(jsonHandler('legacy'));
});

test('a write that fails on new is replayed on legacy only when it carries an Idempotency-Key', async () => {
  fresh.setHandler((_req, res) => {
    res.writeHead(502);
    res.end();
  });
  const put = async (headers: Record<string, string>) => {
    const res = await r.client.request({ method: 'POST', path: '/uploads/b', body: '{"n":1}', headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.statusCode, side: res.headers['x-banyan-upstream'], body: await res.body.text() };
  };
  const plain = await put({});
  assert.deepEqual([plain.status, plain.side], [502, 'new'], 'a plain POST is not retried');
  const keyed = await put({ 'idempotency-key': 'k-9' });
  assert.deepEqual([keyed.status, keyed.side], [200, 'legacy']);
  assert.equal(legacy.received.at(-1)!.body, '{"n":1}', 'the buffered body was replayed');
  fresh.setHandler(jsonHandler('new'));
});

test('canary with shadow alongside: the client gets new, a legacy copy is compared', async () => {
  const outcomes: ShadowOutcome[] = [];
  const listener = (o: ShadowOutcome) => outcomes.push(o);
  r.router.control.on('shadow', listener);
  const before = legacy.received.length;
  const res = await r.get('/carts/5');
  assert.equal(res.json.side, 'new');
  await r.router.shadowIdle();
  r.router.control.off('shadow', listener);
  assert.ok(legacy.received.slice(before).some((q) => q.url === '/carts/5' && q.headers['x-banyan-shadow'] === '1'));
  assert.deepEqual(outcomes.map((o) => [o.routeId, o.matched]), [['carts', true]]);
});

test('the x-banyan-upstream header can be turned off; without forwardedHeader no Forwarded goes upstream', async () => {
  const quiet = await startRouter({ routesDir: dir.dir, watch: false, exposeUpstreamHeader: false });
  try {
    const res = await quiet.get('/profile/1');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-banyan-upstream'], undefined);
    const seen = legacy.received.at(-1)!;
    assert.equal(seen.headers.forwarded, undefined);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  } finally {
    await quiet.close();
  }
});

test('a JSON body field as cohort key keeps each customer on one side, and the body still reaches the upstream whole', async () => {
  const post = async (customer: number, amount: number) => {
    const body = JSON.stringify({ customer: { id: customer }, amount });
    const res = await r.client.request({ method: 'POST', path: '/payments', body, headers: { 'content-type': 'application/json' } });
    await res.body.text();
    const side = String(res.headers['x-banyan-upstream']);
    const received = (side === 'new' ? fresh : legacy).received.at(-1)!;
    assert.equal(received.body, body);
    return side;
  };
  const sides = new Map<number, string>();
  for (let customer = 1; customer <= 40; customer++) sides.set(customer, await post(customer, 1));
  for (let customer = 1; customer <= 40; customer++) assert.equal(await post(customer, 99), sides.get(customer), `customer ${customer}`);
  assert.ok(new Set(sides.values()).size === 2, 'at weight 50 both sides get customers');
  const noKey = await r.client.request({ method: 'POST', path: '/payments', body: '{"amount":1}', headers: { 'content-type': 'application/json' } });
  await noKey.body.text();
  assert.equal(noKey.headers['x-banyan-upstream'], 'legacy', 'on_missing_key: legacy');
});

test('HEAD and 204 answers pass through without a body', async () => {
  const head = await r.client.request({ method: 'HEAD', path: '/anything/head' });
  assert.equal(head.statusCode, 200);
  assert.equal(await head.body.text(), '');
  legacy.setHandler((_req, res) => {
    res.writeHead(204, { 'x-done': '1' });
    res.end();
  });
  const empty = await r.client.request({ method: 'DELETE', path: '/anything/x' });
  assert.equal(empty.statusCode, 204);
  assert.equal(empty.headers['x-done'], '1');
  assert.equal(await empty.body.text(), '');
  legacy.setHandler(jsonHandler('legacy'));
});

test('a client that goes away mid-upload of a buffered body ends its request quietly: nothing upstream, no internal error', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  const gone = await startRouter({ routesDir: dir.dir, watch: false, logger });
  try {
    const before = fresh.received.length + legacy.received.length;
    const { port } = new URL(gone.url);
    await new Promise<void>((resolve, reject) => {
      // A PUT on a `new` route is buffered for a possible replay on legacy; the client sends half its body and leaves.
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('PUT /uploads/half HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n' + 'x'.repeat(400));
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fresh.received.length + legacy.received.length, before, 'no upstream saw the half body');
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    assert.ok(logged.some((l) => l.msg === 'request body ended early'), 'the early end is logged at debug');
    assert.deepEqual(logged.filter((l) => l.level >= 50), [], 'no error (the internal-error path) was logged');
  } finally {
    await gone.close();
  }
});

test('behind a trusted front proxy the client address is the left-most X-Forwarded-For entry and the scheme the last X-Forwarded-Proto entry', async () => {
  const behind = await startRouter({ routesDir: dir.dir, watch: false, trustProxy: true });
  try {
    const res = await behind.get('/profile/3', { 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-forwarded-proto': 'http, https' });
    assert.equal(res.status, 200);
    const seen = legacy.received.at(-1)!;
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 10.0.0.1, 203.0.113.7');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
  } finally {
    await behind.close();
  }
});
