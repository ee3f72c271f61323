/**
 * Numeric-edited DISPLAY items (IBM Enterprise COBOL Language Reference, "Numeric-edited items"):
 *   9 digit | Z * zero suppression | + - $ fixed or floating insertion | CR DB trailing sign |
 *   B 0 / simple insertion | , . punctuation (swapped by DECIMAL-POINT IS COMMA) | V implied point
 * and Cobrix's explicit-decimal pictures such as `S9(3).99` (sign overpunched on the last digit).
 *
 * Decoding is deliberately tolerant, like Cobrix: the editing symbols are dropped, the digits and
 * the decimal point are kept wherever they sit ("789.09     " in a 9(8).9(2) field is 789.09), a
 * '-', CR or DB anywhere makes the value negative. Encoding renders the picture exactly.
 */
import type { NumericEditedField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import { padDigits } from '../decimal.ts';
import type { ResolvedOptions } from '../options.ts';
import type { CodePage } from '../types.ts';
import { decodeFailure, encodableUnscaled, numberEmitter, type DecodeContext, type LeafCodec } from './leaf.ts';
import { ASCII_ZONED, EBCDIC_ZONED } from './zoned.ts';

type TokenKind = 'digit' | 'zero-suppress' | 'star' | 'float-head' | 'float-digit' | 'point' | 'comma' | 'insert' | 'plus' | 'minus' | 'currency' | 'cr' | 'db';

interface Token {
  readonly kind: TokenKind;
  /** The literal character for insert tokens (B is a space). */
  readonly char: string;
  /** True for tokens left of the decimal point (or of V). */
  readonly integerPart: boolean;
}

export function editedCodec(field: NumericEditedField, options: ResolvedOptions, codePage: CodePage): LeafCodec {
  const size = field.length;
  const path = field.path;
  const pic = parsePicture(field.picture, field.decimalPointIsComma);
  const pointChar = field.decimalPointIsComma ? ',' : '.';
  const emit = numberEmitter(field.scale, Math.max(field.digits, 1), options);
  const blankIsNull = options.blankNumbers === 'null';
  const zoned = codePage.spaceByte === 0x20 ? ASCII_ZONED : EBCDIC_ZONED;
  const byteToChar = codePage.byteToChar;
  const space = codePage.spaceByte;
  // A picture without any '9' prints zero as spaces, so spaces read back as zero.
  const blankIsZero = field.blankWhenZero === true || !pic.tokens.some((t) => t.kind === 'digit');
  const scale = Math.max(field.scale, 0);

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string | number | null {
    let first = pos;
    let last = pos + size - 1;
    while (first <= last && bytes[first] === space) first++;
    if (first > last) {
      if (blankIsZero) return emit(false, 0);
      if (blankIsNull) return null;
      throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, 'all spaces');
    }
    while (bytes[last] === space) last--;
    let negative = false;
    let intDigits = '';
    let fracDigits = '';
    let seenPoint = false;
    for (let i = first; i <= last; i++) {
      const b = bytes[i];
      let c = byteToChar[b];
      if (pic.overpunch && i === last) {
        const v = zoned.signed[b];
        if (v === 0) throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, `sign byte ${i - ctx.start}`);
        if (v < 0) negative = true;
        c = String.fromCharCode(48 + Math.abs(v) - 1);
      }
      if (c >= '0' && c <= '9' && c.length === 1) {
        if (seenPoint) fracDigits += c;
        else intDigits += c;
        continue;
      }
      if (c === pointChar && pic.hasPoint) {
        if (seenPoint) throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, 'two decimal points');
        seenPoint = true;
        continue;
      }
      if (c === '-') negative = true;
      else if ((c === 'C' || c === 'D') && i < last) {
        const n = byteToChar[bytes[i + 1]];
        if ((c === 'C' && n === 'R') || (c === 'D' && n === 'B')) {
          negative = true;
          i++;
          continue;
        }
        throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, `unexpected ${JSON.stringify(c)}`);
      } else if (!IGNORED.has(c)) {
        throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, `unexpected ${JSON.stringify(c)}`);
      }
    }
    let unscaled: string;
    if (seenPoint || pic.hasPoint) {
      if (fracDigits.length > scale) {
        if (!/^0*$/.test(fracDigits.slice(scale))) throw decodeFailure('BANYAN_ERR_DECODE_EDITED', path, bytes, pos, size, ctx, `more than ${scale} decimal places`);
        fracDigits = fracDigits.slice(0, scale);
      }
      unscaled = intDigits + fracDigits.padEnd(scale, '0');
    } else unscaled = intDigits + fracDigits; // implied point (V): the digits are the unscaled value
    const trimmed = unscaled.replace(/^0+/, '') || '0';
    return emit(negative, trimmed.length <= 15 ? Number(trimmed) : trimmed);
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      if (!blankIsNull && !blankIsZero) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, 'null needs blankNumbers "null"');
      out.fill(space, pos, pos + size);
      return;
    }
    const u = encodableUnscaled(value, field.scale, path);
    if (u.negative && !pic.signed) throw new EncodeError('BANYAN_ERR_ENCODE_SIGN', path, String(value));
    const positions = pic.intPositions + pic.fracPositions;
    if (u.digits.length > positions && options.onOverflow !== 'truncate') {
      throw new EncodeError('BANYAN_ERR_ENCODE_OVERFLOW', path, `${positions} digits, got ${String(value)}`);
    }
    if (u.digits === '0' && blankIsZero) {
      out.fill(space, pos, pos + size);
      return;
    }
    const text = render(pic, padDigits(u.digits, positions), u.negative, pointChar);
    try {
      codePage.encode(text, out, pos, size);
    } catch (err) {
      throw new EncodeError('BANYAN_ERR_ENCODE_TEXT', path, err instanceof Error ? err.message : String(err), err);
    }
    if (pic.overpunch) {
      const last = pos + size - 1;
      const d = text.charCodeAt(text.length - 1) - 48;
      out[last] = u.negative ? zoned.negative[d] : zoned.positive[d];
    }
  }

  return { size, decode, encode, numeric: true };
}

