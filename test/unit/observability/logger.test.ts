import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { componentLogger, createRootLogger } from '../../../src/observability/logger.ts';
import { loadGatewayConfig } from '../../../src/gateway-config.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, destination };
}

test('the root logger writes JSON lines with a string level, ISO time and the component of each child', () => {
  const { lines, destination } = capture();
  const root = createRootLogger({ level: 'info', destination });
  componentLogger(root, 'bridge', { bridge: 'orders-mq' }).info({ records: 3 }, 'batch committed');
  componentLogger(root, 'bridge').debug('not written at info');
  assert.equal(lines.length, 1);
  const [line] = lines;
  assert.equal(line!.level, 'info');
  assert.equal(line!.service, 'banyan');
  assert.equal(line!.component, 'bridge');
  assert.equal(line!.bridge, 'orders-mq');
  assert.equal(line!.records, 3);
  assert.equal(line!.msg, 'batch committed');
  assert.match(String(line!.time), /^\d{4}-\d\d-\d\dT/);
});

test('a config loaded from banyan.yaml logs without the fields its spec marks secret, and with the rest', () => {
  const file = new URL('../../fixtures/config/valid/banyan.yaml', import.meta.url).pathname;
  const config = loadGatewayConfig(file, { env: { BANYAN_TEST_KAFKA_PASSWORD: 'hunter2-kafka', BANYAN_TEST_HTTP_PORT: '9555' } });
  const { lines, destination } = capture();
  const root = createRootLogger({ redact: config.log.redact, destination });
  root.info({ config }, 'starting gateway');
  const text = JSON.stringify(lines);
  assert.ok(!text.includes('hunter2-kafka'), text);
  const logged = lines[0]!.config as { kafka: { sasl: Record<string, unknown>; client_id: string }; http: { port: unknown } };
  assert.deepEqual(logged.kafka.sasl, { mechanism: 'scram-sha-512', username: 'banyan', password: '[Redacted]' });
  assert.equal(logged.http.port, 9555, 'a value from ${ENV} is not a secret unless its spec says so');
  assert.equal(logged.kafka.client_id, 'banyan-test');
  assert.ok(config.log.redact.includes('req.headers.cookie'), 'user redact paths are kept');
});
