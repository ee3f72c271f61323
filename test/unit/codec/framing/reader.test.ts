import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  readRecords,
  readRecordsSync,
  type FramedRecord,
  type FramingError,
  type FramingOptions,
} from '../../../../src/codec/framing/index.ts';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const text = (r: FramedRecord): string => Buffer.from(r.bytes).toString('latin1');

async function* inChunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function collect(data: Uint8Array, framing: FramingOptions, chunkSize = data.length || 1): Promise<FramedRecord[]> {
  const out: FramedRecord[] = [];
  for await (const r of readRecords(inChunks(data, chunkSize), framing)) out.push({ ...r, bytes: Uint8Array.from(r.bytes) });
  return out;
}

/** Frames `data` whole and in chunks of every small size; all must give the same records. */
async function frameEveryWay(data: Uint8Array, framing: FramingOptions): Promise<FramedRecord[]> {
  const whole = [...readRecordsSync(data, framing)].map((r) => ({ ...r, bytes: Uint8Array.from(r.bytes) }));
  for (const size of [1, 2, 3, 4, 5, 7, 13, 64]) {
    assert.deepEqual(await collect(data, framing, size), whole, `chunk size ${size}`);
  }
  return whole;
}

async function frameError(data: Uint8Array, framing: FramingOptions, chunkSize?: number): Promise<{ records: FramedRecord[]; error: FramingError }> {
  const records: FramedRecord[] = [];
  try {
    for await (const r of readRecords(inChunks(data, chunkSize ?? (data.length || 1)), framing)) records.push(r);
  } catch (err) {
    return { records, error: err as FramingError };
  }
  assert.fail('expected a framing error');
}

function resyncing(framing: FramingOptions): { framing: FramingOptions; errors: FramingError[] } {
  const errors: FramingError[] = [];
  return { framing: { ...framing, onError: 'resync', onFramingError: (e) => errors.push(e) }, errors };
}

describe('F and FB', () => {
  it('cuts fixed-length records and numbers them with their byte offsets', async () => {
    const records = await frameEveryWay(bytes('AAABBBCCC'), { format: 'F', recordLength: 3 });
    assert.deepEqual(records.map(text), ['AAA', 'BBB', 'CCC']);
    assert.deepEqual(records.map((r) => [r.recordNumber, r.byteOffset]), [[1, 0], [2, 3], [3, 6]]);
  });

  it('reads FB without block options exactly like F', async () => {
    assert.deepEqual((await frameEveryWay(bytes('AAABBB'), { format: 'FB', recordLength: 3 })).map(text), ['AAA', 'BBB']);
  });

  it('skips the padding after the last whole record of each fixed-size block, and accepts a short last block', async () => {
    const data = bytes('AAABBB', [0, 0], 'CCCDDD', [0, 0], 'EEE');
    const records = await frameEveryWay(data, { format: 'FB', recordLength: 3, blockLength: 8 });
    assert.deepEqual(records.map(text), ['AAA', 'BBB', 'CCC', 'DDD', 'EEE']);
    assert.deepEqual(records.map((r) => r.byteOffset), [0, 3, 8, 11, 16]);
    assert.deepEqual((await frameEveryWay(bytes('AAABBBCCC'), { format: 'FB', recordLength: 3, recordsPerBlock: 2 })).map(text), ['AAA', 'BBB', 'CCC']);
  });

  it('reads FB blocks that start with a BDW', async () => {
    const data = bytes([0, 10, 0, 0], 'AAABBB', [0, 7, 0, 0], 'CCC');
    const records = await frameEveryWay(data, { format: 'FB', recordLength: 3, bdw: {} });
    assert.deepEqual(records.map(text), ['AAA', 'BBB', 'CCC']);
    assert.deepEqual(records.map((r) => r.byteOffset), [4, 7, 14]);
  });

  it('reports a truncated last record with its number, offset and bytes', async () => {
    const { records, error } = await frameError(bytes('AAABBBCC'), { format: 'F', recordLength: 3 }, 2);
    assert.deepEqual(records.map(text), ['AAA', 'BBB']);
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_TRUNCATED');
    assert.equal(error.recordNumber, 3);
    assert.equal(error.byteOffset, 6);
    assert.equal(error.hex, '4343');
    assert.match(error.message, /record 3 at byte offset 6 \[4343\]: input ends inside a record.*2 bytes into a 3-byte record/);
  });

  it('in resync mode reports the truncated last record and drops it', async () => {
    const { framing, errors } = resyncing({ format: 'F', recordLength: 3 });
    assert.deepEqual((await collect(bytes('AAABBBCC'), framing, 4)).map(text), ['AAA', 'BBB']);
    assert.deepEqual(errors.map((e) => e.code), ['BANYAN_ERR_FRAMING_TRUNCATED']);
  });
});

