import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKafkaClient } from '../../../../src/connectors/kafka/client.ts';
import { DEFAULT_TOPIC_PARTITIONS, kafkaConnectionSchema, kafkaSettingsSchema, topicSettingsSchema } from '../../../../src/connectors/kafka/spec.ts';
import { BanyanError } from '../../../../src/core/errors.ts';

describe('kafkaConnectionSchema', () => {
  it('accepts brokers only and fills client_id and timeouts', () => {
    const c = kafkaConnectionSchema.parse({ brokers: ['127.0.0.1:9092'] });
    assert.deepEqual(c, { brokers: ['127.0.0.1:9092'], client_id: 'banyan', connection_timeout_ms: 3000, request_timeout_ms: 30000 });
  });

  it('rejects a broker without a port, an unknown key and an unknown SASL mechanism', () => {
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['localhost'] }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], bootstrap: 'x' }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }).success, false);
  });

  it('accepts IPv6 brokers in brackets, host names and IPv4, as the connection and as banyan.yaml', () => {
    const brokers = ['[::1]:9092', '[2001:db8::7]:9093', 'kafka-0.kafka.svc:9092', 'kafka_1:9092', '10.0.0.7:9092'];
    assert.deepEqual(kafkaConnectionSchema.parse({ brokers }).brokers, brokers);
    assert.deepEqual(kafkaSettingsSchema.parse({ brokers }).brokers, brokers);
    assert.deepEqual(kafkaSettingsSchema.parse({ brokers: '[::1]:9092,10.0.0.7:9092' }).brokers, ['[::1]:9092', '10.0.0.7:9092']);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['::1:9092'] }).success, false, 'an IPv6 literal needs its brackets');
  });

  it('requires cert_file and key_file together for mutual TLS, naming the missing one', () => {
    const r = kafkaConnectionSchema.safeParse({ brokers: ['h:1'], ssl: { cert_file: '/c.pem' } });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues.map((i) => [i.path.join('.'), i.message]), [
      ['ssl.cert_file', 'cert_file needs key_file: mutual TLS takes the client certificate and its private key together'],
    ]);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], ssl: { key_file: '/k.pem' } }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], ssl: { cert_file: '/c.pem', key_file: '/k.pem' } }).success, true);
  });
});

describe('topicSettingsSchema', () => {
  it("defaults to banyan.yaml's 3 partitions, replication 1 and no extra configs", () => {
    assert.equal(DEFAULT_TOPIC_PARTITIONS, 3);
    assert.deepEqual(topicSettingsSchema.parse({}), { partitions: 3, replicationFactor: 1, configs: {} });
    assert.deepEqual(kafkaSettingsSchema.parse({}).topics, { partitions: 3, replication: 1 });
  });
});

describe('createKafkaClient', () => {
  it('throws a coded CONFIG_INVALID error naming the bad field', () => {
    assert.throws(
      () => createKafkaClient({ brokers: [] }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID' && /brokers/.test(e.message),
    );
  });

  it('applies the same cert/key pairing rule as banyan validate', () => {
    assert.throws(
      () => createKafkaClient({ brokers: ['h:1'], ssl: { cert_file: '/c.pem' } }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID' && /ssl\.cert_file: cert_file needs key_file/.test(e.message),
    );
  });

  it('throws CONFIG_INVALID when a TLS file cannot be read', () => {
    assert.throws(
      () => createKafkaClient({ brokers: ['h:1'], ssl: { ca_file: '/nonexistent/ca.pem' } }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID',
    );
  });
});
