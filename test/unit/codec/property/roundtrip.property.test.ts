/**
 * Round-trip properties over every USAGE and sign form:
 *   decode(encode(v)) = v for every value in the field's domain, and
 *   encode(decode(b)) = b for canonical bytes (the form IBM COBOL writes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRecordCodec, EncodeError, type CodecOptions, type RecordCodec } from '../../../../src/codec/compile/index.ts';
import { formatDecimal } from '../../../../src/codec/compile/decimal.ts';
import { binary, cp037, edited, float, group, latin1, national, packed, record, toHexString, x, zoned } from '../compile/support.ts';

const RUNS = { numRuns: 300 };

/** A numeric shape and an unscaled value inside it. */
const numericCase = (maxDigits: number) =>
  fc
    .record({ digits: fc.integer({ min: 1, max: maxDigits }), scaleShift: fc.integer({ min: -3, max: 40 }), signed: fc.boolean(), seed: fc.bigInt({ min: 0n, max: 10n ** 40n }), negative: fc.boolean() })
    .map(({ digits, scaleShift, signed, seed, negative }) => {
      const scale = Math.min(scaleShift, digits);
      const abs = seed % 10n ** BigInt(digits);
      return { digits, scale, signed, abs, negative: signed && negative && abs !== 0n };
    });

function expected(c: { abs: bigint; negative: boolean; scale: number }): string {
  return formatDecimal(c.negative, c.abs.toString(), c.scale);
}

function valueOf(c: { abs: bigint; negative: boolean; scale: number }): string {
  return expected(c);
}

function roundTrip(codec: RecordCodec, c: { abs: bigint; negative: boolean; scale: number }): void {
  const bytes = codec.encode({ V: valueOf(c) });
  const back = codec.decode(bytes).V;
  assert.equal(String(back), expected(c), `bytes ${toHexString(bytes)}`);
  assert.equal(toHexString(codec.encode(codec.decode(bytes))), toHexString(bytes));
}

test('zoned decimal round-trips for every sign form (trailing/leading, overpunch/separate, EBCDIC/ASCII)', () => {
  fc.assert(
    fc.property(numericCase(31), fc.constantFrom<'leading' | 'trailing'>('leading', 'trailing'), fc.boolean(), fc.constantFrom(cp037, latin1), (c, sign, separate, codePage) => {
      const codec = compileRecordCodec(record('R', [zoned('V', c.digits, { scale: c.scale, signed: c.signed, sign, separate })]), { codePage });
      roundTrip(codec, c);
    }),
    RUNS,
  );
});

test('packed decimal round-trips signed (C/D) and unsigned (F), and COMP-3U without a sign nibble', () => {
  fc.assert(
    fc.property(numericCase(31), fc.boolean(), (c, noNibble) => {
      const shape = noNibble ? { ...c, signed: false, negative: false } : c;
      const codec = compileRecordCodec(record('R', [packed('V', c.digits, { scale: c.scale, signed: shape.signed, noNibble })]), { codePage: cp037 });
      try {
        roundTrip(codec, shape);
      } catch (err) {
        // COMP-3U has no sign nibble, so 40 40 is a valid "4040": it is refused rather than read back as blank.
        if (noNibble && err instanceof EncodeError && err.code === 'BANYAN_ERR_ENCODE_BLANK') return;
        throw err;
      }
    }),
    RUNS,
  );
});

test('binary COMP / COMP-5 round-trips big- and little-endian across 2, 4, 8 and 16 bytes', () => {
  fc.assert(
    fc.property(numericCase(37), fc.boolean(), fc.boolean(), (c, native, little) => {
      const codec = compileRecordCodec(record('R', [binary('V', c.digits, { scale: c.scale, signed: c.signed, native, little })]), { codePage: cp037 });
      try {
        roundTrip(codec, c);
      } catch (err) {
        // A value whose bytes are all 0x40 reads back as blank (null): refused, never written.
        if (err instanceof EncodeError && err.code === 'BANYAN_ERR_ENCODE_BLANK') return;
        throw err;
      }
    }),
    RUNS,
  );
});

