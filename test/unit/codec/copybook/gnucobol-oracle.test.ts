/**
 * Our offsets and lengths equal GnuCOBOL's (`cobc -std=ibm`) for every named item of the example
 * copybooks, an all-clauses fixture and the Cobrix copybooks GnuCOBOL can compile (those with code in
 * column 7, or with Cobrix-only extensions such as 37-digit binaries, are checked by the Cobrix
 * layout test instead). SYNC is checked against IBM's worked examples (hand-computed.test.ts), not
 * here: GnuCOBOL also pads after SYNC items and puts 8-byte binaries on doublewords, IBM does not.
 * POINTER is left out: GnuCOBOL sizes it for the host (8 bytes), IBM 31-bit code uses 4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cobcAvailable, compareWithGnuCobol } from './gnucobol-oracle.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const cobrix = fileURLToPath(new URL('../../../../../shared/conformance/cobrix/', import.meta.url));
const hasCobc = cobcAvailable();
if (!hasCobc && process.env.CI === 'true') throw new Error('cobc (GnuCOBOL) is missing: run scripts/setup.sh');
const skipNoCobc = hasCobc ? false : 'GnuCOBOL (cobc) not installed; scripts/setup.d/25-copybook.sh installs it';
const hasCobrix = existsSync(cobrix);
if (!hasCobrix && process.env.CI === 'true') throw new Error(`Cobrix conformance data missing at ${cobrix}`);

/** COBOL reserved words used as names in Cobrix's copybooks, renamed on both sides via REPLACING. */
const RESERVED = ['RECORD', 'ADDRESS', 'ID', 'COUNT', 'GROUP', 'DATA', 'FIELD', 'STATE', 'ROLE', 'CURRENCY', 'SIGNATURE']
  .map((w) => [w, `${w}-X`] as const);

/**
 * GnuCOBOL 3.1.2 adds a REDEFINES item's size to LENGTH OF a group that also holds an OCCURS
 * DEPENDING ON table (TRAN-RECORD: 1157 + 14 for TR-TRAN-TS-X). IBM counts the storage once, as we
 * do; every offset still agrees. Listed exactly, so a GnuCOBOL change shows up here.
 */
const GNUCOBOL_DEVIATIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'TRANREC.cpy': { 'TRAN-RECORD': 1171 },
};

const OWN = ['mappings/copybooks/CUSTMAST.cpy', 'mappings/copybooks/TRANREC.cpy', 'test/fixtures/copybooks/oracle/all-clauses.cpy'];
const COBRIX = [
  'test1_copybook.cob', 'test1a_copybook.cob', 'test2_copybook.cob', 'test3_copybook.cob', 'test4_copybook.cob',
  'test5_copybook.cob', 'test5d_copybook.cob', 'test7_fillers.cob', 'test8_copybook.cob', 'test9_copybook.cob',
  'test11_copybook.cob', 'test13a_file_header_footer.cob', 'test13b_vrl_file_headers.cob', 'test14_copybook.cob',
  'test15_copybook.cob', 'test16_fix_len_segments.cob', 'test17_hierarchical.cob', 'test18 special_char.cob',
  'test19_display_num.cob',
];

function check(file: string): void {
  const { ours, gnucobol } = compareWithGnuCobol(file, RESERVED);
  assert.deepEqual(gnucobol.map((g) => g.path), ours.map((o) => o.path), 'GnuCOBOL measured every item');
  const deviations = GNUCOBOL_DEVIATIONS[file.split('/').pop() ?? ''] ?? {};
  ours.forEach((o, i) => {
    const expectedLength = deviations[o.path] ?? o.length;
    assert.deepEqual([gnucobol[i].offset, gnucobol[i].length], [o.offset, expectedLength], `${file}: ${o.path}`);
  });
}

test('our layouts of the example and fixture copybooks equal GnuCOBOL -std=ibm, item by item', { skip: skipNoCobc }, async (t) => {
  for (const f of OWN) await t.test(f, () => check(repo + f));
});

test('our layouts of the Cobrix copybooks GnuCOBOL compiles equal GnuCOBOL -std=ibm', { skip: skipNoCobc || (hasCobrix ? false : 'Cobrix data not found') }, async (t) => {
  for (const f of COBRIX) await t.test(f, () => check(cobrix + f));
});
