/**
 * Public types of the compiled record codec: the decoded value shape, the codec itself and the
 * code-page contracts it relies on (structurally identical to src/codec/codepages' CodePage, so
 * the codec compiles and tests without importing that module's implementation).
 */
import type { RecordLayout } from '../layout.ts';
import type { DecodeError } from '../errors.ts';

/**
 * A decoded field value:
 * - text fields: string (trimmed per the trimming policy);
 * - integers (scale 0) whose range fits 2^53: number; wider ones: decimal string;
 * - decimals (scale != 0): exact decimal string keeping the field's scale ("-12.30"), or a JS
 *   number when the options ask for it and the field has at most 15 digits;
 * - COMP-1/COMP-2: number;
 * - null: a blank numeric field (all spaces / low-values) or a field nulled by the error policy;
 * - groups: DecodedRecord; OCCURS: arrays.
 */
export type DecodedValue = string | number | bigint | null | DecodedRecord | DecodedValue[];

export interface DecodedRecord {
  [field: string]: DecodedValue;
}

export interface RecordCodec {
  /**
   * Decodes bytes[start, end) (default: the whole array) as one record.
   * Throws DecodeError when a rule is broken and the on-error policy is 'fail'; with 'null' the
   * field becomes null and the error is listed by `fieldErrors(record)`.
   */
  decode(bytes: Uint8Array, start?: number, end?: number, recordNumber?: number): DecodedRecord;
  /** Writes a record; throws EncodeError. The result has the layout's length (or the actual
   * length when `variableSizeOccurs` shifts fields after a short table). */
  encode(value: DecodedRecord): Uint8Array;
  readonly layout: RecordLayout;
}

/** Field errors collected under the 'null' policy; empty when the record decoded cleanly. */
export type FieldErrors = readonly DecodeError[];

/** Single-byte (or UTF-8) code page, as exported by src/codec/codepages. */
export interface CodePage {
  readonly name: string;
  readonly spaceByte: number;
  decode(bytes: Uint8Array, start: number, end: number): string;
  /** Pads with spaceByte; throws when a character is unmappable or the text is too long. */
  encode(text: string, out: Uint8Array, start: number, length: number): void;
  readonly byteToChar: readonly string[];
  readonly charToByte: ReadonlyMap<string, number>;
}

/** Pure DBCS code page for PIC G / DISPLAY-1 fields (2 bytes a character, no SO/SI in the field). */
export interface DbcsCodePage {
  readonly name: string;
  decode(bytes: Uint8Array, start: number, end: number): string;
  /** Pads with the DBCS space (0x4040 on EBCDIC hosts). */
  encode(text: string, out: Uint8Array, start: number, length: number): void;
}
