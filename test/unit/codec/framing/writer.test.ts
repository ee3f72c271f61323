import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  readRecordsSync,
  writeRecords,
  writeRecordsSync,
  type FramingOptions,
} from '../../../../src/codec/framing/index.ts';

const rec = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function roundTrip(records: Uint8Array[], framing: FramingOptions, options = {}): Uint8Array {
  const framed = writeRecordsSync(records, framing, options);
  const back = [...readRecordsSync(framed, framing)].map((r) => Buffer.from(r.bytes).toString('latin1'));
  assert.deepEqual(back, records.map((r) => Buffer.from(r).toString('latin1')));
  return framed;
}

describe('writeRecords', () => {
  it('writes F records back to back', () => {
    assert.equal(Buffer.from(roundTrip([rec('AAA'), rec('BBB')], { format: 'F', recordLength: 3 })).toString(), 'AAABBB');
  });

  it('writes IBM RDWs (big-endian, header counted) for V', () => {
    const framed = roundTrip([rec('ABC'), rec('D')], { format: 'V' });
    assert.equal(hex(framed), '00070000414243' + '0005000044');
  });

  it('writes little-endian RDWs that exclude the header, as Cobrix test 4 has them', () => {
    const framed = roundTrip([rec('ABC')], { format: 'V', rdw: { byteOrder: 'little', includesHeader: false } });
    assert.equal(hex(framed), '00000300414243');
  });

  it('groups VB records into blocks no larger than blockLength, each with a BDW', () => {
    const records = Array.from({ length: 10 }, (_, i) => rec(String(i).repeat(6)));
    const framed = roundTrip(records, { format: 'VB', blockLength: 34 });
    // 34-byte blocks: BDW + 3 x (RDW + 6) = 34.
    assert.equal(hex(framed.subarray(0, 8)), '00220000' + '000a0000');
    assert.equal(framed.length, 3 * 34 + (4 + 10));
  });

  it('pads fixed-size FB blocks and writes BDWs for FB with bdw', () => {
    const records = ['AAA', 'BBB', 'CCC'].map(rec);
    assert.equal(hex(roundTrip(records, { format: 'FB', recordLength: 3, blockLength: 7 })), '414141424242' + '00' + '434343');
    assert.equal(hex(roundTrip(records, { format: 'FB', recordLength: 3, bdw: {} })), '000d0000414141424242434343');
  });

  it('writes the file header and trailer around the records', () => {
    const framing: FramingOptions = { format: 'F', recordLength: 2, fileStartOffset: 2, fileEndOffset: 1 };
    const framed = roundTrip([rec('AB')], framing, { header: rec('HH'), footer: rec('T') });
    assert.equal(Buffer.from(framed).toString(), 'HHABT');
    assert.throws(() => writeRecordsSync([], framing, { header: rec('H') }), { code: 'BANYAN_ERR_FRAMING_OPTION' });
  });

  it('checks length-field records against their own length field', () => {
    const framing: FramingOptions = { format: 'length-field', bytesNeeded: 1, recordLength: (p) => p[0] };
    roundTrip([Uint8Array.of(3, 1, 2), Uint8Array.of(1)], framing);
    assert.throws(() => writeRecordsSync([Uint8Array.of(5, 1)], framing), { code: 'BANYAN_ERR_FRAMING_WRONG_LENGTH' });
  });

  it('refuses a record of the wrong length, an empty V record and one too long for the block', () => {
    assert.throws(() => writeRecordsSync([rec('AB')], { format: 'F', recordLength: 3 }), (err: Error & { code?: string; recordNumber?: number }) => {
      assert.equal(err.code, 'BANYAN_ERR_FRAMING_WRONG_LENGTH');
      assert.equal(err.recordNumber, 1);
      return true;
    });
    assert.throws(() => writeRecordsSync([new Uint8Array(0)], { format: 'V' }), { code: 'BANYAN_ERR_FRAMING_WRONG_LENGTH' });
    assert.throws(() => writeRecordsSync([new Uint8Array(40)], { format: 'VB', blockLength: 40 }), /does not fit a 40-byte block/);
  });

  it('writes to a stream, waiting for drain when the stream is full', async () => {
    const chunks: Buffer[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        setImmediate(done);
      },
    });
    slow.on('drain', () => drains++);
    const records = Array.from({ length: 5000 }, (_, i) => rec(`R${String(i).padStart(5, '0')}`));
    async function* source() {
      yield* records;
    }
    await writeRecords(source(), slow, { format: 'V' });
    const framed = Buffer.concat(chunks);
    assert.equal(framed.length, 5000 * 10);
    assert.equal([...readRecordsSync(framed, { format: 'V' })].length, 5000);
    assert.ok(drains > 0);
  });

  it('leaves the output stream open for the caller', async () => {
    const out = new PassThrough();
    await writeRecords([rec('AB')], out, { format: 'F', recordLength: 2 });
    assert.equal(out.writableEnded, false);
  });
});
