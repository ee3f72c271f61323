import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfigText } from '../../../../src/config/load.ts';
import { gatewaySchema, resolveGatewayConfig } from '../../../../src/gateway-config.ts';
import { kafkaConnectionOf, topicDefaultsOf } from '../../../../src/connectors/kafka/settings.ts';
import { kafkaConnectionSchema } from '../../../../src/connectors/kafka/spec.ts';
import { kafkajsConfigOf } from '../../../../src/connectors/kafka/client.ts';

function kafkaSettings(yaml: string, baseDir = '/srv') {
  const r = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: { PW: 'secret-pw' } });
  assert.ok(r.ok);
  return resolveGatewayConfig(r.config.value, baseDir).kafka;
}

test("banyan.yaml's kafka block is the connector's connection spec plus topic defaults and the embedded broker", () => {
  const settings = kafkaSettings(
    'kafka:\n  client_id: gw\n  ssl: { ca_file: certs/ca.pem, reject_unauthorized: false }\n  sasl: { mechanism: scram-sha-256, username: u, password: "${PW}" }\n',
  );
  const input = kafkaConnectionOf(settings, ['k:9092']);
  assert.deepEqual(input, {
    brokers: ['k:9092'],
    client_id: 'gw',
    ssl: { ca_file: '/srv/certs/ca.pem', cert_file: undefined, key_file: undefined, reject_unauthorized: false },
    sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'secret-pw' },
    connection_timeout_ms: 3000,
    request_timeout_ms: 30000,
  });
  assert.ok(kafkaConnectionSchema.safeParse(input).success);
});

test('topic defaults carry partitions and the replication factor', () => {
  assert.deepEqual(topicDefaultsOf(kafkaSettings('kafka: { topics: { partitions: 12, replication: 3 } }\n')), { partitions: 12, replicationFactor: 3 });
});

test('the client config reads PEM files named relative to banyan.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-tls-'));
  writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
  const config = kafkajsConfigOf(kafkaConnectionOf(kafkaSettings('kafka: { ssl: { ca_file: ca.pem } }\n', dir), ['k:9093']));
  assert.deepEqual(config.brokers, ['k:9093']);
  // The connector hands tls.connect the PEM text itself (a string; tls also accepts an array).
  const ssl = config.ssl as { ca: string; rejectUnauthorized: boolean };
  assert.equal(ssl.ca, '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
  assert.equal(ssl.rejectUnauthorized, true);
});
