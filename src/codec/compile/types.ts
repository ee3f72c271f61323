/**
 * Public types of the compiled record codec: the decoded value shape, the codec itself, and the
 * code-page contracts it relies on (re-exported from src/codec/codepages).
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

// The code-page contracts are src/codec/codepages' own; re-exported so compiler modules keep one
// import site for their types.
export type { CodePage, DbcsCodePage } from '../codepages/index.ts';
