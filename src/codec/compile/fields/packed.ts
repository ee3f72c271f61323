/**
 * Packed decimal (COMP-3 / PACKED-DECIMAL).
 *
 * Grammar (IBM z/Architecture Principles of Operation, "Decimal-Number Formats"):
 *   field = digitNibble{2n} signNibble        length = floor(digits / 2) + 1 bytes
 *   digitNibble = 0-9; signNibble = C, A, E, F positive; D, B negative (F: unsigned, C: signed +)
 * An even digit count leaves a leading pad nibble (0 when written by COBOL, read as a digit here).
 * Cobrix's COMP-3U extension has no sign nibble at all: ceil(digits / 2) bytes of digits.
 */
import type { PackedDecimalField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import { padDigits } from '../decimal.ts';
import type { ResolvedOptions } from '../options.ts';
import { allBytes, decodeFailure, encodableUnscaled, numberEmitter, type DecodeContext, type LeafCodec } from './leaf.ts';

export function packedCodec(field: PackedDecimalField, options: ResolvedOptions): LeafCodec {
  const size = field.length;
  const path = field.path;
  const noSign = field.unsignedNoNibble === true;
  const capacity = noSign ? size * 2 : size * 2 - 1;
  const emit = numberEmitter(field.scale, capacity, options);
  const small = capacity <= 15;
  const blankIsNull = options.blankNumbers === 'null';
  const space = options.codePage.spaceByte;
  const last = size - 1;

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string | number | null {
    const first = bytes[pos];
    // Signed packed: neither all-0x00 nor all-0x40 is valid, so both are blank. COMP-3U has no sign
    // nibble and 00 00 is its zero, so only spaces are blank there (as 0x40404040 in binary).
    if (blankIsNull && (first === space || (first === 0 && !noSign)) && allBytes(bytes, pos, size, first)) return null;
    let acc = 0;
    let text = '';
    const stop = noSign ? pos + size : pos + last;
    for (let i = pos; i < stop; i++) {
      const b = bytes[i];
      const hi = b >> 4;
      const lo = b & 15;
      if (hi > 9 || lo > 9) throw decodeFailure('BANYAN_ERR_DECODE_PACKED_NIBBLE', path, bytes, pos, size, ctx, `byte ${i - ctx.start}`);
      if (small) acc = acc * 100 + hi * 10 + lo;
      else {
        if (hi !== 0 || text !== '') text += DIGITS[hi];
        if (lo !== 0 || text !== '') text += DIGITS[lo];
      }
    }
    if (noSign) return emit(false, small ? acc : text || '0');
    const b = bytes[pos + last];
    const hi = b >> 4;
    const sign = b & 15;
    if (hi > 9) throw decodeFailure('BANYAN_ERR_DECODE_PACKED_NIBBLE', path, bytes, pos, size, ctx, `byte ${pos + last - ctx.start}`);
    const s = SIGN[sign];
    if (s === 0) throw decodeFailure('BANYAN_ERR_DECODE_PACKED_SIGN', path, bytes, pos, size, ctx, `sign nibble ${sign.toString(16).toUpperCase()}`);
    if (small) return emit(s < 0, acc * 10 + hi);
    if (hi !== 0 || text !== '') text += DIGITS[hi];
    return emit(s < 0, text || '0');
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      if (!blankIsNull) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'null needs blankNumbers "null"');
      out.fill(space, pos, pos + size);
      return;
    }
    const u = encodableUnscaled(value, field.scale, path);
    if (u.negative && (!field.signed || noSign)) throw new EncodeError('BANYAN_ERR_ENCODE_SIGN', path, String(value));
    if (u.digits.length > field.digits && options.onOverflow !== 'truncate') {
      throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${field.digits} digits, got ${String(value)}`);
    }
    // COBOL writes exactly `digits` digits: a pad nibble above them stays 0.
    const digits = padDigits(padDigits(u.digits, field.digits), capacity);
    let k = 0;
    const stop = noSign ? size : last;
    for (let i = 0; i < stop; i++, k += 2) {
      out[pos + i] = ((digits.charCodeAt(k) - 48) << 4) | (digits.charCodeAt(k + 1) - 48);
    }
    if (!noSign) {
      // IBM: C for signed positive, D for negative, F for unsigned.
      const sign = u.negative ? 0x0d : field.signed ? 0x0c : 0x0f;
      out[pos + last] = ((digits.charCodeAt(k) - 48) << 4) | sign;
    } else if (blankIsNull && allBytes(out, pos, size, space)) {
      throw new EncodeError('BANYAN_ERR_ENCODE_BLANK', path, String(value));
    }
  }

  return { size, decode, encode, numeric: true };
}

const DIGITS = '0123456789';
/** Sign nibble -> +1 / -1, 0 when invalid (0-9). */
const SIGN = Int8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 1, -1, 1, 1]);
