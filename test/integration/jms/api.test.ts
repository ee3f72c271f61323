/**
 * The API surface through the real Kafka: every message type and header the producer sets arrives
 * intact, async sends report completion, a message listener gets messages (and gets one again when
 * it throws in AUTO_ACKNOWLEDGE), stop() holds delivery back until start(), receiveBody().
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BytesMessage, MapMessage, ObjectMessage, queue, StreamMessage, topic, type AnyMessage, type JmsEngine } from '../../../src/jms/index.ts';
import { receiveMany, testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

let engine: JmsEngine;
before(() => {
  engine = testEngine(uniquePrefix());
});
after(() => engine.close());

describe('JMS API on Kafka', () => {
  it('delivers every message type with the headers and typed properties the producer set', async () => {
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('types'));
    const replyTo = topic('replies');
    const producer = ctx
      .createProducer()
      .setDeliveryMode('NON_PERSISTENT')
      .setPriority(7)
      .setJMSCorrelationID('corr-1')
      .setJMSType('order')
      .setJMSReplyTo(replyTo)
      .setLongProperty('big', 9007199254740993n)
      .setProperty('ratio', { type: 'float', value: 0.1 })
      .setProperty('tiny', { type: 'byte', value: -5 })
      .setStringProperty('JMSXGroupID', 'one-partition');
    const sent: AnyMessage[] = [
      new MapMessage().setInt('n', 1).setString('s', 'x'),
      new StreamMessage().write({ type: 'short', value: 3 }).write({ type: 'char', value: 'c' }),
      new ObjectMessage({ a: [1, { b: true }] }),
      new BytesMessage(Buffer.from([0, 1, 254])),
      ctx.createTextMessage('text'),
      ctx.createMessage(),
    ];
    for (const m of sent) await producer.send(queue('types'), m);
    const got = await receiveMany(consumer, sent.length);
    assert.deepEqual(got.map((m) => m.kind), ['map', 'stream', 'object', 'bytes', 'text', 'message']);
    for (const m of got) {
      assert.equal(m.JMSDeliveryMode, 'NON_PERSISTENT');
      assert.equal(m.JMSPriority, 7);
      assert.equal(m.JMSCorrelationID, 'corr-1');
      assert.equal(m.JMSType, 'order');
      assert.deepEqual(m.JMSReplyTo, replyTo);
      assert.deepEqual(m.JMSDestination, queue('types'));
      assert.match(m.JMSMessageID!, /^ID:/);
      assert.ok(m.JMSTimestamp > 0);
      assert.deepEqual(m.getProperty('big'), { type: 'long', value: 9007199254740993n });
      assert.deepEqual(m.getProperty('ratio'), { type: 'float', value: Math.fround(0.1) });
      assert.equal(m.getShortProperty('tiny'), -5, 'a byte reads as short');
    }
    assert.equal((got[0] as MapMessage).getString('s'), 'x');
    assert.deepEqual((got[1] as StreamMessage).values, [{ type: 'short', value: 3 }, { type: 'char', value: 'c' }]);
    assert.deepEqual((got[2] as ObjectMessage).object, { a: [1, { b: true }] });
    assert.deepEqual([...(got[3] as BytesMessage).bytes], [0, 1, 254]);
    await ctx.close();
  });

  it('reports async sends to the completion listener, and can disable the message id and timestamp', async () => {
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('async'));
    const completed: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const producer = ctx
        .createProducer()
        .setDisableMessageID(true)
        .setDisableMessageTimestamp(true)
        .setAsync({
          onCompletion: (m) => {
            completed.push(textOf(m)!);
            if (completed.length === 3) resolve();
          },
          onException: (_m, err) => reject(err),
        });
      for (const t of ['a', 'b', 'c']) void producer.send(queue('async'), t);
    });
    await done;
    assert.deepEqual(completed.sort(), ['a', 'b', 'c']);
    const got = await receiveMany(consumer, 3);
    assert.ok(got.every((m) => m.JMSMessageID === null && m.JMSTimestamp === 0));
    await ctx.close();
  });

  it('a listener gets messages one at a time, and one that throws gets the message again as a redelivery', async () => {
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('listen'));
    const producer = ctx.createProducer().setStringProperty('JMSXGroupID', 'k');
    const seen: Array<[string, number]> = [];
    const finished = new Promise<void>((resolve) => {
      consumer.setMessageListener((m) => {
        seen.push([textOf(m)!, m.getIntProperty('JMSXDeliveryCount')]);
        if (textOf(m) === 'fails once' && m.getIntProperty('JMSXDeliveryCount') === 1) throw new Error('listener failure');
        if (textOf(m) === 'last') resolve();
      });
    });
    await assert.rejects(consumer.receive(10), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' });
    for (const t of ['first', 'fails once', 'last']) await producer.send(queue('listen'), t);
    await finished;
    assert.deepEqual(seen, [['first', 1], ['fails once', 1], ['fails once', 2], ['last', 1]]);
    consumer.setMessageListener(undefined);
    await ctx.close();
  });

  it('stop() holds delivery back until start(); receiveBody() gives the body', async () => {
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('stopped'));
    await ctx.createProducer().send(queue('stopped'), new Map([['k', { type: 'int', value: 5 } as const]]));
    ctx.stop();
    const pending = consumer.receiveBody(20_000);
    const early = await Promise.race([pending.then(() => 'delivered'), new Promise((r) => setTimeout(() => r('held'), 1500))]);
    assert.equal(early, 'held');
    ctx.start();
    assert.deepEqual(await pending, new Map([['k', { type: 'int', value: 5 }]]));
    await ctx.close();
  });
});
