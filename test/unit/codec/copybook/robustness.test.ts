/**
 * Whatever text it is given, the parser either returns a layout or throws a CopybookError naming
 * a position; never a TypeError, a RangeError or a hang. Inputs are random sequences of copybook
 * vocabulary (so they get deep into the grammar) and random characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCopybookError, parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { walkFields, type RecordLayout } from '../../../../src/codec/layout.ts';

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

/**
 * Every field lies within its record: it starts at or after byte 0 and its last occurrence ends at
 * or before the record's length (`length` is one occurrence; a table reserves its maximum, IBM
 * Enterprise COBOL Language Reference, OCCURS clause). Returns the fields that do not.
 */
function fieldsOutsideRecord(r: RecordLayout): string[] {
  const out: string[] = [];
  for (const f of walkFields(r.root)) {
    const end = f.offset + f.length * (f.occurs?.max ?? 1);
    if (!(Number.isInteger(f.offset) && f.offset >= 0 && end <= r.length)) out.push(`${f.path}: bytes ${f.offset}..${end} of a ${r.length}-byte record`);
  }
  return out;
}

test('random copybook-like token soup yields a layout or a positioned CopybookError', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 40 }), fc.constantFrom<'auto' | 'free' | 'fixed'>('auto', 'free', 'fixed'), (words, format) => {
      const text = `       ${words.join(' ')}`;
      try {
        const layout = parseCopybook(text, { format });
        for (const r of layout.records) {
          assert.ok(Number.isInteger(r.length) && r.length >= 0);
          assert.deepEqual(fieldsOutsideRecord(r), [], text);
        }
      } catch (err) {
        if (!isAcceptable(err)) throw err;
      }
    }),
    { numRuns: 3000, seed: 4242 },
  );
});

/** A generated data description entry: an elementary item or a group, either possibly a table. */
type GenItem =
  | { readonly kind: 'elementary'; readonly clause: string; readonly occurs: number | undefined; readonly sync: boolean; readonly redefinesPrevious: boolean }
  | { readonly kind: 'group'; readonly children: readonly GenItem[]; readonly occurs: number | undefined };

const ELEMENTARY_CLAUSES = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => `PIC X(${n})`),
  fc.integer({ min: 1, max: 9 }).map((n) => `PIC 9(${n})`),
  fc.integer({ min: 1, max: 9 }).map((n) => `PIC S9(${n})V99 COMP-3`),
  fc.integer({ min: 1, max: 18 }).map((n) => `PIC S9(${n}) COMP`),
  fc.integer({ min: 1, max: 18 }).map((n) => `PIC 9(${n}) COMP-5`),
  fc.integer({ min: 1, max: 6 }).map((n) => `PIC S9(${n}) SIGN LEADING SEPARATE`),
  fc.integer({ min: 1, max: 5 }).map((n) => `PIC N(${n})`),
  fc.constantFrom('COMP-1', 'COMP-2', 'PIC Z(4)9.99-', 'PIC X', 'INDEX', 'POINTER'),
);
const OCCURS = fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined });

const { item: GEN_ITEM } = fc.letrec<{ item: GenItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('elementary' as const), clause: ELEMENTARY_CLAUSES, occurs: OCCURS, sync: fc.boolean(), redefinesPrevious: fc.boolean() }),
    fc.record({ kind: fc.constant('group' as const), children: fc.array(tie('item'), { minLength: 1, maxLength: 4 }), occurs: OCCURS }),
  ),
}));

/** Free-format copybook text of records R1..Rn; REDEFINES only where COBOL allows it (neither item a table). */
function copybookText(records: readonly (readonly GenItem[])[]): string {
  let n = 0;
  const lines: string[] = [];
  const entries = (items: readonly GenItem[], level: number) => {
    let previous: { name: string; table: boolean } | undefined;
    for (const item of items) {
      const name = `F${++n}`;
      const occurs = item.occurs ? ` OCCURS ${item.occurs} TIMES` : '';
      if (item.kind === 'group') {
        lines.push(`${level} ${name}${occurs}.`);
        entries(item.children, level + 5);
      } else {
        const redefines = item.redefinesPrevious && previous && !previous.table && !item.occurs ? ` REDEFINES ${previous.name}` : '';
        lines.push(`${level} ${name}${redefines} ${item.clause}${item.sync ? ' SYNC' : ''}${occurs}.`);
      }
      previous = { name, table: item.occurs !== undefined || item.kind === 'group' };
    }
  };
  records.forEach((items, i) => {
    lines.push(`01 R${i + 1}.`);
    entries(items, 5);
  });
  return lines.join('\n');
}

test('structured copybooks (nested groups, tables, REDEFINES, SYNC, every usage) lay every field out inside its record', () => {
  let parsed = 0;
  fc.assert(
    fc.property(fc.array(fc.array(GEN_ITEM, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 2 }), (records) => {
      const text = copybookText(records);
      let layout;
      try {
        layout = parseCopybook(text, { format: 'free' });
      } catch (err) {
        if (!isAcceptable(err)) throw err;
        return;
      }
      parsed++;
      for (const r of layout.records) assert.deepEqual(fieldsOutsideRecord(r), [], text);
    }),
    { numRuns: 500, seed: 4244 },
  );
  assert.ok(parsed >= 400, `only ${parsed} of 500 generated copybooks parsed: the property would say little`);
});

test('the field bound check fails on a field past the end of its record, or a table larger than it', () => {
  const [r] = parseCopybook('       01 R.\n           05 A PIC X(4).\n           05 T PIC 9(2) OCCURS 3.').records;
  assert.deepEqual(fieldsOutsideRecord(r!), [], 'the parsed record: 4 + 3 x 2 = 10 bytes');
  assert.equal(r!.length, 10);
  assert.deepEqual(fieldsOutsideRecord({ ...r!, length: 9 }), ['R: bytes 0..10 of a 9-byte record', 'R.T: bytes 4..10 of a 9-byte record']);
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
