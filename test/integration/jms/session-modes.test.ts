/**
 * Each JMS session mode against the real Kafka: what is acknowledged is not delivered again to the
 * next consumer of the queue, what is not acknowledged is, marked redelivered when it comes back in
 * the same session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queue, type JmsEngine, type TextMessage } from '../../../src/jms/index.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

let engine: JmsEngine;
before(() => {
  engine = testEngine(uniquePrefix());
});
after(() => engine.close());

async function sendTexts(name: string, texts: string[]): Promise<void> {
  const ctx = await engine.createContext();
  const producer = ctx.createProducer();
  for (const t of texts) await producer.send(queue(name), t);
  await ctx.close();
}

const texts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

describe('JMS session modes on Kafka', () => {
  it('AUTO_ACKNOWLEDGE: received messages are acknowledged; a second consumer gets only the rest', async () => {
    const sent = texts(10, 'auto');
    await sendTexts('auto', sent);
    const a = await engine.createContext({ sessionMode: 'AUTO_ACKNOWLEDGE' });
    const first = await receiveMany(await a.createConsumer(queue('auto')), 4);
    assert.equal(first.length, 4);
    assert.ok(first.every((m) => !m.JMSRedelivered && m.getIntProperty('JMSXDeliveryCount') === 1));
    await a.close(); // commits the acknowledged offsets
    const b = await engine.createContext();
    const rest = await receiveMany(await b.createConsumer(queue('auto')), 6);
    await b.close();
    const got = [...first, ...rest].map(textOf).sort();
    assert.deepEqual(got, [...sent].sort(), 'every message exactly once across the two consumers');
  });

  it('DUPS_OK_ACKNOWLEDGE: every message arrives, and what was committed is not delivered again', async () => {
    const sent = texts(6, 'dups');
    await sendTexts('dups', sent);
    const a = await engine.createContext({ sessionMode: 'DUPS_OK_ACKNOWLEDGE' });
    const got = await receiveMany(await a.createConsumer(queue('dups')), 6);
    assert.deepEqual(got.map(textOf).sort(), [...sent].sort());
    await a.close();
    const b = await engine.createContext();
    assert.equal(await (await b.createConsumer(queue('dups'))).receive(2000), null);
    await b.close();
  });

  it('CLIENT_ACKNOWLEDGE: acknowledge() covers everything delivered so far; recover() redelivers the rest marked redelivered', async () => {
    const sent = texts(6, 'client');
    await sendTexts('client', sent);
    const ctx = await engine.createContext({ sessionMode: 'CLIENT_ACKNOWLEDGE' });
    const consumer = await ctx.createConsumer(queue('client'));
    const firstTwo = await receiveMany(consumer, 2);
    await firstTwo[1]!.acknowledge(); // acknowledges both (JMS: all the session delivered)
    const next = await receiveMany(consumer, 2);
    await ctx.recover();
    const again = await receiveMany(consumer, 2);
    assert.deepEqual(again.map(textOf), next.map(textOf), 'recover() redelivers in order');
    assert.ok(again.every((m) => m.JMSRedelivered && m.getIntProperty('JMSXDeliveryCount') === 2));
    await ctx.close(); // the last four were never acknowledged
    const later = await engine.createContext();
    const rest = await receiveMany(await later.createConsumer(queue('client')), 4);
    await later.close();
    assert.deepEqual(rest.map(textOf).sort(), sent.filter((t) => !firstTwo.map(textOf).includes(t)).sort(), 'the unacknowledged four come back, the acknowledged two do not');
  });

  it('SESSION_TRANSACTED: commit makes sends visible and consumption final; rollback drops sends and redelivers', async () => {
    await sendTexts('tx-in', ['a', 'b']);
    const ctx = await engine.createContext({ sessionMode: 'SESSION_TRANSACTED' });
    const input = await ctx.createConsumer(queue('tx-in'));
    const producer = ctx.createProducer();
    const reader = await engine.createContext();
    const output = await reader.createConsumer(queue('tx-out'));

    const a = (await input.receive(15_000)) as TextMessage;
    await producer.send(queue('tx-out'), `from ${a.text}`);
    await ctx.rollback();
    assert.equal(await output.receive(1500), null, 'a rolled-back send is never visible');
    const again = (await input.receive(15_000)) as TextMessage;
    assert.equal(again.text, a.text);
    assert.equal(again.JMSRedelivered, true);

    await producer.send(queue('tx-out'), `from ${again.text}`);
    assert.equal(await output.receive(1000), null, 'not visible before commit');
    await ctx.commit();
    assert.equal(textOf(await output.receive(15_000)), `from ${a.text}`);
    await ctx.close();
    await reader.close();

    const next = await engine.createContext();
    const left = await receiveMany(await next.createConsumer(queue('tx-in')), 2, 3000);
    await next.close();
    assert.deepEqual(left.map(textOf), ['a', 'b'].filter((t) => t !== a.text), 'the committed receive is not delivered again');
  });

  it('refuses what a session mode does not allow', async () => {
    const ctx = await engine.createContext();
    await assert.rejects(ctx.commit(), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    const tx = await engine.createContext({ sessionMode: 'SESSION_TRANSACTED' });
    await assert.rejects(tx.recover(), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    await tx.close();
    await ctx.close();
    assert.throws(() => ctx.createProducer(), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    const one = await engine.createContext({ clientId: 'same' });
    await assert.rejects(engine.createContext({ clientId: 'same' }), { code: 'BANYAN_ERR_JMS_INVALID_CLIENT_ID' });
    await one.close();
  });
});
