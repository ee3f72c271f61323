import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { fieldAt, firstRecord, fixed, span } from './helpers.ts';

test('levels nest by number; non-consecutive level numbers are fine', () => {
  const r = firstRecord(fixed('01 R.', '  03 G.', '     07 A PIC X.', '     07 B PIC X(2).', '  03 C PIC X(3).'));
  assert.deepEqual(span(r, 'R.G'), [0, 3]);
  assert.deepEqual(span(r, 'R.C'), [3, 3]);
  assert.equal(fieldAt(r, 'R.G.B').level, 7);
});

test('77-level items are records of their own; an elementary 01 is a record too', () => {
  const layout = parseCopybook(fixed('77 WS-COUNT PIC S9(4) COMP.', '01 FLAG PIC X.'));
  assert.deepEqual(layout.records.map((r) => [r.name, r.length, r.root.kind]), [['WS-COUNT', 2, 'binary'], ['FLAG', 1, 'alphanumeric']]);
});

test('a fragment without an 01 level is wrapped in one record', () => {
  const layout = parseCopybook(fixed('05 A PIC X(2).', '05 B PIC X(3).'), { defaultRecordName: 'FRAG' });
  assert.equal(layout.records.length, 1);
  assert.equal(layout.records[0].name, 'FRAG');
  assert.deepEqual(span(layout.records[0], 'FRAG.B'), [2, 3]);
});

test('88-level condition names keep their values, lists and THRU ranges', () => {
  const r = firstRecord(fixed(
    '01 R.',
    "   05 STATUS-CODE PIC X.",
    "      88 ACTIVE VALUE 'A'.",
    "      88 CLOSED VALUES ARE 'C' 'X'.",
    '   05 RATING PIC 99.',
    '      88 GOOD VALUE 7 THRU 10, 12.',
    '      88 NONE VALUE ZERO.',
  ));
  assert.deepEqual(fieldAt(r, 'R.STATUS-CODE').conditions, [
    { name: 'ACTIVE', values: ['A'] },
    { name: 'CLOSED', values: ['C', 'X'] },
  ]);
  assert.deepEqual(fieldAt(r, 'R.RATING').conditions, [
    { name: 'GOOD', values: [{ from: '7', to: '10' }, '12'] },
    { name: 'NONE', values: ['ZERO'] },
  ]);
  assert.equal(r.length, 3, '88 levels take no storage');
});

test('FILLER and unnamed items take storage and get unique paths', () => {
  const r = firstRecord(fixed('01 R.', '   05 FILLER PIC X(2).', '   05 PIC X(3).', '   05 A PIC X.'));
  const fillers = r.root.kind === 'group' ? r.root.children.filter((c) => c.isFiller) : [];
  assert.deepEqual(fillers.map((f) => [f.name, f.path, f.offset, f.length]), [['FILLER', 'R.FILLER_1', 0, 2], ['FILLER', 'R.FILLER_2', 2, 3]]);
  assert.deepEqual(span(r, 'R.A'), [5, 1]);
});

test('REDEFINES overlays the redefined item; the group is as long as the longest member', () => {
  const r = firstRecord(fixed(
    '01 R.',
    '   05 A PIC X(4).',
    '   05 B REDEFINES A PIC 9(8).',
    '   05 C REDEFINES A.',
    '      10 C1 PIC X(2).',
    '   05 D PIC X.',
  ));
  assert.deepEqual(span(r, 'R.B'), [0, 8]);
  assert.deepEqual(span(r, 'R.C.C1'), [0, 2]);
  assert.deepEqual(span(r, 'R.D'), [8, 1]);
  assert.deepEqual(fieldAt(r, 'R.A').redefinedBy, ['R.B', 'R.C']);
  assert.equal(fieldAt(r, 'R.C').redefines, 'R.A');
  assert.equal(r.length, 9);
});

test('01-level REDEFINES gives records sharing offset 0', () => {
  const layout = parseCopybook(fixed('01 REC-A.', '   05 X PIC X(10).', '01 REC-B REDEFINES REC-A.', '   05 Y PIC 9(4).'));
  assert.equal(layout.records[1].root.redefines, 'REC-A');
  assert.deepEqual(layout.records[0].root.redefinedBy, ['REC-B']);
  assert.deepEqual(span(layout.records[1], 'REC-B.Y'), [0, 4]);
});

