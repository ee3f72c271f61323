/**
 * Double-byte EBCDIC (IBM CJK host code pages), generated from the JDK like the single-byte ones:
 *
 * - DoubleByteCodePage: pure DBCS, two bytes a character, for PIC G / DISPLAY-1 / PIC N USAGE
 *   DISPLAY-1 fields (no SO/SI inside the field). Space is 0x4040 (U+3000 IDEOGRAPHIC SPACE).
 * - MixedCodePage: a CodePage for PIC X fields of a mixed page (cp930, cp939, cp933, cp935, cp937,
 *   cp1364): single bytes, and double-byte runs between SO (0x0E) and SI (0x0F). SO and SI produce no
 *   characters (as in the JDK). The encoder writes SO/SI around each double-byte run, as the JDK does,
 *   and pads with the single-byte space 0x40.
 *
 * Decoding never throws (U+FFFD for an unmapped code, an odd byte, or a stray byte); encoding throws
 * BANYAN_ERR_CODEPAGE_UNMAPPABLE / _OVERFLOW like the single-byte pages.
 */
import type { CodePage } from './code-page.ts';
import type { DbcsPageTable } from './dbcs-table.ts';
import { CodePageErrors, describeChar } from './errors.ts';

/** The contract the compiler's PIC G / DISPLAY-1 fields use. */
export interface DbcsCodePage {
  readonly name: string;
  /** Decodes bytes[start, end) two at a time. */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /** Writes two bytes per character and pads with 0x4040 (a last odd byte with 0x40). */
  encode(text: string, out: Uint8Array, start: number, length: number): void;
}

const LOW = 0x40;
const SIZE = 0x100 - LOW;
const SO = 0x0e;
const SI = 0x0f;
const DBCS_SPACE = 0x4040;

export class DoubleByteCodePage implements DbcsCodePage {
  readonly name: string;
  private readonly units: Uint16Array;
  /** UTF-16 code unit -> DBCS code, -1 when not encodable. */
  private readonly encodeTable: Int32Array;

  constructor(table: DbcsPageTable, name = table.name) {
    this.name = name;
    this.units = dbcsUnits(table.dbcs);
    this.encodeTable = dbcsEncodeTable(this.units, table.encodeOverrides);
  }

  decode(bytes: Uint8Array, start: number, end: number): string {
    if (start < 0 || end > bytes.length) throw new RangeError(`decode range ${start}-${end} is outside the ${bytes.length}-byte buffer`);
    const pairs = (end - start) >> 1;
    const odd = (end - start) & 1;
    const out = scratch(2 * (pairs + odd));
    for (let i = 0; i < pairs; i++) {
      const u = unitOf(this.units, bytes[start + 2 * i], bytes[start + 2 * i + 1]);
      out[2 * i] = u & 0xff;
      out[2 * i + 1] = u >>> 8;
    }
    if (odd) {
      out[2 * pairs] = 0xfd;
      out[2 * pairs + 1] = 0xff;
    }
    return out.toString('utf16le', 0, 2 * (pairs + odd));
  }

  encode(text: string, out: Uint8Array, start: number, length: number): void {
    if (start < 0 || start + length > out.length) throw new RangeError(`encode range ${start}+${length} is outside the ${out.length}-byte buffer`);
    if (2 * text.length > length) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_OVERFLOW(2 * text.length, this.name, length);
    let at = start;
    for (let i = 0; i < text.length; i++) {
      const code = this.encodeTable[text.charCodeAt(i)];
      if (code < 0) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_UNMAPPABLE(describeChar(text, i), i, this.name);
      out[at++] = code >>> 8;
      out[at++] = code & 0xff;
    }
    const end = start + length;
    while (at + 1 < end) {
      out[at++] = DBCS_SPACE >>> 8;
      out[at++] = DBCS_SPACE & 0xff;
    }
    if (at < end) out[at] = 0x40;
  }
}

export class MixedCodePage implements CodePage {
  readonly name: string;
  readonly spaceByte = 0x40;
  readonly singleByte = false;
  /** The single-byte part (SO and SI decode to U+FFFD here: they are shifts, not characters). */
  readonly byteToChar: readonly string[];
  /** Characters with a single-byte form. */
  readonly charToByte: ReadonlyMap<string, number>;
  private readonly sbcs: Uint16Array;
  private readonly units: Uint16Array;
  /** UTF-16 code unit -> 0x100|byte (single byte), DBCS code (>= 0x4040), or -1. */
  private readonly encodeTable: Int32Array;

