/**
 * Java <-> Node through the same Kafka topics (issue 17): a Java program (test/java/jms-interop,
 * Qpid JMS) sends text, bytes and map messages with a property of every JMS type, JMSCorrelationID,
 * JMSType and a priority to a queue through Banyan's AMQP endpoint, and a Node consumer on the JMS
 * API (a second engine with the same naming, so only Kafka connects them) receives them: count,
 * order, bodies, typed property values and headers are compared exactly. Then the other way round
 * (Node API sends, the Java consumer receives through the endpoint and prints what it got), and a
 * topic case (Node subscriber, Java publisher). One partition per destination: JMS's per-producer
 * order is Kafka's per-partition order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JmsAmqpEndpoint } from '../../../../src/jms/amqp/endpoint.ts';
import { BytesMessage, MapMessage, queue, topic, type AnyMessage, type JmsContext, type JmsEngine, type JmsMessage } from '../../../../src/jms/index.ts';
import type { JmsBroker } from '../../../support/jms-conformance.ts';
import { runJmsDriver, startJmsDriver, type DriverLine } from '../../../support/jms-driver.ts';
import { receiveMany, startTestEndpoint, testEngine, uniquePrefix } from '../../../support/jms.ts';

const COUNT = 30;
const RECEIVE_TIMEOUT_MS = 60_000;
const user = { username: 'interop', password: 'interop-secret' };
const prefix = uniquePrefix();
const mapping = { topics: { partitions: 1 } };
let endpointEngine: JmsEngine;
let nodeEngine: JmsEngine;
let endpoint: JmsAmqpEndpoint;
let broker: JmsBroker;
let errors: string[] = [];

before(async () => {
  endpointEngine = testEngine(prefix, mapping);
  nodeEngine = testEngine(prefix, mapping);
  let port: number;
  ({ endpoint, port, errors } = await startTestEndpoint(endpointEngine, { users: [user] }));
  broker = { url: `amqp://127.0.0.1:${port}`, user: user.username, password: user.password };
});

after(async () => {
  await Promise.race([Promise.all([endpoint.stop(), endpointEngine.close(), nodeEngine.close()]), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
});

// --- message i, as JmsDriver.interopMessage builds it ---

/** As JmsDriver.priorityOf: falling with i, so delivering higher priorities first keeps the send order. */
const priorityOf = (i: number) => Math.max(0, 9 - Math.floor(i / 3));
const kindOf = (i: number) => (['text', 'bytes', 'map'] as const)[i % 3];
const textOf = (i: number) => `text ${i} grüße, 世界 \u{1F600}`;
const bytesOf = (i: number) => Buffer.from(Array.from({ length: 16 + i }, (_, k) => (i * 31 + k) & 0xff));

function nodeMessage(ctx: JmsContext, i: number): AnyMessage {
  let m: AnyMessage;
  if (i % 3 === 0) m = ctx.createTextMessage(textOf(i));
  else if (i % 3 === 1) m = new BytesMessage(bytesOf(i));
  else {
    m = new MapMessage()
      .setBoolean('boolean', i % 2 === 0)
      .set('byte', { type: 'byte', value: -7 })
      .set('short', { type: 'short', value: -300 })
      .set('char', { type: 'char', value: 'λ' })
      .setInt('int', i)
      .setLong('long', -9007199254740993n)
      .set('float', { type: 'float', value: 3.25 })
      .setDouble('double', Math.PI)
      .setString('string', `entry ${i}`)
      .set('bytes', { type: 'bytes', value: Buffer.from([0, 1, 0xff]) });
  }
  m.setIntProperty('seq', i)
    .setBooleanProperty('pBoolean', i % 2 === 1)
    .setByteProperty('pByte', -128)
    .setShortProperty('pShort', 32767)
    .setIntProperty('pInt', -2147483648)
    .setLongProperty('pLong', 9223372036854775807n)
    .setFloatProperty('pFloat', 0.1)
    .setDoubleProperty('pDouble', -1.5e300)
    .setStringProperty('pString', `grüße ${i}`);
  m.JMSCorrelationID = `corr-${i}`;
  m.JMSType = `type-${i % 3}`;
  return m;
}

