import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { toAmqp, toRecord, type AmqpJmsMessage, type JmsRecord } from '../../../../src/jms/amqp/record-translation.ts';
import { float32Text } from '../../../../src/jms/amqp/typed-values.ts';

const require = createRequire(import.meta.url);
const t = require('rhea/lib/types.js') as Record<string, (...v: unknown[]) => unknown>;
const m = require('rhea/lib/message.js') as { encode(x: unknown): Buffer; decode(b: Buffer): AmqpJmsMessage; data_section(b: Buffer): unknown; sequence_section(l: unknown[]): unknown };

/** Over the wire and back, as the endpoint receives it: encode, then decode (rhea-patched). */
function wire(message: AmqpJmsMessage): AmqpJmsMessage {
  return m.decode(m.encode(message));
}

const sentAt = 1_764_000_000_000;
/** Headers and properties a Qpid JMS producer sets on every message type (AmqpJmsMessageFacade). */
function qpidMessage(msgType: number, body: unknown, extra: Partial<AmqpJmsMessage> = {}): AmqpJmsMessage {
  return {
    durable: true,
    priority: 7,
    ttl: 60_000,
    message_id: 'ID:6d2a-qpid:1:1:1-1',
    correlation_id: 'app-correlation',
    to: 'orders',
    subject: 'OrderPlaced',
    reply_to: 'replies',
    absolute_expiry_time: sentAt + 60_000,
    creation_time: sentAt,
    group_id: 'customer-42',
    group_sequence: 3,
    message_annotations: {
      'x-opt-jms-msg-type': t.wrap_byte(msgType),
      'x-opt-jms-dest': t.wrap_byte(0),
      'x-opt-jms-reply-to': t.wrap_byte(2),
      'x-opt-delivery-time': t.wrap_long(sentAt + 5_000),
    },
    application_properties: {
      pBoolean: t.wrap_boolean(true),
      pByte: t.wrap_byte(-128),
      pShort: t.wrap_short(32767),
      pInt: t.wrap_int(-2147483648),
      pLong: t.wrap_long(Buffer.from('7fffffffffffffff', 'hex')),
      pFloat: t.wrap_float(0.1),
      pDouble: t.wrap_double(-1.5e300),
      pString: t.wrap_string('grüße'),
    },
    body,
    ...extra,
  };
}

const commonHeaders = {
  'message-id': 'ID:6d2a-qpid:1:1:1-1',
  'correlation-id': 'app-correlation',
  subject: 'OrderPlaced',
  priority: '7',
  durable: 'true',
  'absolute-expiry-time': String(sentAt + 60_000),
  ttl: '60000',
  'creation-time': String(sentAt),
  to: 'orders',
  'x-opt-jms-dest': '0',
  'reply-to': 'replies',
  'x-opt-jms-reply-to': '2',
  'x-opt-delivery-time': String(sentAt + 5_000),
  'group-id': 'customer-42',
  'group-sequence': '3',
  'jms-property.pBoolean': 'boolean:true',
  'jms-property.pByte': 'byte:-128',
  'jms-property.pShort': 'short:32767',
  'jms-property.pInt': 'int:-2147483648',
  'jms-property.pLong': 'long:9223372036854775807',
  'jms-property.pFloat': 'float:0.1',
  'jms-property.pDouble': 'double:-1.5e+300',
  'jms-property.pString': 'string:grüße',
};

function int64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

const mapBody = t.wrap_map({
  boolean: t.wrap_boolean(false),
  byte: t.wrap_byte(7),
  short: t.wrap_short(-300),
  char: t.wrap_char('λ'.codePointAt(0)),
  int: t.wrap_int(123456),
  long: t.wrap_long(int64(-9007199254740993n)),
  float: t.wrap_float(3.25),
  double: t.wrap_double(Math.PI),
  string: t.wrap_string('text'),
  bytes: t.wrap_binary(Buffer.from([0, 1, 255])),
});

const table: { name: string; message: AmqpJmsMessage; msgType: string; value: Buffer | null; extraHeaders?: Record<string, string> }[] = [
  { name: 'TextMessage (amqp-value string)', message: qpidMessage(5, 'hello ünïcødé'), msgType: '5', value: Buffer.from('hello ünïcødé') },
  { name: 'TextMessage with a null text', message: qpidMessage(5, null), msgType: '5', value: null },
  {
    name: 'BytesMessage (data section)',
    message: qpidMessage(3, m.data_section(Buffer.from([0, 1, 2, 255])), { content_type: 'application/octet-stream' }),
    msgType: '3',
    value: Buffer.from([0, 1, 2, 255]),
    extraHeaders: { 'content-type': 'application/octet-stream' },
  },
  {
    name: 'ObjectMessage (Java serialized: stored as bytes with its content-type)',
    message: qpidMessage(1, m.data_section(Buffer.from('aced0005', 'hex')), { content_type: 'application/x-java-serialized-object' }),
    msgType: '3',
    value: Buffer.from('aced0005', 'hex'),
    extraHeaders: { 'content-type': 'application/x-java-serialized-object' },
  },
  {
    name: 'MapMessage (amqp-value map, every entry type)',
    message: qpidMessage(2, mapBody),
    msgType: '2',
    value: Buffer.from(
      JSON.stringify({
        boolean: ['boolean', 'false'],
        byte: ['byte', '7'],
        short: ['short', '-300'],
        char: ['char', 'λ'],
        int: ['int', '123456'],
        long: ['long', '-9007199254740993'],
        float: ['float', '3.25'],
        double: ['double', String(Math.PI)],
        string: ['string', 'text'],
        bytes: ['bytes', 'AAH/'],
      }),
    ),
  },
  {
    name: 'StreamMessage (amqp-sequence)',
    message: qpidMessage(4, m.sequence_section([t.wrap_boolean(true), t.wrap_byte(-1), t.wrap_char(90), t.wrap_long(Buffer.from('8000000000000000', 'hex')), t.wrap_float(-0.5), t.wrap_binary(Buffer.from([9, 8]))])),
    msgType: '4',
    value: Buffer.from(JSON.stringify([['boolean', 'true'], ['byte', '-1'], ['char', 'Z'], ['long', '-9223372036854775808'], ['float', '-0.5'], ['bytes', 'CQg=']])),
  },
  { name: 'Message without a body', message: qpidMessage(0, undefined), msgType: '0', value: null },
];

