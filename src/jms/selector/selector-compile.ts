/**
 * Turns a checked selector tree (selector-check.ts) into closures, once per consumer, since the
 * selector then runs for every message dispatched to it. Conditions evaluate to SQL's three
 * truth values (true, false, null = UNKNOWN); operands to a TypedValue or undefined (NULL).
 *
 * Semantics (Jakarta Messaging 3.1, 3.8.1.1-3.8.1.2):
 * - A property the message lacks, and a header with no value, is NULL. Comparison or arithmetic
 *   with NULL is UNKNOWN (arithmetic: NULL); IS [NOT] NULL is the only test for it.
 * - AND, OR and NOT follow SQL's three-valued truth tables; only TRUE selects a message.
 * - "Only like type values can be compared" (numbers with numbers, by Java numeric promotion;
 *   strings with strings; booleans with booleans), and "if the comparison of non-like type values
 *   is attempted, the value of the operation is false": so `<>` between a string and a number is
 *   FALSE too, and <, <=, >, >= between two strings or two booleans (only = and <> are defined for
 *   them) are FALSE.
 * - BETWEEN and NOT BETWEEN are the spec's equivalents `a >= b AND a <= c` and `a < b OR a > c`;
 *   NOT IN is NOT (IN); NOT LIKE is NOT (LIKE). IN and LIKE on a value that is not a string are
 *   FALSE (so NOT IN and NOT LIKE are TRUE).
 * - An identifier used as a condition is a boolean property: its value, UNKNOWN when NULL, FALSE
 *   when it holds something other than a boolean (as Qpid JMS does).
 * - Arithmetic with an operand that is not a number is NULL; see java-numeric.ts for promotion,
 *   overflow and division by zero.
 */
import type { SelectorSubject, TypedValue } from './selector-contract.ts';
import type { ComparisonOperator, SelectorNode } from './selector-ast.ts';
import { applyArithmetic, compareNumeric, isNumeric, negate, unaryPlus } from './java-numeric.ts';
import { compileLikePattern } from './like-pattern.ts';
import { INT_MAX, INT_MIN } from './selector-check.ts';

/** TRUE, FALSE, or null for UNKNOWN. */
export type Truth = boolean | null;
type Condition = (message: SelectorSubject) => Truth;
type Operand = (message: SelectorSubject) => TypedValue | undefined;

/** The selector as one function: true only when it evaluates to TRUE for the message. */
export function compileSelector(root: SelectorNode): (message: SelectorSubject) => boolean {
  const evaluate = condition(root);
  return (message) => evaluate(message) === true;
}

/** The three-valued result of a checked condition, for tests that tell FALSE from UNKNOWN. */
export function compileCondition(root: SelectorNode): Condition {
  return condition(root);
}

const TRUE_VALUE: TypedValue = Object.freeze({ type: 'boolean', value: true });
const FALSE_VALUE: TypedValue = Object.freeze({ type: 'boolean', value: false });

function condition(node: SelectorNode): Condition {
  switch (node.kind) {
    case 'and': {
      const left = condition(node.left);
      const right = condition(node.right);
      return (m) => {
        const l = left(m);
        if (l === false) return false;
        const r = right(m);
        if (r === false) return false;
        return l === null || r === null ? null : true;
      };
    }
    case 'or': {
      const left = condition(node.left);
      const right = condition(node.right);
      return (m) => {
        const l = left(m);
        if (l === true) return true;
        const r = right(m);
        if (r === true) return true;
        return l === null || r === null ? null : false;
      };
    }
    case 'not': {
      const operand = condition(node.operand);
      return (m) => {
        const v = operand(m);
        return v === null ? null : !v;
      };
    }
    case 'compare':
      return comparison(node.operator, operand(node.left), operand(node.right));
    case 'between':
      return between(node.negated, operand(node.value), operand(node.low), operand(node.high));
    case 'in': {
      const value = operand(node.value);
      const members = new Set(node.list.map((s) => s.value));
      const negated = node.negated;
      return (m) => {
        const v = value(m);
        if (v === undefined) return null;
        return v.type === 'string' ? members.has(v.value) !== negated : negated;
      };
    }
    case 'like': {
      const value = operand(node.value);
      const compiled = compileLikePattern(node.pattern.value, node.escape?.value);
      if (!compiled.ok) throw new Error(`unchecked selector: ${compiled.problem}`);
      const { matches } = compiled;
      const negated = node.negated;
      return (m) => {
        const v = value(m);
        if (v === undefined) return null;
        return v.type === 'string' ? matches(v.value) !== negated : negated;
      };
    }
    case 'isNull': {
      const value = operand(node.value);
      const negated = node.negated;
      return (m) => (value(m) === undefined) !== negated;
    }
    case 'boolean': {
      const b = node.value;
      return () => b;
    }
    case 'null':
      return () => null;
    case 'identifier': {
      const name = node.name;
      return (m) => {
        const v = m.get(name);
        if (v === undefined) return null;
        return v.type === 'boolean' ? v.value : false;
      };
    }
    default:
      throw new Error(`unchecked selector: a ${node.kind} node is not a condition`);
  }
}

