import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { detectFraming, writeRecordsSync, type FramingOptions } from '../../../../src/codec/framing/index.ts';

const records = Array.from({ length: 40 }, (_, i) => new Uint8Array(10 + ((i * 7) % 50)).fill(0xc1 + (i % 9)));

describe('detectFraming', () => {
  it('recognises IBM VB (big-endian BDW and RDW counting their headers) first', () => {
    const framing: FramingOptions = { format: 'VB', blockLength: 200 };
    const guesses = detectFraming(writeRecordsSync(records, framing), { complete: true });
    assert.deepEqual(guesses[0].framing, { format: 'VB', rdw: { byteOrder: 'big', includesHeader: true }, bdw: { byteOrder: 'big', includesHeader: true } });
    assert.equal(guesses[0].records, 40);
    // A BDW is shaped like an RDW, so reading each block as one V record also fits: it ranks lower.
    assert.deepEqual(guesses.slice(1).map((g) => [g.framing.format, g.records]), [['V', 9]]);
  });

  it('tells little-endian RDWs that exclude the header from every other V variant', () => {
    const rdw = { byteOrder: 'little', includesHeader: false } as const;
    const guesses = detectFraming(writeRecordsSync(records, { format: 'V', rdw }));
    assert.deepEqual(guesses[0].framing, { format: 'V', rdw });
    assert.equal(guesses[0].endsOnBoundary, true);
    assert.equal(guesses.length, 1);
  });

  it('accepts a record cut by the end of a sample unless the sample is the whole file', () => {
    const framed = writeRecordsSync(records, { format: 'V' });
    const sample = framed.subarray(0, framed.length - 3);
    assert.equal(detectFraming(sample)[0].endsOnBoundary, false);
    assert.deepEqual(detectFraming(sample, { complete: true }), []);
  });

  it('offers F with the copybook record length when the bytes carry no descriptor words', () => {
    const fixed = new Uint8Array(300).fill(0x40);
    const guesses = detectFraming(fixed, { recordLength: 30, complete: true });
    assert.deepEqual(guesses.map((g) => g.framing), [{ format: 'F', recordLength: 30 }]);
  });

  const dir = fileURLToPath(new URL('../../../../../shared/conformance/cobrix/', import.meta.url));
  const present = existsSync(dir);
  if (!present && process.env.CI === 'true') throw new Error(`Cobrix conformance data missing at ${dir}`);
  it('names the framing Cobrix\'s specs used for its test 4, 5b and 14 files from their first 4 KiB', { skip: present ? false : 'no conformance data' }, () => {
    const first = (file: string) => detectFraming(readFileSync(dir + file).subarray(0, 4096))[0]?.framing;
    assert.deepEqual(first('test4_data/COMP.DETAILS.SEP30.DATA.dat'), { format: 'V', rdw: { byteOrder: 'little', includesHeader: false } });
    assert.deepEqual(first('test5b_data/COMP.DETAILS.FEB02.DATA.RDW.BE.dat'), { format: 'V', rdw: { byteOrder: 'big', includesHeader: false } });
    // Test 14's spec says rdw_adjustment -4: the little-endian length counts the header.
    assert.deepEqual(first('test14_data/COMP.DETAILS.JUL02.DATA.dat'), { format: 'V', rdw: { byteOrder: 'little', includesHeader: true } });
  });
});
