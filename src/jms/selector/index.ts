/**
 * JMS message selectors (Jakarta Messaging 3.1, section 3.8.1): `parseSelector(text)` parses,
 * checks and compiles a selector once, when a consumer is created, and returns a MessageSelector
 * whose `matches` the engine runs for every message. A selector that is not valid throws an
 * InvalidSelectorError (code BANYAN_ERR_JMS_INVALID_SELECTOR) naming the position and what was
 * expected there.
 *
 * Parsing is a peggy grammar (selector.peggy, generated ahead into selector-parser.generated.js),
 * the spec's further rules are in selector-check.ts, evaluation in selector-compile.ts.
 */
import type { MessageSelector, SelectorSubject } from './selector-contract.ts';
import type { SelectorNode } from './selector-ast.ts';
import { parse, SyntaxError as GrammarSyntaxError } from './selector-parser.generated.js';
import { findRuleViolation } from './selector-check.ts';
import { compileSelector } from './selector-compile.ts';
import { InvalidSelectorError } from './errors.ts';

export type { MessageSelector, SelectorSubject, TypedValue, JmsPropertyType } from './selector-contract.ts';
export { InvalidSelectorError, SelectorErrors } from './errors.ts';

export function parseSelector(text: string): MessageSelector {
  // 3.8.1.1: "If the value of a message selector is an empty string, the value is treated as a
  // null and indicates that there is no message selector for the message consumer."
  if (text.trim() === '') return Object.freeze({ text, matches: (_message: SelectorSubject) => true });
  const tree = parseSelectorTree(text);
  return Object.freeze({ text, matches: compileSelector(tree) });
}

/** The checked syntax tree of a non-empty selector (for tools and tests); throws InvalidSelectorError. */
export function parseSelectorTree(text: string): SelectorNode {
  let tree: SelectorNode;
  try {
    tree = parse(text);
  } catch (err) {
    if (!(err instanceof GrammarSyntaxError)) throw err;
    const { offset, line, column } = err.location.start;
    throw new InvalidSelectorError(text, { offset, line, column }, describeSyntaxError(err, text.slice(offset)), err);
  }
  const violation = findRuleViolation(tree);
  if (violation) throw new InvalidSelectorError(text, violation.at, violation.reason);
  return tree;
}

/**
 * peggy's "Expected X but "A" found." as a clause, naming the whole word found rather than its
 * first character: `expected X but "AND" found`.
 */
function describeSyntaxError(err: GrammarSyntaxError, rest: string): string {
  let message = err.message.replace(/\.$/, '');
  const word = /^[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\p{Cf}]+/u.exec(rest)?.[0];
  if (word !== undefined && err.found !== null) message = message.replace(/ but ".*" found$/s, ` but "${word}" found`);
  return message.startsWith('Expected ') ? `e${message.slice(1)}` : message;
}