/** The sender's properties as the Node API reads them (provider-set JMSX* left out). */
function nodeProperties(m: JmsMessage): Record<string, unknown> {
  return Object.fromEntries(m.propertyNames().filter((n) => !n.startsWith('JMSX')).sort().map((n) => [n, m.getProperty(n)]));
}

function expectedNodeProperties(i: number): Record<string, unknown> {
  return {
    pBoolean: { type: 'boolean', value: i % 2 === 1 },
    pByte: { type: 'byte', value: -128 },
    pDouble: { type: 'double', value: -1.5e300 },
    pFloat: { type: 'float', value: Math.fround(0.1) },
    pInt: { type: 'int', value: -2147483648 },
    pLong: { type: 'long', value: 9223372036854775807n },
    pShort: { type: 'short', value: 32767 },
    pString: { type: 'string', value: `grüße ${i}` },
    seq: { type: 'int', value: i },
  };
}

/** The properties as JmsDriver prints them: Java class of getObjectProperty and String.valueOf. */
function expectedJavaProperties(i: number): Record<string, unknown> {
  return {
    pBoolean: { type: 'Boolean', value: String(i % 2 === 1) },
    pByte: { type: 'Byte', value: '-128' },
    pDouble: { type: 'Double', value: '-1.5E300' },
    pFloat: { type: 'Float', value: '0.1' },
    pInt: { type: 'Integer', value: '-2147483648' },
    pLong: { type: 'Long', value: '9223372036854775807' },
    pShort: { type: 'Short', value: '32767' },
    pString: { type: 'String', value: `grüße ${i}` },
    seq: { type: 'Integer', value: String(i) },
  };
}

function assertNodeReceived(got: AnyMessage[], sentIds: string[], dest: string): void {
  assert.equal(got.length, COUNT, 'every message arrived');
  got.forEach((m, i) => {
    const at = `message ${i}`;
    assert.equal(m.getIntProperty('seq'), i, `${at}: in send order`);
    assert.equal(m.kind, kindOf(i), `${at}: JMS type`);
    assert.deepEqual(nodeProperties(m), expectedNodeProperties(i), `${at}: typed properties`);
    assert.equal(m.JMSCorrelationID, `corr-${i}`, `${at}: JMSCorrelationID`);
    assert.equal(m.JMSType, `type-${i % 3}`, `${at}: JMSType`);
    assert.equal(m.JMSPriority, priorityOf(i), `${at}: JMSPriority`);
    assert.equal(m.JMSDeliveryMode, 'PERSISTENT', `${at}: JMSDeliveryMode`);
    assert.equal(m.JMSMessageID, sentIds[i], `${at}: JMSMessageID`);
    assert.equal(`${m.JMSDestination?.kind}:${m.JMSDestination?.name}`, dest, `${at}: JMSDestination`);
    if (m.kind === 'text') assert.equal(m.text, textOf(i), `${at}: text`);
    else if (m.kind === 'bytes') assert.deepEqual(m.bytes, bytesOf(i), `${at}: bytes`);
    else if (m.kind === 'map') {
      assert.deepEqual(m.names().sort(), ['boolean', 'byte', 'bytes', 'char', 'double', 'float', 'int', 'long', 'short', 'string'], `${at}: map names`);
      assert.deepEqual(m.get('boolean'), { type: 'boolean', value: i % 2 === 0 });
      assert.deepEqual(m.get('byte'), { type: 'byte', value: -7 });
      assert.deepEqual(m.get('short'), { type: 'short', value: -300 });
      assert.deepEqual(m.get('char'), { type: 'char', value: 'λ' });
      assert.deepEqual(m.get('int'), { type: 'int', value: i });
      assert.deepEqual(m.get('long'), { type: 'long', value: -9007199254740993n });
      assert.deepEqual(m.get('float'), { type: 'float', value: 3.25 });
      assert.deepEqual(m.get('double'), { type: 'double', value: Math.PI });
      assert.deepEqual(m.get('string'), { type: 'string', value: `entry ${i}` });
      assert.deepEqual(m.get('bytes'), { type: 'bytes', value: Buffer.from([0, 1, 0xff]) });
    }
  });
}

function sentIdsOf(lines: DriverLine[]): string[] {
  const sent = lines.filter((l) => 'sent' in l);
  assert.deepEqual(sent.map((l) => l.sent), Array.from({ length: COUNT }, (_, i) => i), 'the Java producer sent every message');
  return sent.map((l) => l.messageId as string);
}

