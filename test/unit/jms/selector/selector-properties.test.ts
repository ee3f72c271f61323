/**
 * Properties of the selector language over generated input (fast-check, seeded so a failure
 * reproduces):
 * - Any text either parses into a selector whose `matches` returns a boolean for any message, or
 *   throws InvalidSelectorError with a position inside the text: never another exception.
 * - Generated conditions over TRUE, FALSE and UNKNOWN atoms evaluate as Kleene's three-valued
 *   logic computed independently here, with NOT > AND > OR precedence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidSelectorError, parseSelector, parseSelectorTree, type SelectorSubject } from '../../../../src/jms/selector/index.ts';
import { compileCondition, type Truth } from '../../../../src/jms/selector/selector-compile.ts';
import { MESSAGES } from '../../../fixtures/jms/selector-cases.ts';

const order: SelectorSubject = { get: (name) => (Object.hasOwn(MESSAGES.order, name) ? MESSAGES.order[name as keyof typeof MESSAGES.order] : undefined) };

const TOKENS = [
  'vip', 'quantity', 'country', 'missing', 'big', 'JMSPriority', 'JMSType', 'JMSExpiration', "'UK'", "'a''b'", "'", '3', '-7', '0x1F', '017', '08', '2.5', '1E3', '.5',
  '9223372036854775808', 'TRUE', 'FALSE', 'NULL', 'NOT', 'AND', 'OR', 'BETWEEN', 'IN', 'LIKE', 'ESCAPE', 'IS', '=', '<>', '<', '<=', '>', '>=',
  '+', '-', '*', '/', '(', ')', ',', "'%'", "'_'", "'\\'", ' ', '\n',
];

test('any text is a selector or an InvalidSelectorError with a position inside it', () => {
  const text = fc.oneof(
    fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join(' ')),
    fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join('')),
    fc.string({ maxLength: 30 }),
  );
  let valid = 0;
  let invalid = 0;
  fc.assert(
    fc.property(text, (selector) => {
      let parsed;
      try {
        parsed = parseSelector(selector);
      } catch (err) {
        assert.ok(err instanceof InvalidSelectorError, `${JSON.stringify(selector)} threw ${String(err)}`);
        assert.ok(err.position.offset >= 0 && err.position.offset <= selector.length, err.message);
        invalid++;
        return;
      }
      assert.equal(typeof parsed.matches(order), 'boolean');
      valid++;
    }),
    { seed: 16, numRuns: 10_000 },
  );
  // Both outcomes must be exercised, or the property says little.
  assert.ok(valid >= 200 && invalid >= 200, `${valid} valid, ${invalid} invalid`);
});

type Condition = { readonly text: string; readonly truth: Truth };

const ATOMS: readonly Condition[] = [
  { text: 'vip', truth: true },
  { text: 'archived', truth: false },
  { text: 'missing', truth: null },
  { text: 'quantity = 3', truth: true },
  { text: "country <> 'UK'", truth: false },
  { text: 'missing > 1', truth: null },
  { text: "country = 3", truth: false },
  { text: 'big BETWEEN 9007199254740993 AND 9007199254740993', truth: true },
];

const not = (a: Truth): Truth => (a === null ? null : !a);
const and = (a: Truth, b: Truth): Truth => (a === false || b === false ? false : a === null || b === null ? null : true);
const or = (a: Truth, b: Truth): Truth => (a === true || b === true ? true : a === null || b === null ? null : false);

/** Conditions built from the atoms with the truth Kleene logic gives them; parenthesised where precedence would change the meaning. */
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    tie('c').map((a) => ({ text: `NOT (${a.text})`, truth: not(a.truth) })),
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => ({ text: `(${a.text}) AND (${b.text})`, truth: and(a.truth, b.truth) })),
    fc.tuple(tie('c'), tie('c')).map(([a, b]) => ({ text: `(${a.text}) OR (${b.text})`, truth: or(a.truth, b.truth) })),
    // Without parentheses: NOT binds tighter than AND, AND tighter than OR.
    fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...ATOMS), fc.constantFrom(...ATOMS)).map(([a, b, c]) => ({
      text: `${a.text} OR NOT ${b.text} AND ${c.text}`,
      truth: or(a.truth, and(not(b.truth), c.truth)),
    })),
  ),
})).c;

test('conditions evaluate by three-valued logic and precedence, and only TRUE matches', () => {
  fc.assert(
    fc.property(condition, ({ text, truth }) => {
      assert.equal(compileCondition(parseSelectorTree(text))(order), truth, text);
      assert.equal(parseSelector(text).matches(order), truth === true, text);
    }),
    { seed: 16, numRuns: 3_000 },
  );
});
