/**
 * What the data plane answers when it cannot serve a request: the status comes from the error
 * code's spec (src/router/errors.ts), the body is `{ code, message, requestId }`. Byte for byte:
 * scripts and front proxies read these answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { UpstreamBreakers } from '../../../../src/router/breaker/upstream-breakers.ts';
import { loadRouteDirectory } from '../../../../src/router/config/load-routes.ts';
import { RouteRegistry } from '../../../../src/router/config/route-registry.ts';
import { RouterErrors } from '../../../../src/router/errors.ts';
import { createEventBus } from '../../../../src/router/proxy/event-bus.ts';
import { routeRequest } from '../../../../src/router/proxy/route-request.ts';

const LEGACY = 'http://legacy.invalid:8080';

/** Serves routeRequest with a breaker set whose every call rejects with `failure`; returns the raw answer. */
async function answerTo(path: string, failure: unknown): Promise<{ status: number; headers: Record<string, string>; body: string; eventStatus?: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-error-responses-'));
  writeFileSync(join(dir, 'quotes.yaml'), `routes:\n  - id: quotes\n    match: { path: /quotes }\n    legacy: { url: ${LEGACY} }\n`);
  const loaded = loadRouteDirectory(dir);
  rmSync(dir, { recursive: true, force: true });
  assert.ok(loaded.ok);
  const registry = new RouteRegistry();
  registry.replace(loaded.table);
  const breakers: UpstreamBreakers = {
    call: () => Promise.reject(failure),
    state: () => 'closed',
    onChange: () => {},
    shutdown: () => {},
  };
  const events = createEventBus(() => {});
  let eventStatus: number | undefined;
  events.on('request', (o) => (eventStatus = o.status));
  const ctx = { registry, breakers, events, logger: pino({ level: 'silent' }), exposeUpstreamHeader: true, forwarding: { forwardedHeader: false } };
  const server = createServer((req, res) => void routeRequest(ctx, req, res, { ip: '127.0.0.1', protocol: 'http', host: req.headers.host }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-request-id': 'req-1' } });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length', 'x-request-id', 'x-banyan-upstream']) {
      const v = res.headers.get(name);
      if (v !== null) headers[name] = v;
    }
    return { status: res.status, headers, body: await res.text(), eventStatus };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function expected(status: number, body: string, eventStatus?: number) {
  return { status, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-request-id': 'req-1' }, body, eventStatus };
}

test('no matching route: 404 BANYAN_ERR_ROUTER_NO_ROUTE', async () => {
  assert.deepEqual(
    await answerTo('/nowhere?x=1', new Error('not called')),
    expected(404, '{"code":"BANYAN_ERR_ROUTER_NO_ROUTE","message":"no route matches GET /nowhere and no default route is configured","requestId":"req-1"}'),
  );
});

test('an upstream that does not answer in time: 504 BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT', async () => {
  assert.deepEqual(
    await answerTo('/quotes', new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT(LEGACY, 300)),
    expected(504, `{"code":"BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT","message":"upstream ${LEGACY} did not answer within 300 ms","requestId":"req-1"}`, 504),
  );
});

test('an open breaker (opossum EOPENBREAKER): 503 BANYAN_ERR_ROUTER_BREAKER_OPEN', async () => {
  assert.deepEqual(
    await answerTo('/quotes', Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' })),
    expected(503, `{"code":"BANYAN_ERR_ROUTER_BREAKER_OPEN","message":"breaker of upstream ${LEGACY} is open","requestId":"req-1"}`, 503),
  );
});

test('an unreachable upstream, coded or not: 502 BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE', async () => {
  assert.deepEqual(
    await answerTo('/quotes', new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE(LEGACY, 'connect ECONNREFUSED')),
    expected(502, `{"code":"BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE","message":"upstream ${LEGACY} failed: connect ECONNREFUSED","requestId":"req-1"}`, 502),
  );
  assert.deepEqual(
    await answerTo('/quotes', new Error('socket hang up')),
    expected(502, `{"code":"BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE","message":"upstream ${LEGACY} failed: socket hang up","requestId":"req-1"}`, 502),
  );
});
