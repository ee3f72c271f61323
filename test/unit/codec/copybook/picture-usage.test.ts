import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePicture } from '../../../../src/codec/copybook/picture.ts';
import { binaryBytes } from '../../../../src/codec/copybook/shape.ts';
import type { ElementaryField } from '../../../../src/codec/layout.ts';
import { fieldAt, firstRecord, fixed } from './helpers.ts';

const at = { file: 't', line: 1, column: 1 };

/** The one elementary item of a copybook `01 R. 05 F <clauses>.` */
function item(clauses: string, options: Parameters<typeof firstRecord>[1] = {}): ElementaryField {
  const f = fieldAt(firstRecord(fixed('01 R.', `   05 F ${clauses}.`), options), 'R.F');
  assert.notEqual(f.kind, 'group');
  return f as ElementaryField;
}

function numeric(clauses: string, options: Parameters<typeof firstRecord>[1] = {}) {
  const f = item(clauses, options);
  assert.ok('digits' in f, `${clauses} is numeric`);
  return { kind: f.kind, length: f.length, digits: f.digits, scale: f.scale, signed: f.signed };
}

test('PIC X and A are alphanumeric and alphabetic text, one byte a character', () => {
  assert.deepEqual(parsePicture('X(10)', at, false), { category: 'alphanumeric', letter: 'X', size: 10 });
  assert.deepEqual(parsePicture('AAA', at, false), { category: 'alphanumeric', letter: 'A', size: 3 });
  assert.deepEqual(parsePicture('A(2)X9', at, false), { category: 'alphanumeric', letter: 'X', size: 4 });
  const f = item('PIC A(10)');
  assert.ok(f.kind === 'alphanumeric' && f.category === 'A' && f.length === 10);
});

test('repetition factors expand and adjacent symbols add up: 9(3)99 is five digits', () => {
  assert.deepEqual(numeric('PIC 9(3)99'), { kind: 'zoned', length: 5, digits: 5, scale: 0, signed: false });
});

test('S, V and P give sign and scale; P positions scale on either side but take no storage', () => {
  assert.deepEqual(numeric('PIC S9(5)V99'), { kind: 'zoned', length: 7, digits: 7, scale: 2, signed: true });
  assert.deepEqual(numeric('PIC SV9(5) COMP-3'), { kind: 'packed', length: 3, digits: 5, scale: 5, signed: true });
  assert.deepEqual(numeric('PIC PPP999'), { kind: 'zoned', length: 3, digits: 3, scale: 6, signed: false });
  assert.deepEqual(numeric('PIC SVPP99'), { kind: 'zoned', length: 2, digits: 2, scale: 4, signed: true });
  assert.deepEqual(numeric('PIC 9(3)PPP'), { kind: 'zoned', length: 3, digits: 3, scale: -3, signed: false });
  assert.deepEqual(numeric('PIC S9PPPV COMP'), { kind: 'binary', length: 2, digits: 1, scale: -3, signed: true });
});

test('N is national (UTF-16, 2 bytes a character); G and N DISPLAY-1 are DBCS', () => {
  const n = item('PIC N(5)');
  assert.ok(n.kind === 'national' && n.characters === 5 && n.length === 10 && n.usage === 'display');
  const nu = item('PIC N(3) USAGE NATIONAL');
  assert.ok(nu.kind === 'national' && nu.length === 6 && nu.usage === 'national');
  const g = item('PIC G(4) DISPLAY-1');
  assert.ok(g.kind === 'dbcs' && g.characters === 4 && g.length === 8);
  const gn = item('PIC N(2) USAGE DISPLAY-1');
  assert.ok(gn.kind === 'dbcs' && gn.length === 4);
  const gg = item('PIC GGG');
  assert.ok(gg.kind === 'dbcs' && gg.length === 6);
});

test('edited pictures: size counts every position, digits count 9 Z * and floating symbols', () => {
  const cases: Array<[string, number, number, number, boolean]> = [
    // picture, length, digits, scale, signed
    ['ZZ,ZZ9.99', 9, 7, 2, false],
    ['$$$,$$9.99CR', 12, 7, 2, true],
    ['+9(8)', 9, 8, 0, true],
    ['9(8)+', 9, 8, 0, true],
    ['-9(8)', 9, 8, 0, true],
    ['Z(8)-', 9, 8, 0, true],
    ['Z(6)VZZ-', 9, 8, 2, true],
    ['9(6).99-', 10, 8, 2, true],
    ['***,**9.99DB', 12, 8, 2, true],
    ['99/99/99', 8, 6, 0, false],
    ['9(3)B9(3)0', 8, 6, 0, false],
    ['---9', 4, 3, 0, true],
    ['S9(3).99', 6, 5, 2, true],
  ];
  for (const [pic, length, digits, scale, signed] of cases) {
    const f = item(`PIC ${pic}`);
    assert.ok(f.kind === 'numeric-edited', pic);
    assert.deepEqual([f.length, f.digits, f.scale, f.signed, f.picture], [length, digits, scale, signed, pic], pic);
  }
});

