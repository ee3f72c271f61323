/**
 * UTF-8 for ASCII-side data (files produced off the mainframe). Not single-byte: a PIC X(n) field
 * holds n BYTES, so `encode` fails when the UTF-8 form of the text is longer than the field.
 * byteToChar/charToByte describe only the ASCII range (a byte >= 0x80 is never a character alone).
 */
import type { CodePage } from './code-page.ts';
import { CodePageErrors, describeChar } from './errors.ts';

export class Utf8CodePage implements CodePage {
  readonly name = 'utf8';
  readonly spaceByte = 0x20;
  readonly singleByte = false;
  readonly byteToChar: readonly string[];
  readonly charToByte: ReadonlyMap<string, number>;

  constructor() {
    const chars = Array.from({ length: 256 }, (_, b) => (b < 0x80 ? String.fromCharCode(b) : '\uFFFD'));
    this.byteToChar = Object.freeze(chars);
    this.charToByte = new Map(chars.slice(0, 0x80).map((c, b) => [c, b] as const));
  }

  decode(bytes: Uint8Array, start: number, end: number): string {
    if (end <= start) return '';
    if (start < 0 || end > bytes.length) throw new RangeError(`decode range ${start}-${end} is outside the ${bytes.length}-byte buffer`);
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  }

  encode(text: string, out: Uint8Array, start: number, length: number): void {
    if (start < 0 || start + length > out.length) throw new RangeError(`encode range ${start}+${length} is outside the ${out.length}-byte buffer`);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdfff) {
        // A well-formed pair is fine; a lone surrogate has no UTF-8 form.
        const pair = unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        if (!pair) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_UNMAPPABLE(describeChar(text, i), i, this.name);
        i++;
      }
    }
    const needed = Buffer.byteLength(text, 'utf8');
    if (needed > length) throw new CodePageErrors.BANYAN_ERR_CODEPAGE_OVERFLOW(needed, this.name, length);
    const target = Buffer.from(out.buffer, out.byteOffset + start, length);
    target.write(text, 0, 'utf8');
    target.fill(this.spaceByte, needed);
  }
}
