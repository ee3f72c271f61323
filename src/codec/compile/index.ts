/**
 * Compiled record codecs: `compileRecordCodec(record, options)` turns one 01 record of a copybook
 * layout into specialised decode/encode functions (src/codec/compile/plan.ts), cached per layout
 * object and options, and by (copybook hash, record name, options) through `getRecordCodec`.
 *
 * Errors: decode throws DecodeError (src/codec/errors.ts) unless the options say onError 'null',
 * in which case the field is null and `fieldErrors(record)` lists what went wrong.
 */
import type { CopybookLayout, RecordLayout } from '../layout.ts';
import { CodecCompileErrors, type DecodeError } from '../errors.ts';
import { compilePlan } from './plan.ts';
import { optionsKey, resolveOptions, type CodecOptions } from './options.ts';
import type { DecodedRecord, FieldErrors, RecordCodec } from './types.ts';

export type { CodecOptions, RedefinesRule, StringTrimming } from './options.ts';
export type { CodePage, DbcsCodePage, DecodedRecord, DecodedValue, FieldErrors, RecordCodec } from './types.ts';
export { DecodeError, EncodeError } from '../errors.ts';
export { compileSegmentedCodec, type SegmentedCodec, type SegmentOptions } from './segments.ts';

/** Compiles (or returns the cached codec of) one record layout. */
export function compileRecordCodec(record: RecordLayout, options: CodecOptions = {}): RecordCodec {
  const resolved = resolveOptions(options);
  const key = optionsKey(resolved);
  let perRecord = byRecord.get(record);
  if (!perRecord) byRecord.set(record, (perRecord = new Map()));
  let codec = perRecord.get(key);
  if (!codec) perRecord.set(key, (codec = build(record, resolved)));
  return codec;
}

/**
 * The codec of record `recordName` (default: the first) of a parsed copybook, cached by the
 * copybook's content hash so re-parsing the same text reuses the compiled functions.
 */
export function getRecordCodec(layout: CopybookLayout, recordName?: string, options: CodecOptions = {}): RecordCodec {
  const record = recordName === undefined ? layout.records[0] : layout.records.find((r) => r.name === recordName);
  if (!record) throw new CodecCompileErrors.BANYAN_ERR_CODEC_FIELD(recordName ?? '(first record)', layout.source);
  const resolved = resolveOptions(options);
  const key = `${layout.hash}\u0000${record.name}\u0000${optionsKey(resolved)}`;
  let codec = byHash.get(key);
  if (codec) {
    byHash.delete(key); // refresh its place in the LRU order
  } else {
    codec = build(record, resolved);
    if (byHash.size >= HASH_CACHE_LIMIT) byHash.delete(byHash.keys().next().value!);
  }
  byHash.set(key, codec);
  return codec;
}

/** Field errors of a record decoded with onError 'null' (empty for a clean record). */
export function fieldErrors(record: DecodedRecord): FieldErrors {
  return errorsOf.get(record) ?? NO_ERRORS;
}

const byRecord = new WeakMap<RecordLayout, Map<string, RecordCodec>>();
const byHash = new Map<string, RecordCodec>();
const HASH_CACHE_LIMIT = 256;
const errorsOf = new WeakMap<DecodedRecord, readonly DecodeError[]>();
const NO_ERRORS: FieldErrors = Object.freeze([]);

function build(record: RecordLayout, resolved: ReturnType<typeof resolveOptions>): RecordCodec {
  const plan = compilePlan(record, resolved);
  return Object.freeze({
    layout: record,
    decode(bytes: Uint8Array, start = 0, end = bytes.length, recordNumber = 0): DecodedRecord {
      // Never read outside the array: a range past its end is a short record, not garbage.
      if (end > bytes.length) end = bytes.length;
      if (start < 0) start = 0;
      if (end < start) end = start;
      const value = plan.decode(bytes, start, end, recordNumber);
      const errors = plan.errors;
      if (errors.length > 0) errorsOf.set(value, errors);
      return value;
    },
    encode(value: DecodedRecord): Uint8Array {
      return plan.encode(value);
    },
  });
}
