import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { detectFormat } from '../../../../src/codec/copybook/source.ts';
import { fieldAt, firstRecord, fixed, span } from './helpers.ts';

const seq = (n: number, indicator: string, code: string, ident = '') => `${String(n).padStart(6, '0')}${indicator}${code.padEnd(65)}${ident}`;

test('fixed format ignores the sequence area (1-6) and the identification area (73-80)', () => {
  const text = [
    seq(100, ' ', '01  CUSTOMER.', 'CUSTMAST'),
    seq(200, ' ', '    05  CUST-ID      PIC 9(6).', 'CUSTMAST'),
    seq(300, ' ', '    05  CUST-NAME    PIC X(30).', 'XXXXXXXX'),
  ].join('\n');
  const r = firstRecord(text);
  assert.equal(r.name, 'CUSTOMER');
  assert.equal(r.length, 36);
  assert.deepEqual(span(r, 'CUSTOMER.CUST-NAME'), [6, 30]);
});

test("'*' and '/' in column 7 make comment lines, whatever they contain", () => {
  const text = [seq(1, ' ', '01 R.'), seq(2, '*', ' 05 BAD PIC ??? not code'), seq(3, '/', 'PAGE EJECT'), seq(4, ' ', '   05 A PIC X.')].join('\n');
  assert.equal(firstRecord(text).length, 1);
});

test("'D' debugging lines are skipped unless debugLines is set", () => {
  const text = [seq(1, ' ', '01 R.'), seq(2, ' ', '   05 A PIC X.'), seq(3, 'D', '   05 DBG PIC X(4).')].join('\n');
  assert.equal(firstRecord(text).length, 1);
  assert.equal(firstRecord(text, { debugLines: true }).length, 5);
});

test("a '-' continuation line joins a split word to its first non-blank character", () => {
  const text = [seq(1, ' ', '01 R.'), seq(2, ' ', '   05 CUSTOMER-NA'), seq(3, '-', '       ME PIC X(3).')].join('\n');
  assert.equal(fieldAt(firstRecord(text), 'R.CUSTOMER-NAME').length, 3);
});

test('a continued alphanumeric literal runs to column 72 and resumes after the quote', () => {
  const first = seq(2, ' ', "   05 A PIC X(80) VALUE 'ABC");
  const text = [seq(1, ' ', '01 R.'), first, seq(3, '-', "    'DEF'.")].join('\n');
  const a = fieldAt(firstRecord(text), 'R.A');
  assert.ok(a.kind === 'alphanumeric');
  // 'ABC starts at column 31 of the first line; the literal keeps columns 32-72 (41 characters).
  const col = first.indexOf("'ABC") + 2;
  assert.equal(a.value, `ABC${' '.repeat(72 - col - 2)}DEF`);
});

test('free format is detected when a level number starts in columns 1-6, and *> starts a comment', () => {
  const text = "01 ORDER-REC. *> the order\n  05 ORDER-ID PIC 9(8).\n* full-line comment\n  05 NOTE PIC X(5) VALUE 'A*>B'.\n";
  const layout = parseCopybook(text);
  assert.equal(layout.records[0].length, 13);
  const note = fieldAt(layout.records[0], 'ORDER-REC.NOTE');
  assert.ok(note.kind === 'alphanumeric' && note.value === 'A*>B');
});

test('format detection: sequence numbers mean fixed, level numbers in area 1-6 mean free', () => {
  assert.equal(detectFormat(['000100 01 R.', '000200     05 A PIC X.']), 'fixed');
  assert.equal(detectFormat(['       01 R.']), 'fixed');
  assert.equal(detectFormat(['01 R.', '  05 A PIC X.']), 'free');
  assert.equal(detectFormat(['COPY MEMBER.']), 'free');
  assert.equal(detectFormat(['       01 R.', `           05 A PIC X.${' '.repeat(70)}05 B PIC X.`]), 'free', 'code past column 80');
  assert.equal(detectFormat([`      *${'-'.repeat(90)}`, '       01 R.']), 'fixed', 'long comment lines do not count');
});

test('free format keeps code past column 72 and explicit format overrides detection', () => {
  const long = `01 R. 05 A PIC X. ${' '.repeat(70)} 05 B PIC X(2).`;
  assert.equal(parseCopybook(long, { format: 'free' }).records[0].length, 3);
  assert.equal(parseCopybook(long, { format: 'auto' }).records[0].length, 3);
});

test('tabs are spaces and lines may use CRLF endings', () => {
  const text = fixed('01 R.', '\t05 A\tPIC X(2).', '\t\t  05 B PIC 9 \tSIGN IS', '\t\t  LEADING SEPARATE.').replace(/\n/g, '\r\n');
  const r = firstRecord(text);
  assert.equal(r.length, 4);
});

test('code starting in column 7 (copybooks shifted one column left) is read, as Cobrix does', () => {
  const r = firstRecord('      01 RECORD.\n          02 COUNT PIC 9(1).\n');
  assert.equal(r.length, 1);
  assert.equal(fieldAt(r, 'RECORD.COUNT').line, 2);
});

test('fields remember the line and column of their level number', () => {
  const r = firstRecord(fixed('01 R.', '   05 A PIC X.', '   05 B PIC X.'));
  const b = fieldAt(r, 'R.B');
  assert.deepEqual([b.line, b.column], [3, 11]);
});

test('>>SOURCE FORMAT switches between fixed and free format; other directives are refused', () => {
  const text = ['       01 R.', '       >>SOURCE FORMAT IS FREE', '05 A PIC X(2).', '>>SOURCE FIXED', '           05 B PIC X.'].join('\n');
  const r = firstRecord(text, { format: 'fixed' });
  assert.deepEqual([span(r, 'R.A'), span(r, 'R.B')], [[0, 2], [2, 1]]);
  assert.throws(() => parseCopybook('       >>IF X DEFINED\n       01 R PIC X.'), { code: 'BANYAN_ERR_COPYBOOK_UNSUPPORTED' });
});

test('a DOS end-of-file mark (Ctrl-Z) ends the copybook in either format', () => {
  assert.equal(parseCopybook('01 R.\n  05 A PIC X(2).\n\u001a', { format: 'free' }).records[0].length, 2);
  assert.equal(parseCopybook(fixed('01 R.', '   05 A PIC X(2).') + '\n\u001a\n', { format: 'fixed' }).records[0].length, 2);
});

test('a check-protection PICTURE starting a line after PIC is code, not a comment', () => {
  const f = fieldAt(firstRecord(fixed('01 R.', '   05 A PIC', '      ***,**9.99.', '   * a comment', '   05 B PIC X.')), 'R.A');
  assert.ok(f.kind === 'numeric-edited' && f.length === 10);
});
