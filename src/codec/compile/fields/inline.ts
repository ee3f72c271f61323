/**
 * Inline fast paths: source text that decodes the common case of a field (valid bytes, not blank)
 * directly inside the generated group decoder (codegen.ts), at a constant offset, with the field's
 * tables and decisions as constants. Anything else (a blank field, a bad nibble, a non-digit, a sign
 * to check, a short record) calls the field's own decoder, which applies every rule and the error
 * policy, so the inline code never decides an error or a null and gives the same value as that
 * decoder for every byte string it accepts.
 *
 * Why: one closure per field shares one optimized function per field type, so every per-field
 * constant (size, tables, emitter) is a context load and the emitter call is polymorphic; profiling
 * the 16 KB OCCURS record put a third of decode time in those calls. Generated code lets V8 compile
 * each field's path with its own constants and no calls.
 */
import type { ElementaryField } from '../../layout.ts';
import { formatDecimal, SAFE_DIGITS } from '../decimal.ts';
import type { ResolvedOptions } from '../options.ts';
import type { CodePage } from '../types.ts';
import { ASCII_ZONED, EBCDIC_ZONED } from './zoned.ts';
import { textTables } from './text.ts';

/** Registers a constant for the generated code and returns the name it is bound to. */
export type ConstRef = (value: unknown) => string;

export interface InlineLeaf {
  /**
   * Statements that assign the field's value to `out` (a declared local), reading the field at the
   * absolute position `at` (an expression), and evaluating `fallback` (an expression calling the
   * field's decoder at the same position) for any case they do not handle. `id` makes locals unique.
   */
  code(out: string, at: string, fallback: string, ref: ConstRef, id: string): string;
}

/** The inline fast path of a field, or undefined when the field has none (it is then called). */
export function inlineLeaf(field: ElementaryField, options: ResolvedOptions, codePage: CodePage): InlineLeaf | undefined {
  switch (field.kind) {
    case 'alphanumeric':
    case 'alphanumeric-edited':
      return inlineText(field.length, codePage, options);
    case 'zoned': {
      if (field.signSeparate || field.signPosition === 'leading' || field.length > 15) return undefined;
      return inlineZoned(field.length, field.scale, codePage, options);
    }
    case 'packed': {
      const noSign = field.unsignedNoNibble === true;
      const capacity = noSign ? field.length * 2 : field.length * 2 - 1;
      if (capacity > 15) return undefined;
      return inlinePacked(field.length, field.scale, noSign, capacity, options);
    }
    case 'binary': {
      const size = field.length;
      if (size !== 2 && size !== 4) return undefined;
      const signed = field.signed;
      const little = (options.binaryEndianness ?? field.endianness) === 'little';
      const rangeDigits = Math.ceil((size * 8 - (signed ? 1 : 0)) * Math.log10(2));
      return inlineBinary(size, signed, little, field.scale, rangeDigits, options);
    }
    default:
      return undefined;
  }
}

/**
 * How a numeric field's value is emitted (numberEmitter in leaf.ts decides the same): a JS number
 * (integer, divided for V, multiplied for P), the decimal text built from the field's digits
 * (decimalText, when the caller has them), or formatDecimal.
 */
type NumericForm = 'integer' | 'divided' | 'multiplied' | 'digit-text' | 'formatted';

function numericForm(scale: number, maxDigits: number, options: ResolvedOptions, hasDigits: boolean): NumericForm {
  const safe = maxDigits <= SAFE_DIGITS;
  if (scale === 0 && options.integers === 'number' && safe) return 'integer';
  if (scale > 0 && scale <= 22 && options.decimals === 'number' && safe) return 'divided';
  if (scale < 0 && options.decimals === 'number' && maxDigits - scale <= SAFE_DIGITS) return 'multiplied';
  if (hasDigits && scale > 0 && scale < maxDigits) return 'digit-text';
  return 'formatted';
}

/**
 * Source of the value numberEmitter (leaf.ts) gives for sign `neg` and magnitude `abs` (a number).
 * `digits`, when given, makes the decimal string from the field's digits (see decimalText) instead
 * of formatDecimal: same text, without a number-to-string conversion. `signed`, when given, is the
 * value already carrying its sign (a binary read, never -0), used as is by the number forms.
 */
