import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKafkaClient } from '../../../../src/connectors/kafka/client.ts';
import { createKafkaProbe } from '../../../../src/connectors/kafka/probe.ts';

// Port 1 on loopback refuses connections at once: a Kafka that is down, without a broker.
const DOWN = '127.0.0.1:1';

describe('createKafkaProbe', () => {
  it('rejects at once with the reason when Kafka is down (no retries), and asks again on the next check', async () => {
    const probe = createKafkaProbe({ brokers: [DOWN] });
    try {
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        await assert.rejects(probe.check(), (e: Error) => /ECONNREFUSED|Connection error/i.test(e.message));
        // kafkajs' default client retries would take about 10 s to give up.
        assert.ok(performance.now() - started < 3000, `check ${i} took ${Math.round(performance.now() - started)} ms`);
      }
    } finally {
      await probe.close();
    }
  });

  it('close() without a connection resolves', async () => {
    await createKafkaProbe({ brokers: [DOWN] }).close();
  });
});

describe('KafkaClient', () => {
  it('is opaque: no kafkajs method or property is reachable on it', () => {
    const client = createKafkaClient({ brokers: [DOWN] });
    assert.deepEqual(Reflect.ownKeys(client), []);
    for (const method of ['producer', 'consumer', 'admin', 'logger']) assert.equal((client as unknown as Record<string, unknown>)[method], undefined);
  });
});
