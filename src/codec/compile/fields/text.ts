/**
 * Text fields: PIC X / A and alphanumeric-edited (single-byte code page), PIC N USAGE NATIONAL
 * (UTF-16 big-endian, IBM Enterprise COBOL's NATIONAL encoding), PIC G / DISPLAY-1 (DBCS, through
 * a DBCS code page).
 *
 * Trimming (Cobrix `string_trimming_policy`): 'both' (default), 'left', 'right' remove characters
 * <= U+0020 as Java's String.trim does; 'none' and 'keep_all' keep the text as decoded.
 * Encoding pads with spaces on the right (on the left for JUSTIFIED RIGHT) and refuses text longer
 * than the field unless onOverflow is 'truncate' (COBOL MOVE truncation: the right end is lost,
 * or the left end for JUSTIFIED RIGHT).
 */
import type { AlphanumericEditedField, AlphanumericField, DbcsField, NationalField } from '../../layout.ts';
import { EncodeError } from '../../errors.ts';
import type { ResolvedOptions, StringTrimming } from '../options.ts';
import type { CodePage, DbcsCodePage } from '../types.ts';
import type { DecodeContext, LeafCodec } from './leaf.ts';

export function alphanumericCodec(field: AlphanumericField | AlphanumericEditedField, codePage: CodePage, options: ResolvedOptions): LeafCodec {
  const size = field.length;
  const path = field.path;
  const right = field.justifiedRight === true;
  const space = codePage.spaceByte;
  // Trim on the bytes, before decoding: the code page then builds only the kept characters.
  const blank = blankBytes(codePage);
  const codes = charCodes(codePage);
  const policy = options.stringTrimming;
  const trimStart = policy === 'both' || policy === 'left';
  const trimEnd = policy === 'both' || policy === 'right';

  const multiByte = !codePage.singleByte;
  const trimText = trimmer(policy);

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string {
    let s = pos;
    let e = pos + size;
    if (e > ctx.end) e = ctx.end;
    // UTF-8 and SO/SI mixed pages: a 0x40 byte may be half of a character, so trim the text.
    if (multiByte) return trimText(codePage.decode(bytes, s, e));
    if (trimStart) while (s < e && blank[bytes[s]] === 1) s++;
    if (trimEnd) while (e > s && blank[bytes[e - 1]] === 1) e--;
    if (codes === undefined) return e === s ? '' : codePage.decode(bytes, s, e);
    return sliceText(codePage, codes, bytes, s, e);
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    if (value === null || value === undefined) {
      out.fill(space, pos, pos + size);
      return;
    }
    let text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
    if (text === undefined) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, `got ${typeof value}`);
    if (text.length > size) {
      if (options.onOverflow !== 'truncate') throw new EncodeError('BANYAN_ERR_ENCODE_TEXT', path, `${text.length} characters into ${size} bytes`);
      text = right ? text.slice(text.length - size) : text.slice(0, size);
    }
    try {
      if (right && text.length < size) {
        out.fill(space, pos, pos + size - text.length);
        codePage.encode(text, out, pos + size - text.length, text.length);
      } else codePage.encode(text, out, pos, size);
    } catch (err) {
      throw new EncodeError('BANYAN_ERR_ENCODE_TEXT', path, err instanceof Error ? err.message : String(err), err);
    }
  }

  return { size, decode, encode, numeric: false };
}

export function nationalCodec(field: NationalField, options: ResolvedOptions): LeafCodec {
  const size = field.length;
  const path = field.path;
  const trim = trimmer(options.stringTrimming);

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string {
    const end = Math.min(pos + size, ctx.end);
    let s = '';
    for (let i = pos; i + 1 < end; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return trim(s);
  }

  function encode(value: unknown, out: Uint8Array, pos: number): void {
    const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : undefined;
    if (text === undefined) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, `got ${typeof value}`);
    if (text.length * 2 > size && options.onOverflow !== 'truncate') {
      throw new EncodeError('BANYAN_ERR_ENCODE_TEXT', path, `${text.length} UTF-16 units into ${size / 2}`);
    }
    for (let i = 0, j = pos; j + 1 < pos + size; i++, j += 2) {
      const c = i < text.length ? text.charCodeAt(i) : 0x20; // NATIONAL space is U+0020
      out[j] = c >> 8;
      out[j + 1] = c & 0xff;
    }
  }

  return { size, decode, encode, numeric: false };
}

