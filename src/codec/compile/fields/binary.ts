/**
 * Binary integers (COMP, COMP-4, BINARY, COMP-5).
 *
 * Grammar: a two's complement (signed PICTURE) or unsigned integer of `bytes` bytes, big-endian on
 * z/OS, little-endian for non-mainframe dialects (Cobrix COMP-9). IBM sizes: 1-4 digits 2 bytes,
 * 5-9 digits 4 bytes, 10-18 digits 8 bytes; Cobrix also gives 16 bytes to 19-38 digits.
 *
 * Range (IBM Enterprise COBOL, TRUNC option): COMP/COMP-4/BINARY hold the PICTURE's digits
 * (TRUNC(STD)) on write; COMP-5 holds the full binary range. On read every value the bytes hold is
 * accepted (a TRUNC(BIN) program may have written beyond the PICTURE).
 */
import type { BinaryField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import type { ResolvedOptions } from '../options.ts';
import { allBytes, decodeFailure, encodableUnscaled, numberEmitter, type DecodeContext, type LeafCodec } from './leaf.ts';

export function binaryCodec(field: BinaryField, options: ResolvedOptions): LeafCodec {
  // The layout's length is authoritative for the bytes the field occupies (it may be 16, see above).
  const size = field.length;
  const path = field.path;
  const signed = field.signed;
  const little = (options.binaryEndianness ?? field.endianness) === 'little';
  const blankIsNull = options.blankNumbers === 'null';
  const space = options.codePage.spaceByte;
  // Largest magnitude the bytes can hold, in decimal digits (2 bytes: 65535 -> 5).
  const rangeDigits = Math.ceil((size * 8 - (signed ? 1 : 0)) * Math.log10(2));
  const emitDigits = field.native ? rangeDigits : size <= 4 ? rangeDigits : Math.min(rangeDigits, field.digits);
  const emit = numberEmitter(field.scale, emitDigits, options);
  const exactNumber = emitDigits <= 15 && (field.scale === 0 ? options.integers === 'number' : options.decimals === 'number');
  const read = reader(size, signed, little);
  const write = writer(size, little);
  const bits = BigInt(size * 8);
  const maxUnsigned = (1n << bits) - 1n;
  const minSigned = -(1n << (bits - 1n));
  const maxSigned = (1n << (bits - 1n)) - 1n;
  const picLimit = 10n ** BigInt(field.digits);
  const picLimitNumber = 10 ** field.digits;
  const minNumber = signed ? -(2 ** (size * 8 - 1)) : 0;
  const maxNumber = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  const writeNumber = numberWriter(size, little);

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string | number | null {
    // 0x40404040 is the classic "spaces in a COMP field" (Cobrix issue #495): null, not 1077952576.
    if (blankIsNull && size > 1 && bytes[pos] === space && allBytes(bytes, pos, size, space)) return null;
    const v = read(bytes, pos);
    if (typeof v === 'number') return emit(v < 0, v < 0 ? -v : v);
    if (exactNumber) throw decodeFailure('BANYAN_ERR_DECODE_BINARY_RANGE', path, bytes, pos, size, ctx, `value ${v}`);
    return emit(v < 0n, (v < 0n ? -v : v).toString());
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      if (!blankIsNull || size === 1) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'null needs blankNumbers "null"');
      out.fill(space, pos, pos + size);
      return;
    }
    const u = encodableUnscaled(value, field.scale, path);
    if (u.negative && !signed) throw new EncodeError('BANYAN_ERR_ENCODE_SIGN', path, String(value));
    if (u.digits.length <= 15 && size <= 8) {
      // Safe-integer path (no BigInt): 15 digits always fit 8 bytes; smaller sizes are checked.
      let n = u.negative ? -Number(u.digits) : Number(u.digits);
      if (!field.native && (n >= picLimitNumber || n <= -picLimitNumber)) {
        if (options.onOverflow !== 'truncate') throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${field.digits} digits, got ${String(value)}`);
        n %= picLimitNumber;
      }
      if (size < 8 && (signed ? n < minNumber || n > maxNumber : n > maxNumber)) {
        throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${size}-byte ${signed ? 'signed' : 'unsigned'} binary, got ${String(value)}`);
      }
      writeNumber(n, out, pos);
      if (blankIsNull && size > 1 && allBytes(out, pos, size, space)) throw new EncodeError('BANYAN_ERR_ENCODE_BLANK', path, String(value));
      return;
    }
    let v = BigInt(u.digits);
    if (u.negative) v = -v;
    if (!field.native && (v >= picLimit || v <= -picLimit)) {
      if (options.onOverflow !== 'truncate') throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${field.digits} digits, got ${String(value)}`);
      v %= picLimit; // COBOL MOVE keeps the low-order digits
    }
    if (signed ? v < minSigned || v > maxSigned : v > maxUnsigned) {
      throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${size}-byte ${signed ? 'signed' : 'unsigned'} binary, got ${String(value)}`);
    }
    write(v, out, pos);
    if (blankIsNull && size > 1 && allBytes(out, pos, size, space)) {
      throw new EncodeError('BANYAN_ERR_ENCODE_BLANK', path, String(value));
    }
  }

  return { size, decode, encode, numeric: true };
}

