/**
 * Whatever text it is given, the parser either returns a layout or throws a CopybookError naming
 * a position; never a TypeError, a RangeError or a hang. Inputs are random sequences of copybook
 * vocabulary (so they get deep into the grammar) and random characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCopybookError, parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { walkFields } from '../../../../src/codec/layout.ts';

const WORDS = [
  '01', '05', '10', '15', '66', '77', '88', '49', '50', '0', '3', '1', '2', 'A', 'B', 'C', 'FILLER', 'PIC', 'PICTURE', 'IS',
  'X(5)', '9(4)', 'S9(3)V99', 'X', '9', 'N(2)', 'G(2)', 'Z(4)9.99-', 'PPP9', '9(0)', 'X(', '$$9.99CR', 'COMP', 'COMP-1', 'COMP-2',
  'COMP-3', 'COMP-3U', 'COMP-5', 'COMP-9', 'BINARY', 'USAGE', 'DISPLAY', 'DISPLAY-1', 'NATIONAL', 'INDEX', 'POINTER', 'REDEFINES',
  'OCCURS', 'TO', 'TIMES', 'DEPENDING', 'ON', 'OF', 'IN', 'INDEXED', 'BY', 'ASCENDING', 'KEY', 'VALUE', 'VALUES', 'THRU',
  "'ABC'", '"Q"', "X'C1'", 'ZERO', 'SPACES', 'ALL', 'SIGN', 'LEADING', 'TRAILING', 'SEPARATE', 'SYNC', 'JUST', 'RIGHT',
  'BLANK', 'WHEN', 'RENAMES', 'COPY', 'REPLACING', '==A==', '==', '.', '. ', ',', '-1.5', '*>', '\n', '\n      -    ', '\n      *',
];

function isAcceptable(err: unknown): boolean {
  return isCopybookError(err) && err.line >= 1 && err.column >= 1;
}

test('random copybook-like token soup yields a layout or a positioned CopybookError', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 40 }), fc.constantFrom<'auto' | 'free' | 'fixed'>('auto', 'free', 'fixed'), (words, format) => {
      const text = `       ${words.join(' ')}`;
      try {
        const layout = parseCopybook(text, { format });
        for (const r of layout.records) {
          assert.ok(Number.isInteger(r.length) && r.length >= 0);
          for (const f of walkFields(r.root)) assert.ok(f.offset >= 0 && f.offset + f.length <= r.length + f.offset);
        }
      } catch (err) {
        if (!isAcceptable(err)) throw err;
      }
    }),
    { numRuns: 3000, seed: 4242 },
  );
});

test('random characters yield a layout or a positioned CopybookError', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      try {
        parseCopybook(text);
      } catch (err) {
        if (!isAcceptable(err)) throw err;
      }
    }),
    { numRuns: 3000, seed: 4243 },
  );
});

test('a huge repetition count is refused instead of allocating it', () => {
  assert.throws(() => parseCopybook('       01 R.\n           05 A PIC X(99999999999).'), { code: 'BANYAN_ERR_COPYBOOK_PICTURE' });
  assert.throws(() => parseCopybook('       01 R.\n           05 A PIC X OCCURS 99999999999.'), { code: 'BANYAN_ERR_COPYBOOK_UNSUPPORTED' });
});
