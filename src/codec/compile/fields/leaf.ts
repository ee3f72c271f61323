/**
 * The contract every elementary field codec implements, plus the shared decode context and the
 * helpers that turn a broken rule into a DecodeError pointing at the bytes.
 */
import { decodeError, EncodeError, type DecodeError, type DecodeRule, toHex } from '../../errors.ts';
import { formatDecimal, SAFE_DIGITS, toUnscaled, type UnscaledValue } from '../decimal.ts';
import type { ResolvedOptions } from '../options.ts';
import type { DecodedValue } from '../types.ts';

/** Per-record decode state, reused across records of one codec (no allocation per record). */
export interface DecodeContext {
  start: number;
  end: number;
  recordNumber: number;
  /** Field errors collected under onError 'null'. */
  errors: DecodeError[];
  /** Values of OCCURS DEPENDING ON counters and REDEFINES selectors, by slot number. */
  slots: Array<DecodedValue | undefined>;
  /** Byte shift of fields after variable tables (variableSizeOccurs). */
  size: number;
}

export interface LeafCodec {
  /** Bytes of the field. */
  readonly size: number;
  /** Decodes bytes[pos, pos + size); `pos` is absolute in `bytes`. Throws DecodeError. */
  decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): DecodedValue;
  /** Writes `value` at out[pos, pos + size). Throws EncodeError. null -> the blank form. */
  encode(value: unknown, out: Uint8Array, pos: number): void;
  /** True for numeric fields (their blank form is what null encodes to). */
  readonly numeric: boolean;
}

export interface LeafInfo {
  readonly path: string;
}

export function decodeFailure(
  code: DecodeRule,
  path: string,
  bytes: Uint8Array,
  pos: number,
  size: number,
  ctx: DecodeContext,
  extra?: string,
): DecodeError {
  return decodeError(code, { recordNumber: ctx.recordNumber, fieldPath: path, byteOffset: pos - ctx.start, hex: toHex(bytes, pos, pos + size) }, extra);
}

/** Turns a sign and unscaled magnitude into the field's output value, chosen once at compile time. */
export type NumberEmitter = (negative: boolean, abs: number | string) => string | number;

/**
 * `maxDigits` is the most digits the field's bytes can produce; a JS number is returned only when
 * every such value is exact.
 */
export function numberEmitter(scale: number, maxDigits: number, options: ResolvedOptions): NumberEmitter {
  const safe = maxDigits <= SAFE_DIGITS;
  if (scale === 0 && options.integers === 'number' && safe) {
    return (negative, abs) => {
      const n = typeof abs === 'number' ? abs : Number(abs);
      return negative && n !== 0 ? -n : n;
    };
  }
  if (scale > 0 && scale <= 22 && options.decimals === 'number' && safe) {
    // IEEE division is correctly rounded, so abs / 10^scale is the double nearest the exact decimal.
    const divisor = 10 ** scale;
    return (negative, abs) => {
      const n = (typeof abs === 'number' ? abs : Number(abs)) / divisor;
      return negative && n !== 0 ? -n : n;
    };
  }
  if (scale < 0 && options.decimals === 'number' && maxDigits - scale <= SAFE_DIGITS) {
    const factor = 10 ** -scale;
    return (negative, abs) => {
      const n = (typeof abs === 'number' ? abs : Number(abs)) * factor;
      return negative && n !== 0 ? -n : n;
    };
  }
  return (negative, abs) => formatDecimal(negative, abs, scale);
}

/** True when every byte of bytes[pos, pos+size) equals `b`. */
export function allBytes(bytes: Uint8Array, pos: number, size: number, b: number): boolean {
  for (let i = pos, e = pos + size; i < e; i++) if (bytes[i] !== b) return false;
  return true;
}

/**
 * A value given to a numeric encoder as the field's unscaled integer, or the EncodeError every
 * numeric field raises for it: not a number (TYPE) or more decimal places than the field (SCALE).
 */
export function encodableUnscaled(value: unknown, scale: number, path: string): UnscaledValue {
  const u = toUnscaled(value, scale);
  if (u === 'type') throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, `got ${describeValue(value)}`);
  if (u === 'scale') throw new EncodeError('BANYAN_ERR_ENCODE_SCALE', path, `scale ${scale}, got ${String(value)}`);
  return u;
}

/** A string is quoted (the bad text is what the user needs to see), anything else named by its type. */
function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
