/**
 * Every copybook of Cobrix's own test data parses, and where Cobrix recorded a layout
 * (testN_expected/*_layout.txt, printed by its Copybook.generateRecordLayoutPositions) our offsets
 * and lengths agree with it exactly.
 *
 * Two Cobrix conventions are translated before comparing, both documented in Cobrix's
 * BinaryPropertiesAdder: its LENGTH is the storage of all occurrences, and every member of a
 * REDEFINES block reports the length of the longest member (we keep each item's own length, as an
 * IBM compiler listing does, so the redefined ADDRESS PIC X(25) stays 25 bytes). Its `_debug` columns
 * are generated fields, not copybook items, and its FILLER renaming (FILLER_1, FILLER_P1) is a
 * naming option, so filler names are not compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCopybook } from '../../../../src/codec/copybook/index.ts';
import { walkFields, type Field, type GroupField, type RecordLayout } from '../../../../src/codec/layout.ts';

const dataDir = fileURLToPath(new URL('../../../../../shared/conformance/cobrix/', import.meta.url));
const present = existsSync(dataDir);
if (!present && process.env.CI === 'true') throw new Error(`Cobrix conformance data missing at ${dataDir}`);
const skip = present ? false : `Cobrix conformance data not found at ${dataDir}`;

/** Which copybook each recorded layout was printed from (Cobrix spark-cobol integration specs). */
const LAYOUTS: ReadonlyArray<readonly [layout: string, copybook: string]> = [
  ['test6_expected/test6_layout.txt', 'test6_copybook.cob'],
  ['test7_expected/test7_layout.txt', 'test7_fillers.cob'],
  ['test7_expected/test7a_layout.txt', 'test7_fillers.cob'],
  ['test7_expected/test7b_layout.txt', 'test7_fillers.cob'],
  ['test7_expected/test7c_layout.txt', 'test7_fillers.cob'],
  ['test7_expected/test7d_layout.txt', 'test7_fillers.cob'],
  ['test11_expected/test11_layout.txt', 'test11_copybook.cob'],
  ['test13_expected/test13a_layout.txt', 'test13a_file_header_footer.cob'],
  ['test13_expected/test13b_layout.txt', 'test13b_vrl_file_headers.cob'],
  ['test16_expected/test16_layout.txt', 'test16_fix_len_segments.cob'],
  ['test17_expected/test17a_layout.txt', 'test17_hierarchical.cob'],
  ['test18 special_char_expected/test18a_layout.txt', 'test18 special_char.cob'],
  ['test19_display_num_expected/test19_layout.txt', 'test19_display_num.cob'],
  ['test24_expected/test24_layout.txt', 'test24_copybook.cob'],
  ['test24_expected/test24b_layout.txt', 'test24_copybook.cob'],
  ['test40_expected/test40_layout.txt', 'test40_copybook.cob'],
];

test('every Cobrix test copybook parses into at least one record', { skip }, () => {
  const copybooks = readdirSync(dataDir).filter((f) => /^test.*\.cob$/.test(f));
  assert.ok(copybooks.length >= 28, `expected the 28 Cobrix copybooks, found ${copybooks.length}`);
  for (const f of copybooks) {
    const layout = loadCopybook(dataDir + f);
    assert.ok(layout.records.length > 0, f);
    for (const r of layout.records) assert.ok(r.length > 0, `${f} ${r.name}`);
  }
});

test('the layouts recorded by Cobrix are the layouts we compute', { skip }, async (t) => {
  const layoutFiles = readdirSync(dataDir, { recursive: true }).map(String).filter((f) => f.endsWith('_layout.txt'));
  assert.deepEqual([...layoutFiles].sort(), LAYOUTS.map(([l]) => l).sort(), 'every recorded layout is mapped to its copybook');
  for (const [layoutFile, copybook] of LAYOUTS) {
    await t.test(layoutFile, () => {
      const expected = parseCobrixLayout(readFileSync(dataDir + layoutFile, 'utf8'));
      const record = loadCopybook(dataDir + copybook).records[0];
      const actual = cobrixView(record);
      assert.equal(actual.length, expected.length, 'same number of items');
      actual.forEach((a, i) => {
        const e = expected[i];
        const label = `${layoutFile} item ${i + 1} (${e.name})`;
        if (!a.filler) assert.equal(a.name, e.name, label);
        assert.deepEqual([a.start, a.end, a.length], [e.start, e.end, e.length], label);
      });
    });
  }
});

interface LayoutLine {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly filler?: boolean;
}

function parseCobrixLayout(text: string): LayoutLine[] {
  const out: LayoutLine[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words.length < 4 || line.startsWith('-')) continue;
    const [start, end, length] = words.slice(-3).map(Number);
    const name = /^\d+$/.test(words[0]) ? words[1] : words[0];
    if (name.endsWith('_debug')) continue;
    out.push({ name, start, end, length });
  }
  return out;
}

/** Our layout seen through Cobrix's conventions (see the file comment). */
function cobrixView(record: RecordLayout): LayoutLine[] {
  const blockSize = new Map<string, number>();
  const extent = (f: Field) => f.length * (f.occurs?.max ?? 1);
  for (const f of walkFields(record.root)) {
    if (f.kind !== 'group') continue;
    let block: Field[] = [];
    const flush = () => {
      const max = Math.max(...block.map(extent));
      if (block.length > 1) for (const m of block) blockSize.set(m.path, max);
      block = [];
    };
    for (const c of (f as GroupField).children) {
      if (!c.redefines) flush();
      block.push(c);
    }
    flush();
  }
  return [...walkFields(record.root)].map((f) => {
    const length = blockSize.get(f.path) ?? extent(f);
    return { name: f.name.replace(/-/g, '_'), start: f.offset + 1, end: f.offset + length, length, filler: f.isFiller };
  });
}
