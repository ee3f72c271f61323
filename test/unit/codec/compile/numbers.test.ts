import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRecordCodec, DecodeError } from '../../../../src/codec/compile/index.ts';
import { binary, cp037, edited, float, hex, latin1, packed, record, toHexString, zoned } from './support.ts';

function one(spec: Parameters<typeof record>[1][number], options = {}) {
  return compileRecordCodec(record('R', [spec]), { codePage: cp037, ...options });
}

test('packed decimal accepts sign nibbles C A E F as positive and D B as negative', () => {
  const c = one(packed('P', 5, { signed: true, scale: 2 }));
  for (const s of ['C', 'A', 'E', 'F']) assert.equal(c.decode(hex(`12345${s}`)).P, '123.45');
  for (const s of ['D', 'B']) assert.equal(c.decode(hex(`12345${s}`)).P, '-123.45');
});

test('packed decimal rejects a digit nibble above 9 and a digit in the sign nibble with coded errors', () => {
  const c = one(packed('P', 5, { signed: true }));
  assert.throws(() => c.decode(hex('1A345C'), 0, 3, 7), (e: unknown) => e instanceof DecodeError && e.code === 'BANYAN_ERR_DECODE_PACKED_NIBBLE' && e.recordNumber === 7 && e.fieldPath === 'R.P' && e.hex === '1A345C');
  assert.throws(() => c.decode(hex('123455')), { code: 'BANYAN_ERR_DECODE_PACKED_SIGN' });
});

test('packed decimal of 31 digits decodes exactly as a decimal string', () => {
  const c = one(packed('P', 31, { signed: true, scale: 10 }));
  assert.equal(c.decode(hex('1234567890123456789012345678901D')).P, '-123456789012345678901.2345678901');
});

test('COMP-3U packed without sign nibble decodes every nibble as a digit', () => {
  const c = one(packed('P', 4, { noNibble: true }));
  assert.equal(c.decode(hex('1234')).P, 1234);
  assert.equal(toHexString(c.encode({ P: 987 })), '0987');
});

test('zoned decimal reads EBCDIC overpunch {ABCDEFGHI positive and }JKLMNOPQR negative', () => {
  const c = one(zoned('Z', 3, { signed: true }));
  assert.equal(c.decode(hex('F1F2C0')).Z, 120);
  assert.equal(c.decode(hex('F1F2C9')).Z, 129);
  assert.equal(c.decode(hex('F1F2D0')).Z, -120);
  assert.equal(c.decode(hex('F1F2D5')).Z, -125);
  assert.equal(c.decode(hex('F1F2F5')).Z, 125);
  assert.equal(toHexString(c.encode({ Z: -125 })), 'F1F2D5');
  assert.equal(toHexString(c.encode({ Z: 125 })), 'F1F2C5');
});

test('zoned decimal reads ASCII overpunch letters for ASCII data', () => {
  const c = one(zoned('Z', 3, { signed: true }), { codePage: latin1 });
  assert.equal(c.decode(new TextEncoder().encode('12}')).Z, -120);
  assert.equal(c.decode(new TextEncoder().encode('12N')).Z, -125);
  assert.equal(c.decode(new TextEncoder().encode('12E')).Z, 125);
  assert.equal(c.decode(new TextEncoder().encode('125')).Z, 125);
  assert.equal(new TextDecoder().decode(c.encode({ Z: -125 })), '12N');
});

test('zoned decimal with SIGN LEADING SEPARATE and TRAILING SEPARATE', () => {
  const lead = one(zoned('Z', 4, { signed: true, scale: 2, sign: 'leading', separate: true }));
  assert.equal(lead.decode(hex('60F3F0F5F0')).Z, '-30.50');
  assert.equal(toHexString(lead.encode({ Z: '30.5' })), '4EF3F0F5F0');
  const trail = one(zoned('Z', 4, { signed: true, sign: 'trailing', separate: true }));
  assert.equal(trail.decode(hex('F3F0F5F060')).Z, -3050);
  assert.throws(() => trail.decode(hex('F3F0F5F0F1')), { code: 'BANYAN_ERR_DECODE_ZONED_SIGN' });
});

