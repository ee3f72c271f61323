/**
 * The rules of Jakarta Messaging 3.1, 3.8.1.1 that a grammar does not express, checked once when a
 * selector is parsed so a consumer with a bad selector fails at creation, not on some message:
 *
 * - Exact literals lie in the range of long, approximate ones in the range of double (of float
 *   with an F suffix). Without an L suffix an exact literal is an int when it fits one, as in Java.
 * - Of the JMS headers only JMSDeliveryMode, JMSPriority, JMSMessageID, JMSTimestamp,
 *   JMSCorrelationID and JMSType may be named; other names starting with JMS are headers too
 *   (JMSExpiration, JMSRedelivered, ...) except the JMSX* and JMS_* property names.
 * - AND, OR, NOT and the whole selector take conditions: a comparison, TRUE, FALSE, NULL or an
 *   identifier (a boolean property); never a number or a string.
 * - Arithmetic, BETWEEN and <, <=, >, >= take numbers: a string or boolean literal there is an
 *   error ("String and Boolean comparison is restricted to = and <>").
 * - NULL is not compared with = or <> (use IS [NOT] NULL); IN and LIKE apply to an identifier;
 *   LIKE's ESCAPE is one character that does not end the pattern.
 * What only the message can tell (a property holding a string where a number is compared) is not
 * an error: the evaluator gives FALSE or UNKNOWN (selector-compile.ts).
 */
import type { SelectorNode, SourcePosition } from './selector-ast.ts';
import { compileLikePattern } from './like-pattern.ts';

/** What a node is known to produce before any message is seen; `unknown`: an identifier, anything. */
export type StaticKind = 'condition' | 'number' | 'string' | 'null' | 'unknown';

/** A rule broken at a position; parseSelector turns it into an InvalidSelectorError. */
export interface SelectorRuleViolation {
  readonly at: SourcePosition;
  readonly reason: string;
}

/** The first rule the tree breaks, or undefined when it is a valid selector. */
export function findRuleViolation(root: SelectorNode): SelectorRuleViolation | undefined {
  try {
    expectCondition(root, 'a selector');
    return undefined;
  } catch (err) {
    if (err instanceof RuleViolation) return { at: err.at, reason: err.message };
    throw err;
  }
}

export const SELECTABLE_HEADERS: ReadonlySet<string> = new Set(['JMSDeliveryMode', 'JMSPriority', 'JMSMessageID', 'JMSTimestamp', 'JMSCorrelationID', 'JMSType']);

export const INT_MIN = -(2n ** 31n);
export const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

class RuleViolation extends Error {
  readonly at: SourcePosition;
  constructor(at: SourcePosition, reason: string) {
    super(reason);
    this.at = at;
  }
}

const DESCRIPTION: Record<StaticKind, string> = {
  condition: 'a boolean',
  number: 'a number',
  string: 'a string',
  null: 'NULL',
  unknown: 'an identifier',
};

function kindOf(node: SelectorNode): StaticKind {
  switch (node.kind) {
    case 'string':
      return 'string';
    case 'exact':
      if (node.value < LONG_MIN || node.value > LONG_MAX) {
        throw new RuleViolation(node.at, `the exact numeric literal ${node.text} is out of the range of long (${LONG_MIN} to ${LONG_MAX})`);
      }
      return 'number';
    case 'approximate':
      if (!Number.isFinite(node.float ? Math.fround(node.value) : node.value)) {
        throw new RuleViolation(node.at, `the approximate numeric literal ${node.text} is out of the range of ${node.float ? 'float' : 'double'}`);
      }
      return 'number';
    case 'boolean':
      return 'condition';
    case 'null':
      return 'null';
    case 'identifier':
      checkIdentifier(node.name, node.at);
      return 'unknown';
    case 'and':
    case 'or':
      expectCondition(node.left, `the left side of ${node.kind.toUpperCase()}`);
      expectCondition(node.right, `the right side of ${node.kind.toUpperCase()}`);
      return 'condition';
    case 'not':
      expectCondition(node.operand, 'NOT');
      return 'condition';
    case 'compare': {
      const ordering = node.operator !== '=' && node.operator !== '<>';
      for (const side of [node.left, node.right]) {
        const kind = kindOf(side);
        if (kind === 'null') throw new RuleViolation(side.at, `NULL cannot be compared with ${node.operator}: test for it with IS NULL or IS NOT NULL`);
        if (ordering && kind !== 'number' && kind !== 'unknown') {
          throw new RuleViolation(side.at, `${node.operator} compares numbers, found ${DESCRIPTION[kind]}: strings and booleans can only be compared with = and <>`);
        }
      }
      return 'condition';
    }
    case 'between': {
      const what = node.negated ? 'NOT BETWEEN' : 'BETWEEN';
      for (const operand of [node.value, node.low, node.high]) expectNumber(operand, what);
      return 'condition';
    }
    case 'in':
      expectIdentifier(node.value, node.negated ? 'NOT IN' : 'IN');
      return 'condition';
    case 'like': {
      expectIdentifier(node.value, node.negated ? 'NOT LIKE' : 'LIKE');
      const compiled = compileLikePattern(node.pattern.value, node.escape?.value);
      if (!compiled.ok) throw new RuleViolation(node.escape && [...node.escape.value].length !== 1 ? node.escape.at : node.pattern.at, compiled.problem);
      return 'condition';
    }
    case 'isNull':
      kindOf(node.value);
      return 'condition';
    case 'arithmetic':
      expectNumber(node.left, `the arithmetic operator ${node.operator}`);
      expectNumber(node.right, `the arithmetic operator ${node.operator}`);
      return 'number';
    case 'unary':
      expectNumber(node.operand, `the unary ${node.operator}`);
      return 'number';
  }
}

function expectCondition(node: SelectorNode, where: string): void {
  const kind = kindOf(node);
  if (kind === 'number' || kind === 'string') {
    throw new RuleViolation(node.at, `${where} must be a condition (a comparison, TRUE, FALSE or a boolean property), found ${DESCRIPTION[kind]}`);
  }
}

function expectNumber(node: SelectorNode, where: string): void {
  const kind = kindOf(node);
  if (kind !== 'number' && kind !== 'unknown') throw new RuleViolation(node.at, `${where} takes numbers, found ${DESCRIPTION[kind]}`);
}

function expectIdentifier(node: SelectorNode, where: string): void {
  if (node.kind !== 'identifier') throw new RuleViolation(node.at, `${where} applies to an identifier (a header or property name), found ${DESCRIPTION[kindOf(node)]}`);
  kindOf(node);
}

function checkIdentifier(name: string, at: SourcePosition): void {
  if (!name.startsWith('JMS') || name.startsWith('JMSX') || name.startsWith('JMS_') || SELECTABLE_HEADERS.has(name)) return;
  throw new RuleViolation(
    at,
    `${name} cannot be used in a selector: names starting with JMS are headers, and of those only ${[...SELECTABLE_HEADERS].join(', ')} may be (JMSX* and JMS_* are properties)`,
  );
}
