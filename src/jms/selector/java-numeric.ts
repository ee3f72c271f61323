/**
 * Selector arithmetic and numeric comparison with Java's numeric promotion, as Jakarta Messaging
 * 3.1, 3.8.1.1 requires ("Arithmetic operations must use numeric promotion in the Java programming
 * language"; exact and approximate values compare "by the rules of Java numeric promotion").
 *
 * JLS 5.6 binary numeric promotion: double if either operand is double, else float if either is
 * float, else long if either is long, else int (byte and short always widen to int). The result has
 * the promoted type and Java's behaviour in it:
 *   int    32-bit two's complement, wraps on overflow (2147483647 + 1 = -2147483648)
 *   long   bigint, exact, wraps at 64 bits (BigInt.asIntN), so nothing is lost beyond 2^53
 *   float  IEEE single precision: every result rounded with Math.fround
 *   double IEEE double precision
 * Integer division truncates toward zero (7 / 2 = 3). Integer division by zero, which throws
 * ArithmeticException in Java, gives NULL here (so the selector is UNKNOWN and does not match);
 * float and double division by zero follow IEEE 754 (Infinity, -Infinity, NaN) as in Java.
 * Note that Qpid JMS and ActiveMQ divide in double whatever the operand types (7 / 2 = 3.5); we
 * follow the specification.
 */
import type { TypedValue } from './selector-contract.ts';
import type { ArithmeticOperator } from './selector-ast.ts';

export type NumericValue = Extract<TypedValue, { readonly type: 'byte' | 'short' | 'int' | 'long' | 'float' | 'double' }>;
type PromotedType = 'int' | 'long' | 'float' | 'double';

export function isNumeric(v: TypedValue): v is NumericValue {
  return v.type !== 'string' && v.type !== 'boolean';
}

const RANK = { byte: 0, short: 0, int: 0, long: 1, float: 2, double: 3 } as const;
const PROMOTED: readonly PromotedType[] = ['int', 'long', 'float', 'double'];

/** JLS 5.6.2: the type both operands are converted to. */
export function promotedType(a: NumericValue, b: NumericValue): PromotedType {
  return PROMOTED[Math.max(RANK[a.type], RANK[b.type])];
}

/** `a <op> b` in the promoted type; undefined (NULL) for an integer division by zero. */
export function applyArithmetic(operator: ArithmeticOperator, a: NumericValue, b: NumericValue): NumericValue | undefined {
  switch (promotedType(a, b)) {
    case 'int':
      return intArithmetic(operator, a.value as number, b.value as number);
    case 'long':
      return longArithmetic(operator, toBigInt(a), toBigInt(b));
    case 'float': {
      const value = Math.fround(doubleArithmetic(operator, Math.fround(toNumber(a)), Math.fround(toNumber(b))));
      return { type: 'float', value };
    }
    case 'double':
      return { type: 'double', value: doubleArithmetic(operator, toNumber(a), toNumber(b)) };
  }
}

/** Unary minus (JLS 15.15.4): unary promotion (byte, short -> int), then negation in that type. */
export function negate(a: NumericValue): NumericValue {
  switch (a.type) {
    case 'long':
      return { type: 'long', value: BigInt.asIntN(64, -a.value) };
    case 'float':
    case 'double':
      return { type: a.type, value: -a.value };
    default:
      return { type: 'int', value: -a.value | 0 };
  }
}

/** Unary plus (JLS 15.15.3): only the unary promotion of byte and short to int. */
export function unaryPlus(a: NumericValue): NumericValue {
  return a.type === 'byte' || a.type === 'short' ? { type: 'int', value: a.value } : a;
}

/**
 * Compares two numbers after binary numeric promotion: negative, zero or positive, or NaN when
 * they are unordered (a NaN operand), in which case every comparison but <> is false, as in Java.
 */
export function compareNumeric(a: NumericValue, b: NumericValue): number {
  switch (promotedType(a, b)) {
    case 'int':
      return (a.value as number) - (b.value as number);
    case 'long': {
      const x = toBigInt(a);
      const y = toBigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'float':
      return difference(Math.fround(toNumber(a)), Math.fround(toNumber(b)));
    case 'double':
      return difference(toNumber(a), toNumber(b));
  }
}

function difference(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

function toBigInt(v: NumericValue): bigint {
  return v.type === 'long' ? v.value : BigInt(v.value);
}

function toNumber(v: NumericValue): number {
  return v.type === 'long' ? Number(v.value) : v.value;
}

function intArithmetic(operator: ArithmeticOperator, x: number, y: number): NumericValue | undefined {
  switch (operator) {
    case '+':
      return { type: 'int', value: (x + y) | 0 };
    case '-':
      return { type: 'int', value: (x - y) | 0 };
    case '*':
      return { type: 'int', value: Math.imul(x, y) };
    case '/':
      // Math.trunc of the double quotient is exact for 32-bit operands; | 0 wraps MIN / -1 as Java does.
      return y === 0 ? undefined : { type: 'int', value: Math.trunc(x / y) | 0 };
  }
}

function longArithmetic(operator: ArithmeticOperator, x: bigint, y: bigint): NumericValue | undefined {
  switch (operator) {
    case '+':
      return { type: 'long', value: BigInt.asIntN(64, x + y) };
    case '-':
      return { type: 'long', value: BigInt.asIntN(64, x - y) };
    case '*':
      return { type: 'long', value: BigInt.asIntN(64, x * y) };
    case '/':
      // bigint division truncates toward zero, as Java's long division does.
      return y === 0n ? undefined : { type: 'long', value: BigInt.asIntN(64, x / y) };
  }
}

function doubleArithmetic(operator: ArithmeticOperator, x: number, y: number): number {
  switch (operator) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
  }
}