test('COMP-5 round-trips its full binary range, beyond the PICTURE digits', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
      const codec = compileRecordCodec(record('R', [binary('V', 18, { signed: true, native: true })]), { codePage: cp037 });
      try {
        const bytes = codec.encode({ V: v });
        assert.equal(String(codec.decode(bytes).V), v.toString());
      } catch (err) {
        if (err instanceof EncodeError && err.code === 'BANYAN_ERR_ENCODE_BLANK') return;
        throw err;
      }
    }),
    RUNS,
  );
});

test('COMP-2 IBM hexadecimal float round-trips every double in its range; COMP-1 every 21-bit integer', () => {
  const long = compileRecordCodec(record('R', [float('V', 8)]), { codePage: cp037 });
  const short = compileRecordCodec(record('R', [float('V', 4)]), { codePage: cp037 });
  const ieee = compileRecordCodec(record('R', [float('V', 8)]), { codePage: cp037, floatFormat: 'ieee754', blankNumbers: 'strict' });
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e75, max: 1e75 }), fc.integer({ min: -(2 ** 21), max: 2 ** 21 }), (d, i) => {
      const v = Math.abs(d) < 1e-75 ? 0 : d;
      try {
        assert.equal(long.decode(long.encode({ V: v })).V, v === 0 ? 0 : v);
        assert.equal(short.decode(short.encode({ V: i })).V, i);
      } catch (err) {
        if (err instanceof EncodeError && err.code === 'BANYAN_ERR_ENCODE_BLANK') return;
        throw err;
      }
      assert.equal(ieee.decode(ieee.encode({ V: d })).V, Object.is(d, -0) ? -0 : d);
    }),
    RUNS,
  );
});

test('numeric-edited pictures round-trip their values', () => {
  const pictures: Array<{ picture: string; digits: number; scale: number; signed: boolean }> = [
    { picture: 'ZZ,ZZ9.99-', digits: 7, scale: 2, signed: true },
    { picture: '$$$,$$9.99CR', digits: 7, scale: 2, signed: true },
    { picture: '+9(5)', digits: 5, scale: 0, signed: true },
    { picture: '---,--9', digits: 5, scale: 0, signed: true },
    { picture: '***,**9.99', digits: 8, scale: 2, signed: false },
    { picture: '99/99/99', digits: 6, scale: 0, signed: false },
    { picture: 'S9(5).99', digits: 7, scale: 2, signed: true },
    { picture: 'Z(4)9DB', digits: 5, scale: 0, signed: true },
  ];
  fc.assert(
    fc.property(fc.constantFrom(...pictures), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.boolean(), (p, seed, neg) => {
      const abs = seed % 10n ** BigInt(p.digits);
      const c = { abs, negative: p.signed && neg && abs !== 0n, scale: p.scale };
      const codec = compileRecordCodec(record('R', [edited('V', p.picture, { digits: p.digits, scale: p.scale, signed: p.signed })]), { codePage: cp037 });
      const bytes = codec.encode({ V: valueOf(c) });
      assert.equal(String(codec.decode(bytes).V), expected(c), `${p.picture}: ${cp037.decode(bytes, 0, bytes.length)}`);
    }),
    RUNS,
  );
});

