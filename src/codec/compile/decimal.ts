/**
 * Exact decimal helpers. A COBOL number is an unscaled integer and a scale (value = unscaled x
 * 10^-scale, see layout.ts); nothing here goes through binary floating point except the final
 * `Number(...)` when a mapping explicitly asks for JS numbers.
 *
 * Decoded decimal strings keep the field's scale: PIC S9(3)V99 holding -1230 -> "-12.30", which is
 * how Spark's DecimalType (and so Cobrix's expected output) prints them. P scaling: PIC 9(3)PPP
 * holding 123 -> "123000"; PIC PPP999 holding 123 -> "0.000123".
 */

/** How a numeric field's decoded value is represented. */
export type NumberOutput = 'number' | 'string';

/**
 * Formats an unscaled magnitude. `abs` is a safe integer or a string of digits without leading
 * zeros ("0" for zero). Zero never gets a minus sign.
 */
export function formatDecimal(negative: boolean, abs: number | string, scale: number): string {
  if (typeof abs === 'number' && scale > 0 && scale <= 15) {
    if (abs === 0) return ZERO[scale];
    // Safe integers: integer part and remainder exactly, the fraction's digits from a table.
    const p = POW10[scale];
    let ip = Math.floor(abs / p);
    let r = abs - ip * p;
    if (r < 0) {
      ip--;
      r += p;
    } else if (r >= p) {
      ip++;
      r -= p;
    }
    const frac = scale <= 3 ? FRACTIONS[scale][r] : `.${String(r + p).slice(1)}`;
    return negative ? `-${ip}${frac}` : `${ip}${frac}`;
  }
  let digits = typeof abs === 'number' ? String(abs) : abs;
  if (digits === '0') negative = false;
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const cut = digits.length - scale;
    digits = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  } else if (scale < 0 && digits !== '0') {
    digits += '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
const ZERO: readonly string[] = Array.from({ length: 16 }, (_, i) => (i === 0 ? '0' : `0.${'0'.repeat(i)}`));
/** FRACTIONS[scale][r] = "." + r zero-padded to scale digits, for scales 1-3. */
const FRACTIONS: ReadonlyArray<readonly string[]> = [
  [],
  ...[1, 2, 3].map((scale) => Array.from({ length: 10 ** scale }, (_, r) => `.${String(r).padStart(scale, '0')}`)),
];

/** An exact number to encode: sign and unscaled magnitude digits (no leading zeros, "0" for zero). */
export interface UnscaledValue {
  readonly negative: boolean;
  readonly digits: string;
}

export type UnscaledResult = UnscaledValue | 'type' | 'scale';

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;

/**
 * Converts a value given to the encoder (number, bigint or decimal string) to the field's unscaled
 * integer. Returns 'type' for a value that is not a number and 'scale' when it has more decimal
 * places than the field (never rounds: rounding is a business decision).
 */
export function toUnscaled(value: unknown, scale: number): UnscaledResult {
  if (typeof value === 'number' && Number.isSafeInteger(value) && scale >= 0) {
    const abs = value < 0 ? -value : value;
    const digits = abs === 0 ? '0' : scale === 0 ? String(abs) : String(abs) + '0'.repeat(scale);
    return { negative: value < 0, digits };
  }
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'type';
    text = numberToPlain(value);
  } else if (typeof value === 'string') text = value;
  else return 'type';
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return 'type';
  const negative = m[1] === '-';
  let intPart = m[2];
  let fracPart = m[3] ?? '';
  if (scale >= 0) {
    if (fracPart.length > scale) {
      if (!/^0*$/.test(fracPart.slice(scale))) return 'scale';
      fracPart = fracPart.slice(0, scale);
    }
    intPart += fracPart.padEnd(scale, '0');
  } else {
    // P positions to the left of the point: the low -scale integer digits must be zero.
    if (!/^0*$/.test(fracPart)) return 'scale';
    const drop = -scale;
    const padded = intPart.padStart(drop, '0');
    if (!/^0*$/.test(padded.slice(padded.length - drop))) return 'scale';
    intPart = padded.slice(0, padded.length - drop);
  }
  const digits = intPart.replace(/^0+/, '') || '0';
  return { negative: negative && digits !== '0', digits };
}

/** A JS number as plain decimal text (no exponent), exact for the double's shortest repr. */
function numberToPlain(value: number): string {
  const s = String(value);
  if (!/e/i.test(s)) return s;
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const sign = m[1];
  const mantissa = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  const pointAt = 1 + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${mantissa}`;
  if (pointAt >= mantissa.length) return sign + mantissa + '0'.repeat(pointAt - mantissa.length);
  return `${sign}${mantissa.slice(0, pointAt)}.${mantissa.slice(pointAt)}`;
}

/** Digits of a magnitude, right-aligned and zero-padded to `width` (caller checked it fits). */
export function padDigits(digits: string, width: number): string {
  return digits.length >= width ? digits.slice(digits.length - width) : '0'.repeat(width - digits.length) + digits;
}

/** The largest number of digits whose every value is an exact JS number (2^53 > 9 007 199 254 740 991). */
export const SAFE_DIGITS = 15;
