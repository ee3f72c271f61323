import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queue, topic } from '../../../src/jms/destination.ts';
import { fromRecord, HEADERS, toRecord, type JmsRecord } from '../../../src/jms/kafka-record-mapping.ts';
import { BytesMessage, MapMessage, Message, ObjectMessage, StreamMessage, TextMessage, type AnyMessage } from '../../../src/jms/message.ts';
import { selectorSubjectOf } from '../../../src/jms/selector-subject.ts';
import type { TypedValue } from '../../../src/jms/typed-value.ts';

const roundTrip = (m: AnyMessage) => fromRecord(toRecord(m), 'test/0@0');

describe('JMS message <-> Kafka record (docs/jms-kafka-mapping.md)', () => {
  const properties: Array<[string, TypedValue, string]> = [
    ['flag', { type: 'boolean', value: true }, 'boolean:true'],
    ['b', { type: 'byte', value: -128 }, 'byte:-128'],
    ['s', { type: 'short', value: 32767 }, 'short:32767'],
    ['i', { type: 'int', value: -2147483648 }, 'int:-2147483648'],
    ['big', { type: 'long', value: 9007199254740993n }, 'long:9007199254740993'],
    ['minLong', { type: 'long', value: -(2n ** 63n) }, 'long:-9223372036854775808'],
    ['f', { type: 'float', value: Math.fround(0.1) }, 'float:0.1'],
    ['fWhole', { type: 'float', value: 3 }, 'float:3.0'],
    ['d', { type: 'double', value: 1.5 }, 'double:1.5'],
    ['dTiny', { type: 'double', value: 1e-300 }, 'double:1e-300'],
    ['str', { type: 'string', value: 'abc:def' }, 'string:abc:def'],
    ['empty', { type: 'string', value: '' }, 'string:'],
  ];
  for (const [name, value, text] of properties) {
    it(`keeps a ${value.type} property (${text}) with its type and value`, () => {
      const m = new Message().setProperty(name, value);
      const record = toRecord(m);
      assert.equal(record.headers[`jms-property.${name}`], text);
      assert.deepEqual(fromRecord(record, 'test/0@0').getProperty(name), value);
    });
  }

  it('round-trips every header, with JMSX group/user properties in their own AMQP fields', () => {
    const m = new TextMessage('hello');
    m.JMSMessageID = 'ID:1234';
    m.JMSCorrelationID = 'corr-1';
    m.JMSType = 'order';
    m.JMSPriority = 7;
    m.JMSDeliveryMode = 'NON_PERSISTENT';
    m.JMSExpiration = 1_800_000_000_000;
    m.JMSTimestamp = 1_700_000_000_000;
    m.JMSDeliveryTime = 1_700_000_005_000;
    m.JMSDestination = queue('orders');
    m.JMSReplyTo = { kind: 'temporary-queue', name: 'tmp.abc' };
    m.setStringProperty('JMSXGroupID', 'acct-9').setIntProperty('JMSXGroupSeq', 3).setStringProperty('JMSXUserID', 'alice');
    const record = toRecord(m, { timeToLive: 60_000 });
    assert.deepEqual(record.headers, {
      'message-id': 'ID:1234',
      'correlation-id': 'corr-1',
      subject: 'order',
      priority: '7',
      durable: 'false',
      'absolute-expiry-time': '1800000000000',
      ttl: '60000',
      'creation-time': '1700000000000',
      to: 'orders',
      'x-opt-jms-dest': '0',
      'reply-to': 'tmp.abc',
      'x-opt-jms-reply-to': '2',
      'x-opt-delivery-time': '1700000005000',
      'x-opt-jms-msg-type': '5',
      'group-id': 'acct-9',
      'group-sequence': '3',
      'user-id': 'alice',
    });
    assert.equal(record.key, 'acct-9', 'the key is JMSXGroupID by default');
    assert.equal(record.value?.toString(), 'hello');
    const back = fromRecord(record, 'test/0@0') as TextMessage;
    for (const h of ['JMSMessageID', 'JMSCorrelationID', 'JMSType', 'JMSPriority', 'JMSDeliveryMode', 'JMSExpiration', 'JMSTimestamp', 'JMSDeliveryTime', 'JMSDestination', 'JMSReplyTo'] as const) {
      assert.deepEqual(back[h], m[h], h);
    }
    assert.equal(back.text, 'hello');
    assert.deepEqual(back.getProperty('JMSXGroupSeq'), { type: 'int', value: 3 });
  });

  it('takes the key from the configured property, and none without it', () => {
    const m = new Message().setLongProperty('account', 42n);
    assert.equal(toRecord(m, { keyProperty: 'account' }).key, '42');
    assert.equal(toRecord(m).key, null);
  });

  it('does not store the delivery state (JMSXDeliveryCount) in the record', () => {
    const m = new Message();
    m.setProviderProperty('JMSXDeliveryCount', { type: 'int', value: 3 });
    assert.equal(Object.keys(toRecord(m).headers).some((h) => h.includes('DeliveryCount')), false);
  });

  it('writes the bodies of every message type as the mapping says and reads them back', () => {
    const map = new MapMessage()
      .setInt('n', 1)
      .setLong('l', 2n ** 60n)
      .set('c', { type: 'char', value: 'x' })
      .set('raw', { type: 'bytes', value: Buffer.from([0, 255]) })
      .set('f', { type: 'float', value: 0.25 });
    const mapRecord = toRecord(map);
    assert.deepEqual(JSON.parse(mapRecord.value!.toString()), { n: ['int', '1'], l: ['long', '1152921504606846976'], c: ['char', 'x'], raw: ['bytes', 'AP8='], f: ['float', '0.25'] });
    const mapBack = fromRecord(mapRecord, 't/0@1') as MapMessage;
    assert.equal(mapBack.getLong('l'), 2n ** 60n);
    assert.deepEqual(mapBack.get('raw'), { type: 'bytes', value: Buffer.from([0, 255]) });

    const stream = new StreamMessage().write({ type: 'boolean', value: false }).write({ type: 'string', value: 'z' }).write({ type: 'double', value: 2 });
    const streamRecord = toRecord(stream);
    assert.deepEqual(JSON.parse(streamRecord.value!.toString()), [['boolean', 'false'], ['string', 'z'], ['double', '2.0']]);
    assert.deepEqual((fromRecord(streamRecord, 't/0@2') as StreamMessage).values, stream.values);

    const object = new ObjectMessage({ a: [1, 'two', null] });
    const objectRecord = toRecord(object);
    assert.equal(objectRecord.headers[HEADERS.contentType], 'application/json');
    assert.deepEqual((fromRecord(objectRecord, 't/0@3') as ObjectMessage).object, { a: [1, 'two', null] });

    const bytes = roundTrip(new BytesMessage(Buffer.from([1, 2, 3]))) as BytesMessage;
    assert.deepEqual([...bytes.bytes], [1, 2, 3]);
    assert.equal(toRecord(new Message()).value, null);
    assert.equal(roundTrip(new Message()).kind, 'message');
    assert.equal((roundTrip(new TextMessage(null)) as TextMessage).text, null);
  });

  it('keeps a Java serialized object as bytes with its content type (H17)', () => {
    const m = new BytesMessage(Buffer.from([0xac, 0xed, 0, 5]));
    m.contentType = 'application/x-java-serialized-object';
    assert.equal(roundTrip(m).contentType, 'application/x-java-serialized-object');
  });

  it('reads a plain Kafka record (no JMS headers) as a persistent BytesMessage', () => {
    const m = fromRecord({ key: null, value: Buffer.from('x'), headers: {} }, 't/0@0');
    assert.equal(m.kind, 'bytes');
    assert.equal(m.JMSDeliveryMode, 'PERSISTENT');
  });

  const bad: Array<[string, JmsRecord, RegExp]> = [
    ['an unknown message type', { key: null, value: null, headers: { 'x-opt-jms-msg-type': '9' } }, /orders\/2@17.*x-opt-jms-msg-type is 9/],
    ['a property without a type', { key: null, value: null, headers: { 'jms-property.a': 'abc' } }, /jms-property\.a is "abc", not <type>:<text>/],
    ['an int out of range', { key: null, value: null, headers: { 'jms-property.a': 'int:3000000000' } }, /jms-property\.a.*not a valid int/],
    ['a priority of 12', { key: null, value: null, headers: { priority: '12' } }, /priority is 12/],
    ['a Map body that is not JSON', { key: null, value: Buffer.from('{'), headers: { 'x-opt-jms-msg-type': '2' } }, /map body does not parse/],
    ['an expiry that is not a number', { key: null, value: null, headers: { 'absolute-expiry-time': 'soon' } }, /absolute-expiry-time is "soon"/],
  ];
  for (const [what, record, message] of bad) {
    it(`rejects ${what} naming the record and the header`, () => {
      assert.throws(() => fromRecord(record, 'orders/2@17'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'BANYAN_ERR_JMS_RECORD_INVALID');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('shows a selector the headers it may name with their JMS types', () => {
    const m = new TextMessage('x');
    m.JMSPriority = 2;
    m.JMSTimestamp = 5;
    m.JMSType = 'car';
    m.setIntProperty('weight', 10);
    const s = selectorSubjectOf(m);
    assert.deepEqual(s.get('JMSDeliveryMode'), { type: 'string', value: 'PERSISTENT' });
    assert.deepEqual(s.get('JMSPriority'), { type: 'int', value: 2 });
    assert.deepEqual(s.get('JMSTimestamp'), { type: 'long', value: 5n });
    assert.deepEqual(s.get('JMSType'), { type: 'string', value: 'car' });
    assert.equal(s.get('JMSCorrelationID'), undefined);
    assert.deepEqual(s.get('weight'), { type: 'int', value: 10 });
    assert.equal(s.get('missing'), undefined);
    assert.deepEqual(topic('t'), { kind: 'topic', name: 't' });
  });
});
