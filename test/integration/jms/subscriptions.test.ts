/**
 * Topic subscriptions on the real Kafka: a non-durable subscriber sees what is published after it
 * was made; a durable subscription keeps messages published while nobody listens and survives a
 * restart (a new engine with a new Kafka client, same client id and name); a shared subscription
 * spreads its messages over its consumers; unsubscribe() ends a durable subscription.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { topic, type AnyMessage, type JmsEngine } from '../../../src/jms/index.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

const prefix = uniquePrefix();
let engine: JmsEngine;
before(() => {
  engine = testEngine(prefix);
});
after(() => engine.close());

describe('JMS topic subscriptions on Kafka', () => {
  it('a non-durable subscriber gets what is published after it subscribed, every subscriber all of it', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    await producer.send(topic('news'), 'before');
    const one = await ctx.createConsumer(topic('news'));
    const two = await ctx.createConsumer(topic('news'));
    for (const t of ['a', 'b', 'c']) await producer.send(topic('news'), t);
    assert.deepEqual((await receiveMany(one, 3)).map(textOf).sort(), ['a', 'b', 'c']);
    assert.deepEqual((await receiveMany(two, 3)).map(textOf).sort(), ['a', 'b', 'c']);
    assert.equal(await one.receive(1000), null, '"before" was published before the subscription existed');
    await ctx.close();
  });

  it('a durable subscription survives a restart and keeps what was published while it was away', async () => {
    const first = await engine.createContext({ clientId: 'app1' });
    const sub = await first.createDurableConsumer(topic('orders'), 'audit');
    await assert.rejects(first.createDurableConsumer(topic('orders'), 'audit'), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    const producer = first.createProducer();
    await producer.send(topic('orders'), 'o1');
    assert.equal(textOf(await sub.receive(15_000)), 'o1');
    await first.close();
    await engine.close();

    // Published while no consumer is active.
    engine = testEngine(prefix);
    const publisher = await engine.createContext();
    for (const t of ['o2', 'o3']) await publisher.createProducer().send(topic('orders'), t);
    await publisher.close();
    await engine.close();

    engine = testEngine(prefix); // a new engine: a new Kafka client, nothing kept in memory
    const again = await engine.createContext({ clientId: 'app1' });
    const resumed = await again.createDurableConsumer(topic('orders'), 'audit');
    assert.deepEqual((await receiveMany(resumed, 2)).map(textOf).sort(), ['o2', 'o3']);
    assert.equal(await resumed.receive(1000), null, 'o1 was acknowledged before the restart');
    await resumed.close();
    await again.unsubscribe('audit');
    await again.close();

    // After unsubscribe a subscription of the same name starts afresh (from the end).
    const p = await engine.createContext();
    await p.createProducer().send(topic('orders'), 'o4');
    const fresh = await engine.createContext({ clientId: 'app1' });
    const reborn = await fresh.createDurableConsumer(topic('orders'), 'audit');
    await p.createProducer().send(topic('orders'), 'o5');
    assert.deepEqual((await receiveMany(reborn, 1)).map(textOf), ['o5']);
    await fresh.close();
    await p.close();
  });

  it('a durable subscription needs a client id', async () => {
    const ctx = await engine.createContext();
    await assert.rejects(ctx.createDurableConsumer(topic('orders'), 'x'), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    await ctx.close();
  });

  it('a shared subscription balances its messages across two consumers, each message to one of them', async () => {
    const a = await engine.createContext();
    const b = await engine.createContext();
    const ca = await a.createSharedConsumer(topic('work'), 'workers');
    const cb = await b.createSharedConsumer(topic('work'), 'workers');
    // Both members must hold a partition before the messages go out (the second join rebalances).
    while (ca.feed.heldPartitions.size === 0 || cb.feed.heldPartitions.size === 0) await new Promise((r) => setTimeout(r, 100));
    const producer = a.createProducer();
    const sent = Array.from({ length: 40 }, (_, i) => `w${i}`);
    // Distinct group ids: distinct keys, spread over both partitions.
    for (const t of sent) await producer.setStringProperty('JMSXGroupID', t).send(topic('work'), t);
    const got: Array<[string, AnyMessage]> = [];
    const drain = async (name: string, c: typeof ca) => {
      for (;;) {
        const m = await c.receive(3000);
        if (m === null) return;
        got.push([name, m]);
      }
    };
    await Promise.all([drain('a', ca), drain('b', cb)]);
    assert.deepEqual(got.map(([, m]) => textOf(m)).sort(), [...sent].sort(), 'each message once over the two');
    const byA = got.filter(([n]) => n === 'a').length;
    assert.ok(byA > 0 && byA < sent.length, `both consumers got messages (a: ${byA}, b: ${sent.length - byA})`);
    await a.close();
    await b.close();
  });
});