/** Characters the decoder skips: fill, currency, signs, grouping separators, simple insertion. */
const IGNORED = new Set([' ', '*', '$', '+', ',', '.', '/', 'B']);

interface Picture {
  readonly tokens: readonly Token[];
  readonly intPositions: number;
  readonly fracPositions: number;
  readonly hasPoint: boolean;
  readonly signed: boolean;
  readonly overpunch: boolean;
}

export function parsePicture(picture: string, decimalPointIsComma: boolean): Picture {
  const expanded = picture.toUpperCase().replace(/(.)\((\d+)\)/g, (_, c: string, n: string) => c.repeat(Number(n)));
  const pointChar = decimalPointIsComma ? ',' : '.';
  const overpunch = expanded.startsWith('S');
  const body = expanded.replace(/[SP]/g, '');
  const counts = new Map<string, number>();
  for (const c of body.replace(/CR|DB/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
  const floating = ['+', '-', '$'].find((c) => (counts.get(c) ?? 0) >= 2);
  const tokens: Token[] = [];
  let integerPart = true;
  let floatSeen = false;
  let signed = overpunch;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    const two = body.slice(i, i + 2);
    if (two === 'CR' || two === 'DB') {
      tokens.push({ kind: two === 'CR' ? 'cr' : 'db', char: two[0], integerPart: false }, { kind: two === 'CR' ? 'cr' : 'db', char: two[1], integerPart: false });
      signed = true;
      i++;
      continue;
    }
    if (c === 'V') {
      integerPart = false;
      continue;
    }
    if (c === floating) {
      tokens.push({ kind: floatSeen ? 'float-digit' : 'float-head', char: c, integerPart });
      floatSeen = true;
      if (c !== '$') signed = true;
      continue;
    }
    let kind: TokenKind;
    switch (c) {
      case '9':
        kind = 'digit';
        break;
      case 'Z':
        kind = 'zero-suppress';
        break;
      case '*':
        kind = 'star';
        break;
      case '+':
        kind = 'plus';
        signed = true;
        break;
      case '-':
        kind = 'minus';
        signed = true;
        break;
      case '$':
        kind = 'currency';
        break;
      case 'B':
      case '0':
      case '/':
        kind = 'insert';
        break;
      default:
        if (c === pointChar) {
          kind = 'point';
          tokens.push({ kind, char: c, integerPart: false });
          integerPart = false;
          continue;
        }
        kind = c === ',' || c === '.' ? 'comma' : 'insert';
    }
    tokens.push({ kind, char: c === 'B' ? ' ' : c, integerPart });
  }
  const isDigit = (t: Token) => t.kind === 'digit' || t.kind === 'zero-suppress' || t.kind === 'star' || t.kind === 'float-digit';
  return {
    tokens,
    intPositions: tokens.filter((t) => isDigit(t) && t.integerPart).length,
    fracPositions: tokens.filter((t) => isDigit(t) && !t.integerPart).length,
    hasPoint: tokens.some((t) => t.kind === 'point'),
    signed,
    overpunch,
  };
}

/** Renders `digits` (exactly intPositions + fracPositions of them) through the picture. */
function render(pic: Picture, digits: string, negative: boolean, pointChar: string): string {
  const out: string[] = [];
  let k = 0;
  let significant = false;
  const star = pic.tokens.some((t) => t.kind === 'star');
  const fill = star ? '*' : ' ';
  let floatHead = -1;
  let floatChar = '';
  for (const t of pic.tokens) {
    switch (t.kind) {
      case 'digit':
        significant = true;
        out.push(digits[k++]);
        break;
      case 'zero-suppress':
      case 'star':
      case 'float-digit': {
        const d = digits[k++];
        if (!significant && t.integerPart && d === '0') out.push(t.kind === 'star' ? '*' : ' ');
        else {
          significant = true;
          out.push(d);
        }
        break;
      }
      case 'float-head':
        floatHead = out.length;
        floatChar = t.char;
        out.push(' ');
        break;
      case 'point':
        significant = true;
        out.push(pointChar);
        break;
      case 'comma':
      case 'insert':
        out.push(!significant && t.integerPart ? fill : t.char);
        break;
      case 'plus':
        out.push(negative ? '-' : '+');
        break;
      case 'minus':
        out.push(negative ? '-' : ' ');
        break;
      case 'currency':
        out.push('$');
        break;
      case 'cr':
      case 'db':
        out.push(negative ? t.char : ' ');
        break;
    }
  }
  if (floatHead >= 0) {
    // The floating symbol sits just left of the first printed digit (or point) of the float zone.
    let at = floatHead;
    for (let i = floatHead + 1; i < out.length; i++) {
      if (out[i] === ' ') at = i;
      else break;
    }
    out[at] = floatChar === '$' ? '$' : floatChar === '+' ? (negative ? '-' : '+') : negative ? '-' : ' ';
  }
  return out.join('');
}