describe('file header and trailer', () => {
  it('skips fileStartOffset bytes before and fileEndOffset bytes after the records', async () => {
    const data = bytes('HEADER', 'AAABBB', 'TRL');
    const records = await frameEveryWay(data, { format: 'F', recordLength: 3, fileStartOffset: 6, fileEndOffset: 3 });
    assert.deepEqual(records.map(text), ['AAA', 'BBB']);
    assert.deepEqual(records.map((r) => r.byteOffset), [6, 9]);
  });

  it('works with V records and a trailer longer than a chunk', async () => {
    const data = bytes('HH', [0, 5, 0, 0], 'A', [0, 6, 0, 0], 'BB', 'TRAILER-TRAILER');
    const records = await frameEveryWay(data, { format: 'V', fileStartOffset: 2, fileEndOffset: 15 });
    assert.deepEqual(records.map(text), ['A', 'BB']);
  });

  it('reads an empty input as no records, and an input shorter than the header as truncated', async () => {
    assert.deepEqual(await collect(new Uint8Array(0), { format: 'F', recordLength: 3, fileStartOffset: 4 }), []);
    const { error } = await frameError(bytes('HH'), { format: 'F', recordLength: 3, fileStartOffset: 4 });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_TRUNCATED');
    assert.match(error.message, /file header/);
  });
});

