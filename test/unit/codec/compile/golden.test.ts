/**
 * Golden fixtures (test/fixtures/codec/golden): each `name.bin` holds fixed-length records of the copybook
 * `name.cpy`; `name.expected.json` is the decoded records, compared exactly; `name.options.json`
 * gives the codec options. Canonical bytes must re-encode to themselves.
 *
 * - gnucobol-types: written by GnuCOBOL 3.1.2 (gnucobol-types.cob, an independent byte oracle);
 *   the expected values are the literals the program MOVEs.
 * - ibm-examples: bytes from IBM's "numeric data and internal representation" examples.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { loadCopybook } from '../../../../src/codec/copybook/index.ts';
import { compileRecordCodec } from '../../../../src/codec/compile/index.ts';
import { getCodePage } from '../../../../src/codec/codepages/index.ts';
import { toHexString } from './support.ts';

const dir = new URL('../../../fixtures/codec/golden/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => f.slice(0, -4));

test('there are golden codec fixtures', () => {
  assert.ok(names.length >= 2, `found ${names.join(', ')}`);
});

for (const name of names) {
  test(`golden fixture ${name} decodes exactly to ${name}.expected.json and re-encodes byte for byte`, () => {
    const layout = loadCopybook(new URL(`${name}.cpy`, dir).pathname);
    const options = JSON.parse(readFileSync(new URL(`${name}.options.json`, dir), 'utf8')) as { codePage: string };
    const record = layout.records[0];
    const codec = compileRecordCodec(record, { codePage: getCodePage(options.codePage) });
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.bin`, dir)));
    const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as unknown[];
    assert.equal(bytes.length, expected.length * record.length, 'record count');
    expected.forEach((want, i) => {
      const start = i * record.length;
      const slice = bytes.subarray(start, start + record.length);
      const got = codec.decode(bytes, start, start + record.length, i + 1);
      assert.deepEqual(got, want, `record ${i + 1}`);
      assert.equal(toHexString(codec.encode(got)), toHexString(slice), `record ${i + 1} re-encoded`);
    });
  });
}
