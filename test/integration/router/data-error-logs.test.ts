/**
 * The router logs errors through pino's `err` serializer (never `err: String(err)`): each error line
 * carries `err.type`, `err.message`, `err.stack` and the error's `code`, for the upstream the router
 * could not reach, the new side it fell back from, a failed mismatch sink, a failing event listener
 * and the Kafka mismatch sink's failed publish.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { PublishRecord } from '../../../src/connectors/kafka/index.ts';
import { KafkaErrors } from '../../../src/connectors/kafka/errors.ts';
import { createRootLogger } from '../../../src/observability/logger.ts';
import { RouterErrors } from '../../../src/router/errors.ts';
import { createKafkaMismatchSink } from '../../../src/router/shadow/kafka-mismatch-sink.ts';
import { jsonHandler, routesDir, startRouter, startUpstream } from './data-harness.ts';

interface ErrLine {
  msg: string;
  err?: { type?: string; message?: string; stack?: string; code?: string };
}

function capture() {
  const lines: ErrLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as ErrLine);
      cb();
    },
  });
  return { logger: createRootLogger({ level: 'debug', destination }), lines };
}

/** `http://127.0.0.1:<port>` where nothing listens: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function assertErrorLine(lines: readonly ErrLine[], msg: string, expected: { type: string; code: string; message: RegExp }): void {
  const line = lines.find((l) => l.msg === msg);
  assert.ok(line, `no "${msg}" line in ${JSON.stringify(lines.map((l) => l.msg))}`);
  assert.equal(typeof line.err, 'object', `${msg}: err is serialized as an object, not a string: ${JSON.stringify(line.err)}`);
  assert.equal(line.err!.type, expected.type, msg);
  assert.equal(line.err!.code, expected.code, msg);
  assert.match(line.err!.message ?? '', expected.message, msg);
  assert.match(line.err!.stack ?? '', /\n\s+at /, `${msg}: err.stack is a stack trace`);
}

test('upstream and fallback failures, a failed mismatch sink and a failing listener are logged with err.type, message, stack and code', async () => {
  const down = await closedPortUrl();
  const legacy = await startUpstream(jsonHandler('legacy'));
  const fresh = await startUpstream(jsonHandler('new', () => ({ total: '7.00' })));
  const failing = await startUpstream((_req, res) => res.writeHead(503, { 'set-cookie': 'session=secret' }).end('down'));
  const dir = routesDir({
    'routes.yaml': `
routes:
  - id: unreachable
    match: { path: /unreachable }
    legacy: { url: ${down} }
  - id: fallback
    match: { path: /fallback }
    legacy: { url: ${legacy.url} }
    new: { url: ${down} }
    mode: new
  - id: answers-503
    match: { path: /answers-503 }
    legacy: { url: ${legacy.url} }
    new: { url: ${failing.url} }
    mode: new
  - id: shadowed
    match: { path: /shadowed }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: shadow
`,
  });
  const { logger, lines } = capture();
  const sinkDown = new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE(1, 'KafkaJSConnectionError: Connection error');
  const r = await startRouter({
    routesDir: dir.dir,
    watch: false,
    logger,
    random: () => 0.99, // no second legacy call for noise
    mismatchSink: { publish: async () => Promise.reject(sinkDown) },
  });
  let thrown = 0;
  r.router.control.on('request', () => {
    if (thrown++ === 0) throw new RouterErrors.BANYAN_ERR_ROUTER_INTERNAL('listener', 'stats broke');
  });
  try {
    assert.equal((await r.get('/unreachable')).status, 502);
    const fellBack = await r.get('/fallback');
    assert.equal(fellBack.headers['x-banyan-upstream'], 'legacy');
    assert.equal((await r.get('/answers-503')).headers['x-banyan-upstream'], 'legacy');
    assert.equal((await r.get('/shadowed')).status, 200);
    await r.router.shadowIdle();
  } finally {
    await r.close();
    await legacy.close();
    await fresh.close();
    await failing.close();
    dir.remove();
  }

  assertErrorLine(lines, 'upstream failed', { type: 'BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE', code: 'BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE', message: /ECONNREFUSED/ });
  assertErrorLine(lines, 'new side failed; falling back to legacy', { type: 'BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE', code: 'BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE', message: /ECONNREFUSED/ });
  // A 5xx answer is logged by status, without the response (its headers may set cookies, its body is a stream).
  const status = lines.find((l) => l.msg === 'new side failed; falling back to legacy' && (l as { route?: string }).route === 'answers-503');
  assert.ok(status?.err);
  assert.deepEqual(
    [status.err.type, (status.err as { status?: number }).status, 'response' in status.err, /\n\s+at /.test(status.err.stack ?? '')],
    ['UpstreamStatusError', 503, false, true],
  );
  assertErrorLine(lines, 'mismatch sink failed', { type: 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE', code: 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE', message: /Connection error/ });
  assertErrorLine(lines, 'router event listener failed', { type: 'BANYAN_ERR_ROUTER_INTERNAL', code: 'BANYAN_ERR_ROUTER_INTERNAL', message: /stats broke/ });
});

test('the Kafka mismatch sink logs a failed publish with err.type, message, stack and code', async () => {
  const { logger, lines } = capture();
  const publisher = {
    async publish(_batch: readonly PublishRecord[]): Promise<never> {
      throw new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE(1, 'KafkaJSConnectionError: Connection error');
    },
  };
  const sink = createKafkaMismatchSink({ publisher, topic: 'mismatches', logger });
  await sink.publish({
    routeId: 'a',
    at: 1,
    requestId: 'r-1',
    request: { method: 'GET', url: '/x' },
    legacy: { status: 200, headers: {}, body: '{"a":1}' },
    candidate: { status: 200, headers: {}, body: '{"a":2}' },
    fields: [{ path: 'body.a', legacy: 1, candidate: 2 }],
  });
  await sink.flush();
  assertErrorLine(lines, 'mismatch records not published', {
    type: 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE',
    code: 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE',
    message: /Connection error/,
  });
});
