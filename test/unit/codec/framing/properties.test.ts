/**
 * Property tests: whatever records are written in any format come back identical however the
 * framed bytes are chunked; and arbitrary bytes in any format only ever yield records or a
 * FramingError (never another exception, a record outside the input, or an unbounded allocation).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  FramingError,
  RecordFramer,
  resolveFraming,
  writeRecordsSync,
  type FramedRecord,
  type FramingOptions,
} from '../../../../src/codec/framing/index.ts';

/** Frames `data` cut at the given chunk sizes (cycled) with the incremental framer. */
function frameInChunks(data: Uint8Array, framing: FramingOptions, sizes: number[]): FramedRecord[] {
  const framer = new RecordFramer(resolveFraming(framing));
  const out: FramedRecord[] = [];
  let pos = 0;
  for (let i = 0; pos < data.length; i++) {
    const size = sizes[i % sizes.length];
    framer.push(data.slice(pos, pos + size), out);
    pos += size;
  }
  framer.end(out);
  return out;
}

const word = fc.record({
  byteOrder: fc.constantFrom('big' as const, 'little' as const),
  includesHeader: fc.boolean(),
  adjustment: fc.constantFrom(0, -2), // a positive adjustment cannot describe the shortest records
});
const chunkSizes = fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 6 });

/** A format and records that fit it. */
const formatAndRecords: fc.Arbitrary<[FramingOptions, Uint8Array[]]> = fc.oneof(
  fc.integer({ min: 1, max: 40 }).chain((recordLength) =>
    fc.tuple(
      fc.oneof(
        fc.constant<FramingOptions>({ format: 'F', recordLength }),
        fc.integer({ min: recordLength, max: 200 }).map((blockLength): FramingOptions => ({ format: 'FB', recordLength, blockLength })),
        word.map((bdw): FramingOptions => ({ format: 'FB', recordLength, bdw })),
      ),
      fc.array(fc.uint8Array({ minLength: recordLength, maxLength: recordLength }), { maxLength: 30 }),
    ),
  ),
  fc.tuple(
    fc.oneof(
      word.map((rdw): FramingOptions => ({ format: 'V', rdw })),
      fc.tuple(word, word, fc.integer({ min: 300, max: 2000 })).map(([rdw, bdw, blockLength]): FramingOptions => ({ format: 'VB', rdw, bdw, blockLength })),
    ),
    fc.array(fc.uint8Array({ minLength: 1, maxLength: 250 }), { maxLength: 30 }),
  ),
  fc.tuple(
    fc.constant<FramingOptions>({ format: 'length-field', bytesNeeded: 2, recordLength: (p) => (p[0] << 8) | p[1] }),
    fc.array(
      fc.uint8Array({ minLength: 0, maxLength: 250 }).map((body) => {
        const r = new Uint8Array(body.length + 2);
        r[0] = r.length >> 8;
        r[1] = r.length & 0xff;
        r.set(body, 2);
        return r;
      }),
      { maxLength: 30 },
    ),
  ),
);

describe('framing properties', () => {
  it('reads back exactly the records written, in every format, however the bytes are chunked', () => {
    fc.assert(
      fc.property(formatAndRecords, chunkSizes, ([framing, records], sizes) => {
        const framed = writeRecordsSync(records, framing);
        const back = frameInChunks(framed, framing, sizes);
        assert.deepEqual(back.map((r) => Buffer.from(r.bytes).toString('hex')), records.map((r) => Buffer.from(r).toString('hex')));
        assert.deepEqual(back.map((r) => r.recordNumber), records.map((_, i) => i + 1));
        for (const r of back) assert.ok(Buffer.from(framed.subarray(r.byteOffset, r.byteOffset + r.bytes.length)).equals(r.bytes), 'byteOffset points at the record');
      }),
      { numRuns: 400 },
    );
  });

  it('turns arbitrary bytes into records or a FramingError, never anything else', () => {
    const anyFraming = fc.oneof(
      formatAndRecords.map(([f]) => f),
      fc.constant<FramingOptions>({ format: 'length-field', bytesNeeded: 1, recordLength: (p) => (p[0] === 7 ? Number.NaN : p[0] * 1000) }),
    );
    fc.assert(
      fc.property(anyFraming, fc.uint8Array({ maxLength: 3000 }), chunkSizes, fc.boolean(), (framing, data, sizes, resync) => {
        const errors: FramingError[] = [];
        const options: FramingOptions = resync ? { ...framing, onError: 'resync', onFramingError: (e) => errors.push(e) } : framing;
        let records: FramedRecord[] = [];
        try {
          records = frameInChunks(data, options, sizes);
        } catch (err) {
          assert.ok(!resync, 'resync mode never throws');
          assert.ok(err instanceof FramingError, `unexpected ${String(err)}`);
          assert.match(err.code, /^BANYAN_ERR_FRAMING_/);
          return;
        }
        for (const e of errors) assert.ok(e instanceof FramingError);
        let last = -1;
        for (const r of records) {
          assert.ok(r.byteOffset > last && r.byteOffset + r.bytes.length <= data.length, 'records lie inside the input, in order');
          assert.deepEqual(r.bytes, data.subarray(r.byteOffset, r.byteOffset + r.bytes.length));
          last = r.byteOffset;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
