/**
 * The consumers of one queue (or one shared subscription) in an engine share one feed, one Kafka
 * group member (subscription-feed.ts): with one partition both consumers of a shared subscription
 * get messages, queue consumers with different selectors each get only theirs and nothing twice,
 * and what a closed consumer left on the queue is there for the next one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queue, topic, type JmsEngine } from '../../../src/jms/index.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

let engine: JmsEngine;
before(() => {
  engine = testEngine(uniquePrefix(), { topics: { partitions: 1 } });
});
after(() => engine.close());

describe('consumers sharing a feed', () => {
  it('two consumers of a shared subscription on a one-partition topic both get a share, nothing twice', async () => {
    const a = await engine.createContext();
    const b = await engine.createContext();
    const first = await a.createSharedConsumer(topic('shared'), 'sub');
    const second = await b.createSharedConsumer(topic('shared'), 'sub');
    const producer = a.createProducer();
    for (let i = 0; i < 20; i++) await producer.send(topic('shared'), `m${i}`);
    const seen: string[] = [];
    let fromFirst = 0;
    let fromSecond = 0;
    while (seen.length < 20) {
      const m1 = await first.receive(1500);
      if (m1) (seen.push(textOf(m1)!), fromFirst++);
      const m2 = await second.receive(1500);
      if (m2) (seen.push(textOf(m2)!), fromSecond++);
      if (!m1 && !m2) break;
    }
    assert.equal(new Set(seen).size, 20, `every message once: ${seen}`);
    assert.equal(seen.length, 20);
    assert.ok(fromFirst > 0 && fromSecond > 0, `both got a share: ${fromFirst} / ${fromSecond}`);
    await a.close();
    await b.close();
  });

  it('queue consumers with different selectors take only what they select; the rest stays for the next consumer', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    for (let i = 0; i < 6; i++) await producer.setIntProperty('n', i).send(queue('sel'), `m${i}`);
    const even = await ctx.createConsumer(queue('sel'), 'n / 2 * 2 = n');
    assert.deepEqual((await receiveMany(even, 3)).map(textOf).sort(), ['m0', 'm2', 'm4']);
    await even.close();
    const all = await ctx.createConsumer(queue('sel'));
    assert.deepEqual((await receiveMany(all, 6, 3000)).map(textOf).sort(), ['m1', 'm3', 'm5'], 'the odd ones, and no even one again');
    await ctx.close();
  });

  it('a CLIENT_ACKNOWLEDGE context closed without acknowledging gives its messages to the queue\'s next consumer, redelivered, in order', async () => {
    const ctx = await engine.createContext({ sessionMode: 'CLIENT_ACKNOWLEDGE' });
    const producer = ctx.createProducer();
    for (let i = 0; i < 3; i++) await producer.send(queue('unacked'), `u${i}`);
    const consumer = await ctx.createConsumer(queue('unacked'));
    assert.deepEqual((await receiveMany(consumer, 3)).map(textOf), ['u0', 'u1', 'u2']);
    await ctx.close();
    const next = await engine.createContext();
    const again = await receiveMany(await next.createConsumer(queue('unacked')), 3);
    assert.deepEqual(again.map(textOf), ['u0', 'u1', 'u2']);
    assert.ok(again.every((m) => m.JMSRedelivered && m.getIntProperty('JMSXDeliveryCount') === 2), 'redelivered with the count raised');
    await next.close();
  });
});
