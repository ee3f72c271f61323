/**
 * Every byte of every EBCDIC table, checked against the JDK at test time: scripts/codepages/Gen.java
 * is run on the machine's Java and its decode table and encoder choices are compared with
 * getCodePage() and with iconv-lite (where the tables are registered).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { javaAvailable, runJdkDump, type JdkCodePageDump } from '../../../../scripts/codepages/jdk.ts';
import { codePageNames, getCodePage } from '../../../../src/codec/codepages/index.ts';
import { EBCDIC_TABLES } from '../../../../src/codec/codepages/tables/index.ts';

const hasJava = javaAvailable();
if (!hasJava && process.env.CI === 'true') {
  throw new Error('java is required for the code-page oracle test in CI (scripts/setup.d/20-codepages.sh installs it)');
}

/** The JDK encoder's full map for one page: code unit -> byte, from the decode table plus its overrides. */
function jdkEncodeMap(dump: JdkCodePageDump): Map<number, number> {
  const counts = new Map<number, number>();
  for (const u of dump.decode) if (u >= 0) counts.set(u, (counts.get(u) ?? 0) + 1);
  const map = new Map<number, number>();
  dump.decode.forEach((u, b) => {
    if (u >= 0 && counts.get(u) === 1) map.set(u, b);
  });
  for (const [u, b] of dump.encode) {
    if (b < 0) map.delete(u);
    else map.set(u, b);
  }
  return map;
}

describe('EBCDIC code pages agree with the JDK byte for byte', { skip: hasJava ? false : 'java not installed (run scripts/setup.sh)' }, () => {
  let dumps: JdkCodePageDump[] = [];
  before(() => {
    dumps = runJdkDump();
  });

  it('generates a table for every page the JDK dump lists and no other', () => {
    assert.deepEqual([...EBCDIC_TABLES.keys()].sort(), dumps.map((d) => d.name).sort());
    for (const name of EBCDIC_TABLES.keys()) assert.ok(codePageNames().includes(name));
  });

  it('decodes every byte 0x00-0xFF of every page to the JDK character (U+FFFD where the JDK has none)', () => {
    for (const dump of dumps) {
      const page = getCodePage(dump.name);
      const all = Uint8Array.from({ length: 256 }, (_, b) => b);
      const expected = dump.decode.map((u) => String.fromCharCode(u < 0 ? 0xfffd : u)).join('');
      for (let b = 0; b < 256; b++) {
        const want = expected[b];
        assert.equal(page.decode(all, b, b + 1), want, `${dump.name} (${dump.java}) byte 0x${b.toString(16)}`);
        assert.equal(page.byteToChar[b], want, `${dump.name} byteToChar[0x${b.toString(16)}]`);
      }
      assert.equal(page.decode(all, 0, 256), expected, `${dump.name} whole table in one call`);
      assert.equal(iconv.decode(Buffer.from(all), dump.name), expected, `iconv-lite ${dump.name}`);
    }
  });

  it("encodes every character as the JDK's encoder does, including characters several bytes decode to", () => {
    for (const dump of dumps) {
      const page = getCodePage(dump.name);
      const want = jdkEncodeMap(dump);
      const got = new Map([...page.charToByte].map(([c, b]) => [c.charCodeAt(0), b] as const));
      assert.deepEqual(got, want, `${dump.name} charToByte`);
      const text = String.fromCharCode(...want.keys());
      const out = new Uint8Array(text.length);
      page.encode(text, out, 0, text.length);
      assert.deepEqual(Array.from(out), [...want.values()], `${dump.name} encode()`);
      assert.deepEqual(Array.from(iconv.encode(text, dump.name)), [...want.values()], `iconv-lite ${dump.name}`);
    }
  });

  it('refuses to encode characters the JDK cannot encode', () => {
    for (const dump of dumps) {
      const page = getCodePage(dump.name);
      const want = jdkEncodeMap(dump);
      const out = new Uint8Array(1);
      for (const unit of [0x0100, 0x4e00, 0xfffd, 0xd800]) {
        if (want.has(unit)) continue;
        assert.throws(() => page.encode(String.fromCharCode(unit), out, 0, 1), { code: 'BANYAN_ERR_CODEPAGE_UNMAPPABLE' });
      }
    }
  });
});