describe('V', () => {
  it('reads big-endian RDWs that count the header (IBM default)', async () => {
    const data = bytes([0, 7, 0, 0], 'ABC', [0, 5, 0, 0], 'D');
    const records = await frameEveryWay(data, { format: 'V' });
    assert.deepEqual(records.map(text), ['ABC', 'D']);
    assert.deepEqual(records.map((r) => r.byteOffset), [4, 11]);
  });

  it('reads little-endian RDWs that exclude the header (Cobrix test 4 layout)', async () => {
    const data = bytes([0, 0, 3, 0], 'ABC', [0, 0, 1, 0], 'D');
    assert.deepEqual((await frameEveryWay(data, { format: 'V', rdw: { byteOrder: 'little', includesHeader: false } })).map(text), ['ABC', 'D']);
  });

  it('applies the RDW adjustment', async () => {
    const data = bytes([0, 4, 0, 0], 'ABCDE');
    assert.deepEqual((await frameEveryWay(data, { format: 'V', rdw: { includesHeader: false, adjustment: 1 } })).map(text), ['ABCDE']);
  });

  it('stops at a bad RDW after delivering the records before it, naming record, offset and bytes', async () => {
    const data = bytes([0, 5, 0, 0], 'A', [0, 5, 0x12, 0x34], 'B');
    const { records, error } = await frameError(data, { format: 'V' }, 3);
    assert.deepEqual(records.map(text), ['A']);
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_BAD_RDW');
    assert.equal(error.recordNumber, 2);
    assert.equal(error.byteOffset, 5);
    assert.equal(error.hex, '00051234');
    assert.match(error.rule, /bytes 2-3 must be 00 00/);
  });

  it('in resync mode reports a bad RDW and continues at the next plausible RDW', async () => {
    const { framing, errors } = resyncing({ format: 'V' });
    const data = bytes([0, 5, 0, 0], 'A', [0xff, 0xff, 0xff], [0, 6, 0, 0], 'BB', [0, 5, 0, 0], 'C');
    for (const size of [1, 3, 100]) {
      errors.length = 0;
      const records = await collect(data, framing, size);
      assert.deepEqual(records.map(text), ['A', 'BB', 'C'], `chunk size ${size}`);
      assert.deepEqual(records.map((r) => r.byteOffset), [4, 12, 18]);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, 'BANYAN_ERR_FRAMING_BAD_RDW');
      assert.equal(errors[0].byteOffset, 5);
    }
  });

  it('treats a zero-length record as an error, and in resync mode skips just that RDW', async () => {
    const data = bytes([0, 5, 0, 0], 'A', [0, 4, 0, 0], [0, 5, 0, 0], 'B');
    const { error } = await frameError(data, { format: 'V' });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_ZERO_LENGTH');
    assert.equal(error.byteOffset, 5);
    const { framing, errors } = resyncing({ format: 'V' });
    assert.deepEqual((await collect(data, framing, 2)).map(text), ['A', 'B']);
    assert.deepEqual(errors.map((e) => e.code), ['BANYAN_ERR_FRAMING_ZERO_LENGTH']);
  });

  it('reports a record cut short by the end of the input', async () => {
    const { error } = await frameError(bytes([0, 9, 0, 0], 'AB'), { format: 'V' });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_TRUNCATED');
    assert.equal(error.byteOffset, 4);
    const { error: afterRdw } = await frameError(bytes([0, 9, 0, 0]), { format: 'V' });
    assert.equal(afterRdw.code, 'BANYAN_ERR_FRAMING_TRUNCATED');
    const { error: inRdw } = await frameError(bytes([0, 9]), { format: 'V' });
    assert.match(inRdw.message, /2 bytes into an RDW/);
  });

  it('refuses an RDW longer than maxRecordLength without allocating it', async () => {
    const { error } = await frameError(bytes([0xff, 0xf0, 0, 0]), { format: 'V', maxRecordLength: 1000 });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_BAD_RDW');
    assert.match(error.rule, /more than the maximum 1000/);
  });
});

describe('VB', () => {
  const vb = bytes([0, 17, 0, 0], [0, 7, 0, 0], 'ABC', [0, 6, 0, 0], 'DE', [0, 9, 0, 0], [0, 5, 0, 0], 'F');

  it('reads blocks of records, BDW and RDW both counting their header', async () => {
    const records = await frameEveryWay(vb, { format: 'VB' });
    assert.deepEqual(records.map(text), ['ABC', 'DE', 'F']);
    assert.deepEqual(records.map((r) => r.byteOffset), [8, 15, 25]);
  });

  it('reads little-endian words that exclude their header', async () => {
    const data = bytes([0, 0, 13, 0], [0, 0, 3, 0], 'ABC', [0, 0, 2, 0], 'DE');
    const le = { byteOrder: 'little', includesHeader: false } as const;
    assert.deepEqual((await frameEveryWay(data, { format: 'VB', rdw: le, bdw: le })).map(text), ['ABC', 'DE']);
  });

  it('reports a record overrunning its block; resync skips the rest of that block', async () => {
    const data = bytes([0, 12, 0, 0], [0, 9, 0, 0], 'ABCD', [0, 9, 0, 0], [0, 5, 0, 0], 'F');
    const { error } = await frameError(data, { format: 'VB' });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_BAD_RDW');
    assert.match(error.rule, /overruns its block/);
    const { framing, errors } = resyncing({ format: 'VB' });
    assert.deepEqual((await collect(data, framing, 3)).map(text), ['F']);
    assert.equal(errors.length, 1);
  });

  it('reports a bad BDW; resync finds the next plausible BDW', async () => {
    const data = bytes([0x12, 0x34, 0x56, 0x78], 'xx', [0, 9, 0, 0], [0, 5, 0, 0], 'F');
    const { error } = await frameError(data, { format: 'VB' });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_BAD_BDW');
    assert.equal(error.byteOffset, 0);
    assert.equal(error.hex, '12345678');
    const { framing, errors } = resyncing({ format: 'VB' });
    assert.deepEqual((await collect(data, framing, 1)).map(text), ['F']);
    assert.deepEqual(errors.map((e) => e.code), ['BANYAN_ERR_FRAMING_BAD_BDW']);
  });

  it('reports a block cut short by the end of the input', async () => {
    const { error } = await frameError(vb.subarray(0, 11), { format: 'VB' });
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_TRUNCATED');
    assert.match(error.rule, /before the end of the block/);
  });
});

