import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCopybook, type CopybookError } from '../../../../src/codec/copybook/index.ts';
import { loadCopybook } from '../../../../src/codec/copybook/index.ts';
import { BanyanError } from '../../../../src/core/errors.ts';
import { fixed } from './helpers.ts';

/** 1-based column of `token` (its last occurrence) in a code line given to fixed(). */
function col(codeLine: string, token: string): number {
  return 8 + codeLine.lastIndexOf(token);
}

/** Parses `text` as `bad.cpy` and returns [code, line, column, token, detail] of the error. */
function failure(text: string): [string, number, number, string, string] {
  try {
    parseCopybook(text, { source: 'bad.cpy' });
  } catch (err) {
    const e = err as CopybookError;
    assert.equal(e.file, 'bad.cpy');
    assert.ok(e.message.startsWith(`bad.cpy:${e.line}:${e.column}: `), e.message);
    return [e.code, e.line, e.column, e.token, e.detail];
  }
  assert.fail('expected a copybook error');
}

test('a missing period before the next level number is a syntax error at that level number', () => {
  const [code, line, column, token, detail] = failure(fixed('01 R.', '   05 A PIC X', '   05 B PIC X.'));
  assert.deepEqual([code, line, column, token], ['BANYAN_ERR_COPYBOOK_SYNTAX', 3, col('   05 B PIC X.', '05'), '05']);
  assert.match(detail, /missing "\." before this level number/);
});

test('an unknown clause is a syntax error naming the word', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X COLOUR RED.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   05 A PIC X COLOUR RED.', 'COLOUR'), 'COLOUR']);
});

test('a bad level number, a level-66 without RENAMES and an 88 without VALUE are syntax errors', () => {
  assert.deepEqual(failure(fixed('01 R.', '   55 A PIC X.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   55 A PIC X.', '55'), '55']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X.', '66 B.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 3, col('66 B.', '66'), '66']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X.', '      88 YES.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 3, col('      88 YES.', '88'), '88']);
  assert.deepEqual(failure(fixed('PIC X.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 1, col('PIC X.', 'PIC'), 'PIC']);
});

test('a clause given twice is a syntax error at its second occurrence', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X PIC 9.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   05 A PIC X PIC 9.', 'PIC'), 'PIC']);
});

test('an unclosed literal or pseudo-text is a syntax error at its start', () => {
  assert.deepEqual(failure(fixed('01 R.', "   05 A PIC X VALUE 'AB.")).slice(0, 3), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col("   05 A PIC X VALUE 'AB.", "'")]);
  assert.deepEqual(failure(fixed('01 R.', '   COPY X REPLACING ==A BY B.')).slice(0, 3), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   COPY X REPLACING ==A BY B.', '==A')]);
});

test('COPY without a member, or without its closing period, is a syntax error', () => {
  assert.equal(failure(fixed('01 R.', '   COPY .'))[0], 'BANYAN_ERR_COPYBOOK_SYNTAX');
  assert.match(failure(fixed('01 R.', '   COPY M REPLACING A B.'))[4], /expected BY/);
});

test('a group with a PICTURE and an elementary item without one are syntax errors', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 G PIC X(2).', '      10 A PIC X.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   05 G PIC X(2).', 'X(2)'), 'X(2)']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A.', '   05 B PIC X.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 2, col('   05 A.', 'A'), 'A']);
});

test('invalid PICTURE strings are BANYAN_ERR_COPYBOOK_PICTURE naming the picture', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X(0).')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC X(0).', 'X(0)'), 'X(0)']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC 9Q9.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC 9Q9.', '9Q9'), '9Q9']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC 9S9.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC 9S9.', '9S9'), '9S9']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC 9V9V9.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC 9V9V9.', '9V9V9'), '9V9V9']);
  assert.match(failure(fixed('01 R.', '   05 A PIC X(4 .'))[4], /positive count/);
});

test('a USAGE that does not fit the PICTURE is BANYAN_ERR_COPYBOOK_PICTURE at the usage', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X(4) COMP-3.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC X(4) COMP-3.', 'COMP-3'), 'COMP-3']);
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X(4) USAGE BINARY.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_PICTURE', 2, col('   05 A PIC X(4) USAGE BINARY.', 'BINARY'), 'BINARY']);
  assert.equal(failure(fixed('01 R.', '   05 A PIC 9(4) NATIONAL.'))[0], 'BANYAN_ERR_COPYBOOK_PICTURE');
});

