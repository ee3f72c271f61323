/**
 * JMS typed values: message properties (Jakarta Messaging 3.1, 3.5.4) and the entries of Map and
 * Stream messages (3.11.3), with the range of each integer type and the conversions a getter may
 * make (the tables of 3.5.4 and 3.11.3: a `byte` reads as short/int/long, a string reads as any
 * type it parses to, nothing else converts; a failed conversion is a MessageFormatException).
 * Longs are bigint, so a long never loses precision; floats are kept as their float32 value.
 */
import type { JmsPropertyType, TypedValue } from './selector/selector-contract.ts';
import { JmsErrors } from './jms-errors.ts';

export type { JmsPropertyType, TypedValue };

/** A Map or Stream message entry: a property type, a char (one UTF-16 unit) or bytes. */
export type BodyValue = TypedValue | { readonly type: 'char'; readonly value: string } | { readonly type: 'bytes'; readonly value: Buffer };
export type BodyValueType = BodyValue['type'];

const INT_RANGES = { byte: [-128, 127], short: [-32768, 32767], int: [-2147483648, 2147483647] } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Checks a value against its type's range and returns it (floats rounded to float32); throws MESSAGE_FORMAT. */
export function typed(type: 'boolean', value: boolean): TypedValue;
export function typed(type: 'byte' | 'short' | 'int' | 'float' | 'double', value: number): TypedValue;
export function typed(type: 'long', value: bigint | number): TypedValue;
export function typed(type: 'string', value: string): TypedValue;
export function typed(type: JmsPropertyType, value: boolean | number | bigint | string): TypedValue;
export function typed(type: JmsPropertyType, value: boolean | number | bigint | string): TypedValue {
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw formatError(type, value);
      return { type, value };
    case 'string':
      if (typeof value !== 'string') throw formatError(type, value);
      return { type, value };
    case 'byte':
    case 'short':
    case 'int': {
      const [lo, hi] = INT_RANGES[type];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) throw formatError(type, value);
      return { type, value };
    }
    case 'long': {
      const v = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
      if (typeof v !== 'bigint' || v < LONG_MIN || v > LONG_MAX) throw formatError(type, value);
      return { type, value: v };
    }
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw formatError(type, value);
      return { type, value: type === 'float' ? Math.fround(value) : value };
  }
}

/** Reads a value as `want`, converting as 3.5.4 allows; undefined stays undefined (the getter decides). */
export function convert(v: BodyValue, want: 'boolean'): boolean;
export function convert(v: BodyValue, want: 'byte' | 'short' | 'int' | 'float' | 'double'): number;
export function convert(v: BodyValue, want: 'long'): bigint;
export function convert(v: BodyValue, want: 'string'): string;
export function convert(v: BodyValue, want: JmsPropertyType): boolean | number | bigint | string;
export function convert(v: BodyValue, want: JmsPropertyType): boolean | number | bigint | string {
  if (v.type === want) return v.value as boolean | number | bigint | string;
  if (want === 'string') return textOf(v);
  if (v.type === 'string') return typed(want, parseText(want, v.value)).value;
  const widening: Record<string, readonly string[]> = {
    byte: ['short', 'int', 'long'],
    short: ['int', 'long'],
    int: ['long'],
    float: ['double'],
  };
  if (widening[v.type]?.includes(want)) return want === 'long' ? BigInt(v.value as number) : (v.value as number);
  throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`a ${v.type} value cannot be read as ${want}`);
}

/** The text of a value as Java's String.valueOf writes it (floats: shortest text of the float32 value). */
export function textOf(v: BodyValue): string {
  switch (v.type) {
    case 'bytes':
      throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT('a bytes value cannot be read as string');
    case 'float':
      return float32Text(v.value);
    case 'double':
      return Number.isInteger(v.value) && Number.isFinite(v.value) ? v.value.toFixed(1) : String(v.value);
    default:
      return String(v.value);
  }
}

/** The value of `text` read as `type` (Java's valueOf rules for strings), throwing MESSAGE_FORMAT when it does not parse. */
export function parseText(type: JmsPropertyType, text: string): boolean | number | bigint | string {
  switch (type) {
    case 'string':
      return text;
    case 'boolean':
      // Boolean.valueOf: "true" in any case is true, anything else false (3.5.4).
      return text.toLowerCase() === 'true';
    case 'byte':
    case 'short':
    case 'int':
      if (!/^[+-]?\d+$/.test(text)) throw formatError(type, text);
      return Number(text);
    case 'long':
      if (!/^[+-]?\d+$/.test(text)) throw formatError(type, text);
      return BigInt(text);
    case 'float':
    case 'double': {
      const n = /^(NaN|[+-]?Infinity)$/.test(text) ? Number(text) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text) ? Number.parseFloat(text) : undefined;
      if (n === undefined) throw formatError(type, text);
      return type === 'float' ? Math.fround(n) : n;
    }
  }
}

/**
 * The shortest decimal text that reads back as the same float32 (Java's Float.toString digits), so
 * `float:0.1` is written for Math.fround(0.1) rather than 0.10000000149011612.
 */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return normaliseNumberText(Number(text));
  }
  return String(value);
}

function normaliseNumberText(n: number): string {
  const s = String(n);
  return Number.isInteger(n) && !s.includes('e') ? `${s}.0` : s;
}

function formatError(type: string, value: unknown): Error {
  return new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)} is not a valid ${type}`);
}
