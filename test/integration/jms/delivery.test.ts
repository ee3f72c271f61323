/**
 * What happens to a message between send and delivery, on the real Kafka: expiry (to the expiry
 * topic, never dropped), delivery delay, redelivery up to the maximum and then the dead-letter
 * topic with the reason and the delivery count, a record that is no JMS message going there too,
 * and the queue browser reading without consuming.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPublisher } from '../../../src/connectors/kafka/index.ts';
import { queue, type JmsEngine } from '../../../src/jms/index.ts';
import { consumeAll, testKafkaClient } from '../../support/kafka.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

const prefix = uniquePrefix();
let engine: JmsEngine;
let now = Date.now();
before(() => {
  // An injected clock: expiry and delivery delay are decided by it, not by how long the test takes.
  engine = testEngine(prefix, { max_deliveries: 3 }, { clock: () => now });
});
after(() => engine.close());

describe('JMS delivery rules on Kafka', () => {
  it('an expired message goes to the expiry topic with the reason, and is not delivered', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    await producer.setTimeToLive(60_000).send(queue('exp'), 'short-lived');
    await producer.setTimeToLive(0).send(queue('exp'), 'forever');
    now += 120_000; // the first one's time to live has passed
    const consumer = await ctx.createConsumer(queue('exp'));
    assert.deepEqual((await receiveMany(consumer, 1)).map(textOf), ['forever']);
    assert.equal(await consumer.receive(1000), null);
    const [expired] = await consumeAll(`${prefix}Expiry`, 1, 15_000);
    assert.equal(expired!.value!.toString(), 'short-lived');
    assert.match(expired!.headers['x-opt-banyan-reason']!.toString(), /^expired at /);
    assert.equal(expired!.headers['ttl']!.toString(), '60000');
    await ctx.close();
  });

  it('a delayed message is held until its delivery time, others pass it', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    const sentAt = now;
    await producer.setDeliveryDelay(1500).send(queue('delay'), 'later');
    await producer.setDeliveryDelay(0).send(queue('delay'), 'now');
    const consumer = await ctx.createConsumer(queue('delay'));
    const first = await consumer.receive(15_000);
    assert.equal(textOf(first), 'now');
    assert.equal(await consumer.receive(500), null, 'the delayed one is not deliverable yet');
    now = sentAt + 1500; // its delivery time reached; the feed's timer fires on the wall clock
    const later = await consumer.receive(15_000);
    assert.equal(textOf(later), 'later');
    assert.equal(later!.JMSDeliveryTime, sentAt + 1500);
    await ctx.close();
  });

  it('redelivers with JMSRedelivered and a rising JMSXDeliveryCount, then dead-letters after the maximum', async () => {
    const ctx = await engine.createContext({ sessionMode: 'CLIENT_ACKNOWLEDGE' });
    // One key: one partition, so 'fine' comes after 'poison'.
    await ctx.createProducer().setStringProperty('JMSXGroupID', 'k').setStringProperty('case', 'poison').send(queue('dlq'), 'poison');
    await ctx.createProducer().setStringProperty('JMSXGroupID', 'k').send(queue('dlq'), 'fine');
    const consumer = await ctx.createConsumer(queue('dlq'));
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await consumer.receive(15_000);
      assert.equal(textOf(m), 'poison');
      assert.equal(m!.JMSRedelivered, i > 0);
      counts.push(m!.getIntProperty('JMSXDeliveryCount'));
      await ctx.recover();
    }
    assert.deepEqual(counts, [1, 2, 3]);
    const next = await consumer.receive(15_000);
    assert.equal(textOf(next), 'fine', 'the poison message left the queue after 3 deliveries');
    await next!.acknowledge();
    const [dead] = await consumeAll(`${prefix}DLQ`, 1, 15_000);
    assert.equal(dead!.value!.toString(), 'poison');
    assert.equal(dead!.headers['delivery-count']!.toString(), '3');
    assert.match(dead!.headers['x-opt-banyan-reason']!.toString(), /delivered 3 times, the maximum is 3/);
    assert.equal(dead!.headers['jms-property.case']!.toString(), 'string:poison', 'the message is kept whole');
    await ctx.close();
    const after = await engine.createContext();
    assert.equal(await (await after.createConsumer(queue('dlq'))).receive(1500), null, 'both are done: acknowledged or dead-lettered');
    await after.close();
  });

  it('moves a record that is not a valid JMS message to the dead-letter topic, naming the record', async () => {
    const publisher = createPublisher({ kafka: testKafkaClient() });
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('bad'));
    await publisher.publish([{ topic: `${prefix}q.bad`, key: null, value: Buffer.from('x'), headers: { 'jms-property.n': 'int:notanumber' } }]);
    await ctx.createProducer().send(queue('bad'), 'good');
    assert.equal(textOf(await consumer.receive(15_000)), 'good');
    const dead = (await consumeAll(`${prefix}DLQ`, 2, 15_000)).find((r) => r.value?.toString() === 'x');
    assert.ok(dead, 'the bad record is in the dead-letter topic');
    assert.match(dead.headers['x-opt-banyan-reason']!.toString(), new RegExp(`${prefix.replace('.', '\\.')}q\\.bad/\\d@0.*jms-property\\.n`));
    await publisher.close();
    await ctx.close();
  });

  it('a browser shows the waiting messages without consuming them, with its selector', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    for (let i = 0; i < 4; i++) await producer.setIntProperty('n', i).send(queue('browse'), `b${i}`);
    const all = await ctx.createBrowser(queue('browse')).getMessages();
    assert.deepEqual(all.map(textOf).sort(), ['b0', 'b1', 'b2', 'b3']);
    const odd: string[] = [];
    for await (const m of ctx.createBrowser(queue('browse'), 'n = 1 OR n = 3')) odd.push(textOf(m)!);
    assert.deepEqual(odd.sort(), ['b1', 'b3']);
    // Browsing consumed nothing: a consumer still gets all four.
    const consumer = await ctx.createConsumer(queue('browse'));
    assert.equal((await receiveMany(consumer, 4)).length, 4);
    await consumer.close(); // commits them
    assert.deepEqual(await ctx.createBrowser(queue('browse')).getMessages(), [], 'consumed messages are no longer waiting');
    await ctx.close();
  });
});