export function dbcsCodec(field: DbcsField, codePage: DbcsCodePage, options: ResolvedOptions): LeafCodec {
  const size = field.length;
  const path = field.path;
  // The DBCS space 0x4040 decodes to U+3000 IDEOGRAPHIC SPACE: trimmed like a space.
  const trim = trimmer(options.stringTrimming, true);
  return {
    size,
    numeric: false,
    decode: (bytes, pos, ctx) => trim(codePage.decode(bytes, pos, Math.min(pos + size, ctx.end))),
    encode(value, out, pos) {
      const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : undefined;
      if (text === undefined) throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', path, `got ${typeof value}`);
      try {
        codePage.encode(text, out, pos, size);
      } catch (err) {
        throw new EncodeError('BANYAN_ERR_ENCODE_TEXT', path, err instanceof Error ? err.message : String(err), err);
      }
    },
  };
}

/** 1 for bytes that decode to a character <= U+0020 (what Java's String.trim removes). */
function blankBytes(codePage: CodePage): Uint8Array {
  let table = blankTables.get(codePage);
  if (!table) {
    table = new Uint8Array(256);
    for (let b = 0; b < 256; b++) {
      const c = codePage.byteToChar[b];
      table[b] = c !== undefined && c.length === 1 && c.charCodeAt(0) <= 0x20 ? 1 : 0;
    }
    blankTables.set(codePage, table);
  }
  return table;
}

const blankTables = new WeakMap<CodePage, Uint8Array>();

/** UTF-16 code of each byte's character for single-byte pages; undefined for UTF-8 and the like. */
function charCodes(codePage: CodePage): Uint16Array | undefined {
  if (!codePage.singleByte) return undefined;
  if (codeTables.has(codePage)) return codeTables.get(codePage);
  let table: Uint16Array | undefined = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const c = codePage.byteToChar[b];
    if (c === undefined || c.length !== 1) {
      table = undefined;
      break;
    }
    table[b] = c.charCodeAt(0);
  }
  codeTables.set(codePage, table);
  return table;
}

const codeTables = new WeakMap<CodePage, Uint16Array | undefined>();

/**
 * bytes[s, e) of a single-byte page as a string. Short text: String.fromCharCode called with one
 * argument per character (a generated function per length) measured ~40% faster than `apply` over
 * a reused array, which was itself 2-3x faster than a Buffer round trip for 8-40 byte fields (the
 * common PIC X sizes); same characters as byteToChar. Longer text goes through the code page.
 */
function sliceText(codePage: CodePage, codes: Uint16Array, bytes: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n === 0) return '';
  if (n > MAX_ARITY) return codePage.decode(bytes, s, e);
  return (FROM_CODES[n] ?? fromCodes(n))(codes, bytes, s);
}

type FromCodes = (codes: Uint16Array, bytes: Uint8Array, s: number) => string;
/** Up to 256 characters (a PIC X(250) filler-like field measured ~2x faster than the page's decode). */
const MAX_ARITY = 256;
const FROM_CODES: Array<FromCodes | undefined> = [];

/** The fixed-arity function for length n, generated on first use. */
function fromCodes(n: number): FromCodes {
  const args = Array.from({ length: n }, (_, i) => `c[b[s + ${i}]]`).join(', ');
  // eslint-disable-next-line no-new-func -- fixed-arity call, see sliceText
  const fn = new Function('c', 'b', 's', `return String.fromCharCode(${args});`) as FromCodes;
  FROM_CODES[n] = fn;
  return fn;
}

/** What generated decoders (inline.ts) need for a single-byte page; undefined for UTF-8 and mixed pages. */
export interface TextTables {
  /** byte -> UTF-16 code unit. */
  readonly codes: Uint16Array;
  /** 1 for bytes whose character is <= U+0020. */
  readonly blank: Uint8Array;
  /** bytes[s, e) as the field decoder would give it after trimming. */
  readonly slice: (bytes: Uint8Array, s: number, e: number) => string;
}

export function textTables(codePage: CodePage): TextTables | undefined {
  const codes = charCodes(codePage);
  if (codes === undefined) return undefined;
  return { codes, blank: blankBytes(codePage), slice: (bytes, s, e) => sliceText(codePage, codes, bytes, s, e) };
}

export type Trimmer = (s: string) => string;

export function trimmer(policy: StringTrimming, ideographic = false): Trimmer {
  const isBlank = ideographic ? (c: number) => c <= 0x20 || c === 0x3000 : (c: number) => c <= 0x20;
  const left = policy === 'both' || policy === 'left';
  const right = policy === 'both' || policy === 'right';
  if (!left && !right) return (s) => s;
  return (s) => {
    let i = 0;
    let j = s.length;
    if (left) while (i < j && isBlank(s.charCodeAt(i))) i++;
    if (right) while (j > i && isBlank(s.charCodeAt(j - 1))) j--;
    return i === 0 && j === s.length ? s : s.slice(i, j);
  };
}