test('OCCURS n [TIMES] reserves n occurrences; length is one occurrence', () => {
  const r = firstRecord(fixed('01 R.', '   05 T OCCURS 3 TIMES.', '      10 A PIC X(2).', '      10 B PIC 9(3) OCCURS 2.', '   05 Z PIC X.'));
  const t = fieldAt(r, 'R.T');
  assert.deepEqual([t.offset, t.length, t.occurs], [0, 8, { min: 3, max: 3 }]);
  assert.deepEqual(span(r, 'R.T.B'), [2, 3]);
  assert.deepEqual(span(r, 'R.Z'), [24, 1]);
});

test('OCCURS m TO n DEPENDING ON, nested, lays tables out at their maximum', () => {
  const r = firstRecord(fixed(
    '01 RECORD.',
    '   02 COUNT PIC 9(1).',
    '   02 GROUP OCCURS 0 TO 2 TIMES DEPENDING ON COUNT.',
    '      03 INNER-COUNT PIC 9(1).',
    '      03 INNER-GROUP OCCURS 0 TO 3 TIMES',
    '                     DEPENDING ON INNER-COUNT OF GROUP.',
    '         04 FIELD PIC X.',
  ));
  assert.deepEqual(fieldAt(r, 'RECORD.GROUP').occurs, { min: 0, max: 2, dependingOn: 'RECORD.COUNT' });
  assert.deepEqual(fieldAt(r, 'RECORD.GROUP.INNER-GROUP').occurs, { min: 0, max: 3, dependingOn: 'RECORD.GROUP.INNER-COUNT' });
  assert.equal(fieldAt(r, 'RECORD.GROUP').length, 4);
  assert.equal(r.length, 9);
});

test('OCCURS n DEPENDING ON without TO means 0 to n (Cobrix and Micro Focus form)', () => {
  const r = firstRecord(fixed('01 R.', '   05 N PIC 9(2).', '   05 T PIC X OCCURS 80 DEPENDING ON N.'));
  assert.deepEqual(fieldAt(r, 'R.T').occurs, { min: 0, max: 80, dependingOn: 'R.N' });
});

test('INDEXED BY and ASCENDING/DESCENDING KEY are accepted and kept', () => {
  const r = firstRecord(fixed(
    '01 R.',
    '   05 T OCCURS 10 ASCENDING KEY IS K1 K2 DESCENDING K3',
    '        INDEXED BY IX1 IX2.',
    '      10 K1 PIC X.', '      10 K2 PIC X.', '      10 K3 PIC X.',
  ));
  assert.deepEqual(fieldAt(r, 'R.T').occurs, {
    min: 10, max: 10, indexedBy: ['IX1', 'IX2'],
    keys: [{ order: 'ascending', fields: ['K1', 'K2'] }, { order: 'descending', fields: ['K3'] }],
  });
});

test('VALUE keeps literals, numbers, figurative constants, ALL and hex literals', () => {
  const r = firstRecord(fixed(
    '01 R.',
    "   05 A PIC X(3) VALUE 'It''s'.",
    '   05 B PIC S9(3)V9 VALUE -012.50.',
    '   05 C PIC X(4) VALUE SPACES.',
    "   05 D PIC X(4) VALUE ALL '*'.",
    "   05 E PIC X(2) VALUE X'C1C2'.",
    '   05 F PIC X(2) VALUE HIGH-VALUES.',
  ));
  const v = (p: string) => {
    const f = fieldAt(r, p);
    return f.kind === 'group' ? undefined : [f.value, f.valueKind, f.valueAll ?? false];
  };
  assert.deepEqual(v('R.A'), ["It's", 'alphanumeric', false]);
  assert.deepEqual(v('R.B'), ['-12.50', 'numeric', false]);
  assert.deepEqual(v('R.C'), ['SPACE', 'figurative', false]);
  assert.deepEqual(v('R.D'), ['*', 'alphanumeric', true]);
  assert.deepEqual(v('R.E'), ['C1C2', 'hex', false]);
  assert.deepEqual(v('R.F'), ['HIGH-VALUE', 'figurative', false]);
});