type Reader = (bytes: Uint8Array, pos: number) => number | bigint;

function reader(size: number, signed: boolean, little: boolean): Reader {
  if (!little) {
    if (size === 1) return signed ? (b, p) => (b[p] << 24) >> 24 : (b, p) => b[p];
    if (size === 2) return signed ? (b, p) => ((b[p] << 24) >> 16) | b[p + 1] : (b, p) => (b[p] << 8) | b[p + 1];
    if (size === 4) {
      return signed
        ? (b, p) => (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]
        : (b, p) => ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    }
    if (size === 8) {
      return (b, p) => {
        const hi = signed ? (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3] : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        const lo = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
        return combine(hi, lo);
      };
    }
  } else {
    if (size === 1) return signed ? (b, p) => (b[p] << 24) >> 24 : (b, p) => b[p];
    if (size === 2) return signed ? (b, p) => ((b[p + 1] << 24) >> 16) | b[p] : (b, p) => (b[p + 1] << 8) | b[p];
    if (size === 4) {
      return signed
        ? (b, p) => (b[p + 3] << 24) | (b[p + 2] << 16) | (b[p + 1] << 8) | b[p]
        : (b, p) => ((b[p + 3] << 24) | (b[p + 2] << 16) | (b[p + 1] << 8) | b[p]) >>> 0;
    }
    if (size === 8) {
      return (b, p) => {
        const hi = signed ? (b[p + 7] << 24) | (b[p + 6] << 16) | (b[p + 5] << 8) | b[p + 4] : ((b[p + 7] << 24) | (b[p + 6] << 16) | (b[p + 5] << 8) | b[p + 4]) >>> 0;
        const lo = ((b[p + 3] << 24) | (b[p + 2] << 16) | (b[p + 1] << 8) | b[p]) >>> 0;
        return combine(hi, lo);
      };
    }
  }
  // Any other size (Cobrix gives 16 bytes to 19-38 digits): BigInt, most significant byte first.
  const bits = size * 8;
  return (b, p) => {
    let v = 0n;
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(b[little ? p + size - 1 - i : p + i]);
    return normalize(signed ? BigInt.asIntN(bits, v) : v);
  };
}

/** hi * 2^32 + lo, as a number when exact, else a bigint. */
function combine(hi: number, lo: number): number | bigint {
  if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

function normalize(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Two's complement of a safe integer into 1-8 bytes. */
function numberWriter(size: number, little: boolean): (n: number, out: Uint8Array, pos: number) => void {
  return (n, out, pos) => {
    let lo: number;
    let hi = 0;
    if (size === 8) {
      hi = Math.floor(n / 4294967296);
      lo = n - hi * 4294967296;
    } else lo = n < 0 ? n + 2 ** (size * 8) : n;
    for (let i = 0; i < size; i++) {
      // i counts from the least significant byte.
      const byte = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
      out[little ? pos + i : pos + size - 1 - i] = byte;
    }
  };
}

type Writer = (v: bigint, out: Uint8Array, pos: number) => void;

function writer(size: number, little: boolean): Writer {
  return (v, out, pos) => {
    let x = BigInt.asUintN(size * 8, v);
    if (size <= 4) {
      let n = Number(x);
      for (let i = size - 1; i >= 0; i--) {
        out[little ? pos + size - 1 - i : pos + i] = n & 0xff;
        n = Math.floor(n / 256);
      }
      return;
    }
    for (let i = size - 1; i >= 0; i--) {
      out[little ? pos + size - 1 - i : pos + i] = Number(x & 0xffn);
      x >>= 8n;
    }
  };
}
