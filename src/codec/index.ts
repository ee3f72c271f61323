/**
 * The codec facade: what bridges and `banyan decode` / `banyan encode` use. Everything below it
 * (copybook parser, compiled decoders, code pages, framing, mappings) is reachable from here, and
 * `openRecordCodec` ties them together:
 *
 *   const codec = openRecordCodec({ mapping: 'mappings/records/company.yaml' });
 *   for await (const out of codec.decodeStream(createReadStream('COMPANY.DAT'))) {
 *     if (out.kind === 'event') publish(out.topic, out.key, out.value);
 *     else deadLetter(out);              // raw bytes, code, reason, record number, field, offset
 *   }
 *
 * Decoding never throws for bad record bytes (they become DeadLetter outcomes); it throws for bad
 * configuration (ConfigError, BANYAN_ERR_CODEC_*) and for a framing error in the stream
 * (BANYAN_ERR_FRAMING_*), because after a broken RDW nothing tells where the next record starts.
 */
import { loadCopybook } from './copybook/index.ts';
import { readRecords, writeRecords } from './framing/index.ts';
import type { FramingOptions } from './framing/options.ts';
import type { CodecOptions } from './compile/options.ts';
import type { DecodedRecord } from './compile/types.ts';
import { getCodePage } from './codepages/index.ts';
import type { CopybookLayout, RecordLayout } from './layout.ts';
import { loadRecordMapping, pickRecord, type BoundMapping } from './mapping/check.ts';
import { framingOptionsOf } from './mapping/framing.ts';
import { MappingErrors } from './mapping/errors.ts';
import {
  bindingFromMapping,
  compileBinding,
  type BoundRecordCodec,
  type DeadLetter,
  type DecodeOutcome,
  type RecordBinding,
} from './mapping/record-codec.ts';

export { parseCopybook, loadCopybook } from './copybook/index.ts';
export { compileRecordCodec } from './compile/index.ts';
export { getCodePage } from './codepages/index.ts';
export { readRecords, writeRecords } from './framing/index.ts';
export { DecodeError, EncodeError } from './errors.ts';
export { check as checkRecordMapping, loadRecordMapping } from './mapping/check.ts';
export type { BoundMapping } from './mapping/check.ts';
export type { CodecOptions } from './compile/options.ts';
export type { DecodedRecord, DecodedValue, RecordCodec } from './compile/types.ts';
export type { FramingOptions } from './framing/options.ts';
export type { DeadLetter, DecodeOutcome, NulledField, RecordEvent } from './mapping/record-codec.ts';
export type { CopybookLayout, RecordLayout } from './layout.ts';

/** Open from a mapping file (or an already loaded one). Options given here win over the file. */
export interface OpenFromMapping {
  readonly mapping: string | BoundMapping;
  readonly codec?: Partial<CodecOptions>;
  readonly framing?: FramingOptions;
  readonly codePage?: string;
}

/** Open straight from a copybook, without a mapping: COBOL names kept, no key, no topic. */
export interface OpenFromCopybook {
  readonly copybook: string | CopybookLayout;
  /** The 01 record; optional when the copybook has one. */
  readonly record?: string;
  /** Directory for COPY members; defaults to the copybook's directory. */
  readonly copybookDir?: string;
  readonly codePage?: string;
  readonly codec?: Partial<CodecOptions>;
  /** Default: F with the record's length. */
  readonly framing?: FramingOptions;
}

export interface OpenedRecordCodec {
  readonly record: RecordLayout;
  readonly framing: FramingOptions;
  readonly mapping?: BoundMapping;
  /** Output-name paths of masked fields (`contacts.phoneNumber`), for pino `redact` under the event value. */
  readonly sensitivePaths: readonly string[];
  /** One record's bytes -> event or dead letter (null: skipped by the mapping's segment rules). */
  decode(raw: Uint8Array, recordNumber: number): DecodeOutcome | null;
  /** An event value (mapping's output names) -> record bytes. Throws EncodeError. */
  encode(value: DecodedRecord): Uint8Array;
  /** Frames and decodes a byte stream in constant memory. */
  decodeStream(input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): AsyncIterable<DecodeOutcome>;
  /** Encodes event values and writes them framed to `output` (not ended). Rejects with the first EncodeError. */
  encodeStream(values: AsyncIterable<DecodedRecord> | Iterable<DecodedRecord>, output: NodeJS.WritableStream): Promise<void>;
}

export function openRecordCodec(spec: OpenFromMapping | OpenFromCopybook): OpenedRecordCodec {
  let binding: RecordBinding;
  let mapping: BoundMapping | undefined;
  let framing: FramingOptions;
  if ('mapping' in spec) {
    mapping = typeof spec.mapping === 'string' ? loadRecordMapping(spec.mapping) : spec.mapping;
    const overrides: Partial<CodecOptions> = { ...(spec.codePage ? { codePage: getCodePage(spec.codePage) } : {}), ...spec.codec };
    binding = bindingFromMapping(mapping, overrides);
    framing = spec.framing ?? framingOptionsOf(mapping.config.framing, mapping.record.length);
  } else {
    const copybook =
      typeof spec.copybook === 'string' ? loadCopybook(spec.copybook, spec.copybookDir ? { copybookDir: spec.copybookDir } : {}) : spec.copybook;
    let problem: string | undefined;
    const record = pickRecord(copybook, spec.record, (m) => (problem = m));
    if (!record) {
      const names = copybook.records.map((r) => r.name).join(', ');
      throw spec.record
        ? new MappingErrors.BANYAN_ERR_MAPPING_RECORD_UNKNOWN(spec.record, copybook.source, names)
        : new MappingErrors.BANYAN_ERR_MAPPING_RECORD_AMBIGUOUS(copybook.source, problem ? names : '');
    }
    binding = {
      record,
      codecOptions: { resolveCodePage: getCodePage, codePage: getCodePage(spec.codePage ?? 'cp037'), ...spec.codec },
      names: 'as-is',
      renames: new Map(),
      masks: new Map(),
      keyPaths: [],
    };
    framing = spec.framing ?? { format: 'F', recordLength: record.length };
  }
  const bound: BoundRecordCodec = compileBinding(binding);
  return {
    record: bound.record,
    framing,
    mapping,
    sensitivePaths: bound.sensitivePaths,
    decode: bound.decode,
    encode: bound.encode,
    async *decodeStream(input) {
      for await (const framed of readRecords(input, framing)) {
        const out = bound.decode(framed.bytes, framed.recordNumber);
        if (out) yield out;
      }
    },
    async encodeStream(values, output) {
      async function* encoded(): AsyncGenerator<Uint8Array> {
        for await (const value of values) yield bound.encode(value);
      }
      await writeRecords(encoded(), output, framing);
    },
  };
}

/** JSON for a dead letter: raw bytes as base64 and hex, the code, reason and where. */
export function deadLetterJson(dl: DeadLetter): Record<string, unknown> {
  const raw = Buffer.from(dl.raw.buffer, dl.raw.byteOffset, dl.raw.byteLength);
  return {
    recordNumber: dl.recordNumber,
    code: dl.code,
    reason: dl.reason,
    ...(dl.fieldPath !== undefined ? { fieldPath: dl.fieldPath } : {}),
    ...(dl.offset !== undefined ? { offset: dl.offset } : {}),
    raw: raw.toString('base64'),
    rawHex: raw.toString('hex').toUpperCase(),
  };
}