test('JUSTIFIED RIGHT, BLANK WHEN ZERO and SYNC are recorded on the field', () => {
  const r = firstRecord(fixed('01 R.', '   05 A PIC X(5) JUST RIGHT.', '   05 B PIC 9(3) BLANK WHEN ZEROS.', '   05 C PIC S9(4) COMP SYNC LEFT.'));
  const a = fieldAt(r, 'R.A');
  const b = fieldAt(r, 'R.B');
  const c = fieldAt(r, 'R.C');
  assert.ok(a.kind === 'alphanumeric' && a.justifiedRight === true);
  assert.ok(b.kind === 'zoned' && b.blankWhenZero === true);
  assert.ok(c.kind === 'binary' && c.sync === true);
});

test('SYNCHRONIZED adds IBM slack bytes only when alignSync is on', () => {
  const text = fixed(
    '01 R.',
    '   05 A PIC X.',
    '   05 H PIC S9(4) COMP SYNC.',
    '   05 F PIC S9(9) COMP SYNCHRONIZED.',
    '   05 B PIC X.',
    '   05 D COMP-2 SYNC.',
  );
  const plain = firstRecord(text);
  assert.deepEqual([span(plain, 'R.H'), span(plain, 'R.F'), span(plain, 'R.D')], [[1, 2], [3, 4], [8, 8]]);
  const aligned = firstRecord(text, { alignSync: true });
  // halfword at 2, fullword at 4, doubleword at 16 (IBM: COMP-2 SYNC on a doubleword boundary)
  assert.deepEqual([span(aligned, 'R.H'), span(aligned, 'R.F'), span(aligned, 'R.B'), span(aligned, 'R.D')], [[2, 2], [4, 4], [8, 1], [16, 8]]);
  assert.equal(aligned.length, 24);
});

test('alignSync puts slack bytes inside and after each table occurrence, not before the table', () => {
  const r = firstRecord(fixed('01 R.', '   05 X PIC X.', '   05 T OCCURS 2.', '      10 C PIC X.', '      10 N PIC S9(9) COMP SYNC.'), { alignSync: true });
  // T starts at 1; N is aligned at 4 (2 slack bytes after C); the element (1..8) is padded to 8 bytes.
  assert.deepEqual([span(r, 'R.T'), span(r, 'R.T.C'), span(r, 'R.T.N')], [[1, 8], [1, 1], [4, 4]]);
  assert.equal(r.length, 17);
});

test('SYNC on a level-01 group synchronizes every elementary item in it (IBM)', () => {
  const r = firstRecord(fixed('01 A SYNCHRONIZED.', '   02 B PIC X DISPLAY.', '   02 C PIC S9(9) BINARY.'), { alignSync: true });
  assert.deepEqual(span(r, 'A.C'), [4, 4]);
});

test('SIGN [IS] LEADING|TRAILING [SEPARATE [CHARACTER]] sets position and size of zoned items', () => {
  const r = firstRecord(fixed(
    '01 R.',
    '   05 A PIC S9(5).',
    '   05 B PIC S9(5) SIGN IS LEADING.',
    '   05 C PIC S9(5) SIGN TRAILING SEPARATE CHARACTER.',
    '   05 D PIC S9(3)V99 LEADING SEPARATE.',
  ));
  const sign = (p: string) => {
    const f = fieldAt(r, p);
    return f.kind === 'zoned' ? [f.offset, f.length, f.signPosition, f.signSeparate] : undefined;
  };
  assert.deepEqual(sign('R.A'), [0, 5, 'trailing', false]);
  assert.deepEqual(sign('R.B'), [5, 5, 'leading', false]);
  assert.deepEqual(sign('R.C'), [10, 6, 'trailing', true]);
  assert.deepEqual(sign('R.D'), [16, 6, 'leading', true]);
});

