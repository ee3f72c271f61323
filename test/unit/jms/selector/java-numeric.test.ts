/**
 * Java's binary numeric promotion (JLS 5.6) and the arithmetic of each promoted type, as the
 * selector evaluator uses them: results, result types, overflow and division by zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyArithmetic, compareNumeric, negate, promotedType, unaryPlus, type NumericValue } from '../../../../src/jms/selector/java-numeric.ts';
import type { ArithmeticOperator } from '../../../../src/jms/selector/selector-ast.ts';

const byte = (value: number): NumericValue => ({ type: 'byte', value });
const short = (value: number): NumericValue => ({ type: 'short', value });
const int = (value: number): NumericValue => ({ type: 'int', value });
const long = (value: bigint): NumericValue => ({ type: 'long', value });
const float = (value: number): NumericValue => ({ type: 'float', value: Math.fround(value) });
const double = (value: number): NumericValue => ({ type: 'double', value });

test('binary numeric promotion picks double, then float, then long, else int', () => {
  const table: Array<[NumericValue, NumericValue, string]> = [
    [byte(1), short(1), 'int'],
    [byte(1), int(1), 'int'],
    [short(1), long(1n), 'long'],
    [int(1), long(1n), 'long'],
    [long(1n), float(1), 'float'],
    [int(1), float(1), 'float'],
    [float(1), double(1), 'double'],
    [long(1n), double(1), 'double'],
  ];
  for (const [a, b, expected] of table) assert.equal(promotedType(a, b), expected, `${a.type} with ${b.type}`);
});

test('arithmetic gives Java results in the promoted type', () => {
  const table: Array<[ArithmeticOperator, NumericValue, NumericValue, NumericValue | undefined]> = [
    ['+', int(2147483647), int(1), int(-2147483648)],
    ['-', int(-2147483648), int(1), int(2147483647)],
    ['*', int(65536), int(65536), int(0)],
    ['/', int(-2147483648), int(-1), int(-2147483648)],
    ['/', int(7), int(-2), int(-3)],
    ['/', int(7), int(0), undefined],
    ['+', byte(100), byte(100), int(200)],
    ['*', short(300), short(300), int(90000)],
    ['+', long(9223372036854775807n), long(1n), long(-9223372036854775808n)],
    ['*', long(3037000500n), long(3037000500n), long(-9223372036709301616n)],
    ['/', long(-9007199254740993n), int(2), long(-4503599627370496n)],
    ['/', long(5n), long(0n), undefined],
    ['+', int(2147483647), long(1n), long(2147483648n)],
    ['+', float(0.1), float(0.2), float(0.3)],
    ['+', float(16777216), int(1), float(16777216)], // 2^24 + 1 is not a float
    ['+', double(16777216), int(1), double(16777217)],
    ['/', int(7), double(2), double(3.5)],
    ['/', double(1), int(0), double(Infinity)],
    ['/', float(-1), int(0), float(-Infinity)],
    ['+', long(9007199254740993n), double(0), double(9007199254740992)],
  ];
  for (const [op, a, b, expected] of table) {
    assert.deepEqual(applyArithmetic(op, a, b), expected, `${a.type} ${a.value} ${op} ${b.type} ${b.value}`);
  }
});

test('unary minus and plus promote byte and short to int and wrap like Java', () => {
  assert.deepEqual(negate(int(-2147483648)), int(-2147483648));
  assert.deepEqual(negate(long(-9223372036854775808n)), long(-9223372036854775808n));
  assert.deepEqual(negate(byte(5)), int(-5));
  assert.deepEqual(negate(double(0)), double(-0));
  assert.deepEqual(unaryPlus(short(5)), int(5));
  assert.deepEqual(unaryPlus(float(1.5)), float(1.5));
});

test('comparison after promotion: exact for longs, NaN unordered', () => {
  const table: Array<[NumericValue, NumericValue, number]> = [
    [long(9007199254740993n), long(9007199254740992n), 1],
    [long(9007199254740993n), int(1), 1],
    [int(3), double(3), 0],
    [float(0.1), double(0.1), 1], // (double) 0.1f is 0.100000001490116...
    [long(16777217n), float(16777216), 0], // the long is converted to float first
    [byte(-1), long(0n), -1],
  ];
  for (const [a, b, sign] of table) assert.equal(Math.sign(compareNumeric(a, b)), sign, `${a.type} ${a.value} vs ${b.type} ${b.value}`);
  assert.ok(Number.isNaN(compareNumeric(double(NaN), double(NaN))));
  assert.ok(Number.isNaN(compareNumeric(int(1), float(NaN))));
});
