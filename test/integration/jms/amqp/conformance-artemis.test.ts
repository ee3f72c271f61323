/**
 * The Java JMS conformance suite against ActiveMQ Artemis (the run's shared broker, started by
 * test/support/global-setup.ts because this file names testAmqpPort): shows the suite tests real
 * JMS behaviour, so the same suite passing on Banyan (conformance-banyan.test.ts) means something.
 * Every Java test is counted; none may be skipped or missing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testAmqpPort } from '../../../support/artemis.ts';
import { declaredJavaTests, runConformanceSuite } from '../../../support/jms-conformance.ts';

describe('JMS conformance suite (Qpid JMS) against Artemis', () => {
  it('passes every Java test', { timeout: 20 * 60_000 }, async (t) => {
    const results = await runConformanceSuite({ url: `amqp://127.0.0.1:${testAmqpPort()}` });
    assert.deepEqual(results.map((r) => r.name).sort(), declaredJavaTests(), 'every declared Java test ran once');
    for (const result of results) {
      await t.test(result.name, () => {
        assert.equal(result.status, 'passed', `${result.name}: ${result.status}\n${result.detail}`);
      });
    }
  });
});
