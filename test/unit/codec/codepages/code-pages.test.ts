import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { canonicalCodePageName, codePageNames, getCodePage, isEbcdic } from '../../../../src/codec/codepages/index.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('getCodePage', () => {
  it('accepts IBM, CCSID and punctuated spellings and returns the same cached object', () => {
    const page = getCodePage('cp037');
    for (const name of ['CP037', 'IBM037', 'ibm-037', '037', '37', 'ebcdic-cp-us']) assert.equal(getCodePage(name), page, name);
    assert.equal(getCodePage('IBM01140'), getCodePage('cp1140'));
    assert.equal(getCodePage('ccsid1047').name, 'cp1047');
    assert.equal(getCodePage('IBM-Thai').name, 'cp838');
    assert.equal(getCodePage('ISO-8859-1').name, 'latin1');
    assert.equal(getCodePage('UTF-8').name, 'utf8');
    assert.equal(getCodePage('windows-1252').name, 'cp1252');
  });

  it('offers every code page the issue requires', () => {
    const required = ['cp037', 'cp273', 'cp277', 'cp278', 'cp280', 'cp284', 'cp285', 'cp297', 'cp500', 'cp871', 'cp875', 'cp1047'];
    for (let n = 1140; n <= 1149; n++) required.push(`cp${n}`);
    for (const name of required) assert.ok(codePageNames().includes(name), name);
  });

  it('rejects an unknown name with a coded error listing the known ones', () => {
    assert.throws(() => getCodePage('cp999'), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BANYAN_ERR_CODEPAGE_UNKNOWN');
      assert.match(err.message, /"cp999".*cp037/);
      return true;
    });
    assert.equal(canonicalCodePageName('klingon'), undefined);
  });

  it('gives EBCDIC pages space byte 0x40 and ASCII pages 0x20', () => {
    for (const name of codePageNames()) {
      const page = getCodePage(name);
      assert.equal(page.spaceByte, isEbcdic(page) ? 0x40 : 0x20, name);
    }
  });
});

describe('single-byte decode', () => {
  it('decodes only the requested byte range', () => {
    const bytes = Uint8Array.of(0xff, 0xc8, 0x85, 0x93, 0x93, 0x96, 0xff);
    assert.equal(getCodePage('cp037').decode(bytes, 1, 6), 'Hello');
    assert.equal(getCodePage('cp037').decode(bytes, 3, 3), '');
  });

  it('decodes the euro sign of the euro pages, alone and mixed with Latin-1 text', () => {
    const page = getCodePage('cp1140');
    assert.equal(page.decode(Uint8Array.of(0x9f), 0, 1), '€');
    assert.equal(page.decode(Uint8Array.of(0xc1, 0x9f, 0x45, 0x40), 0, 4), 'A€\u00e1 ');
    assert.equal(getCodePage('cp1141').decode(Uint8Array.of(0x9f), 0, 1), '€');
  });

  it('decodes fields longer than the shared scratch buffer', () => {
    const bytes = new Uint8Array(200_000).fill(0xc1);
    assert.equal(getCodePage('cp1140').decode(bytes, 0, bytes.length), 'A'.repeat(200_000));
  });

  it('decodes with the same result as the iconv-lite registration', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, b) => b);
    for (const name of ['cp037', 'cp1047', 'cp1148', 'cp875', 'latin1', 'cp1252']) {
      assert.equal(getCodePage(name).decode(bytes, 0, 256), iconv.decode(Buffer.from(bytes), name), name);
    }
  });

  it('refuses a byte range outside the buffer instead of reading undefined bytes', () => {
    assert.throws(() => getCodePage('cp037').decode(new Uint8Array(4), 2, 6), RangeError);
    assert.throws(() => getCodePage('cp037').encode('A', new Uint8Array(4), 2, 4), RangeError);
  });

  it('registers IBM-style aliases with iconv-lite', () => {
    getCodePage('cp1140');
    getCodePage('cp037');
    assert.equal(iconv.decode(Buffer.of(0x9f, 0xc1), 'IBM01140'), '€A');
    assert.equal(iconv.decode(Buffer.of(0xc1), 'ibm-037'), 'A');
  });

  it('decodes ASCII bytes above 0x7F to U+FFFD, as the JDK US-ASCII does', () => {
    assert.equal(getCodePage('ascii').decode(Uint8Array.of(0x41, 0x80, 0xff), 0, 3), 'A\ufffd\ufffd');
  });
});

describe('single-byte encode', () => {
  it('writes the text and pads the rest of the field with the space byte', () => {
    const out = new Uint8Array(8).fill(0xee);
    getCodePage('cp037').encode('AB', out, 2, 4);
    assert.equal(hex(out), 'eeeec1c24040eeee');
  });

  it('throws an overflow error instead of truncating', () => {
    assert.throws(() => getCodePage('cp037').encode('ABCDE', new Uint8Array(4), 0, 4), { code: 'BANYAN_ERR_CODEPAGE_OVERFLOW' });
  });

  it('throws an unmappable error naming the character and its index', () => {
    assert.throws(() => getCodePage('cp037').encode('ab€', new Uint8Array(4), 0, 4), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BANYAN_ERR_CODEPAGE_UNMAPPABLE');
      assert.match(err.message, /U\+20AC '€' at index 2 .*cp037/);
      return true;
    });
  });

  it("encodes LF as 0x15 like the JDK's IBM037 encoder, and both 0x15 and 0x25 decode to LF", () => {
    const page = getCodePage('cp037');
    const out = new Uint8Array(1);
    page.encode('\n', out, 0, 1);
    assert.equal(out[0], 0x15);
    assert.equal(page.decode(Uint8Array.of(0x15, 0x25), 0, 2), '\n\n');
  });

  it('round-trips every character a Latin-1 EBCDIC page maps one to one', () => {
    const page = getCodePage('cp500');
    const text = [...page.charToByte.keys()].filter((c) => c !== '\n' && c !== '\u0085').join('');
    const out = new Uint8Array(text.length);
    page.encode(text, out, 0, text.length);
    assert.equal(page.decode(out, 0, out.length), text);
  });
});

describe('utf8', () => {
  it('counts bytes against the field length and pads with 0x20', () => {
    const page = getCodePage('utf8');
    const out = new Uint8Array(6);
    page.encode('hé', out, 0, 6);
    assert.equal(hex(out), '68c3a9202020');
    assert.equal(page.decode(out, 0, 3), 'hé');
    assert.throws(() => page.encode('ééé', new Uint8Array(5), 0, 5), { code: 'BANYAN_ERR_CODEPAGE_OVERFLOW' });
  });

  it('refuses a lone surrogate but accepts a surrogate pair', () => {
    const page = getCodePage('utf8');
    assert.throws(() => page.encode('a\ud800', new Uint8Array(8), 0, 8), { code: 'BANYAN_ERR_CODEPAGE_UNMAPPABLE' });
    const out = new Uint8Array(4);
    page.encode('😀', out, 0, 4);
    assert.equal(page.decode(out, 0, 4), '😀');
    assert.equal(page.singleByte, false);
  });
});
