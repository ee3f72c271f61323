/**
 * The selector language against the conformance table in test/fixtures/jms/selector-cases.ts:
 * every case's three-valued result, and that `matches` selects exactly the TRUE ones; every invalid
 * selector throws InvalidSelectorError naming the offset, line and column of the mistake.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSelectorError, parseSelector, parseSelectorTree, type SelectorSubject } from '../../../../src/jms/selector/index.ts';
import { compileCondition, type Truth } from '../../../../src/jms/selector/selector-compile.ts';
import { INVALID_SELECTORS, MESSAGES, SELECTOR_CASES, type Expected, type MessageName } from '../../../fixtures/jms/selector-cases.ts';

function subject(name: MessageName): SelectorSubject {
  const values: Record<string, SelectorSubject extends { get(i: string): infer V } ? V : never> = MESSAGES[name];
  return { get: (identifier) => (Object.hasOwn(values, identifier) ? values[identifier] : undefined) };
}

const TRUTH: Record<Expected, Truth> = { TRUE: true, FALSE: false, UNKNOWN: null };

test('the table is large enough to cover the language (at least 120 valid and 25 invalid selectors)', () => {
  assert.ok(SELECTOR_CASES.length >= 120, `${SELECTOR_CASES.length} cases`);
  assert.ok(INVALID_SELECTORS.length >= 25, `${INVALID_SELECTORS.length} invalid selectors`);
});

describe('selector evaluation', () => {
  for (const [selector, message, expected] of SELECTOR_CASES) {
    test(`${JSON.stringify(selector)} on ${message} is ${expected}`, () => {
      const m = subject(message);
      assert.equal(compileCondition(parseSelectorTree(selector))(m), TRUTH[expected]);
      assert.equal(parseSelector(selector).matches(m), expected === 'TRUE');
    });
  }
});

describe('invalid selectors', () => {
  for (const [selector, offset, reason] of INVALID_SELECTORS) {
    test(`${JSON.stringify(selector)} is rejected at offset ${offset}`, () => {
      assert.throws(
        () => parseSelector(selector),
        (err: unknown) => {
          assert.ok(err instanceof InvalidSelectorError, `not an InvalidSelectorError: ${String(err)}`);
          assert.equal(err.code, 'BANYAN_ERR_JMS_INVALID_SELECTOR');
          assert.equal(err.retriable, false);
          assert.equal(err.selector, selector);
          assert.equal(err.position.offset, offset, err.message);
          const before = selector.slice(0, offset).split('\n');
          assert.equal(err.position.line, before.length, err.message);
          assert.equal(err.position.column, before.at(-1)!.length + 1, err.message);
          assert.ok(err.reason.includes(reason), `reason ${JSON.stringify(err.reason)} does not say ${JSON.stringify(reason)}`);
          assert.ok(err.message.includes(`line ${err.position.line}, column ${err.position.column} (offset ${offset})`), err.message);
          return true;
        },
      );
    });
  }
});
