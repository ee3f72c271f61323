/**
 * Zoned decimal (USAGE DISPLAY numeric).
 *
 * Grammar (IBM Enterprise COBOL Programming Guide, "Examples: numeric data and internal
 * representation"):
 *   field      = [sepSign] digit* signDigit [sepSign]
 *   digit      = zone F + digit nibble (EBCDIC F0-F9) | 0x30-0x39 (ASCII)
 *   signDigit  = overpunch: zone C/A/E/F positive, D/B negative (EBCDIC C0-C9 = "{ABCDEFGHI",
 *                D0-D9 = "}JKLMNOPQR"); ASCII data carries the same letters, and plain digits or
 *                0x70-0x79 ("p"-"y", Micro Focus) are also read
 *   sepSign    = '+' | '-' (SIGN ... SEPARATE, leading or trailing)
 * The sign is on the last digit (TRAILING, IBM default) or the first (LEADING).
 *
 * Like Cobrix, spaces around the digits are tolerated (a left-justified "  123" or "123  "), and an
 * all-space or all-low-value field is blank (null by default).
 */
import type { ZonedDecimalField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import { padDigits } from '../decimal.ts';
import type { ResolvedOptions } from '../options.ts';
import type { CodePage } from '../types.ts';
import { allBytes, decodeFailure, encodableUnscaled, numberEmitter, type DecodeContext, type LeafCodec } from './leaf.ts';

export interface ZonedTables {
  /** Plain digit value, -1 when the byte is not a digit. */
  readonly plain: Int8Array;
  /** Overpunched digit: d+1 when positive, -(d+1) when negative, 0 when invalid. */
  readonly signed: Int8Array;
  readonly plus: number;
  readonly minus: number;
  readonly space: number;
  /** Canonical bytes: digit d unsigned, positive overpunch, negative overpunch. */
  readonly digit: Uint8Array;
  readonly positive: Uint8Array;
  readonly negative: Uint8Array;
}

export const EBCDIC_ZONED: ZonedTables = buildTables(false);
export const ASCII_ZONED: ZonedTables = buildTables(true);

export function zonedCodec(field: ZonedDecimalField, options: ResolvedOptions, codePage: CodePage): LeafCodec {
  const t = codePage.spaceByte === 0x20 ? ASCII_ZONED : EBCDIC_ZONED;
  const size = field.length;
  const path = field.path;
  const separate = field.signSeparate;
  const leading = field.signPosition === 'leading';
  const overpunch = !separate;
  const emit = numberEmitter(field.scale, size, options);
  const blankIsNull = options.blankNumbers === 'null';
  const small = size <= 15;
  const digitCount = separate ? size - 1 : size;
  const { plain, signed: over, plus, minus, space } = t;

  // Common case first: trailing overpunch (or unsigned), every byte a digit, no spaces.
  const fastPath = overpunch && !leading && small;
  const last = size - 1;

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string | number | null {
    if (fastPath) {
      let acc = 0;
      const end = pos + last;
      let k = pos;
      for (; k < end; k++) {
        const d = plain[bytes[k]];
        if (d < 0) break;
        acc = acc * 10 + d;
      }
      if (k === end) {
        const v = over[bytes[end]];
        if (v > 0) return emit(false, acc * 10 + v - 1);
        if (v < 0) return emit(true, acc * 10 - v - 1);
      }
    }
    return general(bytes, pos, ctx);
  }

  function general(bytes: Uint8Array, pos: number, ctx: DecodeContext): string | number | null {
    let i = pos;
    let j = pos + size;
    while (i < j && bytes[i] === space) i++;
    if (i === j) {
      if (blankIsNull) return null;
      throw decodeFailure('BANYAN_ERR_DECODE_ZONED_DIGIT', path, bytes, pos, size, ctx, 'all spaces');
    }
    if (blankIsNull && bytes[pos] === 0 && allBytes(bytes, pos, size, 0)) return null;
    while (bytes[j - 1] === space) j--;
    let negative = false;
    if (separate) {
      const at = leading ? i++ : --j;
      const s = bytes[at];
      if (s === minus) negative = true;
      else if (s !== plus) throw decodeFailure('BANYAN_ERR_DECODE_ZONED_SIGN', path, bytes, pos, size, ctx, `byte ${at - ctx.start}`);
    }
    let signAt = -1;
    if (overpunch) signAt = leading ? i : j - 1;
    if (i >= j) throw decodeFailure('BANYAN_ERR_DECODE_ZONED_DIGIT', path, bytes, pos, size, ctx, 'no digits');
    let acc = 0;
    let text = '';
    for (let k = i; k < j; k++) {
      const b = bytes[k];
      let d: number;
      if (k === signAt) {
        const v = over[b];
        if (v === 0) throw decodeFailure('BANYAN_ERR_DECODE_ZONED_SIGN', path, bytes, pos, size, ctx, `byte ${k - ctx.start}`);
        if (v < 0) {
          negative = true;
          d = -v - 1;
        } else d = v - 1;
      } else {
        d = plain[b];
        if (d < 0) throw decodeFailure('BANYAN_ERR_DECODE_ZONED_DIGIT', path, bytes, pos, size, ctx, `byte ${k - ctx.start}`);
      }
      if (small) acc = acc * 10 + d;
      else if (d !== 0 || text !== '') text += DIGITS[d];
    }
    return emit(negative, small ? acc : text || '0');
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      if (!blankIsNull) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'null needs blankNumbers "null"');
      out.fill(space, pos, pos + size);
      return;
    }
    const u = encodableUnscaled(value, field.scale, path);
    if (u.negative && !field.signed && !separate) throw new EncodeError('BANYAN_ERR_ENCODE_SIGN', path, String(value));
    let digits = u.digits;
    if (digits.length > digitCount) {
      if (options.onOverflow !== 'truncate') throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${digitCount} digits, got ${String(value)}`);
    }
    digits = padDigits(digits, digitCount);
    let p = pos;
    if (separate && leading) out[p++] = u.negative ? minus : plus;
    for (let k = 0; k < digitCount; k++) out[p + k] = t.digit[digits.charCodeAt(k) - 48];
    if (overpunch && (field.signed || u.negative)) {
      const at = leading ? p : p + digitCount - 1;
      const d = digits.charCodeAt(leading ? 0 : digitCount - 1) - 48;
      out[at] = u.negative ? t.negative[d] : t.positive[d];
    }
    if (separate && !leading) out[p + digitCount] = u.negative ? minus : plus;
  }

  return { size, decode, encode, numeric: true };
}

const DIGITS = '0123456789';

function buildTables(ascii: boolean): ZonedTables {
  const plain = new Int8Array(256).fill(-1);
  const signed = new Int8Array(256);
  const digit = new Uint8Array(10);
  const positive = new Uint8Array(10);
  const negative = new Uint8Array(10);
  for (let d = 0; d < 10; d++) {
    if (ascii) {
      plain[0x30 + d] = d;
      signed[0x30 + d] = d + 1;
      digit[d] = 0x30 + d;
      // Positive overpunch: '{' for 0, 'A'-'I' for 1-9; negative: '}' for 0, 'J'-'R' for 1-9.
      positive[d] = d === 0 ? 0x7b : 0x40 + d;
      negative[d] = d === 0 ? 0x7d : 0x49 + d;
      signed[positive[d]] = d + 1;
      signed[negative[d]] = -(d + 1);
      signed[0x70 + d] = -(d + 1); // Micro Focus / GnuCOBOL negative zone 7
    } else {
      plain[0xf0 + d] = d;
      digit[d] = 0xf0 + d;
      positive[d] = 0xc0 + d;
      negative[d] = 0xd0 + d;
      // IBM: zones C, A, E, F are positive, D and B negative.
      for (const zone of [0xc0, 0xa0, 0xe0, 0xf0]) signed[zone + d] = d + 1;
      for (const zone of [0xd0, 0xb0]) signed[zone + d] = -(d + 1);
    }
  }
  return {
    plain,
    signed,
    plus: ascii ? 0x2b : 0x4e,
    minus: ascii ? 0x2d : 0x60,
    space: ascii ? 0x20 : 0x40,
    digit,
    positive,
    negative,
  };
}