test('zoned decimal with leading overpunch and P scaling on both sides', () => {
  assert.equal(one(zoned('Z', 3, { signed: true, sign: 'leading' })).decode(hex('D1F2F3')).Z, -123);
  assert.equal(one(zoned('Z', 3, { scale: -3 })).decode(hex('F1F2F3')).Z, '123000');
  assert.equal(one(zoned('Z', 3, { scale: 6 })).decode(hex('F1F2F3')).Z, '0.000123');
  assert.equal(toHexString(one(zoned('Z', 3, { scale: -3 })).encode({ Z: '123000' })), 'F1F2F3');
});

test('zoned decimal rejects a non-digit byte', () => {
  assert.throws(() => one(zoned('Z', 3)).decode(hex('F1C1F3')), { code: 'BANYAN_ERR_DECODE_ZONED_DIGIT' });
});

test('numeric fields of all spaces or all low-values decode to null, never to garbage', () => {
  assert.equal(one(binary('B', 9, { signed: true })).decode(hex('40404040')).B, null);
  assert.equal(one(packed('P', 5)).decode(hex('404040')).P, null);
  assert.equal(one(packed('P', 5)).decode(hex('000000')).P, null);
  assert.equal(one(zoned('Z', 3)).decode(hex('404040')).Z, null);
  assert.equal(one(zoned('Z', 3)).decode(hex('000000')).Z, null);
  assert.equal(one(binary('B', 9)).decode(hex('00000000')).B, 0);
});

test('blankNumbers strict reads spaces in a COMP field as its binary value', () => {
  assert.equal(one(binary('B', 9, { signed: true }), { blankNumbers: 'strict' }).decode(hex('40404040')).B, 1077952576);
});

test('binary fields read big-endian 2, 4, 8 and 16 bytes and little-endian when asked', () => {
  assert.equal(one(binary('B', 4, { signed: true })).decode(hex('FFFE')).B, -2);
  assert.equal(one(binary('B', 4)).decode(hex('FFFE')).B, 65534);
  assert.equal(one(binary('B', 9, { signed: true })).decode(hex('FFFFFFFF')).B, -1);
  assert.equal(one(binary('B', 9, { signed: true, little: true })).decode(hex('FEFFFFFF')).B, -2);
  assert.equal(one(binary('B', 4), { binaryEndianness: 'little' }).decode(hex('0100')).B, 1);
  assert.equal(one(binary('B', 18, { signed: true })).decode(hex('FFFFFFFFFFFFFFFF')).B, '-1');
  assert.equal(one(binary('B', 18)).decode(hex('FFFFFFFFFFFFFFFF')).B, '18446744073709551615');
  assert.equal(one(binary('B', 15, { signed: true })).decode(hex('000462D53C8ABAC0')).B, 1234567890123456);
  assert.equal(one(binary('B', 37)).decode(hex('0000000000000000000000000000FFFF')).B, '65535');
});

test('binary values past 2^53 stay exact as decimal strings', () => {
  const c = one(binary('B', 18, { signed: true, scale: 2, native: true }));
  assert.equal(c.decode(hex('7FFFFFFFFFFFFFFF')).B, '92233720368547758.07');
  assert.equal(toHexString(c.encode({ B: '-92233720368547758.08' })), '8000000000000000');
});

test('COMP keeps the PICTURE digits on encode while COMP-5 takes the full binary range', () => {
  assert.throws(() => one(binary('B', 4)).encode({ B: 10000 }), { code: 'BANYAN_ERR_ENCODE_OVERFLOW' });
  assert.equal(toHexString(one(binary('B', 4), { onOverflow: 'truncate' }).encode({ B: 12345 })), '0929');
  assert.equal(toHexString(one(binary('B', 4, { native: true })).encode({ B: 65535 })), 'FFFF');
  assert.throws(() => one(binary('B', 4, { native: true })).encode({ B: 65536 }), { code: 'BANYAN_ERR_ENCODE_OVERFLOW' });
});

