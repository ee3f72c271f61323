/**
 * The shape of a generated double-byte page (src/codec/codepages/dbcs-tables/, written by
 * scripts/codepages/generate.ts from the JDK's x-IBM300, x-IBM834, x-IBM930 ... charsets).
 */
export interface DbcsPageTable {
  /** Banyan name, e.g. `cp930`. */
  readonly name: string;
  /** The JDK charset it was generated from, e.g. `x-IBM930`. */
  readonly java: string;
  /** True for pages mixing single bytes with SO (0x0E) ... SI (0x0F) double-byte runs. */
  readonly mixed: boolean;
  /** Mixed pages: 256 characters for single bytes outside SO/SI (U+FFFD unmapped, SO and SI too). */
  readonly sbcs: string | undefined;
  /** 192 x 192 characters for lead/trail bytes 0x40-0xFF, row-major by lead byte; U+FFFD unmapped. */
  readonly dbcs: string;
  /**
   * The JDK encoder's choices the tables do not determine: [UTF-16 code unit, code] with code a DBCS
   * code 0x4040-0xFFFF, `0x100 | b` for single byte b, or -1 for "not encodable".
   */
  readonly encodeOverrides: readonly (readonly [number, number])[];
}