  constructor(table: DbcsPageTable) {
    if (!table.mixed || table.sbcs === undefined) throw new Error(`${table.name} is not a mixed SBCS/DBCS page`);
    this.name = table.name;
    this.sbcs = Uint16Array.from(table.sbcs, (c) => c.charCodeAt(0));
    this.units = dbcsUnits(table.dbcs);
    const encodeTable = new Int32Array(65536).fill(-1);
    for (let code = 0x10000 - 1; code >= DBCS_SPACE; code--) {
      const u = unitOf(this.units, code >>> 8, code & 0xff);
      if (u !== 0xfffd) encodeTable[u] = code;
    }
    // Single bytes win over DBCS codes for the same character (the JDK's choice); lowest byte first.
    for (let b = 255; b >= 0; b--) if (this.sbcs[b] !== 0xfffd) encodeTable[this.sbcs[b]] = 0x100 | b;
    for (const [u, code] of table.encodeOverrides) encodeTable[u] = code;
    this.encodeTable = encodeTable;
    this.byteToChar = Object.freeze(Array.from(table.sbcs));
    const charToByte = new Map<string, number>();
    for (let u = 0; u < 65536; u++) if (encodeTable[u] >= 0x100 && encodeTable[u] <= 0x1ff) charToByte.set(String.fromCharCode(u), encodeTable[u] & 0xff);
    this.charToByte = charToByte;
  }

  decode(bytes: Uint8Array, start: number, end: number): string {
    if (start < 0 || end > bytes.length) throw new RangeError(`decode range ${start}-${end} is outside the ${bytes.length}-byte buffer`);
    const out = scratch(2 * (end - start));
    let n = 0;
    let shifted = false;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      let u: number;
      if (b === SO) {
        shifted = true;
        continue;
      } else if (b === SI) {
        shifted = false;
        continue;
      } else if (shifted) {
        u = i + 1 < end && bytes[i + 1] !== SI ? unitOf(this.units, b, bytes[++i]) : 0xfffd;
      } else {
        u = this.sbcs[b];
      }
      out[2 * n] = u & 0xff;
      out[2 * n + 1] = u >>> 8;
      n++;
    }
    return out.toString('utf16le', 0, 2 * n);
  }

  encode(text: string, out: Uint8Array, start: number, length: number): void {
    if (start < 0 || start + length > out.length) throw new RangeError(`encode range ${start}+${length} is outside the ${out.length}-byte buffer`);
    // First pass: the byte length with SO/SI, so an overflow leaves `out` untouched.
    let needed = 0;
    let shifted = false;
    for (let i = 0; i < text.length; i++) {
      const code = this.encodeTable[text.charCodeAt(i)];
      if (code < 0) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_UNMAPPABLE(describeChar(text, i), i, this.name);
      const double = code >= DBCS_SPACE;
      if (double !== shifted) needed++;
      shifted = double;
      needed += double ? 2 : 1;
    }
    if (shifted) needed++;
    if (needed > length) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_OVERFLOW(needed, this.name, length);
    let at = start;
    shifted = false;
    for (let i = 0; i < text.length; i++) {
      const code = this.encodeTable[text.charCodeAt(i)];
      const double = code >= DBCS_SPACE;
      if (double !== shifted) out[at++] = double ? SO : SI;
      shifted = double;
      if (double) {
        out[at++] = code >>> 8;
        out[at++] = code & 0xff;
      } else {
        out[at++] = code & 0xff;
      }
    }
    if (shifted) out[at++] = SI;
    out.fill(this.spaceByte, at, start + length);
  }
}

function dbcsUnits(chars: string): Uint16Array {
  if (chars.length !== SIZE * SIZE) throw new Error(`DBCS table has ${chars.length} characters, not ${SIZE * SIZE}`);
  const units = new Uint16Array(SIZE * SIZE);
  for (let i = 0; i < units.length; i++) units[i] = chars.charCodeAt(i);
  return units;
}

function unitOf(units: Uint16Array, lead: number, trail: number): number {
  return lead < LOW || trail < LOW ? 0xfffd : units[(lead - LOW) * SIZE + (trail - LOW)];
}

function dbcsEncodeTable(units: Uint16Array, overrides: readonly (readonly [number, number])[]): Int32Array {
  const table = new Int32Array(65536).fill(-1);
  for (let i = units.length - 1; i >= 0; i--) {
    if (units[i] !== 0xfffd) table[units[i]] = (((i / SIZE) | 0) + LOW) * 0x100 + (i % SIZE) + LOW;
  }
  // Overrides to single bytes belong to the mixed page's SBCS side; a pure-DBCS view ignores them.
  for (const [u, code] of overrides) if (code < 0 || code >= DBCS_SPACE) table[u] = code;
  return table;
}

let scratchBuffer = Buffer.allocUnsafe(64 * 1024);

function scratch(n: number): Buffer {
  if (scratchBuffer.length < n) scratchBuffer = Buffer.allocUnsafe(Math.max(n, 2 * scratchBuffer.length));
  return scratchBuffer;
}
