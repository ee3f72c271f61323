/**
 * The Java JMS conformance suite (the one conformance-artemis.test.ts runs against Artemis) against
 * Banyan's AMQP endpoint on the JMS engine on the run's real Kafka. Every Java test is counted; the
 * README's JMS AMQP endpoint section explains each one Banyan answers differently from Artemis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createJmsAmqpEndpoint, type JmsAmqpEndpoint } from '../../../../src/jms/amqp/endpoint.ts';
import { jmsAmqpSettingsSchema } from '../../../../src/jms/amqp/spec.ts';
import type { JmsEngine } from '../../../../src/jms/index.ts';
import { testKafkaClient } from '../../../support/kafka.ts';
import { testEngine, uniquePrefix } from '../../../support/jms.ts';
import { declaredJavaTests, runConformanceSuite } from '../../../support/jms-conformance.ts';

const user = { username: 'conformance', password: 'conformance-secret' };
let engine: JmsEngine;
let endpoint: JmsAmqpEndpoint;
let port = 0;
const errors: string[] = [];

before(async () => {
  // One partition per destination: the suite checks JMS's per-producer order, which Kafka keeps per partition.
  engine = testEngine(uniquePrefix(), { topics: { partitions: 1 } });
  endpoint = createJmsAmqpEndpoint({
    settings: jmsAmqpSettingsSchema.parse({ host: '127.0.0.1', port: 0, users: [user] }),
    engine,
    kafka: testKafkaClient(),
    events: { error: (e) => errors.push(`${e.where}: ${e.error.message}`) },
  });
  port = (await endpoint.start()).port;
});

after(async () => {
  await endpoint.stop();
  await engine.close();
});

describe('JMS conformance suite (Qpid JMS) against Banyan', () => {
  it('passes every Java test', { timeout: 25 * 60_000 }, async (t) => {
    const results = await runConformanceSuite({ url: `amqp://127.0.0.1:${port}`, user: user.username, password: user.password });
    assert.deepEqual(results.map((r) => r.name).sort(), declaredJavaTests(), 'every declared Java test ran once');
    for (const result of results) {
      await t.test(result.name, () => {
        assert.equal(result.status, 'passed', `${result.name}: ${result.status}\n${result.detail}`);
      });
    }
    assert.deepEqual(errors, [], 'no background errors in the endpoint');
  });
});
