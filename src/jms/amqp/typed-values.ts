/**
 * JMS typed values (properties, MapMessage and StreamMessage entries) between rhea's AMQP values
 * and the text form of docs/jms-kafka-mapping.md (`int:42`, `["short", "-300"]`). Pure.
 *
 * AMQP 1.0 §1.6 types onto JMS types (OASIS AMQP JMS Mapping §3.2.4 / §3.3): byte, short, int, long,
 * float, double, boolean, string, char (char32, maps and streams only), bytes (binary, maps and
 * streams only). Types JMS lacks, from non-JMS senders, widen losslessly: ubyte -> short,
 * ushort -> int, uint -> long, ulong -> long (string beyond 2^63-1), timestamp -> long (ms),
 * symbol / uuid -> string.
 */
import { createRequire } from 'node:module';
import { typeName } from './rhea-patches.ts';

const require = createRequire(import.meta.url);
const types = require('rhea/lib/types.js') as Record<string, (v: unknown) => unknown>;

export type JmsValueType = 'boolean' | 'byte' | 'short' | 'int' | 'long' | 'float' | 'double' | 'string' | 'char' | 'bytes';

/** A JMS value in the record's text form: [type, text]. */
export type TypedText = readonly [JmsValueType, string];

/** The JMS types a property may have (JMS 2.0 §3.5.4): no char, no bytes. */
export const PROPERTY_TYPES: ReadonlySet<JmsValueType> = new Set(['boolean', 'byte', 'short', 'int', 'long', 'float', 'double', 'string']);

/** rhea's decoded value plus its AMQP type name (from rhea-patches' AMQP_TYPES) as a JMS typed text. */
export function typedTextOf(value: unknown, amqpType: string | undefined): TypedText | undefined {
  if (value === null || value === undefined) return undefined;
  switch (amqpType) {
    case 'Boolean':
    case 'True':
    case 'False':
      return ['boolean', String(Boolean(value))];
    case 'Byte':
      return ['byte', String(value)];
    case 'Ubyte':
    case 'Short':
      return ['short', String(value)];
    case 'Ushort':
    case 'Int':
    case 'SmallInt':
      return ['int', String(value)];
    case 'Long':
    case 'SmallLong':
    case 'Uint':
    case 'SmallUint':
    case 'Uint0':
      return ['long', longText(value, true)];
    case 'Ulong':
    case 'SmallUlong':
    case 'Ulong0': {
      const text = longText(value, false);
      return BigInt(text) < 2n ** 63n ? ['long', text] : ['string', text];
    }
    case 'Timestamp':
      return ['long', String(value instanceof Date ? value.getTime() : Number(value))];
    case 'Float':
      return ['float', float32Text(Number(value))];
    case 'Double':
      return ['double', doubleText(Number(value))];
    case 'CharUTF32':
      return ['char', String.fromCodePoint(Number(value))];
    case 'Vbin8':
    case 'Vbin32':
      return ['bytes', Buffer.from(value as Uint8Array).toString('base64')];
    case 'Uuid':
      return ['string', uuidText(value as Uint8Array)];
    default:
      return inferred(value);
  }
}

/** A typed text as the rhea value to encode (a Typed wrapper carrying the exact AMQP type). */
export function amqpValueOf([type, text]: TypedText): unknown {
  switch (type) {
    case 'boolean':
      return types.wrap_boolean(text === 'true');
    case 'byte':
      return types.wrap_byte(Number(text));
    case 'short':
      return types.wrap_short(Number(text));
    case 'int':
      return types.wrap_int(Number(text));
    case 'long': {
      const n = BigInt(text);
      if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return types.wrap_long(Number(n));
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(n);
      return types.wrap_long(b);
    }
    case 'float':
      return types.wrap_float(Number(text));
    case 'double':
      return types.wrap_double(Number(text));
    case 'string':
      return types.wrap_string(text);
    case 'char':
      return types.wrap_char(text.codePointAt(0) ?? 0);
    case 'bytes':
      return types.wrap_binary(Buffer.from(text, 'base64'));
  }
}

/** `int:42` (the record's property header value) <-> ['int', '42']. */
export function propertyHeaderText([type, text]: TypedText): string {
  return `${type}:${text}`;
}

export function parsePropertyHeader(value: string): TypedText | undefined {
  const colon = value.indexOf(':');
  const type = value.slice(0, colon) as JmsValueType;
  return colon > 0 && PROPERTY_TYPES.has(type) ? [type, value.slice(colon + 1)] : undefined;
}

/** The shortest decimal text that reads back as the same float32 (what Java's Float.toString aims at). */
export function float32Text(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f) || f === 0) return doubleText(f);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(text)) === f) return text;
  }
  return String(f);
}

/** Shortest round-trip text of a double; -0 keeps its sign. */
export function doubleText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A value of no known AMQP type (an untyped map from a non-JMS peer): the JMS type JavaScript implies. */
function inferred(value: unknown): TypedText | undefined {
  if (typeof value === 'boolean') return ['boolean', String(value)];
  if (typeof value === 'string') return ['string', value];
  if (typeof value === 'bigint') return ['long', value.toString()];
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? ['long', String(value)] : ['double', doubleText(value)];
  if (value instanceof Date) return ['long', String(value.getTime())];
  if (value instanceof Uint8Array) return ['bytes', Buffer.from(value).toString('base64')];
  return undefined;
}

/** rhea reads a long beyond 2^53 as its 8 raw bytes. */
function longText(value: unknown, signed: boolean): string {
  if (value instanceof Uint8Array) {
    const b = Buffer.from(value);
    return (signed ? b.readBigInt64BE(0) : b.readBigUInt64BE(0)).toString();
  }
  return BigInt(value as number).toString();
}

function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export { typeName };