describe('AMQP (Qpid JMS) -> Kafka record', () => {
  for (const row of table) {
    it(row.name, () => {
      const record = toRecord(wire(row.message));
      assert.deepEqual(record.headers, { ...commonHeaders, ...row.extraHeaders, 'x-opt-jms-msg-type': row.msgType });
      assert.deepEqual(record.value, row.value);
    });
  }
});

describe('Kafka record -> AMQP -> Kafka record is lossless', () => {
  for (const row of table) {
    it(row.name, () => {
      const record = toRecord(wire(row.message));
      const back = toRecord(wire(toAmqp(record, 0)));
      assert.deepEqual(back, record);
    });
  }
});

describe('Kafka record -> AMQP (what a Qpid JMS consumer reads)', () => {
  it('writes every property with its exact AMQP type', () => {
    const sent = wire(toAmqp(toRecord(wire(table[0].message)), 0));
    const types = (sent.application_properties as Record<symbol, Map<string, string>>)[Symbol.for('banyan.amqpTypes')];
    assert.deepEqual(Object.fromEntries(types), {
      pBoolean: 'True',
      pByte: 'Byte',
      pShort: 'Short',
      pInt: 'Int',
      pLong: 'Long',
      pFloat: 'Float',
      pDouble: 'Double',
      pString: 'Str8',
    });
    const annotations = (sent.message_annotations as Record<symbol, Map<string, string>>)[Symbol.for('banyan.amqpTypes')];
    assert.equal(annotations.get('x-opt-jms-msg-type'), 'Byte');
    assert.equal(annotations.get('x-opt-jms-dest'), 'Byte');
  });

  it('gives a Java-serialized ObjectMessage back as an ObjectMessage', () => {
    const sent = wire(toAmqp(toRecord(wire(table[3].message)), 0));
    assert.equal(sent.message_annotations?.['x-opt-jms-msg-type'], 1);
    assert.equal(sent.content_type, 'application/x-java-serialized-object');
  });

  it('carries the redelivery count as header delivery-count (JMSRedelivered / JMSXDeliveryCount)', () => {
    const record = toRecord(wire(table[0].message));
    assert.equal(wire(toAmqp(record, 0)).delivery_count ?? 0, 0);
    assert.equal(wire(toAmqp(record, 2)).delivery_count, 2);
  });

  it('gives typed AMQP ids back for JMS ids with a type prefix', () => {
    const record: JmsRecord = { headers: { 'message-id': 'ID:AMQP_ULONG:42', 'correlation-id': 'ID:AMQP_UUID:01234567-89ab-cdef-0123-456789abcdef', 'x-opt-jms-msg-type': '0' }, value: null };
    const sent = wire(toAmqp(record, 0));
    assert.equal(sent.message_id, 42);
    assert.equal(Buffer.from(sent.correlation_id as Uint8Array).toString('hex'), '0123456789abcdef0123456789abcdef');
    assert.deepEqual(toRecord(sent).headers['message-id'], 'ID:AMQP_ULONG:42');
  });

  it('refuses a record whose property header is not <type>:<text>, naming the header', () => {
    const record: JmsRecord = { headers: { 'message-id': 'ID:x', 'jms-property.bad': 'nonsense', 'x-opt-jms-msg-type': '0' }, value: null };
    assert.throws(() => toAmqp(record, 0), (err: Error & { code?: string }) => err.code === 'BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID' && /jms-property\.bad/.test(err.message));
  });

  it('refuses a MapMessage record whose value is not JSON', () => {
    const record: JmsRecord = { headers: { 'message-id': 'ID:y', 'x-opt-jms-msg-type': '2' }, value: Buffer.from('{nope') };
    assert.throws(() => toAmqp(record, 0), /ID:y.*record value.*not JSON/);
  });
});

describe('float32Text', () => {
  const rows: [number, string][] = [
    [0.1, '0.1'],
    [3.25, '3.25'],
    [Math.fround(1 / 3), '0.33333334'],
    [-0, '-0'],
    [Infinity, 'Infinity'],
    [3.4028234663852886e38, '3.4028235e+38'],
  ];
  for (const [value, text] of rows) it(`${value} -> ${text}`, () => assert.equal(float32Text(value), text));
});
