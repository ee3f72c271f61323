/**
 * The HTTP delivery target against real HTTP services on 127.0.0.1 (node:http): every outcome
 * class, real timeouts and refused connections, the idempotency key, templating, keep-alive, and
 * the breaker opening, refusing without sending, probing and closing again.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createHttpTarget } from '../../../../src/connectors/http/http-target.ts';
import { checkConfigText } from '../../../../src/config/load.ts';
import { httpSinkSchema, type HttpSinkInput } from '../../../../src/connectors/http/spec.ts';
import type { DeliveryOutcome, DeliveryRecord, DeliveryTarget, TargetAvailability } from '../../../../src/retry/delivery-target.ts';
import { freePort, respond, startTargetServer, type TargetServer } from './target-server.ts';

const open: Array<{ close(): Promise<void> }> = [];
after(async () => {
  for (const o of open.reverse()) await o.close();
});

async function server(...args: Parameters<typeof startTargetServer>): Promise<TargetServer> {
  const s = await startTargetServer(...args);
  open.push(s);
  return s;
}

function target(settings: Omit<HttpSinkInput, 'name'> & { name?: string }, deps: Parameters<typeof createHttpTarget>[1] = {}): DeliveryTarget {
  const t = createHttpTarget({ name: 'accounts', ...settings }, deps);
  open.push(t);
  return t;
}

let offset = 0;
function event(value: unknown, attempt = 1, eventId?: string): DeliveryRecord {
  const o = String(offset++);
  return {
    originalTopic: 'legacy.accounts.v1',
    originalPartition: 0,
    originalOffset: o,
    key: Buffer.from('ACC-1'),
    value: value === null ? null : Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: Date.UTC(2026, 11, 2),
    eventId: eventId ?? `legacy.accounts.v1/0/${o}`,
    attempt,
  };
}

const live = () => new AbortController().signal;
const failure = (o: DeliveryOutcome) => (o.kind === 'retriable' || o.kind === 'permanent' ? o.failure : undefined);

/** The next availability change the target reports. */
function nextAvailability(t: DeliveryTarget): Promise<TargetAvailability> {
  return new Promise((resolve) => {
    const off = t.onAvailability((a) => {
      off();
      resolve(a);
    });
  });
}

