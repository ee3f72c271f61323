import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rhea from 'rhea';
import { correlationIdToJms, jmsToAmqpId, messageIdToJms, type AmqpId } from '../../../../src/connectors/amqp/jms-message-id.ts';
import { expiryOf, fromAmqpMessage, toAmqpMessage, wireId, type AmqpWireMessage } from '../../../../src/connectors/amqp/message-mapping.ts';

const now = new Date('2026-12-01T12:00:00.000Z');
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
/** What the broker hands back: the wire message encoded and decoded as rhea does on the network. */
const overTheWire = (wire: AmqpWireMessage): AmqpWireMessage => rhea.message.decode(rhea.message.encode(wire as never)) as AmqpWireMessage;

describe('JMS message-id texts (Qpid JMS AmqpMessageIdHelper)', () => {
  const cases: Array<[AmqpId, string]> = [
    [{ type: 'string', value: 'ID:abc' }, 'ID:abc'],
    [{ type: 'string', value: 'abc' }, 'ID:AMQP_NO_PREFIX:abc'],
    [{ type: 'string', value: 'ID:AMQP_UUID:x' }, 'ID:AMQP_STRING:ID:AMQP_UUID:x'],
    [{ type: 'uuid', value: Buffer.from('0123456789abcdef0123456789abcdef', 'hex') }, 'ID:AMQP_UUID:01234567-89ab-cdef-0123-456789abcdef'],
    [{ type: 'ulong', value: 18446744073709551615n }, 'ID:AMQP_ULONG:18446744073709551615'],
    [{ type: 'binary', value: Buffer.from([0x0a, 0xff]) }, 'ID:AMQP_BINARY:0AFF'],
  ];
  for (const [id, jms] of cases) {
    it(`${id.type} <-> ${jms}`, () => {
      assert.equal(messageIdToJms(id), jms);
      assert.deepEqual(jmsToAmqpId(jms), id.type === 'uuid' || id.type === 'binary' ? { type: id.type, value: Buffer.from(id.value) } : id);
    });
  }

  it('leaves an application correlation string without ID: as it is', () => {
    assert.equal(correlationIdToJms({ type: 'string', value: 'order-77' }), 'order-77');
    assert.deepEqual(jmsToAmqpId('order-77'), { type: 'string', value: 'order-77' });
  });

  it('reads a malformed type prefix as a plain string id', () => {
    assert.deepEqual(jmsToAmqpId('ID:AMQP_UUID:not-a-uuid'), { type: 'string', value: 'ID:AMQP_UUID:not-a-uuid' });
    assert.deepEqual(jmsToAmqpId('ID:AMQP_BINARY:ABC'), { type: 'string', value: 'ID:AMQP_BINARY:ABC' });
  });

  it('tells rhea-decoded ids apart: number -> ulong, 16 bytes -> uuid, other bytes -> binary', () => {
    assert.deepEqual(wireId(42), { type: 'ulong', value: 42n });
    assert.equal(wireId(Buffer.alloc(16)).type, 'uuid');
    assert.equal(wireId(Buffer.alloc(24)).type, 'binary');
    assert.deepEqual(wireId('ID:x'), { type: 'string', value: 'ID:x' });
  });
});

describe('expiry in tenths of a second left', () => {
  it('counts from absolute-expiry-time first, then ttl; -1 when neither', () => {
    assert.equal(expiryOf({ absolute_expiry_time: new Date(now.getTime() + 12_345), ttl: 60_000 }, now), 124);
    assert.equal(expiryOf({ ttl: 60_000 }, now), 600);
    assert.equal(expiryOf({}, now), -1);
  });

  it('says 1 for a message delivered after its expiry (MQ has no 0 for "expired")', () => {
    assert.equal(expiryOf({ absolute_expiry_time: new Date(now.getTime() - 5_000) }, now), 1);
  });
});

describe('fromAmqpMessage', () => {
  it('maps header and properties onto MQMD fields with MQ defaults where AMQP says nothing', () => {
    const m = fromAmqpMessage(overTheWire({ body: rhea.message.data_section(Buffer.from([1, 2, 3])) }), 'Q1', now);
    assert.equal(m.bodyKind, 'bytes');
    assert.deepEqual([...m.body], [1, 2, 3]);
    assert.deepEqual(
      { ...m.descriptor, msgId: text(m.descriptor.msgId), correlId: text(m.descriptor.correlId) },
      {
        msgId: '',
        correlId: '',
        format: '        ',
        ccsid: 1208,
        encoding: 273,
        priority: 4,
        persistence: 0,
        expiry: -1,
        msgType: 8,
        replyToQ: '',
        replyToQMgr: '',
        userIdentifier: '',
        putApplName: '',
        msgSeqNumber: 1,
        backoutCount: 0,
      },
    );
    assert.deepEqual(m.properties, {});
    assert.equal(m.queue, 'Q1');
  });

  it('takes delivery-count as the backout count', () => {
    assert.equal(fromAmqpMessage(overTheWire({ body: 'x', delivery_count: 4 }), 'Q', now).descriptor.backoutCount, 4);
  });

  it('reads a data body marked TextMessage (x-opt-jms-msg-type 5) as text', () => {
    const m = fromAmqpMessage(
      overTheWire({ body: rhea.message.data_section(Buffer.from('Grüße')), message_annotations: { 'x-opt-jms-msg-type': rhea.types.wrap_byte(5) } }),
      'Q',
      now,
    );
    assert.equal(m.bodyKind, 'text');
    assert.equal(text(m.body), 'Grüße');
    assert.equal(m.descriptor.format, 'MQSTR   ');
  });

  it('keeps a JMS MapMessage body whole as its AMQP encoding, marked JMS_AMQP_Body, never dropped', () => {
    const m = fromAmqpMessage(overTheWire({ body: { a: 1 }, message_annotations: { 'x-opt-jms-msg-type': rhea.types.wrap_byte(2) } }), 'Q', now);
    assert.equal(m.bodyKind, 'bytes');
    assert.equal(m.properties.JMS_AMQP_Body, 'amqp-value');
    assert.deepEqual((rhea.message.decode(Buffer.from(m.body)) as AmqpWireMessage).body, { a: 1 });
  });

  it('takes JMS_IBM_MQMD_* properties as MQMD fields, not as properties', () => {
    const m = fromAmqpMessage(
      overTheWire({ body: 'x', application_properties: { JMS_IBM_MQMD_CodedCharSetId: 37, JMS_IBM_MQMD_MsgType: 2, other: 'kept' } }),
      'Q',
      now,
    );
    assert.equal(m.descriptor.ccsid, 37);
    assert.equal(m.descriptor.msgType, 2);
    assert.deepEqual(m.properties, { other: 'kept' });
  });
});

