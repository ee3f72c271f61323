import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfigText } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/issues.ts';
import { DEFAULT_EMBEDDED_DATA_DIR } from '../../src/connectors/kafka/spec.ts';
import { gatewaySchema } from '../../src/gateway-config.ts';

function parse(text: string, env: NodeJS.ProcessEnv = {}) {
  const r = checkConfigText('banyan.yaml', text, gatewaySchema, { env });
  if (!r.ok) assert.fail(r.issues.map(formatIssue).join('\n'));
  return r.config.value;
}

function issues(text: string, env: NodeJS.ProcessEnv = {}) {
  const r = checkConfigText('banyan.yaml', text, gatewaySchema, { env });
  assert.equal(r.ok, false);
  return r.ok ? [] : r.issues.map(formatIssue);
}

test('an empty banyan.yaml means embedded Kafka under .banyan/kafka, metrics on loopback, info logs, no router', () => {
  const c = parse('{}\n');
  assert.equal(c.kafka.brokers, undefined);
  assert.equal(c.kafka.embedded.data_dir, DEFAULT_EMBEDDED_DATA_DIR);
  assert.equal(c.kafka.client_id, 'banyan');
  assert.deepEqual(c.kafka.topics, { partitions: 3, replication: 1 });
  assert.deepEqual(c.http, { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(c.log, { level: 'info', redact: [] });
  assert.equal(c.router, undefined);
  assert.deepEqual(c.paths, { bridges: 'bridges', mappings: 'mappings' });
});

test('brokers come from a list or from one comma-separated environment variable', () => {
  assert.deepEqual(parse('kafka: { brokers: [a:1, b:2] }\n').kafka.brokers, ['a:1', 'b:2']);
  assert.deepEqual(parse('kafka: { brokers: "${B}" }\n', { B: 'kafka:9092, other:9093' }).kafka.brokers, ['kafka:9092', 'other:9093']);
});

test('IPv6 brokers are accepted in brackets, in a list and from the environment', () => {
  assert.deepEqual(parse('kafka: { brokers: ["[::1]:9092", "[fd00::2]:9093"] }\n').kafka.brokers, ['[::1]:9092', '[fd00::2]:9093']);
  assert.deepEqual(parse('kafka: { brokers: "${B}" }\n', { B: '[::1]:9092,127.0.0.1:9093' }).kafka.brokers, ['[::1]:9092', '127.0.0.1:9093']);
});

test('an unset broker variable with an empty default keeps the embedded Kafka', () => {
  assert.equal(parse('kafka: { brokers: "${BANYAN_KAFKA_BROKERS:-}" }\n').kafka.brokers, undefined);
});

test('numbers and booleans interpolated from the environment are typed like literals', () => {
  const c = parse('http: { port: "${P}" }\nkafka: { ssl: "${TLS}", topics: { partitions: "${N}" } }\n', { P: '9100', TLS: 'true', N: '12' });
  assert.equal(c.http.port, 9100);
  assert.equal(c.kafka.ssl, true);
  assert.equal(c.kafka.topics.partitions, 12);
});

test('a broker that is not host:port, a bad SASL mechanism and a typo in a nested key are reported at their place', () => {
  assert.deepEqual(issues('kafka:\n  brokers: [localhost]\n  sasl: { mechanism: gssapi, username: u, password: p }\n  topics: { partitons: 3 }\n'), [
    'banyan.yaml:2:13: format: expected host:port or [IPv6]:port, e.g. 127.0.0.1:9092 or [::1]:9092 (at kafka.brokers[0])',
    'banyan.yaml:3:22: enum: Invalid option: expected one of "plain"|"scram-sha-256"|"scram-sha-512" (at kafka.sasl.mechanism)',
    'banyan.yaml:4:13: unknown-key: unknown key "partitons" (at kafka.topics.partitons)',
  ]);
});

test('a port out of range and a replication factor of zero are range errors', () => {
  assert.deepEqual(issues('http: { port: 70000 }\nkafka: { topics: { replication: 0 } }\n'), [
    'banyan.yaml:1:15: range: Too big: expected number to be <=65535 (at http.port)',
    'banyan.yaml:2:33: range: Too small: expected number to be >=1 (at kafka.topics.replication)',
  ]);
});

test('router header settings: x-banyan-upstream on, proxy headers untrusted and no RFC 7239 Forwarded unless set', () => {
  const defaults = parse('router: {}\n').router!;
  assert.equal(defaults.expose_upstream_header, true);
  assert.equal(defaults.trust_proxy, false);
  assert.equal(defaults.forwarded_header, false);
  const set = parse('router: { expose_upstream_header: false, trust_proxy: true, forwarded_header: true }\n').router!;
  assert.deepEqual([set.expose_upstream_header, set.trust_proxy, set.forwarded_header], [false, true, true]);
  assert.deepEqual(issues('router:\n  forwarded_header: yes-please\n'), [
    'banyan.yaml:2:21: type: Invalid input: expected boolean, received string (at router.forwarded_header)',
  ]);
});

test('a camelCase spelling of a banyan.yaml key is reported with the snake_case key it stands for', () => {
  assert.deepEqual(issues('kafka:\n  clientId: gw\nrouter: { mismatchTopic: t, retries: 1 }\n'), [
    "banyan.yaml:2:3: renamed-key: 'clientId' is now 'client_id' (at kafka.clientId)",
    "banyan.yaml:3:11: renamed-key: 'mismatchTopic' is now 'mismatch_topic' (at router.mismatchTopic)",
    'banyan.yaml:3:29: unknown-key: unknown key "retries" (at router.retries)',
  ]);
});
