import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKafkaClient } from '../../../../src/connectors/kafka/client.ts';
import { kafkaConnectionSchema, topicSettingsSchema } from '../../../../src/connectors/kafka/spec.ts';
import { BanyanError } from '../../../../src/core/errors.ts';

describe('kafkaConnectionSchema', () => {
  it('accepts brokers only and fills clientId and timeouts', () => {
    const c = kafkaConnectionSchema.parse({ brokers: ['127.0.0.1:9092'] });
    assert.deepEqual(c, { brokers: ['127.0.0.1:9092'], clientId: 'banyan', connectionTimeoutMs: 3000, requestTimeoutMs: 30000 });
  });

  it('rejects a broker without a port, an unknown key and an unknown SASL mechanism', () => {
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['localhost'] }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], bootstrap: 'x' }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }).success, false);
  });

  it('requires certFile and keyFile together for mutual TLS', () => {
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], ssl: { certFile: '/c.pem' } }).success, false);
    assert.equal(kafkaConnectionSchema.safeParse({ brokers: ['h:1'], ssl: { certFile: '/c.pem', keyFile: '/k.pem' } }).success, true);
  });
});

describe('topicSettingsSchema', () => {
  it('defaults to 12 partitions, replication 1 and no extra configs', () => {
    assert.deepEqual(topicSettingsSchema.parse({}), { partitions: 12, replicationFactor: 1, configs: {} });
  });
});

describe('createKafkaClient', () => {
  it('throws a coded CONFIG_INVALID error naming the bad field', () => {
    assert.throws(
      () => createKafkaClient({ brokers: [] }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID' && /brokers/.test(e.message),
    );
  });

  it('throws CONFIG_INVALID when a TLS file cannot be read', () => {
    assert.throws(
      () => createKafkaClient({ brokers: ['h:1'], ssl: { caFile: '/nonexistent/ca.pem' } }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID',
    );
  });
});