test('alphanumeric and NATIONAL text round-trips (no leading/trailing blanks, trimmed by default)', () => {
  const printable = [...cp037.byteToChar].filter((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f && !(ch.charCodeAt(0) >= 0x80 && ch.charCodeAt(0) < 0xa0));
  const text = fc.array(fc.constantFrom(...printable), { minLength: 0, maxLength: 12 }).map((a) => a.join(''));
  const natText = fc.string({ unit: fc.integer({ min: 0x21, max: 0xd7ff }).map((n) => String.fromCharCode(n)), maxLength: 6 });
  const options: CodecOptions = { codePage: cp037 };
  const alnum = compileRecordCodec(record('R', [x('V', 12)]), options);
  const nat = compileRecordCodec(record('R', [national('V', 6)]), options);
  fc.assert(
    fc.property(text, natText, (s, n) => {
      assert.equal(alnum.decode(alnum.encode({ V: s })).V, s);
      assert.equal(nat.decode(nat.encode({ V: n })).V, n);
    }),
    RUNS,
  );
});

test('canonical packed, zoned and binary bytes re-encode to the same bytes', () => {
  const nibble = fc.integer({ min: 0, max: 9 });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 18 }), fc.array(nibble, { minLength: 18, maxLength: 18 }), fc.boolean(), fc.boolean(), (digits, ds, signed, neg) => {
      const used = ds.slice(0, digits);
      if (used.every((d) => d === 0)) neg = false; // -0 is not canonical
      // Packed: pad nibble 0, digits, sign C/D (signed) or F (unsigned).
      const nibbles = [...(digits % 2 === 0 ? [0] : []), ...used, signed ? (neg ? 0xd : 0xc) : 0xf];
      const p = new Uint8Array(nibbles.length / 2);
      for (let i = 0; i < p.length; i++) p[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
      const pc = compileRecordCodec(record('R', [packed('V', digits, { signed })]), { codePage: cp037 });
      assert.equal(toHexString(pc.encode(pc.decode(p))), toHexString(p));
      // Zoned EBCDIC: F zones, last digit C/D (signed) or F (unsigned).
      const z = Uint8Array.from(used, (d) => 0xf0 + d);
      z[z.length - 1] = (signed ? (neg ? 0xd0 : 0xc0) : 0xf0) + used[used.length - 1];
      const zc = compileRecordCodec(record('R', [zoned('V', digits, { signed })]), { codePage: cp037 });
      assert.equal(toHexString(zc.encode(zc.decode(z))), toHexString(z));
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.constantFrom(2, 4, 8), fc.boolean(), (raw, size, signed) => {
      const b = raw.slice(0, size);
      if (b.every((v) => v === 0x40)) return; // blank, reads as null
      const codec = compileRecordCodec(record('R', [binary('V', size === 2 ? 4 : size === 4 ? 9 : 18, { signed, native: true })]), { codePage: cp037 });
      assert.equal(toHexString(codec.encode(codec.decode(b))), toHexString(b));
    }),
    RUNS,
  );
});

test('records with a rule-chosen REDEFINES and an ODO table round-trip, fixed and shifting', () => {
  const layout = record('R', [
    x('KIND', 1),
    group('A', [packed('AMOUNT', 7, { signed: true, scale: 2 })]),
    group('B', [x('CODE', 4)], { redefines: 'A' }),
    zoned('N', 1),
    group('T', [zoned('V', 3, { signed: true }), x('L', 2)], { occurs: { min: 0, max: 3, dependingOn: 'N' } }),
    x('TAIL', 3),
  ]);
  const rules = [{ redefines: 'A', selector: 'KIND', when: { A: 'A', B: 'B' } }];
  const fixed = compileRecordCodec(layout, { codePage: cp037, redefines: rules });
  const shifting = compileRecordCodec(layout, { codePage: cp037, redefines: rules, variableSizeOccurs: true });
  const word = fc.array(fc.constantFrom(...'ABCXYZ019'), { minLength: 1, maxLength: 2 }).map((a) => a.join(''));
  const value = fc.record({
    kind: fc.constantFrom('A', 'B'),
    amount: fc.integer({ min: -9_999_999, max: 9_999_999 }),
    code: fc.array(fc.constantFrom(...'ABC123'), { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
    items: fc.array(fc.record({ V: fc.integer({ min: -999, max: 999 }), L: word }), { maxLength: 3 }),
    tail: word,
  });
  fc.assert(
    fc.property(value, (v) => {
      const rec = {
        KIND: v.kind,
        ...(v.kind === 'A' ? { A: { AMOUNT: formatDecimal(v.amount < 0, String(Math.abs(v.amount)), 2) } } : { B: { CODE: v.code } }),
        N: v.items.length,
        T: v.items.map((i) => ({ V: i.V, L: i.L })),
        TAIL: v.tail,
      };
      for (const codec of [fixed, shifting]) {
        const bytes = codec.encode(rec);
        assert.deepEqual(codec.decode(bytes), rec);
        assert.equal(toHexString(codec.encode(codec.decode(bytes))), toHexString(bytes));
      }
    }),
    RUNS,
  );
});