test('USAGE on a group is inherited by its children; a SIGN clause on a group applies to signed items', () => {
  const r = firstRecord(fixed(
    '01 R.',
    '   05 AMOUNTS USAGE IS COMP-3.',
    '      10 A PIC S9(7)V99.',
    '      10 B PIC 9(4).',
    '      10 INNER.',
    '         15 C PIC S9(3).',
    '   05 Z SIGN LEADING SEPARATE.',
    '      10 S PIC S9(3).',
    '      10 U PIC 9(3).',
  ));
  const g = fieldAt(r, 'R.AMOUNTS');
  assert.ok(g.kind === 'group' && g.usage === 'packed');
  assert.deepEqual(['R.AMOUNTS.A', 'R.AMOUNTS.B', 'R.AMOUNTS.INNER.C'].map((p) => [fieldAt(r, p).kind, fieldAt(r, p).length]), [['packed', 5], ['packed', 3], ['packed', 2]]);
  const s = fieldAt(r, 'R.Z.S');
  const u = fieldAt(r, 'R.Z.U');
  assert.ok(s.kind === 'zoned' && s.signSeparate && s.signPosition === 'leading' && s.length === 4);
  assert.ok(u.kind === 'zoned' && !u.signSeparate && u.length === 3);
});

test('66 RENAMES resolves to a byte range, with or without THRU', () => {
  const layout = parseCopybook(fixed(
    '01 R.',
    '   05 A PIC X(2).',
    '   05 B.',
    '      10 B1 PIC X(3).',
    '      10 B2 PIC 9(4) COMP.',
    '   05 C PIC X(5).',
    '66 A-THRU-B RENAMES A THRU B.',
    '66 JUST-B2 RENAMES B2 OF B.',
    '66 B1-THRU-C RENAMES B1 THROUGH C.',
  ));
  assert.deepEqual(layout.records[0].renames, [
    { name: 'A-THRU-B', from: 'R.A', thru: 'R.B', offset: 0, length: 7 },
    { name: 'JUST-B2', from: 'R.B.B2', offset: 5, length: 2 },
    { name: 'B1-THRU-C', from: 'R.B.B1', thru: 'R.C', offset: 2, length: 10 },
  ]);
});

test('EXTERNAL, GLOBAL, GROUP-USAGE, DATE FORMAT and listing directives are accepted', () => {
  const r = firstRecord(fixed('01 R EXTERNAL GLOBAL.', 'EJECT', '   05 D PIC X(8) DATE FORMAT YYYYMMDD.', 'SKIP1', '   05 G GROUP-USAGE NATIONAL.', '      10 N PIC N(2).'));
  assert.equal(r.length, 12);
});

test('names are upper-cased: COBOL words are case-insensitive', () => {
  const r = firstRecord(fixed('01 cust-rec.', '   05 cust-id pic 9(4) comp-3.', '   05 name redefines cust-id pic x(3).'));
  assert.equal(r.name, 'CUST-REC');
  assert.equal(fieldAt(r, 'CUST-REC.NAME').redefines, 'CUST-REC.CUST-ID');
});

test('reserved words used as names (as Cobrix copybooks do) are names when no clause can start there', () => {
  const r = firstRecord(fixed('01 R.', '   05 DATE PIC X(8).', '   05 SIGN PIC X.', '   05 VALUE.', '      10 V1 PIC 9.', '   05 D2 DATE FORMAT YYYYMMDD PIC X(8).'));
  assert.deepEqual([span(r, 'R.DATE'), span(r, 'R.SIGN'), span(r, 'R.VALUE.V1'), span(r, 'R.D2')], [[0, 8], [8, 1], [9, 1], [10, 8]]);
});

test('EXEC SQL ... END-EXEC in a Db2 DCLGEN member is skipped; its 01 structures are laid out', async () => {
  const { loadCopybook } = await import('../../../../src/codec/copybook/index.ts');
  const file = new URL('../../../fixtures/copybooks/DCLEMP.cpy', import.meta.url).pathname;
  const [emp, ind] = loadCopybook(file).records;
  assert.equal(emp.name, 'DCLEMP');
  assert.deepEqual(span(emp, 'DCLEMP.LASTNAME.LASTNAME-TEXT'), [23, 15]);
  assert.deepEqual(span(emp, 'DCLEMP.BONUS'), [56, 5]);
  assert.equal(emp.length, 61);
  assert.deepEqual([ind.name, ind.length], ['IEMP', 16]);
  assert.throws(() => parseCopybook(fixed('EXEC SQL INCLUDE SQLCA', '01 R PIC X.')), { code: 'BANYAN_ERR_COPYBOOK_SYNTAX' });
});