function emitCode(
  neg: string,
  abs: string,
  scale: number,
  maxDigits: number,
  options: ResolvedOptions,
  ref: ConstRef,
  digits?: (neg: string) => string,
  // `0 - x` rather than `-x`: zero stays +0, as numberEmitter's `negative && n !== 0 ? -n : n`.
  signed = `(${neg} ? 0 - ${abs} : ${abs})`,
): string {
  // Scaling after the sign gives the same numbers: IEEE division and multiplication are sign-symmetric.
  switch (numericForm(scale, maxDigits, options, digits !== undefined)) {
    case 'integer':
      return signed;
    case 'divided':
      return `${signed} / ${10 ** scale}`;
    case 'multiplied':
      return `${signed} * ${10 ** -scale}`;
    case 'digit-text':
      // formatDecimal gives no sign to zero.
      return digits!(`${neg} && ${abs} !== 0`);
    case 'formatted':
      return `${ref(formatDecimal)}(${neg}, ${abs}, ${scale})`;
  }
}

/**
 * A function (b, at, neg, last) giving the decimal text of a `count`-digit field with `scale`
 * fraction digits, as formatDecimal writes it ("-12.30": integer digits without leading zeros, at
 * least one, then all the fraction digits), in one String.fromCharCode call with the digits read
 * from the record: `digit(k)` is the source of digit k (0 = most significant) for k < count - 1,
 * `last` the value of the last digit (it shares its byte with the sign). The caller passes neg
 * false for zero. Cached per shape: fields of one picture share the function.
 */
function decimalText(key: string, count: number, scale: number, digit: (k: number) => string): (b: Uint8Array, at: number, neg: boolean, last: number) => string {
  let fn = decimalTexts.get(key);
  if (fn) return fn;
  const d = (k: number) => (k === count - 1 ? '48 + last' : `48 + ${digit(k)}`);
  const intDigits = count - scale;
  const lines: string[] = [];
  const text = (from: number, sign: boolean) => {
    const args: string[] = sign ? ['45'] : [];
    for (let k = from; k < intDigits; k++) args.push(d(k));
    args.push('46');
    for (let k = intDigits; k < count; k++) args.push(d(k));
    return `String.fromCharCode(${args.join(', ')})`;
  };
  for (let k = 0; k < intDigits; k++) {
    const cond = k < intDigits - 1 ? `if (${digit(k)} !== 0) ` : '';
    lines.push(`${cond}return neg ? ${text(k, true)} : ${text(k, false)};`);
  }
  // eslint-disable-next-line no-new-func -- fixed-arity call per leading-zero count, see above
  fn = new Function('b', 'at', 'neg', 'last', lines.join('\n')) as (b: Uint8Array, at: number, neg: boolean, last: number) => string;
  decimalTexts.set(key, fn);
  return fn;
}

const decimalTexts = new Map<string, (b: Uint8Array, at: number, neg: boolean, last: number) => string>();

function inlineText(size: number, codePage: CodePage, options: ResolvedOptions): InlineLeaf | undefined {
  const tables = textTables(codePage);
  if (tables === undefined) return undefined;
  const policy = options.stringTrimming;
  const trimStart = policy === 'both' || policy === 'left';
  const trimEnd = policy === 'both' || policy === 'right';
  return {
    code(out, at, _fallback, ref, id) {
      const C = ref(tables.codes);
      const B = ref(tables.blank);
      const s = `s${id}`;
      const e = `e${id}`;
      const lines = [`let ${s} = ${at}; let ${e} = ${s} + ${size};`];
      if (trimStart) lines.push(`while (${s} < ${e} && ${B}[b[${s}]] === 1) ${s}++;`);
      if (trimEnd) lines.push(`while (${e} > ${s} && ${B}[b[${e} - 1]] === 1) ${e}--;`);
      // Untrimmed full-length text: String.fromCharCode with the field's arity, no array; trimmed
      // text through one function per field size that switches to the trimmed length's arity.
      if (size <= MAX_ARITY) {
        const args = Array.from({ length: size }, (_, i) => `${C}[b[${s} + ${i}]]`).join(', ');
        lines.push(`${out} = ${e} - ${s} === ${size} ? String.fromCharCode(${args}) : ${ref(shortText(size))}(${C}, b, ${s}, ${e} - ${s});`);
      } else lines.push(`${out} = ${ref(tables.slice)}(b, ${s}, ${e});`);
      return lines.join('\n');
    },
  };
}