describe('record length from a field', () => {
  // A 2-byte big-endian length at offset 1 giving the whole record length.
  const framing: FramingOptions = { format: 'length-field', bytesNeeded: 3, recordLength: (p) => (p[1] << 8) | p[2] };

  it("cuts records at the length the caller's function reads from each record", async () => {
    const data = bytes('A', [0, 5], 'xy', 'B', [0, 3], 'C', [0, 4], 'z');
    const records = await frameEveryWay(data, framing);
    assert.deepEqual(records.map((r) => r.bytes.length), [5, 3, 4]);
    assert.deepEqual(records.map((r) => r.byteOffset), [0, 5, 8]);
  });

  it('applies the adjustment to the length the function returns', async () => {
    const data = bytes('A', [0, 2], 'xy', 'B', [0, 0]);
    assert.deepEqual((await frameEveryWay(data, { ...framing, adjustment: 3 })).map((r) => r.bytes.length), [5, 3]);
  });

  it('reports a length shorter than the bytes needed to read it, and a failing function, then stops even in resync mode', async () => {
    const { error } = await frameError(bytes('A', [0, 2], 'xyz'), framing);
    assert.equal(error.code, 'BANYAN_ERR_FRAMING_BAD_LENGTH');
    assert.equal(error.hex, '410002');
    const throwing: FramingOptions = { ...framing, recordLength: () => { throw new Error('not a number'); } };
    const { error: failed } = await frameError(bytes('ABC'), throwing);
    assert.match(failed.rule, /length function failed: not a number/);
    const { framing: lenient, errors } = resyncing(framing);
    assert.deepEqual((await collect(bytes('A', [0, 3], 'B', [0, 1], 'rest'), lenient)).map(text), ['A\u0000\u0003']);
    assert.equal(errors.length, 1);
  });
});

describe('streams and options', () => {
  it('reads a Node readable stream', async () => {
    const stream = Readable.from([Buffer.from('AAAB'), Buffer.from('BBCCC')]);
    const out: string[] = [];
    for await (const r of readRecords(stream, { format: 'F', recordLength: 3 })) out.push(text(r));
    assert.deepEqual(out, ['AAA', 'BBB', 'CCC']);
  });

  it('refuses a stream that yields strings', async () => {
    const stream = Readable.from(['AAA']);
    await assert.rejects(async () => {
      for await (const r of readRecords(stream, { format: 'F', recordLength: 3 })) void r;
    }, { code: 'BANYAN_ERR_FRAMING_INPUT' });
  });

  it('validates options when called, before reading', () => {
    const none = inChunks(new Uint8Array(0), 1);
    assert.throws(() => readRecords(none, { format: 'F', recordLength: 0 }), { code: 'BANYAN_ERR_FRAMING_OPTION' });
    assert.throws(() => readRecords(none, { format: 'FB', recordLength: 3, blockLength: 9, recordsPerBlock: 3 }), { code: 'BANYAN_ERR_FRAMING_OPTION' });
    assert.throws(() => readRecords(none, { format: 'V', onError: 'resync' }), /onFramingError/);
    assert.throws(() => readRecords(none, { format: 'V', rdw: { byteOrder: 'middle' as 'big' } }), { code: 'BANYAN_ERR_FRAMING_OPTION' });
    assert.throws(() => readRecords(none, { format: 'X' } as unknown as FramingOptions), /must be F, FB, V, VB or length-field/);
  });
});
