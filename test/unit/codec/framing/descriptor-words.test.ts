/**
 * RDW/BDW decoding against Cobrix's vectors (cobol-parser RecordHeaderDecoder{Rdw,Bdw}Suite.scala).
 * Cobrix counts lengths without the header by default, so its vectors run with includesHeader: false.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBdw, readRdw, writeBdw, writeRdw } from '../../../../src/codec/framing/descriptor-words.ts';
import type { ResolvedDescriptorWord } from '../../../../src/codec/framing/options.ts';

const word = (byteOrder: 'big' | 'little', adjustment = 0, includesHeader = false): ResolvedDescriptorWord => ({ byteOrder, adjustment, includesHeader });
const rdw = (bytes: number[], w: ResolvedDescriptorWord, max = 65535) => readRdw(Uint8Array.from(bytes), 0, w, max);
const bdw = (bytes: number[], w: ResolvedDescriptorWord) => readBdw(Uint8Array.from(bytes), 0, w, 4);
const length = (r: ReturnType<typeof readRdw>): number => {
  assert.ok(r.ok, r.ok ? '' : r.detail);
  return r.length;
};

describe('RDW (Cobrix RecordHeaderDecoderRdwSuite vectors)', () => {
  it('reads big-endian lengths, with and without adjustment', () => {
    for (const [bytes, n] of [[[0, 1, 0, 0], 1], [[0, 10, 0, 0], 10], [[1, 0, 0, 0], 256], [[10, 0, 0, 0], 2560]] as const) {
      assert.equal(length(rdw([...bytes], word('big'))), n);
      assert.equal(length(rdw([...bytes], word('big', 1))), n + 1);
    }
  });

  it('reads little-endian lengths (the word byte-reversed), with and without adjustment', () => {
    assert.equal(length(rdw([0, 0, 1, 0], word('little'))), 1);
    assert.equal(length(rdw([0, 0, 10, 0], word('little'))), 10);
    assert.equal(length(rdw([0, 0, 0, 1], word('little'))), 256);
    assert.equal(length(rdw([0, 0, 0, 10], word('little'))), 2560);
    assert.equal(length(rdw([0, 0, 2, 0], word('little', -1))), 1);
    assert.equal(length(rdw([0, 0, 0, 10], word('little', -1))), 2559);
  });

  it('subtracts the 4 header bytes when the length includes them (IBM)', () => {
    assert.equal(length(rdw([0, 0x44, 0, 0], word('big', 0, true))), 0x40);
    const r = rdw([0, 3, 0, 0], word('big', 0, true));
    assert.ok(!r.ok && /less than the 4-byte RDW/.test(r.detail));
  });

  it('rejects an adjusted length below zero and a zero length (flagged as zero)', () => {
    const negative = rdw([0, 1, 0, 0], word('big', -10));
    assert.ok(!negative.ok && !negative.zero && /gives -9/.test(negative.detail));
    const zero = rdw([0, 0, 0, 0], word('big'));
    assert.ok(!zero.ok && zero.zero);
  });

  it('rejects non-zero reserved bytes instead of guessing the byte order (Cobrix reads the other half)', () => {
    assert.ok(!rdw([0, 0, 0, 1], word('big')).ok);
    assert.ok(!rdw([0, 1, 0, 0], word('little')).ok);
  });

  it('rejects a length above maxRecordLength', () => {
    const r = rdw([0x10, 0, 0, 0], word('big'), 100);
    assert.ok(!r.ok && /more than the maximum 100/.test(r.detail));
  });
});

describe('BDW (Cobrix RecordHeaderDecoderBdwSuite vectors)', () => {
  it('reads big- and little-endian lengths with adjustment', () => {
    assert.equal(length(bdw([0, 4, 0, 0], word('big'))), 4);
    assert.equal(length(bdw([10, 0, 0, 0], word('big'))), 2560);
    assert.equal(length(bdw([10, 0, 0, 0], word('big', 1))), 2561);
    assert.equal(length(bdw([0, 0, 4, 0], word('little'))), 4);
    assert.equal(length(bdw([0, 0, 0, 10], word('little'))), 2560);
    assert.equal(length(bdw([0, 0, 5, 0], word('little', -1))), 4);
  });

  it('reads extended (large block interface) BDWs in both byte orders', () => {
    assert.equal(length(bdw([128, 0, 0, 4], word('big'))), 4);
    assert.equal(length(bdw([129, 1, 2, 3], word('big'))), 16843267);
    assert.equal(length(bdw([138, 1, 2, 3], word('big'))), 167838211);
    assert.equal(length(bdw([138, 1, 2, 3], word('big', 1))), 167838212);
    assert.equal(length(bdw([3, 2, 1, 129], word('little'))), 16843267);
    assert.equal(length(bdw([3, 2, 1, 138], word('little', -1))), 167838210);
  });

  it('rejects the wrong byte order, a negative adjusted length and a block too small', () => {
    assert.ok(!bdw([0, 1, 0, 0], word('little')).ok);
    assert.ok(!bdw([0, 0, 0, 1], word('big')).ok);
    const negative = bdw([0, 1, 0, 0], word('big', -10));
    assert.ok(!negative.ok && /gives -9/.test(negative.detail));
    const small = bdw([0, 3, 0, 0], word('big'));
    assert.ok(!small.ok && /less than the 4/.test(small.detail));
  });
});

describe('writing descriptor words', () => {
  it('writes what it reads back, in both byte orders and with the header counted or not', () => {
    for (const w of [word('big'), word('little'), word('big', 0, true), word('little', -2, true)]) {
      for (const n of [1, 255, 256, 32752]) {
        const out = new Uint8Array(4);
        assert.equal(writeRdw(out, 0, n, w), undefined);
        assert.equal(length(readRdw(out, 0, w, 65535)), n);
        assert.equal(writeBdw(out, 0, n, w), undefined);
        assert.equal(length(readBdw(out, 0, w, 1)), n);
      }
    }
  });

  it('writes IBM words exactly: LL LL 00 00 with the header counted, extended BDW above 32767', () => {
    const ibm = word('big', 0, true);
    const out = new Uint8Array(4);
    writeRdw(out, 0, 100, ibm);
    assert.deepEqual([...out], [0, 104, 0, 0]);
    writeBdw(out, 0, 0x10000, ibm);
    assert.deepEqual([...out], [0x80, 0x01, 0x00, 0x04]);
  });

  it('refuses an RDW length the 16-bit field cannot hold', () => {
    assert.match(writeRdw(new Uint8Array(4), 0, 65535, word('big', 0, true)) ?? '', /outside 0-65535/);
  });
});