const MAX_ARITY = 64;

type ShortText = (codes: Uint16Array, b: Uint8Array, s: number, n: number) => string;

/** (codes, b, s, n) -> the n characters at s, for n < size: a switch of fixed-arity fromCharCode calls. */
function shortText(size: number): ShortText {
  let fn = shortTexts[size];
  if (fn) return fn;
  const cases = Array.from({ length: size }, (_, n) => `case ${n}: return String.fromCharCode(${Array.from({ length: n }, (_, i) => `c[b[s + ${i}]]`).join(', ')});`);
  // eslint-disable-next-line no-new-func -- fixed-arity calls, see above
  fn = new Function('c', 'b', 's', 'n', `switch (n) {\n${cases.join('\n')}\n}\nreturn '';`) as ShortText;
  shortTexts[size] = fn;
  return fn;
}

const shortTexts: Array<ShortText | undefined> = [];

function inlineZoned(size: number, scale: number, codePage: CodePage, options: ResolvedOptions): InlineLeaf {
  const t = codePage.spaceByte === 0x20 ? ASCII_ZONED : EBCDIC_ZONED;
  return {
    code(out, at, fallback, ref, id) {
      const P = ref(t.plain);
      const O = ref(t.signed);
      const a = `a${id}`;
      const v = `v${id}`;
      const lines = [`let ${a} = 0;`];
      // Unrolled digits; a non-digit (space, sign, garbage) leaves the field to its decoder.
      const digits = Array.from({ length: size - 1 }, (_, i) => `d${id}_${i}`);
      for (const [i, d] of digits.entries()) lines.push(`const ${d} = ${P}[b[${at} + ${i}]];`);
      lines.push(`const ${v} = ${O}[b[${at} + ${size - 1}]];`);
      const ok = digits.length > 0 ? `(${digits.join(' | ')}) >= 0 && ${v} !== 0` : `${v} !== 0`;
      lines.push(`if (${ok}) {`);
      const l = `l${id}`;
      lines.push(`const ${l} = ${v} > 0 ? ${v} - 1 : -${v} - 1;`);
      // For the text only zero matters (it has no sign): OR the digits instead of summing them.
      if (numericForm(scale, size, options, true) === 'digit-text') lines.push(`${a} = ${[...digits, l].join(' | ')};`);
      else {
        for (const d of digits) lines.push(`${a} = ${a} * 10 + ${d};`);
        lines.push(`${a} = ${a} * 10 + ${l};`);
      }
      // Digits other than the last are plain digit bytes (zone F or 3): the low nibble is the digit.
      const text = (neg: string) => `${ref(decimalText(`z${size}.${scale}`, size, scale, (k) => `(b[at + ${k}] & 15)`))}(b, ${at}, ${neg}, ${l})`;
      lines.push(`${out} = ${emitCode(`${v} < 0`, a, scale, size, options, ref, text)};`);
      lines.push(`} else ${out} = ${fallback};`);
      return lines.join('\n');
    },
  };
}

