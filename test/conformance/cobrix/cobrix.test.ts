/**
 * Conformance with Cobrix's own test data (../shared/conformance/cobrix): each case of cases.ts is
 * decoded with Banyan's codec and framing, shaped like spark-cobol's output (cobrix-reader.ts) and
 * compared with Cobrix's expected rows with exact decimals (compare.ts). Deliberate differences are
 * listed with their reasons in DIFFERENCES.md next to this file.
 *
 * Without the data the cases are skipped with a message; under CI=true its absence fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases.ts';
import { readCobrixCase } from './cobrix-reader.ts';
import { diffRows, parseExpected } from './compare.ts';

const dataDir = fileURLToPath(new URL('../../../../shared/conformance/cobrix/', import.meta.url));
const present = existsSync(dataDir);
if (!present && process.env.CI === 'true') throw new Error(`Cobrix conformance data missing at ${dataDir} (required under CI)`);
const skip = present ? false : `Cobrix conformance data not found at ${dataDir}`;

for (const c of CASES) {
  test(`Cobrix test ${c.id} (${c.spec}) decodes to Cobrix's expected rows`, { skip }, () => {
    const expected = parseExpected(readFileSync(dataDir + c.expected, 'utf8'));
    const actual = readCobrixCase(dataDir, c);
    const o = c.options;
    const diffs = diffRows(expected, actual, {
      controls: o.encoding === 'ascii' ? 'remove' : !o.ebcdicCodePage || o.ebcdicCodePage === 'common' ? 'printable-ascii' : 'space',
      trimming: o.stringTrimming ?? 'both',
    });
    const known = c.differences ?? [];
    const isKnown = (d: string) => known.some((k) => (typeof k.at === 'string' ? k.at === d : k.at.test(d)));
    const unexpected = diffs.filter((d) => !isKnown(d));
    assert.deepEqual(unexpected.slice(0, 15), [], `${unexpected.length} unexpected difference(s) with ${c.expected}`);
    // Every listed difference still occurs: a fix on either side must remove it from the list.
    for (const k of known) assert.ok(diffs.some((d) => (typeof k.at === 'string' ? k.at === d : k.at.test(d))), `listed difference no longer occurs: ${String(k.at)}`);
  });
}