describe('toAmqpMessage', () => {
  const context = { now, newId: () => 'ID:new-1' };

  it('puts a persistent message with a new id and the JMS message type by default', () => {
    const { wire, msgId } = toAmqpMessage({ body: Buffer.from('hi'), bodyKind: 'text' }, 'Q', context);
    assert.equal(text(msgId), 'ID:new-1');
    assert.equal(wire.durable, true);
    assert.equal(wire.priority, 4);
    assert.equal(wire.body, 'hi');
    assert.equal(wire.ttl, undefined);
    const back = overTheWire(wire);
    assert.equal(back.message_id, 'ID:new-1');
    assert.equal(back.message_annotations?.['x-opt-jms-msg-type'], 5);
  });

  it('treats an all-zero MsgId (MQMI_NONE) as none and sends a 24-byte MQ id as a binary id', () => {
    assert.equal(text(toAmqpMessage({ body: new Uint8Array(0), bodyKind: 'bytes', descriptor: { msgId: new Uint8Array(24) } }, 'Q', context).msgId), 'ID:new-1');
    const mq = Buffer.concat([Buffer.from('AMQ QM1 '), Buffer.alloc(16, 1)]);
    const { wire } = toAmqpMessage({ body: new Uint8Array(0), bodyKind: 'bytes', descriptor: { msgId: mq } }, 'Q', context);
    assert.deepEqual(Buffer.from(overTheWire(wire).message_id as Buffer), mq);
  });

  it('round-trips every descriptor field and property through the wire', () => {
    const put = toAmqpMessage(
      {
        body: Buffer.from([0xc1]),
        bodyKind: 'bytes',
        descriptor: {
          correlId: Buffer.from('ID:AMQP_ULONG:7'),
          groupId: Buffer.from('G1'),
          msgSeqNumber: 2,
          format: 'CUSTREC',
          ccsid: 500,
          encoding: 785,
          priority: 9,
          persistence: 0,
          expiry: 50,
          msgType: 2,
          replyToQ: 'R.Q   ',
          replyToQMgr: 'QM2',
          userIdentifier: 'bob',
          putApplName: 'PAYROLL',
          putTime: now,
        },
        properties: { s: 'x', n: -5, f: 1.5, b: false, bytes: new Uint8Array([7]), nul: null, JMSType: 'T', JMS_AMQP_ReplyToType: 'temporary-queue' },
      },
      'Q',
      context,
    );
    const got = fromAmqpMessage(overTheWire(put.wire), 'Q', now);
    const d = got.descriptor;
    assert.deepEqual(
      {
        correlId: text(d.correlId), groupId: text(d.groupId as Uint8Array), msgSeqNumber: d.msgSeqNumber, format: d.format, ccsid: d.ccsid,
        encoding: d.encoding, priority: d.priority, persistence: d.persistence, expiry: d.expiry, msgType: d.msgType, replyToQ: d.replyToQ,
        replyToQMgr: d.replyToQMgr, userIdentifier: d.userIdentifier, putApplName: d.putApplName, putTime: d.putTime?.toISOString(),
      },
      {
        correlId: 'ID:AMQP_ULONG:7', groupId: 'G1', msgSeqNumber: 2, format: 'CUSTREC ', ccsid: 500, encoding: 785, priority: 9, persistence: 0,
        expiry: 50, msgType: 2, replyToQ: 'R.Q', replyToQMgr: 'QM2', userIdentifier: 'bob', putApplName: 'PAYROLL', putTime: now.toISOString(),
      },
    );
    assert.deepEqual(got.properties, {
      s: 'x', n: -5, f: 1.5, b: false, bytes: new Uint8Array([7]), nul: null, JMSType: 'T',
      JMS_AMQP_DestinationType: 'queue', JMS_AMQP_ReplyToType: 'temporary-queue', JMS_AMQP_MsgType: 3,
    });
  });

  it('refuses a text body that is not UTF-8, naming the queue', () => {
    assert.throws(() => toAmqpMessage({ body: new Uint8Array([0xc1, 0xff]), bodyKind: 'text' }, 'ORDERS.OUT', context), {
      code: 'BANYAN_ERR_AMQP_TEXT_NOT_UTF8',
      message: /ORDERS\.OUT/,
    });
  });

  it('refuses a bigint property beyond an AMQP long', () => {
    assert.throws(() => toAmqpMessage({ body: new Uint8Array(0), bodyKind: 'bytes', properties: { big: 2n ** 64n } }, 'Q', context), {
      code: 'BANYAN_ERR_AMQP_PROPERTY_INVALID',
      message: /big/,
    });
  });
});
