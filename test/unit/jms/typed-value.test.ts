import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Message, TextMessage } from '../../../src/jms/message.ts';
import { convert, float32Text, typed } from '../../../src/jms/typed-value.ts';

describe('JMS typed values (Jakarta Messaging 3.5.4 conversions)', () => {
  const allowed: Array<[Parameters<typeof typed>[0], Parameters<typeof typed>[1], Parameters<typeof convert>[1], unknown]> = [
    ['byte', 5, 'short', 5],
    ['byte', 5, 'long', 5n],
    ['short', 5, 'int', 5],
    ['int', 7, 'long', 7n],
    ['float', 0.5, 'double', 0.5],
    ['string', '42', 'int', 42],
    ['string', '9223372036854775807', 'long', 9223372036854775807n],
    ['string', 'TRUE', 'boolean', true],
    ['string', 'nope', 'boolean', false],
    ['string', '1.25', 'double', 1.25],
    ['int', 3, 'string', '3'],
    ['long', 3n, 'string', '3'],
    ['double', 2, 'string', '2.0'],
    ['boolean', true, 'string', 'true'],
  ];
  for (const [type, value, want, expected] of allowed) {
    it(`reads a ${type} ${String(value)} as ${want}`, () => {
      assert.deepEqual(convert(typed(type, value), want), expected);
    });
  }

  const refused: Array<[Parameters<typeof typed>[0], Parameters<typeof typed>[1], Parameters<typeof convert>[1]]> = [
    ['int', 1, 'short'],
    ['long', 1n, 'int'],
    ['double', 1, 'float'],
    ['boolean', true, 'int'],
    ['int', 1, 'boolean'],
    ['string', 'abc', 'int'],
    ['string', '1.5', 'long'],
  ];
  for (const [type, value, want] of refused) {
    it(`refuses to read a ${type} ${String(value)} as ${want} (MessageFormatException)`, () => {
      assert.throws(() => convert(typed(type, value), want), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    });
  }

  it('checks the range of each integer type', () => {
    assert.throws(() => typed('byte', 128), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.throws(() => typed('short', -32769), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.throws(() => typed('int', 1.5), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.throws(() => typed('long', 2n ** 63n), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.deepEqual(typed('long', 12), { type: 'long', value: 12n });
    assert.equal(typed('float', 0.1).value, Math.fround(0.1));
  });

  it('writes a float32 as its shortest text', () => {
    assert.equal(float32Text(Math.fround(0.1)), '0.1');
    assert.equal(float32Text(Math.fround(3.4028234663852886e38)), '3.4028235e+38');
    assert.equal(float32Text(1), '1.0');
  });

  it('makes a received message read-only and names the property', () => {
    const m = new TextMessage('a');
    m.markReceived(undefined);
    assert.throws(() => m.setIntProperty('x', 1), { code: 'BANYAN_ERR_JMS_MESSAGE_NOT_WRITEABLE', message: /property x/ });
    assert.throws(() => { m.text = 'b'; }, { code: 'BANYAN_ERR_JMS_MESSAGE_NOT_WRITEABLE' });
    m.clearBody();
    m.text = 'b';
    m.clearProperties();
    m.setIntProperty('x', 1);
    assert.equal(m.getIntProperty('x'), 1);
  });

  it('refuses property names that are not identifiers or are selector keywords', () => {
    assert.throws(() => new Message().setIntProperty('1a', 1), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.throws(() => new Message().setIntProperty('between', 1), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
    assert.equal(new Message().getBooleanProperty('missing'), false);
    assert.equal(new Message().getStringProperty('missing'), null);
    assert.throws(() => new Message().getIntProperty('missing'), { code: 'BANYAN_ERR_JMS_MESSAGE_FORMAT' });
  });
});
