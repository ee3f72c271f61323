/**
 * The shape of a generated code-page table (src/codec/codepages/tables/*.ts, written by
 * scripts/codepages/generate.ts from the JDK). Kept apart from the runtime so tables stay plain data.
 */
export interface CodePageTable {
  /** Banyan name, e.g. `cp037`. */
  readonly name: string;
  /** The JDK charset the table was generated from, e.g. `IBM037`. */
  readonly java: string;
  /** 256 characters: byte b decodes to chars[b]; U+FFFD where the JDK has no mapping (see `unmapped`). */
  readonly chars: string;
  /** Bytes the JDK cannot decode; decoding them yields U+FFFD, nothing encodes to them. */
  readonly unmapped: readonly number[];
  /**
   * The JDK encoder's choices the decode table alone does not determine: [UTF-16 code unit, byte].
   * A character several bytes decode to (IBM037: 0x15 and 0x25 both decode to U+000A, the JDK
   * encodes U+000A as 0x15), and encode-only mappings (U+0085 -> 0x15). Byte -1: not encodable.
   */
  readonly encodeOverrides: readonly (readonly [number, number])[];
}
