/**
 * Fuzz: 100,000 random records (10,000 each over 10 layouts, seeded so a failure reproduces)
 * through the compiled decoders. Decoding may only ever return a value or throw DecodeError:
 * no other exception, no hang, and no allocation beyond what the layout bounds (ODO counts read
 * from garbage are checked against the table maximum before any array is made). With onError
 * 'null' decoding never throws at all. Whatever decodes must re-encode or fail with EncodeError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRecordCodec, DecodeError, EncodeError, type CodecOptions, type DecodedRecord, type RecordCodec } from '../../../../src/codec/compile/index.ts';
import type { RecordLayout } from '../../../../src/codec/layout.ts';
import { binary, cp037, edited, float, group, latin1, national, packed, record, x, zoned } from '../compile/support.ts';

const RECORDS_PER_LAYOUT = 10_000;

const layouts: Array<{ name: string; layout: RecordLayout; options: CodecOptions }> = [
  { name: 'display text and zoned', layout: record('R', [x('A', 5), zoned('Z', 7, { signed: true, scale: 2 }), zoned('U', 3)]), options: { codePage: cp037 } },
  { name: 'packed of every width', layout: record('R', [packed('P1', 1, { signed: true }), packed('P9', 9, { signed: true, scale: 4 }), packed('P31', 31, { signed: true, scale: 10 }), packed('PU', 4, { noNibble: true })]), options: { codePage: cp037 } },
  { name: 'binary both endians', layout: record('R', [binary('B2', 4, { signed: true }), binary('B4', 9), binary('B8', 18, { signed: true, scale: 3 }), binary('B8N', 18, { native: true }), binary('B16', 30), binary('L4', 9, { little: true, signed: true })]), options: { codePage: cp037 } },
  { name: 'floats IBM and IEEE', layout: record('R', [float('F', 4), float('D', 8), float('E', 8, { ieee: true })]), options: { codePage: cp037 } },
  { name: 'separate and leading signs', layout: record('R', [zoned('L', 5, { signed: true, sign: 'leading', separate: true }), zoned('T', 5, { signed: true, separate: true }), zoned('O', 4, { signed: true, sign: 'leading' })]), options: { codePage: cp037 } },
  { name: 'edited numerics', layout: record('R', [edited('E1', 'ZZ,ZZ9.99-', { digits: 7, scale: 2, signed: true }), edited('E2', '$$$9.99CR', { digits: 4, scale: 2, signed: true }), edited('E3', 'S9(3).99', { digits: 5, scale: 2, signed: true })]), options: { codePage: cp037 } },
  {
    name: 'ODO from garbage, fixed positions',
    layout: record('R', [packed('N', 3), group('T', [x('K', 2), packed('V', 5, { signed: true })], { occurs: { min: 0, max: 20, dependingOn: 'N' } }), x('TAIL', 3)]),
    options: { codePage: cp037 },
  },
  {
    name: 'nested ODO, shifting',
    layout: record('R', [
      binary('N', 4),
      group('O', [zoned('M', 1), x('V', 2, { occurs: { min: 0, max: 9, dependingOn: 'M' } })], { occurs: { min: 1, max: 5, dependingOn: 'N' } }),
      packed('AFTER', 5),
    ]),
    options: { codePage: cp037, variableSizeOccurs: true },
  },
  {
    name: 'REDEFINES by rule, NATIONAL',
    layout: record('R', [x('KIND', 1), group('A', [packed('P', 7, { signed: true })]), group('B', [national('N', 2)], { redefines: 'A' }), x('Z', 2)]),
    options: { codePage: cp037, redefines: [{ redefines: 'A', selector: 'KIND', when: { A: 'A', B: 'B' }, otherwise: 'all' }] },
  },
  { name: 'ASCII zoned and text', layout: record('R', [zoned('Z', 9, { signed: true, scale: 3 }), x('S', 6), zoned('L', 4, { signed: true, sign: 'leading', separate: true })]), options: { codePage: latin1 } },
];

/** xorshift32: deterministic, fast, no dependency. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Bytes biased toward the interesting ones: digits, zones, signs, spaces, low-values. */
const INTERESTING = [0x00, 0x40, 0x20, 0xff, 0x4b, 0x4e, 0x60, 0x6b, 0x5b, 0x0c, 0x0d, 0x0f, 0x30, 0x39, 0x2d, 0x2b, 0x7b, 0x7d];
function fill(next: () => number, out: Uint8Array, length: number): void {
  for (let i = 0; i < length; i++) {
    const r = next();
    const kind = r & 7;
    if (kind < 3) out[i] = (r >>> 8) & 0xff;
    else if (kind < 5) out[i] = (kind === 3 ? 0xf0 : 0xc0 + ((r >>> 20) & 1) * 0x10) + ((r >>> 8) % 10);
    else if (kind === 5) out[i] = ((r >>> 8) % 10 << 4) | ((r >>> 12) % 10);
    else out[i] = INTERESTING[(r >>> 8) % INTERESTING.length];
  }
}

function checkEncode(codec: RecordCodec, value: DecodedRecord): void {
  try {
    codec.encode(value);
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
  }
}

test(`decoding ${RECORDS_PER_LAYOUT * layouts.length} random records over ${layouts.length} layouts only ever yields DecodeError`, () => {
  let decoded = 0;
  let rejected = 0;
  layouts.forEach(({ name, layout, options }, index) => {
    const strict = compileRecordCodec(layout, options);
    const lenient = compileRecordCodec(layout, { ...options, onError: 'null', shortRecord: 'null' });
    const next = rng(0x9e3779b9 ^ (index + 1));
    const buffer = new Uint8Array(layout.length + 8);
    for (let n = 0; n < RECORDS_PER_LAYOUT; n++) {
      // Every tenth record is cut short at a random length.
      const length = n % 10 === 9 ? next() % (layout.length + 1) : layout.length;
      fill(next, buffer, length);
      try {
        const value = strict.decode(buffer, 0, length, n + 1);
        decoded++;
        checkEncode(strict, value);
      } catch (err) {
        if (!(err instanceof DecodeError)) assert.fail(`${name}, record ${n + 1}: ${String(err)}`);
        assert.match(err.code, /^BANYAN_ERR_DECODE_/);
        assert.equal(err.recordNumber, n + 1);
        assert.ok(err.byteOffset >= 0 && err.byteOffset <= layout.length, `${name}: offset ${err.byteOffset}`);
        rejected++;
      }
      const value = lenient.decode(buffer, 0, length, n + 1);
      assert.equal(typeof value, 'object');
    }
  });
  assert.equal(decoded + rejected, RECORDS_PER_LAYOUT * layouts.length);
  assert.ok(decoded > 0 && rejected > 0, `decoded ${decoded}, rejected ${rejected}`);
});