describe('delivering', () => {
  it('sends method, encoded URL, headers, idempotency key and the value, and reports delivered', async () => {
    const s = await server(respond(201));
    const t = target({
      method: 'PUT',
      url: `${s.url}/v1/accounts/{after.ACCOUNT_ID}?branch={after.BRANCH}`,
      headers: { 'X-Source': 'banyan', 'X-Branch': '{after.BRANCH}' },
      secret_headers: { Authorization: 'Bearer s3cret' },
    });
    const value = { op: 'u', after: { ACCOUNT_ID: 'ACC 1/2', BRANCH: 'ZH', BALANCE: 10.5 } };
    const e = event(value);
    assert.deepEqual(await t.deliver(e, live()), { kind: 'delivered', status: 201 });
    const [r] = s.received;
    assert.equal(r!.method, 'PUT');
    assert.equal(r!.url, '/v1/accounts/ACC%201%2F2?branch=ZH');
    assert.equal(r!.headers['idempotency-key'], e.eventId);
    assert.equal(r!.headers['x-source'], 'banyan');
    assert.equal(r!.headers['x-branch'], 'ZH');
    assert.equal(r!.headers.authorization, 'Bearer s3cret');
    assert.equal(r!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r!.body), value);
  });

  it('projects the body, keeping decimal text exact', async () => {
    const s = await server(respond(200));
    const t = target({ url: `${s.url}/balances`, body: { id: 'after.ACCOUNT_ID', balance: 'after.BALANCE' } });
    const e = event(null);
    const withExactNumber = { ...e, value: Buffer.from('{"after":{"ACCOUNT_ID":"A-9","BALANCE":12345678901234567.80}}') };
    assert.equal((await t.deliver(withExactNumber, live())).kind, 'delivered');
    assert.equal(s.received[0]!.body, '{"id":"A-9","balance":12345678901234567.80}');
  });

  it('reuses its keep-alive connection for successive deliveries, also after error answers with a body', async () => {
    const s = await server(respond(200));
    // One pooled connection, so reuse is visible: every request must come on connection 0.
    const t = target({ url: `${s.url}/events`, connections: 1 });
    for (let i = 0; i < 5; i++) assert.equal((await t.deliver(event({ i }), live())).kind, 'delivered');
    s.answer(respond(400, { 'content-type': 'text/plain' }, 'x'.repeat(4000)));
    assert.equal((await t.deliver(event({ i: 5 }), live())).kind, 'permanent');
    s.answer(respond(200));
    assert.equal((await t.deliver(event({ i: 6 }), live())).kind, 'delivered');
    assert.deepEqual(s.received.map((r) => r.connection), [0, 0, 0, 0, 0, 0, 0]);
  });

  it('sends the same idempotency key on every attempt of an event, and its eventId as given', async () => {
    let calls = 0;
    const s = await server((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200).end();
    });
    const t = target({ url: `${s.url}/events`, idempotency_header: 'X-Idempotency-Key' });
    const first = event({ a: 1 }, 1, 'evt-42');
    const outcomes = [];
    for (let attempt = 1; attempt <= 3; attempt++) outcomes.push((await t.deliver({ ...first, attempt }, live())).kind);
    assert.deepEqual(outcomes, ['retriable', 'retriable', 'delivered']);
    assert.deepEqual(s.received.map((r) => r.headers['x-idempotency-key']), ['evt-42', 'evt-42', 'evt-42']);
  });

  it('reports each delivery to the instrumentation', async () => {
    const s = await server(respond(204));
    const seen: string[] = [];
    const t = target({ url: `${s.url}/events` }, { events: { delivered: (e) => seen.push(`${e.target} ${e.eventId} ${e.attempt} ${e.outcome.kind}`) } });
    const e = event({ a: 1 }, 2);
    await t.deliver(e, live());
    assert.deepEqual(seen, [`accounts ${e.eventId} 2 delivered`]);
  });
});

describe('outcome classes from real answers', () => {
  const cases: Array<[string, number, Record<string, string>, string, Omit<HttpSinkInput, 'name' | 'url'>, Partial<{ kind: string; retryAfterMs: number; status: number; message: string }>]> = [
    ['500', 500, {}, '', {}, { kind: 'retriable', status: 500 }],
    ['503', 503, {}, 'maintenance', {}, { kind: 'retriable', status: 503, message: 'the target answered 503: maintenance' }],
    ['408', 408, {}, '', {}, { kind: 'retriable', status: 408 }],
    ['429 with Retry-After seconds', 429, { 'retry-after': '7' }, '', {}, { kind: 'retriable', status: 429, retryAfterMs: 7000 }],
    ['503 with a Retry-After date', 503, { 'retry-after': 'Wed, 02 Dec 2026 12:00:30 GMT' }, '', {}, { kind: 'retriable', status: 503, retryAfterMs: 30_000 }],
    ['429 with a Retry-After over the cap', 429, { 'retry-after': '3600' }, '', { outcomes: { retry_after_max_ms: 60_000 } }, { kind: 'retriable', retryAfterMs: 60_000 }],
    ['400 with the service\'s reason', 400, { 'content-type': 'application/json' }, '{"error":"BALANCE malformed"}', {}, { kind: 'permanent', status: 400, message: 'the target answered 400: {"error":"BALANCE malformed"}' }],
    ['404', 404, {}, '', {}, { kind: 'permanent', status: 404 }],
    ['409 made retriable by the target', 409, {}, '', { outcomes: { retriable_statuses: [409] } }, { kind: 'retriable', status: 409 }],
    ['501 made permanent by the target', 501, {}, '', { outcomes: { permanent_statuses: [501] } }, { kind: 'permanent', status: 501 }],
    ['409 counted as delivered by the target', 409, {}, '', { outcomes: { delivered_statuses: [409] } }, { kind: 'delivered', status: 409 }],
    ['a redirect is not followed', 302, { location: '/elsewhere' }, '', {}, { kind: 'permanent', status: 302 }],
  ];
  for (const [name, status, headers, body, settings, expected] of cases) {
    it(`${name} -> ${expected.kind}`, async () => {
      const s = await server(respond(status, headers, body));
      const t = target({ url: `${s.url}/events`, ...settings }, { clock: () => Date.UTC(2026, 11, 2, 12, 0, 0) });
      const outcome = await t.deliver(event({ a: 1 }), live());
      assert.equal(outcome.kind, expected.kind);
      if (outcome.kind === 'delivered') assert.equal(outcome.status, expected.status);
      if (expected.status !== undefined && outcome.kind !== 'delivered') assert.equal(failure(outcome)?.status, expected.status);
      if (expected.message !== undefined) assert.equal(failure(outcome)?.message, expected.message);
      if (outcome.kind === 'retriable') assert.equal(outcome.retryAfterMs, expected.retryAfterMs);
      if (failure(outcome)) assert.equal(failure(outcome)!.errorClass, 'HttpStatus');
    });
  }
});

