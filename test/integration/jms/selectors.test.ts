/**
 * Selectors and noLocal on the real Kafka, with the selector parser of src/jms/selector wired as
 * the engine's default: a topic subscriber sees only what its selector matches, a queue consumer
 * with a selector leaves the rest for the queue's other consumers, noLocal drops the connection's
 * own messages, and a bad selector is refused when the consumer is made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queue, topic, type JmsEngine } from '../../../src/jms/index.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

let engine: JmsEngine;
before(() => {
  engine = testEngine(uniquePrefix());
});
after(() => engine.close());

describe('JMS selectors and noLocal on Kafka', () => {
  it('a topic subscriber gets only the messages its selector matches, headers included', async () => {
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(topic('fruit'), "color = 'red' AND weight BETWEEN 2 AND 5 AND JMSPriority > 3");
    const producer = ctx.createProducer();
    const cases: Array<[string, string | null, number, number]> = [
      ['apple', 'red', 3, 4],
      ['banana', 'yellow', 3, 4],
      ['cherry', 'red', 1, 4],
      ['plum', 'red', 5, 2],
      ['tomato', 'red', 5, 9],
      ['nothing', null, 3, 4], // color NULL: unknown, not selected
    ];
    for (const [name, color, weight, priority] of cases) {
      const p = producer.setPriority(priority).clearProperties().setIntProperty('weight', weight);
      if (color !== null) p.setStringProperty('color', color);
      await p.send(topic('fruit'), name);
    }
    const got = await receiveMany(consumer, 2);
    assert.deepEqual(got.map(textOf).sort(), ['apple', 'tomato']);
    assert.equal(await consumer.receive(1500), null, 'nothing else matches');
    await ctx.close();
  });

  it('a queue consumer with a selector leaves unselected messages on the queue', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    for (let i = 0; i < 6; i++) await producer.setIntProperty('n', i).send(queue('sel'), `m${i}`);
    const even = await ctx.createConsumer(queue('sel'), 'n / 2 * 2 = n');
    const evens = await receiveMany(even, 3);
    assert.deepEqual(evens.map(textOf).sort(), ['m0', 'm2', 'm4']);
    await even.close();
    const all = await ctx.createConsumer(queue('sel'));
    const rest = await receiveMany(all, 6, 3000);
    assert.ok(['m1', 'm3', 'm5'].every((t) => rest.map(textOf).includes(t)), `the odd ones are still there: ${rest.map(textOf)}`);
    await ctx.close();
  });

  it('noLocal drops the messages of the consumer’s own connection', async () => {
    const mine = await engine.createContext();
    const other = await engine.createContext();
    const consumer = await mine.createConsumer(topic('chat'), undefined, true);
    await mine.createProducer().send(topic('chat'), 'from me');
    await other.createProducer().send(topic('chat'), 'from other');
    assert.equal(textOf(await consumer.receive(15_000)), 'from other');
    assert.equal(await consumer.receive(1500), null);
    await mine.close();
    await other.close();
  });

  it('refuses an invalid selector at consumer creation with a typed error', async () => {
    const ctx = await engine.createContext();
    await assert.rejects(ctx.createConsumer(queue('sel'), "color = 'red' AND"), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BANYAN_ERR_JMS_INVALID_SELECTOR');
      return true;
    });
    assert.throws(() => ctx.createBrowser(queue('sel'), 'a LIKE 3'), { code: 'BANYAN_ERR_JMS_INVALID_SELECTOR' });
    await ctx.close();
  });
});