test('REDEFINES of an item that is not the preceding sibling is BANYAN_ERR_COPYBOOK_REFERENCE', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X.', '   05 B PIC X.', '   05 C REDEFINES A PIC X.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_REFERENCE', 4, col('   05 C REDEFINES A PIC X.', 'A '), 'A']);
  assert.equal(failure(fixed('01 R.', '   05 A REDEFINES Z PIC X.'))[0], 'BANYAN_ERR_COPYBOOK_REFERENCE');
  assert.equal(failure(fixed('01 R.', '   05 A PIC X.', '01 S REDEFINES Q.', '   05 B PIC X.'))[0], 'BANYAN_ERR_COPYBOOK_REFERENCE');
});

test('an unknown or ambiguous DEPENDING ON counter is BANYAN_ERR_COPYBOOK_REFERENCE', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 T PIC X OCCURS 1 TO 5 DEPENDING ON CNT.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_REFERENCE', 2, col('   05 T PIC X OCCURS 1 TO 5 DEPENDING ON CNT.', 'CNT'), 'CNT']);
  const ambiguous = failure(fixed('01 R.', '   05 G1.', '      10 N PIC 9.', '   05 G2.', '      10 N PIC 9.', '   05 T PIC X OCCURS 1 TO 5 DEPENDING N.'));
  assert.equal(ambiguous[0], 'BANYAN_ERR_COPYBOOK_REFERENCE');
  assert.match(ambiguous[4], /ambiguous \(R\.G1\.N, R\.G2\.N\); qualify it with OF/);
  assert.match(failure(fixed('01 R.', '   05 G.', '      10 N PIC 9.', '   05 T PIC X OCCURS 1 TO 5 DEPENDING ON G.'))[4], /must be an elementary item/);
});

test('OCCURS with a maximum below its minimum, or on an 01 level, is a syntax error', () => {
  assert.deepEqual(failure(fixed('01 R.', '   05 N PIC 9.', '   05 T PIC X OCCURS 5 TO 2 DEPENDING ON N.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_SYNTAX', 3, col('   05 T PIC X OCCURS 5 TO 2 DEPENDING ON N.', '2'), '2']);
  assert.equal(failure(fixed('01 R OCCURS 2.', '   05 A PIC X.'))[0], 'BANYAN_ERR_COPYBOOK_SYNTAX');
});

test('RENAMES of an unknown item, or THRU an item before the first, is BANYAN_ERR_COPYBOOK_REFERENCE', () => {
  assert.equal(failure(fixed('01 R.', '   05 A PIC X.', '66 X RENAMES Q.'))[0], 'BANYAN_ERR_COPYBOOK_REFERENCE');
  assert.deepEqual(failure(fixed('01 R.', '   05 A PIC X.', '   05 B PIC X.', '66 X RENAMES B THRU A.')).slice(0, 4), ['BANYAN_ERR_COPYBOOK_REFERENCE', 4, col('66 X RENAMES B THRU A.', 'A'), 'A']);
});

test('OCCURS UNBOUNDED is BANYAN_ERR_COPYBOOK_UNSUPPORTED', () => {
  assert.equal(failure(fixed('01 R.', '   05 N PIC 9.', '   05 T PIC X OCCURS 1 TO UNBOUNDED DEPENDING ON N.'))[0], 'BANYAN_ERR_COPYBOOK_UNSUPPORTED');
});

test('a copybook with only comments is BANYAN_ERR_COPYBOOK_EMPTY; an unreadable file BANYAN_ERR_COPYBOOK_UNREADABLE', () => {
  assert.equal(failure('      * nothing here\n')[0], 'BANYAN_ERR_COPYBOOK_EMPTY');
  assert.throws(() => loadCopybook('/nonexistent/x.cpy'), { code: 'BANYAN_ERR_COPYBOOK_UNREADABLE' });
});

test('errors are BanyanErrors: not retriable, with a stable code', () => {
  try {
    parseCopybook(fixed('01 R.', '   05 A PIC X COLOUR.'));
  } catch (err) {
    const e = err as CopybookError;
    assert.equal(e.retriable, false);
    assert.ok(e instanceof BanyanError);
    assert.equal(e.constructor.name, 'BANYAN_ERR_COPYBOOK_SYNTAX');
    return;
  }
  assert.fail('expected an error');
});

test('external floating-point pictures are BANYAN_ERR_COPYBOOK_UNSUPPORTED', () => {
  assert.equal(failure(fixed('01 R.', '   05 A PIC +9.9(4)E+99.'))[0], 'BANYAN_ERR_COPYBOOK_UNSUPPORTED');
});
