/**
 * Framing Cobrix's own data files (../shared/conformance/cobrix, see its README): every record
 * boundary must match the Record_Byte_Length / record order Cobrix reported, and the whole file must
 * be consumed with no framing error. Options are those of Cobrix's integration specs (TestNSpec.scala):
 * Cobrix RDWs exclude the 4-byte header (test 14 includes it: rdw_adjustment -4); test 4 is
 * little-endian, 5b and 13b big-endian.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getCodePage } from '../../../../src/codec/codepages/index.ts';
import { readRecords, readRecordsSync, type FramedRecord, type FramingOptions } from '../../../../src/codec/framing/index.ts';

const dir = fileURLToPath(new URL('../../../../../shared/conformance/cobrix/', import.meta.url));
const present = existsSync(dir);
if (!present && process.env.CI === 'true') throw new Error(`Cobrix conformance data missing at ${dir}`);

function expectedRows(file: string): Array<Record<string, unknown>> {
  return readFileSync(dir + file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function frame(file: string, framing: FramingOptions): FramedRecord[] {
  return [...readRecordsSync(readFileSync(dir + file), framing)];
}

const cobrixRdw = (byteOrder: 'big' | 'little') => ({ byteOrder, includesHeader: false });

describe('framing Cobrix conformance files', { skip: present ? false : `no conformance data at ${dir}` }, () => {
  const cases: Array<[string, string, string, FramingOptions]> = [
    ['test 4 (ASCII, little-endian RDW)', 'test4_data/COMP.DETAILS.SEP30.DATA.dat', 'test4_expected/test4.txt', { format: 'V', rdw: cobrixRdw('little') }],
    ['test 5 (EBCDIC, little-endian RDW)', 'test5_data/COMP.DETAILS.SEP30.DATA.dat', 'test5_expected/test5.txt', { format: 'V', rdw: cobrixRdw('little') }],
    ['test 5b (EBCDIC, big-endian RDW)', 'test5b_data/COMP.DETAILS.FEB02.DATA.RDW.BE.dat', 'test5_expected/test5b.txt', { format: 'V', rdw: cobrixRdw('big') }],
    [
      'test 14 (little-endian RDW counting its header: rdw_adjustment -4)',
      'test14_data/COMP.DETAILS.JUL02.DATA.dat',
      'test14_expected/test14.txt',
      { format: 'V', rdw: { byteOrder: 'little', includesHeader: false, adjustment: -4 } },
    ],
    [
      'test 13b (big-endian RDW, 100-byte header, 120-byte trailer)',
      'test13b_data/COMP.DETAILS.JUN02.DATA.RDW.BE.dat',
      'test13_expected/test13b.txt',
      { format: 'V', rdw: cobrixRdw('big'), fileStartOffset: 100, fileEndOffset: 120 },
    ],
  ];
  for (const [name, data, expected, framing] of cases) {
    it(`${name}: record lengths and order match Cobrix's Record_Byte_Length`, () => {
      const records = frame(data, framing);
      const rows = expectedRows(expected);
      assert.ok(records.length >= rows.length);
      for (const row of rows) {
        const record = records[Number(row.Record_Id)];
        assert.equal(record.bytes.length, row.Record_Byte_Length, `Record_Id ${String(row.Record_Id)}`);
      }
      // Every byte between header and trailer belongs to an RDW or a record.
      const size = readFileSync(dir + data).length - (framing.fileStartOffset ?? 0) - (framing.fileEndOffset ?? 0);
      assert.equal(records.reduce((n, r) => n + 4 + r.bytes.length, 0), size);
    });
  }

  it('test 13a (F, 10-byte header, 12-byte trailer): 50 records of 45 bytes whose CURRENCY decodes in cp037', async () => {
    const chunks = async function* () {
      const all = readFileSync(dir + 'test13a_data/TRAN2.JUN24.DATA.dat');
      for (let i = 0; i < all.length; i += 100) yield all.subarray(i, i + 100);
    };
    const cp037 = getCodePage('cp037');
    const currencies: string[] = [];
    for await (const r of readRecords(chunks(), { format: 'F', recordLength: 45, fileStartOffset: 10, fileEndOffset: 12 })) {
      currencies.push(cp037.decode(r.bytes, 0, 3));
    }
    // Spark does not keep file order in that output: compare as sorted lists.
    const expected = expectedRows('test13_expected/test13a.txt').map((row) => String(row.CURRENCY));
    assert.deepEqual(currencies.sort(), expected.sort());
  });
});
