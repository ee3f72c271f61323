/**
 * Double-byte and mixed SO/SI pages checked against the JDK at test time (scripts/codepages/
 * GenDbcs.java): every double-byte code 0x4040-0xFFFF, every single byte of the mixed pages, and
 * every character the JDK encoder maps.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { javaAvailable, runJdkDbcsDump, type JdkDbcsDump } from '../../../../scripts/codepages/jdk.ts';
import { getCodePage, getDbcsCodePage } from '../../../../src/codec/codepages/index.ts';
import { DBCS_TABLES } from '../../../../src/codec/codepages/dbcs-tables/index.ts';

const hasJava = javaAvailable();
if (!hasJava && process.env.CI === 'true') {
  throw new Error('java is required for the code-page oracle test in CI (scripts/setup.d/20-codepages.sh installs it)');
}

const SO = 0x0e;
const SI = 0x0f;

/** Every code lead 0x40-0xFF x trail 0x40-0xFF, row-major, as bytes. */
const allCodes = (() => {
  const out = new Uint8Array(192 * 192 * 2);
  let i = 0;
  for (let lead = 0x40; lead <= 0xff; lead++) {
    for (let trail = 0x40; trail <= 0xff; trail++) {
      out[i++] = lead;
      out[i++] = trail;
    }
  }
  return out;
})();

const chars = (units: readonly number[]): string => String.fromCharCode(...units.map((u) => (u < 0 ? 0xfffd : u)));

/** The JDK encoder's full map: code unit -> code (0x100|b single byte, >= 0x4040 double byte). */
function jdkEncodeMap(dump: JdkDbcsDump): Map<number, number> {
  const map = new Map<number, number>();
  const seen = new Map<number, number>();
  if (dump.sbcs) dump.sbcs.forEach((u) => u >= 0 && seen.set(u, (seen.get(u) ?? 0) + 1));
  dump.dbcs.forEach((u) => u >= 0 && !(dump.sbcs?.includes(u) ?? false) && seen.set(u, (seen.get(u) ?? 0) + 1));
  if (dump.sbcs) dump.sbcs.forEach((u, b) => u >= 0 && seen.get(u) === 1 && map.set(u, 0x100 | b));
  dump.dbcs.forEach((u, i) => {
    if (u >= 0 && seen.get(u) === 1 && !map.has(u)) map.set(u, ((Math.floor(i / 192) + 0x40) << 8) | ((i % 192) + 0x40));
  });
  for (const [u, code] of dump.encode) {
    if (code < 0) map.delete(u);
    else map.set(u, code);
  }
  return map;
}

describe('double-byte EBCDIC pages agree with the JDK', { skip: hasJava ? false : 'java not installed (run scripts/setup.sh)' }, () => {
  let dumps: JdkDbcsDump[] = [];
  before(() => {
    dumps = runJdkDbcsDump();
  });

  it('generates a table for every page the JDK dump lists', () => {
    assert.deepEqual([...DBCS_TABLES.keys()].sort(), dumps.map((d) => d.name).sort());
  });

  it('decodes every double-byte code 0x4040-0xFFFF as the JDK does (pure, and between SO and SI)', () => {
    for (const dump of dumps) {
      const expected = chars(dump.dbcs);
      assert.equal(getDbcsCodePage(dump.name).decode(allCodes, 0, allCodes.length), expected, `${dump.name} (${dump.java})`);
      if (dump.mixed) {
        const wrapped = Uint8Array.of(SO, ...allCodes, SI);
        assert.equal(getCodePage(dump.name).decode(wrapped, 0, wrapped.length), expected, `${dump.name} inside SO/SI`);
      }
    }
  });

  it('decodes every single byte of the mixed pages outside SO/SI as the JDK does', () => {
    for (const dump of dumps.filter((d) => d.mixed)) {
      const page = getCodePage(dump.name);
      for (let b = 0; b < 256; b++) {
        if (b === SO || b === SI) continue;
        assert.equal(page.decode(Uint8Array.of(b), 0, 1), chars([dump.sbcs![b]]), `${dump.name} byte 0x${b.toString(16)}`);
      }
    }
  });

  it("encodes every character as the JDK's encoder does: single bytes, or SO + two bytes + SI", () => {
    for (const dump of dumps) {
      const want = jdkEncodeMap(dump);
      const mixedPage = dump.mixed ? getCodePage(dump.name) : undefined;
      const dbcsPage = getDbcsCodePage(dump.name);
      for (const [unit, code] of want) {
        const c = String.fromCharCode(unit);
        if (mixedPage) {
          const bytes = code < 0x4040 ? [code & 0xff] : [SO, code >> 8, code & 0xff, SI];
          const out = new Uint8Array(bytes.length);
          mixedPage.encode(c, out, 0, out.length);
          assert.deepEqual([...out], bytes, `${dump.name} U+${unit.toString(16)}`);
        }
        if (code >= 0x4040) {
          const out = new Uint8Array(2);
          dbcsPage.encode(c, out, 0, 2);
          assert.equal((out[0] << 8) | out[1], code, `${dump.name} DBCS U+${unit.toString(16)}`);
        }
      }
    }
  });
});

describe('mixed SO/SI pages', () => {
  it('writes SO/SI around each double-byte run and pads with the single-byte space (bytes from the JDK)', () => {
    const out = new Uint8Array(16);
    getCodePage('cp930').encode('ABC日本語DE', out, 0, 16);
    assert.equal(Buffer.from(out).toString('hex'), 'c1c2c30e4562456648e70fc4c5404040');
    assert.equal(getCodePage('cp930').decode(out, 0, 16), 'ABC日本語DE   ');
    getCodePage('cp937').encode('ABC日本語DE', out, 0, 13);
    assert.equal(Buffer.from(out.subarray(0, 13)).toString('hex'), 'c1c2c30e4cc94d7b5fa20fc4c5');
  });

  it('counts SO and SI against the field length', () => {
    assert.throws(() => getCodePage('cp939').encode('A日', new Uint8Array(4), 0, 4), { code: 'BANYAN_ERR_CODEPAGE_OVERFLOW' });
    const out = new Uint8Array(5);
    getCodePage('cp939').encode('A日', out, 0, 5);
    assert.equal(Buffer.from(out).toString('hex'), 'c10e45620f');
  });

  it('pads PIC G fields with the double-byte space 0x4040', () => {
    const out = new Uint8Array(6);
    getDbcsCodePage('cp300').encode('日', out, 0, 6);
    assert.equal(Buffer.from(out).toString('hex'), '456240404040');
    assert.equal(getDbcsCodePage('cp300').decode(out, 0, 6), '日\u3000\u3000');
  });

  it('refuses a pure double-byte page where a single-byte code page is expected', () => {
    assert.throws(() => getCodePage('cp300'), { code: 'BANYAN_ERR_CODEPAGE_KIND' });
    assert.throws(() => getDbcsCodePage('cp037'), { code: 'BANYAN_ERR_CODEPAGE_UNKNOWN' });
  });
});
