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
  const trim = trimmer(options.stringTrimming);
  const right = field.justifiedRight === true;
  const space = codePage.spaceByte;

  function decode(bytes: Uint8Array, pos: number, ctx: DecodeContext): string {
    return trim(codePage.decode(bytes, pos, Math.min(pos + size, ctx.end)));
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
  const trim = trimmer(options.stringTrimming);
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

export type Trimmer = (s: string) => string;

export function trimmer(policy: StringTrimming): Trimmer {
  switch (policy) {
    case 'both':
      return trimBoth;
    case 'left':
      return trimLeft;
    case 'right':
      return trimRight;
    default:
      return (s) => s;
  }
}

function trimBoth(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && s.charCodeAt(i) <= 0x20) i++;
  while (j > i && s.charCodeAt(j - 1) <= 0x20) j--;
  return i === 0 && j === s.length ? s : s.slice(i, j);
}

function trimLeft(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 0x20) i++;
  return i === 0 ? s : s.slice(i);
}

function trimRight(s: string): string {
  let j = s.length;
  while (j > 0 && s.charCodeAt(j - 1) <= 0x20) j--;
  return j === s.length ? s : s.slice(0, j);
}
