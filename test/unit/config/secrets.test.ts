import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { z } from 'zod';
import { recordMappingSchema } from '../../../src/codec/mapping/schema.ts';
import { checkConfigText } from '../../../src/config/load.ts';
import { secret, secretRedactPaths } from '../../../src/config/secrets.ts';
import { bridgeSpec } from '../../../src/config-catalog.ts';
import { gatewaySchema } from '../../../src/gateway-config.ts';

function logged(redact: string[], obj: object): Record<string, unknown> {
  let out = '';
  const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  pino({ redact }, sink).info(obj, 'config');
  return JSON.parse(out) as Record<string, unknown>;
}

test('a field the spec marks secret is redacted; fields merely named like credentials are logged', () => {
  const schema = z.strictObject({
    password: secret(z.string()),
    password_hint: z.string(),
    key_file: z.string(),
    token: z.string(),
    nested: z.strictObject({ api: z.strictObject({ credential: secret(z.string()).optional() }) }),
  });
  const paths = secretRedactPaths(schema);
  assert.deepEqual(paths, ['config.password', 'config.nested.api.credential']);
  const value = { password: 'pw-123', password_hint: 'the usual', key_file: 'certs/client.key', token: 'not-a-secret-here', nested: { api: { credential: 'c-456' } } };
  const line = logged(paths, { config: value });
  assert.deepEqual(line.config, {
    password: '[Redacted]',
    password_hint: 'the usual',
    key_file: 'certs/client.key',
    token: 'not-a-secret-here',
    nested: { api: { credential: '[Redacted]' } },
  });
});

test("banyan.yaml's secrets are the Kafka SASL password, the admin tokens and the JMS AMQP users' passwords, however they are given", () => {
  assert.deepEqual(secretRedactPaths(gatewaySchema), ['config.kafka.sasl.password', 'config.router.admin.tokens[*].token', 'config.jms.amqp.users[*].password']);
  const yaml = [
    'kafka:',
    '  brokers: ["${BROKERS}"]',
    '  sasl: { mechanism: plain, username: app, password: typed-in-literally }',
    '  ssl: { ca_file: ca.pem, cert_file: client.pem, key_file: client.key }',
    'http: { port: "${PORT}" }',
    'router:',
    '  admin:',
    '    tokens: [{ name: release-bot, token: "${ADMIN_TOKEN}" }, { name: ops, token: ops-token-0123456789 }]',
    '',
  ].join('\n');
  const r = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: { BROKERS: 'k:9092', PORT: '9555', ADMIN_TOKEN: 'bot-token-0123456789' } });
  assert.ok(r.ok);
  const config = logged(secretRedactPaths(gatewaySchema), { config: r.config.value }).config as {
    kafka: { brokers: string[]; sasl: Record<string, string>; ssl: Record<string, unknown> };
    http: { port: number };
    router: { admin: { tokens: Array<Record<string, string>> } };
  };
  assert.deepEqual(config.kafka.sasl, { mechanism: 'plain', username: 'app', password: '[Redacted]' });
  assert.deepEqual(config.router.admin.tokens, [
    { name: 'release-bot', token: '[Redacted]' },
    { name: 'ops', token: '[Redacted]' },
  ]);
  // ${ENV} is how a value stays out of git, not what it is: a port or a broker list is logged.
  assert.equal(config.http.port, 9555);
  assert.deepEqual(config.kafka.brokers, ['k:9092']);
  assert.equal(config.kafka.ssl.key_file, 'client.key');
});

test('bridge and record-mapping specs mark their credentials', () => {
  assert.deepEqual(secretRedactPaths(bridgeSpec.schema, 'bridge'), [
    'bridge.source.ibm_mq.password',
    'bridge.source.amqp.password',
    'bridge.source.db2_cdc.password',
    'bridge.sink.ibm_mq.password',
    'bridge.sink.amqp.password',
    'bridge.sink.http.secret_headers.*',
  ]);
  assert.deepEqual(secretRedactPaths(recordMappingSchema, 'mapping'), ['mapping.mask_hash_key']);
});

test('keys that are not identifiers, array items and record values become pino paths', () => {
  const schema = z.strictObject({
    'x-api': z.strictObject({ secret: secret(z.string()) }),
    list: z.array(z.strictObject({ pw: secret(z.string()) })),
    byName: z.record(z.string(), secret(z.string())),
  });
  assert.deepEqual(secretRedactPaths(schema, 'c'), ['c["x-api"].secret', 'c.list[*].pw', 'c.byName.*']);
});
