/**
 * The generated group decoder inlines the common case of text, zoned, packed and 2/4-byte binary
 * fields (src/codec/compile/fields/inline.ts) and calls the field's own decoder for anything else.
 * These properties prove the two agree on every byte string: a field decoded inside a group (inline)
 * gives the same value, or the same DecodeError (code, offset, hex), or the same flagged error under
 * onError 'null', as the same field decoded as an elementary 01 record (the field decoder alone).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRecordCodec, DecodeError, fieldErrors, type CodecOptions } from '../../../../src/codec/compile/index.ts';
import type { ElementaryField, RecordLayout } from '../../../../src/codec/layout.ts';
import { binary, cp037, latin1, packed, record, x, zoned } from './support.ts';

type Spec = ReturnType<typeof x>;

/** The field as the only child of a group (inline path) and as an elementary 01 record (no inline). */
function layouts(spec: Spec): { grouped: RecordLayout; alone: RecordLayout } {
  const grouped = record('R', [spec]);
  const field = spec.build('', 1, 0, new Map()) as ElementaryField;
  return { grouped, alone: { name: field.name, length: field.length, root: field, renames: [] } };
}

type Outcome = { value: unknown; flagged: string[] } | { error: string };

function outcome(run: () => Record<string, unknown>): Outcome {
  try {
    const r = run();
    return { value: r.V, flagged: fieldErrors(r as never).map((e) => `${e.code}@${e.byteOffset}:${e.hex}`) };
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return { error: `${err.code}@${err.byteOffset}:${err.hex}` };
  }
}

/** Bytes biased to the ones the fast paths branch on: spaces, low-values, digits, overpunch, signs, BCD. */
const byte = fc.oneof(
  fc.constantFrom(0x40, 0x00, 0x20, 0x4e, 0x60, 0x2b, 0x2d, 0x7b, 0x7d),
  fc.integer({ min: 0xf0, max: 0xf9 }),
  fc.integer({ min: 0x30, max: 0x39 }),
  fc.integer({ min: 0xc0, max: 0xd9 }),
  fc.integer({ min: 0x00, max: 0x99 }),
  fc.integer({ min: 0, max: 255 }),
);

const optionsArb = fc.record({
  decimals: fc.constantFrom<'string' | 'number'>('string', 'number'),
  integers: fc.constantFrom<'string' | 'number'>('number', 'string'),
  blankNumbers: fc.constantFrom<'null' | 'strict'>('null', 'strict'),
  stringTrimming: fc.constantFrom<'both' | 'left' | 'right' | 'none'>('both', 'left', 'right', 'none'),
  onError: fc.constantFrom<'fail' | 'null'>('fail', 'null'),
  ascii: fc.boolean(),
});

function agree(spec: Spec, length: number, runs = 400): void {
  const { grouped, alone } = layouts(spec);
  fc.assert(
    fc.property(optionsArb, fc.uint8Array({ minLength: length, maxLength: length }), fc.array(byte, { minLength: length, maxLength: length }), fc.boolean(), (o, random, biased, useBiased) => {
      const { ascii, ...rest } = o;
      const options: CodecOptions = { ...rest, codePage: ascii ? latin1 : cp037 };
      const bytes = useBiased ? Uint8Array.from(biased) : random;
      const inline = outcome(() => compileRecordCodec(grouped, options).decode(bytes, 0, bytes.length, 7));
      // The elementary record's only key is the field's name, V, as in the group.
      const direct = outcome(() => compileRecordCodec(alone, options).decode(bytes, 0, bytes.length, 7));
      assert.deepEqual(inline, direct);
    }),
    { numRuns: runs },
  );
}

test('inline zoned decimals give the field decoder\'s value or error for any bytes (1-15 digits, signed or not, scaled)', () => {
  for (const digits of [1, 2, 5, 7, 9, 11, 15]) {
    for (const scale of [0, 2, digits]) {
      for (const signed of [false, true]) agree(zoned('V', digits, { scale, signed }), digits, 120);
    }
  }
});

test('inline packed decimals give the field decoder\'s value or error for any bytes (signed, unsigned, no sign nibble)', () => {
  for (const digits of [1, 2, 5, 7, 9, 13, 15]) {
    for (const scale of [0, 2, digits]) {
      for (const signed of [false, true]) {
        const spec = packed('V', digits, { scale, signed });
        agree(spec, Math.floor(digits / 2) + 1, 120);
      }
      agree(packed('V', digits, { scale, noNibble: true }), Math.ceil(digits / 2), 120);
    }
  }
});

test('inline 2- and 4-byte binary gives the field decoder\'s value or error for any bytes (signed, unsigned, little-endian, scaled)', () => {
  for (const digits of [4, 9]) {
    for (const signed of [false, true]) {
      for (const little of [false, true]) {
        for (const scale of [0, 2]) agree(binary('V', digits, { signed, little, scale }), digits <= 4 ? 2 : 4, 150);
      }
    }
  }
});

test('inline text gives the field decoder\'s string for any bytes and trimming policy (1-70 bytes)', () => {
  for (const length of [1, 2, 12, 30, 64, 65, 70]) agree(x('V', length), length, 200);
});

test('a record shorter than its group decodes the fields that fit inline and applies the short-record rule to the rest', () => {
  const r = record('R', [zoned('N', 3, { signed: true }), packed('P', 3, { signed: true }), x('T', 10)]);
  const bytes = Uint8Array.from([0xf1, 0xf2, 0xc3, 0x12, 0x3d, 0xc1, 0xc2]); // N=+123, P=-123, T='AB' (8 bytes short)
  assert.deepEqual(compileRecordCodec(r, { codePage: cp037, shortRecord: 'null' }).decode(bytes), { N: 123, P: -123, T: 'AB' });
  assert.throws(
    () => compileRecordCodec(r, { codePage: cp037 }).decode(bytes),
    (err: unknown) => err instanceof DecodeError && err.code === 'BANYAN_ERR_DECODE_SHORT_RECORD' && err.byteOffset === 5 && err.fieldPath === 'R.T',
  );
});

test('a rule-driven REDEFINES builds the object with only the chosen branch, keys in storage order, fields after the cluster kept', () => {
  const r = record('R', [x('SEG', 1), x('A', 3), x('B', 3, { redefines: 'A' }), x('Z', 2)]);
  const decode = (otherwise: 'none' | 'all', text: string) =>
    compileRecordCodec(r, { codePage: latin1, redefines: [{ redefines: 'A', selector: 'SEG', when: { a: 'A', b: 'B' }, otherwise }] }).decode(Buffer.from(text, 'latin1'));
  const a = decode('none', 'axyzZZ');
  assert.deepEqual(Object.keys(a), ['SEG', 'A', 'Z']);
  assert.deepEqual(a, { SEG: 'a', A: 'xyz', Z: 'ZZ' });
  assert.deepEqual(Object.keys(decode('none', 'bxyzZZ')), ['SEG', 'B', 'Z']);
  assert.deepEqual(Object.keys(decode('none', 'qxyzZZ')), ['SEG', 'Z']);
  assert.deepEqual(decode('all', 'qxyzZZ'), { SEG: 'q', A: 'xyz', B: 'xyz', Z: 'ZZ' });
  // A record short of the cluster: the checked variant, same shape.
  assert.deepEqual(compileRecordCodec(r, { codePage: latin1, shortRecord: 'null', redefines: [{ redefines: 'A', selector: 'SEG', when: { b: 'B' }, otherwise: 'none' }] }).decode(Buffer.from('bxy', 'latin1')), { SEG: 'b', B: 'xy', Z: null });
});
