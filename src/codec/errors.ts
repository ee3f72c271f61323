/**
 * Errors of the compiled record codec (src/codec/compile).
 *
 * - DecodeError: the bytes of one record break a rule of the layout (a packed nibble above 9, a
 *   zoned digit that is not a digit, an OCCURS DEPENDING ON count outside its bounds, a record
 *   shorter than its fields). It carries everything a dead-letter record needs: the record number,
 *   the field path, the byte offset inside the record, the offending bytes in hex and the rule.
 *   Never retriable: the same bytes fail the same way.
 * - EncodeError: a value cannot be written into its field (wrong type, too many digits, too long a
 *   text, a negative number into an unsigned field).
 * - CodecCompileError: the layout and the options cannot be compiled (bad option, unknown field in a
 *   rule, a DBCS field without a DBCS code page).
 *
 * Every code is registered through `defineErrors` so it appears in `errorCatalog()`.
 */
import { BanyanError, defineErrors } from '../core/errors.ts';

/** The decode rules, one code each. */
export const DECODE_RULES = {
  BANYAN_ERR_DECODE_PACKED_NIBBLE: 'packed decimal digit nibble must be 0-9',
  BANYAN_ERR_DECODE_PACKED_SIGN: 'packed decimal sign nibble must be C, A, E, F (positive) or D, B (negative)',
  BANYAN_ERR_DECODE_ZONED_DIGIT: 'zoned decimal byte must be a digit (zone F in EBCDIC, 0x30-0x39 in ASCII)',
  BANYAN_ERR_DECODE_ZONED_SIGN: 'zoned decimal sign must be an overpunched digit or a separate + or -',
  BANYAN_ERR_DECODE_UNSIGNED_NEGATIVE: 'a field without S in its PICTURE cannot hold a negative sign',
  BANYAN_ERR_DECODE_EDITED: 'numeric-edited field must contain digits, editing symbols and at most one decimal point',
  BANYAN_ERR_DECODE_BINARY_RANGE: 'binary value does not fit the exact JS number range declared for the field',
  BANYAN_ERR_DECODE_FLOAT: 'floating-point field is NaN or infinite, which JSON cannot carry',
  BANYAN_ERR_DECODE_ODO_BOUNDS: 'OCCURS DEPENDING ON count must lie between the table minimum and maximum',
  BANYAN_ERR_DECODE_SHORT_RECORD: 'record ends before the field does',
  BANYAN_ERR_DECODE_SEGMENT: 'segment id does not select any record layout',
} as const;

export type DecodeRule = keyof typeof DECODE_RULES;

export const ENCODE_RULES = {
  BANYAN_ERR_ENCODE_TYPE: 'value has the wrong type for the field',
  BANYAN_ERR_ENCODE_OVERFLOW: 'value has more integer digits than the field holds',
  BANYAN_ERR_ENCODE_SCALE: 'value has more decimal places than the field holds',
  BANYAN_ERR_ENCODE_SIGN: 'negative value into a field without S in its PICTURE',
  BANYAN_ERR_ENCODE_TEXT: 'text cannot be written in the field (unmappable character or too long)',
  BANYAN_ERR_ENCODE_OCCURS: 'array length must lie between the table minimum and maximum',
  BANYAN_ERR_ENCODE_BLANK: 'value would be written as all spaces, which decodes back to null',
  BANYAN_ERR_ENCODE_FLOAT: 'number is outside the range of the floating-point format',
} as const;

export type EncodeRule = keyof typeof ENCODE_RULES;

const COMPILE_RULES = {
  BANYAN_ERR_CODEC_OPTION: { message: 'invalid codec option %s: %s' },
  BANYAN_ERR_CODEC_FIELD: { message: 'codec rule refers to field "%s" which the record %s does not have' },
  BANYAN_ERR_CODEC_UNSUPPORTED: { message: 'field %s: %s' },
} as const;

// Register every code once so errorCatalog() lists them (docs check). DecodeError and EncodeError
// below carry structured fields, so they extend BanyanError directly instead of using the
// generated constructors.
defineErrors({
  ...mapSpecs(DECODE_RULES),
  ...mapSpecs(ENCODE_RULES),
});
export const CodecCompileErrors = defineErrors(COMPILE_RULES);

export interface DecodeErrorDetails {
  /** 1-based record number in its file or stream (0 when the caller gave none). */
  readonly recordNumber: number;
  /** Dotted field path from the 01 level, with occurrence indexes where known. */
  readonly fieldPath: string;
  /** 0-based offset of the field's first byte from the start of the record. */
  readonly byteOffset: number;
  /** The field's bytes (or the offending ones) as upper-case hex, at most 64 bytes. */
  readonly hex: string;
}

export class DecodeError extends BanyanError {
  readonly recordNumber: number;
  readonly fieldPath: string;
  readonly byteOffset: number;
  readonly hex: string;
  /** Human statement of the rule broken (DECODE_RULES[code]). */
  readonly rule: string;

  /** Detail added to the message (the byte, the counter value...). */
  readonly extra: string | undefined;

  constructor(code: DecodeRule, details: DecodeErrorDetails, extra?: string) {
    const rule = DECODE_RULES[code];
    super(
      code,
      `record ${details.recordNumber}, field ${details.fieldPath} at byte ${details.byteOffset} [${details.hex}]: ${rule}${extra ? ` (${extra})` : ''}`,
      { retriable: false },
    );
    this.name = 'DecodeError';
    this.recordNumber = details.recordNumber;
    this.fieldPath = details.fieldPath;
    this.byteOffset = details.byteOffset;
    this.hex = details.hex;
    this.rule = rule;
    this.extra = extra;
  }

  /**
   * The same error with the occurrence index of table `tablePath` in its field path
   * (`R.T.V` -> `R.T[2].V`); indexes are 0-based like the decoded arrays.
   */
  atOccurrence(tablePath: string, index: number): DecodeError {
    const p = this.fieldPath;
    if (!p.startsWith(`${tablePath}.`)) return this;
    const fieldPath = `${tablePath}[${index}]${p.slice(tablePath.length)}`;
    return decodeError(this.code as DecodeRule, { recordNumber: this.recordNumber, fieldPath, byteOffset: this.byteOffset, hex: this.hex }, this.extra);
  }
}

export class EncodeError extends BanyanError {
  readonly fieldPath: string;
  readonly rule: string;

  constructor(code: EncodeRule, fieldPath: string, extra?: string, cause?: unknown) {
    const rule = ENCODE_RULES[code];
    super(code, `field ${fieldPath}: ${rule}${extra ? ` (${extra})` : ''}`, { retriable: false, cause });
    this.name = 'EncodeError';
    this.fieldPath = fieldPath;
    this.rule = rule;
  }
}

/**
 * A DecodeError without a JS stack: a data error's stack says nothing about the data and costs
 * more than decoding the record (bad records, REDEFINES views that do not parse). The path, offset
 * and bytes are the report.
 */
export function decodeError(code: DecodeRule, details: DecodeErrorDetails, extra?: string): DecodeError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new DecodeError(code, details, extra);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Bytes as upper-case hex, capped at 64 bytes so a dead-letter header stays small. */
export function toHex(bytes: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, start + 64, bytes.length);
  let out = '';
  for (let i = Math.max(0, start); i < stop; i++) out += HEX[bytes[i]];
  return stop < end ? `${out}...` : out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

function mapSpecs<T extends Record<string, string>>(rules: T): Record<keyof T, { message: string }> {
  const out = {} as Record<keyof T, { message: string }>;
  for (const [code, rule] of Object.entries(rules)) out[code as keyof T] = { message: rule };
  return out;
}