function operand(node: SelectorNode): Operand {
  switch (node.kind) {
    case 'identifier': {
      const name = node.name;
      return (m) => m.get(name);
    }
    case 'string':
    case 'exact':
    case 'approximate':
    case 'boolean': {
      const value = literalValue(node);
      return () => value;
    }
    case 'null':
      return () => undefined;
    case 'arithmetic': {
      const left = operand(node.left);
      const right = operand(node.right);
      const operator = node.operator;
      return (m) => {
        const a = left(m);
        if (a === undefined || !isNumeric(a)) return undefined;
        const b = right(m);
        if (b === undefined || !isNumeric(b)) return undefined;
        return applyArithmetic(operator, a, b);
      };
    }
    case 'unary': {
      const inner = operand(node.operand);
      const apply = node.operator === '-' ? negate : unaryPlus;
      return (m) => {
        const a = inner(m);
        return a === undefined || !isNumeric(a) ? undefined : apply(a);
      };
    }
    default: {
      // A condition used as a value, e.g. the left side of `(a > 1) = TRUE`.
      const truth = condition(node);
      return (m) => {
        const t = truth(m);
        return t === null ? undefined : t ? TRUE_VALUE : FALSE_VALUE;
      };
    }
  }
}

function literalValue(node: SelectorNode & { kind: 'string' | 'exact' | 'approximate' | 'boolean' }): TypedValue {
  switch (node.kind) {
    case 'string':
      return Object.freeze({ type: 'string', value: node.value });
    case 'boolean':
      return node.value ? TRUE_VALUE : FALSE_VALUE;
    case 'exact':
      // JLS 3.10.1: an int unless it has an L suffix; out-of-int values are longs (the spec allows the range of long).
      return !node.longSuffix && node.value >= INT_MIN && node.value <= INT_MAX
        ? Object.freeze({ type: 'int', value: Number(node.value) })
        : Object.freeze({ type: 'long', value: node.value });
    case 'approximate':
      return node.float ? Object.freeze({ type: 'float', value: Math.fround(node.value) }) : Object.freeze({ type: 'double', value: node.value });
  }
}

/** Comparison of two present values: the rules in the header comment. */
export function compareValues(operator: ComparisonOperator, a: TypedValue, b: TypedValue): boolean {
  if (isNumeric(a)) {
    if (!isNumeric(b)) return false;
    const c = compareNumeric(a, b);
    switch (operator) {
      case '=':
        return c === 0;
      case '<>':
        return c !== 0; // NaN <> x is true, as x != y is in Java
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
    }
  }
  if (a.type !== b.type) return false;
  if (operator === '=') return a.value === b.value;
  if (operator === '<>') return a.value !== b.value;
  return false;
}

function comparison(operator: ComparisonOperator, left: Operand, right: Operand): Condition {
  return (m) => {
    const a = left(m);
    if (a === undefined) return null;
    const b = right(m);
    if (b === undefined) return null;
    return compareValues(operator, a, b);
  };
}

function between(negated: boolean, value: Operand, low: Operand, high: Operand): Condition {
  return (m) => {
    const v = value(m);
    if (v === undefined) return null;
    const lo = low(m);
    const hi = high(m);
    // negated: v < lo OR v > hi; else: v >= lo AND v <= hi, each part UNKNOWN when its bound is NULL.
    const first = lo === undefined ? null : compareValues(negated ? '<' : '>=', v, lo);
    const second = hi === undefined ? null : compareValues(negated ? '>' : '<=', v, hi);
    if (negated) return first === true || second === true ? true : first === null || second === null ? null : false;
    return first === false || second === false ? false : first === null || second === null ? null : true;
  };
}