test('DECIMAL-POINT IS COMMA swaps the roles of "." and ","', () => {
  const f = item('PIC ZZ.ZZ9,99', { decimalPointIsComma: true });
  assert.ok(f.kind === 'numeric-edited' && f.scale === 2 && f.digits === 7 && f.decimalPointIsComma);
});

test('alphanumeric-edited pictures (X with B, 0, /) are text of their full size', () => {
  const f = item('PIC XXBXX/X(2)0');
  assert.ok(f.kind === 'alphanumeric-edited' && f.length === 9 && f.picture === 'XXBXX/X(2)0');
});

test('binary sizes follow IBM: 1-4 digits 2 bytes, 5-9 4, 10-18 8; COMP, COMP-4, BINARY alike', () => {
  for (const [pic, bytes] of [['S9', 2], ['S9(4)', 2], ['S9(5)', 4], ['9(9)', 4], ['S9(10)', 8], ['9(18)', 8]] as const) {
    for (const usage of ['COMP', 'COMP-4', 'BINARY', 'COMPUTATIONAL']) {
      const f = item(`PIC ${pic} ${usage}`);
      assert.ok(f.kind === 'binary' && f.bytes === bytes && f.length === bytes && !f.native && f.endianness === 'big', `${pic} ${usage}`);
    }
  }
});

test('COMP-5 is native binary; the one-byte dialect puts 1-2 digits in one byte', () => {
  const c5 = item('PIC S9(4) COMP-5');
  assert.ok(c5.kind === 'binary' && c5.native && c5.bytes === 2 && c5.usage === 'comp-5');
  const one = item('PIC 99 COMP', { binarySizes: 'one-byte' });
  assert.ok(one.kind === 'binary' && one.bytes === 1);
  const le = item('PIC S9(9) COMP', { binaryEndianness: 'little' });
  assert.ok(le.kind === 'binary' && le.endianness === 'little');
});

test('binaries beyond 18 digits use Cobrix sizes; COMP-9 is little-endian with 1-byte small items', () => {
  assert.deepEqual([19, 20, 28, 37].map((d) => binaryBytes(d, false)), [9, 9, 12, 16]);
  const c9 = item('PIC 99 COMP-9');
  assert.ok(c9.kind === 'binary' && c9.bytes === 1 && c9.endianness === 'little');
});

test('packed decimal takes floor(digits/2)+1 bytes; COMP-3U has no sign nibble', () => {
  for (const [pic, len] of [['S9', 1], ['9(2)', 2], ['S9(5)', 3], ['S9(7)V99', 5], ['9(18)', 10]] as const) {
    assert.equal(item(`PIC ${pic} COMP-3`).length, len, pic);
    assert.equal(item(`PIC ${pic} PACKED-DECIMAL`).length, len, pic);
  }
  const u = item('PIC 9(5) COMP-3U');
  assert.ok(u.kind === 'packed' && u.unsignedNoNibble && u.length === 3 && !u.signed);
  assert.equal(item('PIC 9(4) COMP-3U').length, 2);
});

test('COMP-1 and COMP-2 are 4- and 8-byte floats, IBM hex by default, IEEE 754 as an option', () => {
  const c1 = item('COMP-1');
  assert.ok(c1.kind === 'float' && c1.bytes === 4 && c1.format === 'ibm-hex' && c1.endianness === 'big');
  const c2 = item('USAGE IS COMP-2', { floatFormat: 'ieee754', floatEndianness: 'little' });
  assert.ok(c2.kind === 'float' && c2.bytes === 8 && c2.format === 'ieee754' && c2.endianness === 'little');
});

test('INDEX and POINTER items are 4-byte native binaries', () => {
  const ix = item('USAGE INDEX');
  assert.ok(ix.kind === 'binary' && ix.length === 4 && ix.usage === 'index');
  const p = item('POINTER');
  assert.ok(p.kind === 'binary' && p.length === 4 && p.usage === 'pointer' && !p.signed);
});

test('zoned decimal is one byte a digit, one more with SIGN SEPARATE (also on an unsigned PICTURE, as Cobrix)', () => {
  assert.deepEqual(numeric('PIC 99V99 SIGN LEADING SEPARATE'), { kind: 'zoned', length: 5, digits: 4, scale: 2, signed: true });
});