function inlinePacked(size: number, scale: number, noSign: boolean, capacity: number, options: ResolvedOptions): InlineLeaf {
  const space = options.codePage.spaceByte;
  return {
    code(out, at, fallback, ref, id) {
      const K = ref(PACKED_PAIR);
      const S = ref(PACKED_SIGN);
      const a = `a${id}`;
      const lines = [`let ${a} = 0;`];
      const pairs = noSign ? size : size - 1;
      const ds = Array.from({ length: pairs }, (_, i) => `d${id}_${i}`);
      for (const [i, d] of ds.entries()) lines.push(`const ${d} = ${K}[b[${at} + ${i}]];`);
      const checks = ds.length > 0 ? [`(${ds.join(' | ')}) >= 0`] : [];
      if (noSign) {
        // COMP-3U: all spaces is blank (the decoder's business), any other valid bytes a value.
        checks.push(`b[${at}] !== ${space}`);
        lines.push(`if (${checks.join(' && ')}) {`);
        for (const d of ds) lines.push(`${a} = ${a} * 100 + ${d};`);
        const text = (neg: string) => `${ref(decimalText(`u${capacity}.${scale}`, capacity, scale, nibble))}(b, ${at}, ${neg}, b[${at} + ${size - 1}] & 15)`;
        lines.push(`${out} = ${emitCode('false', a, scale, capacity, options, ref, text)};`);
      } else {
        // A valid sign nibble rules out the blank forms (all 0x40 or all 0x00 end in nibble 0).
        const z = `z${id}`;
        const g = `g${id}`;
        lines.push(`const ${z} = b[${at} + ${size - 1}];`, `const ${g} = ${S}[${z} & 15];`);
        checks.push(`${z} < 0xa0`, `${g} !== 0`);
        lines.push(`if (${checks.join(' && ')}) {`);
        if (numericForm(scale, capacity, options, true) === 'digit-text') lines.push(`${a} = ${[...ds, `(${z} >> 4)`].join(' | ')};`);
        else {
          for (const d of ds) lines.push(`${a} = ${a} * 100 + ${d};`);
          lines.push(`${a} = ${a} * 10 + (${z} >> 4);`);
        }
        const text = (neg: string) => `${ref(decimalText(`p${capacity}.${scale}`, capacity, scale, nibble))}(b, ${at}, ${neg}, ${z} >> 4)`;
        lines.push(`${out} = ${emitCode(`${g} < 0`, a, scale, capacity, options, ref, text)};`);
      }
      lines.push(`} else ${out} = ${fallback};`);
      return lines.join('\n');
    },
  };
}

function inlineBinary(size: 2 | 4, signed: boolean, little: boolean, scale: number, digits: number, options: ResolvedOptions): InlineLeaf {
  const blankIsNull = options.blankNumbers === 'null';
  const space = options.codePage.spaceByte;
  return {
    code(out, at, fallback, ref, id) {
      const byte = (i: number) => `b[${at} + ${little ? size - 1 - i : i}]`;
      const v = `v${id}`;
      let read: string;
      if (size === 2) read = signed ? `((${byte(0)} << 24) >> 16) | ${byte(1)}` : `(${byte(0)} << 8) | ${byte(1)}`;
      else {
        read = `(${byte(0)} << 24) | (${byte(1)} << 16) | (${byte(2)} << 8) | ${byte(3)}`;
        if (!signed) read = `(${read}) >>> 0`;
      }
      const lines = [`const ${v} = ${read};`];
      const value = emitCode(`${v} < 0`, `(${v} < 0 ? -${v} : ${v})`, scale, digits, options, ref, undefined, v);
      // A first byte of spaces may be the blank form: the decoder decides.
      if (blankIsNull) lines.push(`${out} = ${byte(0)} === ${space} ? ${fallback} : ${value};`);
      else lines.push(`${out} = ${value};`);
      return lines.join('\n');
    },
  };
}

/** Source of packed digit k (nibble k from the field's first byte). */
function nibble(k: number): string {
  return k % 2 === 0 ? `(b[at + ${k >> 1}] >> 4)` : `(b[at + ${k >> 1}] & 15)`;
}

/** byte -> its two BCD digits as 0-99, -1 when a nibble is above 9. */
const PACKED_PAIR = Int8Array.from({ length: 256 }, (_, x) => ((x >> 4) > 9 || (x & 15) > 9 ? -1 : (x >> 4) * 10 + (x & 15)));
/** Sign nibble -> +1 / -1, 0 when invalid (0-9): C, A, E, F positive; D, B negative. */
const PACKED_SIGN = Int8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 1, -1, 1, 1]);