test('IBM hexadecimal float: 43 14 2E FC CA F7 09 B7 is 322.936717 (Cobrix FloatingPointDecodersSpec)', () => {
  const d = one(float('D', 8)).decode(hex('43142EFCCAF709B7')).D as number;
  assert.ok(Math.abs(d - 322.936717) < 1e-6);
  // The short form is the long form's first word: 0x142EFC x 16^-3.
  assert.equal(one(float('F', 4)).decode(hex('43142EFC')).F, 0x142efc / 4096);
  assert.equal(one(float('F', 4)).decode(hex('C1100000')).F, -1);
  assert.equal(toHexString(one(float('F', 4)).encode({ F: -1 })), 'C1100000');
  assert.equal(toHexString(one(float('D', 8)).encode({ D: 0.1 })), '401999999999999A');
});

test('IEEE 754 floats when the option asks for them', () => {
  assert.equal(one(float('F', 4), { floatFormat: 'ieee754' }).decode(hex('3F800000')).F, 1);
  assert.equal(one(float('D', 8), { floatFormat: 'ieee754', floatEndianness: 'little' }).decode(hex('000000000000F03F')).D, 1);
});

test('decimals are exact strings by default and JS numbers when asked and digits <= 15', () => {
  assert.equal(one(packed('P', 7, { signed: true, scale: 2 })).decode(hex('0001230D')).P, '-12.30');
  assert.equal(one(packed('P', 7, { signed: true, scale: 2 }), { decimals: 'number' }).decode(hex('0001230D')).P, -12.3);
  assert.equal(one(packed('P', 17, { signed: true, scale: 2 }), { decimals: 'number' }).decode(hex('00000000000001230D')).P, '-12.30');
  assert.equal(one(zoned('Z', 3), { integers: 'string' }).decode(hex('F0F1F2')).Z, '12');
});

test('numeric-edited pictures decode back to numbers and encode with the picture editing', () => {
  const z = one(edited('E', 'ZZ,ZZ9.99-', { digits: 7, scale: 2, signed: true }));
  const bytes = z.encode({ E: '-1234.5' });
  assert.equal(cp037.decode(bytes, 0, bytes.length), ' 1,234.50-');
  assert.equal(z.decode(bytes).E, '-1234.50');
  const cr = one(edited('E', '$$$9.99CR', { digits: 4, scale: 2, signed: true }));
  const b2 = cr.encode({ E: '-5.25' });
  assert.equal(cp037.decode(b2, 0, b2.length), '  $5.25CR');
  assert.equal(cr.decode(b2).E, '-5.25');
  const star = one(edited('E', '***9', { digits: 4 }));
  assert.equal(cp037.decode(star.encode({ E: 42 }), 0, 4), '**42');
  assert.equal(star.decode(star.encode({ E: 42 })).E, 42);
});

test('explicit-decimal pictures tolerate left-justified digits like Cobrix (789.09 padded with spaces)', () => {
  const c = one(edited('E', '9(8).9(2)', { digits: 10, scale: 2 }));
  const bytes = new Uint8Array(11).fill(0x40);
  bytes.set(hex('F7F8F94BF0F9'), 0);
  assert.equal(c.decode(bytes).E, '789.09');
  const s = one(edited('E', 'S9(3).99', { digits: 5, scale: 2, signed: true }));
  assert.equal(s.decode(hex('F3F0F54BF0D3')).E, '-305.03');
  assert.equal(toHexString(s.encode({ E: '-305.03' })), 'F3F0F54BF0D3');
});

test('every numeric encoder refuses a non-number and a value finer than its scale with the same coded errors', () => {
  const fields = [
    packed('N', 5, { signed: true, scale: 2 }),
    zoned('N', 5, { signed: true, scale: 2 }),
    binary('N', 4, { signed: true, scale: 2 }),
    edited('N', 'ZZ9.99-', { digits: 5, scale: 2, signed: true }),
  ];
  for (const f of fields) {
    const c = one(f);
    assert.throws(() => c.encode({ N: '12a' }), { code: 'BANYAN_ERR_ENCODE_TYPE', message: /R\.N.*got "12a"/ });
    assert.throws(() => c.encode({ N: true as unknown as number }), { code: 'BANYAN_ERR_ENCODE_TYPE', message: /got boolean/ });
    assert.throws(() => c.encode({ N: '1.234' }), { code: 'BANYAN_ERR_ENCODE_SCALE', message: /scale 2, got 1\.234/ });
  }
});
