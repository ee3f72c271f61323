/**
 * The CodePage contract the decoder/encoder compiler (src/codec/compile) uses for every PIC X / PIC A
 * field and for the zone nibbles of DISPLAY numerics.
 */
export interface CodePage {
  /** Banyan's canonical name: `cp037`, `cp1140`, `ascii`, `latin1`, `utf8`, `cp1252`. */
  readonly name: string;
  /** The byte a space encodes to (0x40 in EBCDIC, 0x20 in ASCII): padding and "all spaces" checks. */
  readonly spaceByte: number;
  /** False only for `utf8`, where a character may take several bytes. */
  readonly singleByte: boolean;
  /**
   * Decodes bytes[start, end). Never throws: a byte without a mapping decodes to U+FFFD.
   * Allocation-free apart from the returned string (a shared scratch buffer is reused).
   */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /**
   * Writes `text` into out[start, start + length), padding the rest with `spaceByte`.
   * Throws BANYAN_ERR_CODEPAGE_UNMAPPABLE for a character the code page cannot encode and
   * BANYAN_ERR_CODEPAGE_OVERFLOW when the text needs more than `length` bytes (never truncates
   * silently: COBOL MOVE truncation is a mapping decision, not the code page's).
   */
  encode(text: string, out: Uint8Array, start: number, length: number): void;
  /** byteToChar[b] is the character byte b decodes to (U+FFFD when unmapped; 256 entries). */
  readonly byteToChar: readonly string[];
  /** Character -> byte as the JDK's encoder chooses (several bytes may decode to one character). */
  readonly charToByte: ReadonlyMap<string, number>;
}
