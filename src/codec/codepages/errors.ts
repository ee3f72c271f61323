/**
 * Code-page error codes. Decoding never fails (a byte the JDK cannot map decodes to U+FFFD, as
 * `new String(bytes, charset)` does); encoding fails loudly rather than writing a substitute byte a
 * legacy program would read as data.
 */
import { defineErrors } from '../../core/errors.ts';

export const CodePageErrors = defineErrors({
  BANYAN_ERR_CODEPAGE_UNKNOWN: {
    message: 'unknown code page "%s" (known: %s)',
  },
  BANYAN_ERR_CODEPAGE_KIND: {
    message: 'code page %s is %s',
  },
  BANYAN_ERR_CODEPAGE_UNMAPPABLE: {
    message: 'character %s at index %s of the text cannot be encoded in code page %s',
  },
  BANYAN_ERR_CODEPAGE_OVERFLOW: {
    message: 'text needs %s bytes in code page %s but the field has %s',
  },
});

/** "U+00E9 'é'" for messages: the code point and, when printable, the character. */
export function describeChar(text: string, index: number): string {
  const cp = text.codePointAt(index) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) ? `${hex} '${String.fromCodePoint(cp)}'` : hex;
}