describe('JMS interop: Qpid JMS through the AMQP endpoint <-> the Node JMS API, on the same Kafka topics', () => {
  it('a Java producer sends to a queue, a Node consumer receives every message intact and in order', { timeout: 10 * 60_000 }, async () => {
    const name = 'interop.java-to-node';
    const sentIds = sentIdsOf(await runJmsDriver(broker, ['send', 'queue', name, String(COUNT)]));
    const ctx = await nodeEngine.createContext();
    try {
      const got = await receiveMany(await ctx.createConsumer(queue(name)), COUNT, RECEIVE_TIMEOUT_MS);
      assertNodeReceived(got, sentIds, `queue:${name}`);
    } finally {
      await ctx.close();
    }
    assert.deepEqual(errors, [], 'the endpoint reported no errors');
  });

  it('a Node producer sends to a queue, a Java consumer receives every message intact and in order', { timeout: 10 * 60_000 }, async () => {
    const name = 'interop.node-to-java';
    const ctx = await nodeEngine.createContext();
    const sentIds: string[] = [];
    try {
      for (let i = 0; i < COUNT; i++) {
        const m = nodeMessage(ctx, i);
        await ctx.createProducer().setDeliveryMode('PERSISTENT').setPriority(priorityOf(i)).send(queue(name), m);
        sentIds.push(m.JMSMessageID!);
      }
    } finally {
      await ctx.close();
    }
    const lines = await runJmsDriver(broker, ['receive', 'queue', name, String(COUNT), String(RECEIVE_TIMEOUT_MS)]);
    const got = lines.filter((l) => 'kind' in l);
    assert.deepEqual(lines.at(-1), { done: COUNT }, 'the Java consumer got every message');
    assert.equal(got.length, COUNT);
    got.forEach((m, i) => {
      const at = `message ${i}`;
      assert.deepEqual(m.properties, expectedJavaProperties(i), `${at}: typed properties (in send order)`);
      assert.equal(m.kind, kindOf(i), `${at}: JMS type`);
      assert.equal(m.correlationId, `corr-${i}`, `${at}: JMSCorrelationID`);
      assert.equal(m.type, `type-${i % 3}`, `${at}: JMSType`);
      assert.equal(m.priority, priorityOf(i), `${at}: JMSPriority`);
      assert.equal(m.persistent, true, `${at}: JMSDeliveryMode`);
      assert.equal(m.messageId, sentIds[i], `${at}: JMSMessageID`);
      assert.equal(m.destination, `queue:${name}`, `${at}: JMSDestination`);
      if (m.kind === 'text') assert.equal(m.text, textOf(i), `${at}: text`);
      else if (m.kind === 'bytes') assert.equal(m.bytes, bytesOf(i).toString('hex'), `${at}: bytes`);
      else {
        assert.deepEqual(m.map, {
          boolean: { type: 'Boolean', value: String(i % 2 === 0) },
          byte: { type: 'Byte', value: '-7' },
          bytes: { type: 'byte[]', value: '0001ff' },
          char: { type: 'Character', value: 'λ' },
          double: { type: 'Double', value: String(Math.PI) },
          float: { type: 'Float', value: '3.25' },
          int: { type: 'Integer', value: String(i) },
          long: { type: 'Long', value: '-9007199254740993' },
          short: { type: 'Short', value: '-300' },
          string: { type: 'String', value: `entry ${i}` },
        }, `${at}: map entries`);
      }
    });
    assert.deepEqual(errors, [], 'the endpoint reported no errors');
  });

  it('a Java publisher sends to a topic, a Node subscriber receives every message intact and in order', { timeout: 10 * 60_000 }, async () => {
    const name = 'interop.topic';
    const ctx = await nodeEngine.createContext();
    try {
      const subscriber = await ctx.createConsumer(topic(name));
      const sender = await startJmsDriver(broker, ['send', 'topic', name, String(COUNT)]);
      const sentIds = sentIdsOf(await sender.done);
      assertNodeReceived(await receiveMany(subscriber, COUNT, RECEIVE_TIMEOUT_MS), sentIds, `topic:${name}`);
    } finally {
      await ctx.close();
    }
    assert.deepEqual(errors, [], 'the endpoint reported no errors');
  });
});