describe('failures without an answer', () => {
  it('a service that never answers: Timeout after timeout_ms, retriable', async () => {
    const s = await server(() => {});
    const t = target({ url: `${s.url}/slow`, timeout_ms: 150 });
    const outcome = await t.deliver(event({ a: 1 }), live());
    assert.equal(outcome.kind, 'retriable');
    assert.deepEqual(failure(outcome), { errorClass: 'Timeout', message: 'no answer within timeout_ms (150 ms)' });
    assert.equal(s.received.length, 1);
  });

  it('an error answer whose body stalls is a Timeout; a 2xx whose body stalls is delivered (its status is the acknowledgement)', async () => {
    let status = 503;
    const s = await server((_req, res) => {
      res.writeHead(status, { 'content-length': '100' });
      res.write('partial');
    });
    const t = target({ url: `${s.url}/slow`, timeout_ms: 150 });
    assert.equal(failure(await t.deliver(event({ a: 1 }), live()))?.errorClass, 'Timeout');
    status = 200;
    assert.deepEqual(await t.deliver(event({ a: 2 }), live()), { kind: 'delivered', status: 200 });
  });

  it('nothing listening: ConnectionRefused, retriable', async () => {
    const port = await freePort();
    const t = target({ url: `http://127.0.0.1:${port}/events` });
    const outcome = await t.deliver(event({ a: 1 }), live());
    assert.equal(outcome.kind, 'retriable');
    assert.equal(failure(outcome)?.errorClass, 'ConnectionRefused');
    assert.match(failure(outcome)!.message, /ECONNREFUSED/);
  });

  it('the service drops the connection mid-request: ConnectionReset, retriable', async () => {
    const s = await server((_req, _res, socket) => socket.destroy());
    const t = target({ url: `${s.url}/events` });
    const outcome = await t.deliver(event({ a: 1 }), live());
    assert.equal(outcome.kind, 'retriable');
    assert.equal(failure(outcome)?.errorClass, 'ConnectionReset');
  });

  it('the caller\'s signal aborts a delivery in flight: retriable Aborted', async () => {
    const s = await server(() => {});
    const t = target({ url: `${s.url}/slow`, timeout_ms: 60_000 });
    const controller = new AbortController();
    const pending = t.deliver(event({ a: 1 }), controller.signal);
    while (s.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    assert.equal(failure(await pending)?.errorClass, 'Aborted');
  });

  it('an already aborted signal sends nothing', async () => {
    const s = await server(respond(200));
    const t = target({ url: `${s.url}/events` });
    const controller = new AbortController();
    controller.abort();
    assert.equal(failure(await t.deliver(event({ a: 1 }), controller.signal))?.errorClass, 'Aborted');
    assert.equal(s.received.length, 0);
  });

  it('an event without the field the URL needs fails permanently and sends nothing', async () => {
    const s = await server(respond(200));
    const t = target({ url: `${s.url}/accounts/{after.ACCOUNT_ID}` });
    const outcome = await t.deliver(event({ before: { ACCOUNT_ID: 'A' }, after: null }), live());
    assert.equal(outcome.kind, 'permanent');
    assert.equal(failure(outcome)?.errorClass, 'BANYAN_ERR_HTTP_FIELD_MISSING');
    assert.match(failure(outcome)!.message, /the url needs field "after.ACCOUNT_ID", which is missing \(after is null\)/);
    assert.equal(s.received.length, 0);
  });

  it('takes the config as a bridge file\'s parsed sink gives it', async () => {
    const s = await server(respond(200));
    const checked = checkConfigText('bridges/accounts-http.yaml', `name: accounts-http\nurl: ${s.url}/accounts/{after.ID}\ntimeout_ms: \${TIMEOUT}\n`, httpSinkSchema, { env: { TIMEOUT: '2000' } });
    assert.ok(checked.ok);
    const t = createHttpTarget(checked.config.value);
    open.push(t);
    assert.equal(t.name, 'accounts-http');
    assert.equal((await t.deliver(event({ after: { ID: 7 } }), live())).kind, 'delivered');
    assert.equal(s.received[0]!.url, '/accounts/7');
  });

  it('an invalid config throws at construction, naming the target and the key', () => {
    assert.throws(() => createHttpTarget({ name: 'bad', url: 'https://{after.HOST}/x' }), {
      code: 'BANYAN_ERR_HTTP_CONFIG_INVALID',
      message: 'http target bad: url: the host and port must be fixed: placeholders go into the path and query only',
    });
  });
});

describe('the breaker', () => {
  const breaker = { volume_threshold: 2, error_threshold_percentage: 50, reset_timeout_ms: 200 };

  it('opens after failures, refuses without sending, probes once after reset_timeout, and closes on a good probe', async () => {
    const s = await server(respond(503));
    const t = target({ url: `${s.url}/events`, breaker });
    const changes: TargetAvailability[] = [];
    t.onAvailability((a) => changes.push(a));

    const opened = nextAvailability(t);
    const kinds: string[] = [];
    // opossum judges the rate once volume_threshold deliveries are in the window: the 2nd failure opens it.
    for (let i = 0; i < 2; i++) kinds.push((await t.deliver(event({ i }), live())).kind);
    assert.equal(await opened, 'unavailable');
    assert.deepEqual(kinds, ['retriable', 'retriable']);

    const sentBefore = s.received.length;
    for (let i = 0; i < 5; i++) assert.deepEqual(await t.deliver(event({ i }), live()), { kind: 'unavailable' });
    assert.equal(s.received.length, sentBefore, 'no request may reach the service while the breaker is open');

    s.answer(respond(200));
    assert.equal(await nextAvailability(t), 'probing');
    const closed = nextAvailability(t);
    assert.equal((await t.deliver(event({ probe: true }), live())).kind, 'delivered');
    assert.equal(await closed, 'available');
    assert.equal((await t.deliver(event({ after: true }), live())).kind, 'delivered');
    assert.deepEqual(changes, ['unavailable', 'probing', 'available']);
  });

  it('a failed probe opens it again; while the one probe is in flight, other deliveries are refused unsent', async () => {
    const s = await server(respond(503));
    const t = target({ url: `${s.url}/events`, breaker, timeout_ms: 5_000 });
    const opened = nextAvailability(t);
    for (let i = 0; i < 2; i++) await t.deliver(event({ i }), live());
    assert.equal(await opened, 'unavailable');
    assert.equal(await nextAvailability(t), 'probing');

    // The probe hangs until the test answers it; meanwhile a second delivery must not be sent.
    let release: (() => void) | undefined;
    s.answer((_req, res) => {
      release = () => res.writeHead(503).end();
    });
    const probe = t.deliver(event({ probe: 1 }), live());
    while (release === undefined) await new Promise((r) => setTimeout(r, 5));
    const sent = s.received.length;
    assert.deepEqual(await t.deliver(event({ during: 1 }), live()), { kind: 'unavailable' });
    assert.equal(s.received.length, sent);

    const reopened = nextAvailability(t);
    release();
    assert.equal((await probe).kind, 'retriable');
    assert.equal(await reopened, 'unavailable');
    assert.deepEqual(await t.deliver(event({ after: 1 }), live()), { kind: 'unavailable' });
  });

  it('timeouts and refused connections count toward opening it', async () => {
    const port = await freePort();
    const t = target({ url: `http://127.0.0.1:${port}/events`, breaker });
    const opened = nextAvailability(t);
    for (let i = 0; i < 2; i++) assert.equal(failure(await t.deliver(event({ i }), live()))?.errorClass, 'ConnectionRefused');
    assert.equal(await opened, 'unavailable');
    assert.deepEqual(await t.deliver(event({ i: 3 }), live()), { kind: 'unavailable' });

    const hanging = await server(() => {});
    const slow = target({ url: `${hanging.url}/events`, breaker, timeout_ms: 100 });
    const slowOpened = nextAvailability(slow);
    for (let i = 0; i < 2; i++) assert.equal(failure(await slow.deliver(event({ i }), live()))?.errorClass, 'Timeout');
    assert.equal(await slowOpened, 'unavailable');
  });

  it('permanent 4xx answers and bad events do not open it: a healthy service refusing bad events', async () => {
    const s = await server(respond(400));
    const t = target({ url: `${s.url}/accounts/{after.ID}`, breaker });
    const changes: TargetAvailability[] = [];
    t.onAvailability((a) => changes.push(a));
    for (let i = 0; i < 10; i++) assert.equal((await t.deliver(event({ after: { ID: `A${i}` } }), live())).kind, 'permanent');
    for (let i = 0; i < 10; i++) assert.equal((await t.deliver(event({ after: {} }), live())).kind, 'permanent');
    assert.equal(s.received.length, 10);
    s.answer(respond(200));
    assert.equal((await t.deliver(event({ after: { ID: 'ok' } }), live())).kind, 'delivered');
    assert.deepEqual(changes, []);
  });

  it('a removed listener hears nothing more', async () => {
    const s = await server(respond(503));
    const t = target({ url: `${s.url}/events`, breaker });
    const heard: TargetAvailability[] = [];
    const off = t.onAvailability((a) => heard.push(a));
    off();
    const opened = nextAvailability(t);
    for (let i = 0; i < 2; i++) await t.deliver(event({ i }), live());
    await opened;
    assert.deepEqual(heard, []);
  });
});

describe('closing', () => {
  it('close() ends the pool\'s keep-alive connections; a given dispatcher is left open', async () => {
    const s = await server(respond(200));
    const t = createHttpTarget({ name: 'accounts', url: `${s.url}/events` });
    await t.deliver(event({ a: 1 }), live());
    await t.close();
    assert.deepEqual(await t.deliver(event({ a: 2 }), live()), { kind: 'unavailable' });
    assert.equal(s.received.length, 1);

    const { Agent } = await import('undici');
    const agent = new Agent();
    open.push(agent);
    const shared = createHttpTarget({ name: 'accounts', url: `${s.url}/events` }, { dispatcher: agent });
    await shared.deliver(event({ a: 3 }), live());
    await shared.close();
    assert.equal(agent.closed, false);
  });
});
