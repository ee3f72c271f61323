/**
 * A record codec bound to a mapping: compiled decoder/encoder + segment and REDEFINES rules + output
 * names + masks + entity key + topic. This is what bridges and `banyan decode/encode` use: bytes in,
 * `RecordEvent` or `DeadLetter` out, never an exception for bad data.
 *
 * Decoding one record:
 *   1. decode with the mapping's record layout (REDEFINES rules and segment branches applied by the
 *      compiled codec, so an unused branch's bytes are never interpreted);
 *   2. read the segment id (when `segments:` is set): an unknown id is dead-lettered (or skipped);
 *      a case naming another 01 record decodes the bytes again with that layout;
 *   3. shape the value (names, masks), compute the key from the key fields, pick the topic.
 * A DecodeError at any step becomes a DeadLetter carrying the raw bytes, the rule's code, the field
 * path and the byte offset (the dead-letter contract).
 */
import { compileRecordCodec, compileSegmentedCodec, fieldErrors } from '../compile/index.ts';
import type { CodecOptions, RedefinesRule } from '../compile/options.ts';
import type { DecodedRecord, DecodedValue, RecordCodec } from '../compile/types.ts';
import { getCodePage } from '../codepages/index.ts';
import { DecodeError, EncodeError } from '../errors.ts';
import { walkFields, type CopybookLayout, type Field, type RecordLayout } from '../layout.ts';
import type { BoundMapping, BoundSegmentCase } from './check.ts';
import { MappingErrors } from './errors.ts';
import { compileRecordShape, type RecordShape } from './shape.ts';
import type { NamingStyle } from './naming.ts';
import type { MaskConfig } from './schema.ts';

/** A record decoded and shaped for its topic. */
export interface RecordEvent {
  readonly kind: 'event';
  /** Entity key (key field values joined by '|'), null when the mapping names no key. */
  readonly key: string | null;
  readonly value: DecodedRecord;
  /** Topic from the segment case or the mapping; undefined when neither names one. */
  readonly topic: string | undefined;
  /** Segment id that selected the layout, when the mapping has `segments:`. */
  readonly segment?: string;
  readonly raw: Uint8Array;
  readonly recordNumber: number;
  /** With the `null` error policy: the fields that were nulled because their bytes broke a rule. */
  readonly nulledFields?: readonly NulledField[];
}

/** A field nulled under the `null` error policy, flagged on its event. */
export interface NulledField {
  readonly fieldPath: string;
  readonly code: string;
  readonly offset: number;
  readonly hex: string;
}

/** A record that could not be decoded: everything a dead-letter topic entry needs. */
export interface DeadLetter {
  readonly kind: 'dlq';
  readonly raw: Uint8Array;
  /** Human message: record, field, offset, bytes and the rule. */
  readonly reason: string;
  /** Stable code, e.g. BANYAN_ERR_DECODE_PACKED_SIGN. */
  readonly code: string;
  readonly recordNumber: number;
  readonly fieldPath?: string;
  /** 0-based byte offset of the field inside the record. */
  readonly offset?: number;
  readonly hex?: string;
  /** The rule broken, when the mapping states it (the codec's own rules are DECODE_RULES[code]). */
  readonly rule?: string;
}

export type DecodeOutcome = RecordEvent | DeadLetter;

export interface BoundRecordCodec {
  /** Decodes one record's bytes; `null` when the mapping says to skip it (unknown segment with `otherwise: skip`). */
  decode(raw: Uint8Array, recordNumber: number): DecodeOutcome | null;
  /** Encodes an event value (output names) back to record bytes; throws EncodeError. */
  encode(value: DecodedRecord): Uint8Array;
  readonly record: RecordLayout;
  readonly codec: RecordCodec;
  /** Output-name paths (`contacts.phoneNumber`) of masked fields: pino redact paths for logs that carry values. */
  readonly sensitivePaths: readonly string[];
}

/** What the codec needs, whether it comes from a mapping file or from CLI flags. */
export interface RecordBinding {
  readonly record: RecordLayout;
  /** The whole copybook: segment ids are read from it with a one-field decoder before choosing a layout. */
  readonly copybook?: CopybookLayout;
  readonly codecOptions: CodecOptions;
  readonly names: NamingStyle;
  readonly renames: ReadonlyMap<string, string>;
  readonly masks: ReadonlyMap<string, MaskConfig>;
  readonly maskHashKey?: string;
  readonly keyPaths: readonly string[];
  readonly topic?: string;
  readonly segments?: BoundMapping['segments'];
}

/** The binding a mapping file describes. `overrides` lets CLI flags win over the file. */
export function bindingFromMapping(mapping: BoundMapping, overrides: Partial<CodecOptions> = {}): RecordBinding {
  const c = mapping.config;
  const redefines: RedefinesRule[] = mapping.redefines.map((r) => ({
    redefines: r.branchPaths[0]!,
    selector: r.byPath,
    when: Object.fromEntries([...r.cases].map(([value, path]) => [value, lastName(path)])),
    otherwise: r.otherwise,
  }));
  if (mapping.segments) {
    // Cobrix `redefine-segment-id-map`: each segment id keeps its own REDEFINES branch. Group the
    // cases by the REDEFINES they pick a branch of, one rule per group.
    const byCluster = new Map<string, Record<string, string>>();
    for (const [id, seg] of mapping.segments.byId) {
      if (!seg.branchPath) continue;
      const cluster = clusterOf(mapping.record, seg.branchPath);
      const when = byCluster.get(cluster) ?? {};
      when[id] = lastName(seg.branchPath);
      byCluster.set(cluster, when);
    }
    for (const [cluster, when] of byCluster) {
      redefines.push({ redefines: cluster, selector: mapping.segments.fieldPath, when, otherwise: mapping.segments.otherwise === 'all' ? 'all' : 'none' });
    }
  }
  const record = withFieldCodePages(mapping.record, mapping.fieldCodePages);
  return {
    record,
    copybook: mapping.copybook,
    codecOptions: {
      resolveCodePage: getCodePage,
      codePage: getCodePage(c.codepage),
      floatFormat: c.float_format,
      floatEndianness: c.binary_byte_order,
      binaryEndianness: c.binary_byte_order,
      stringTrimming: c.trimming,
      blankNumbers: c.blank_numbers,
      decimals: c.decimals,
      redefines,
      variableSizeOccurs: c.variable_occurs,
      occursMappings: Object.fromEntries(Object.entries(c.occurs_mappings).map(([table, map]) => [lastName(table), map])),
      fillers: c.fillers,
      onError: c.on_error === 'null' ? 'null' : 'fail',
      ...overrides,
    },
    names: c.names,
    renames: mapping.renames,
    masks: mapping.masks,
    maskHashKey: c.mask_hash_key,
    keyPaths: mapping.keyPaths,
    topic: c.topic,
    segments: mapping.segments,
  };
}

export function compileBinding(binding: RecordBinding): BoundRecordCodec {
  const codec = compileRecordCodec(binding.record, binding.codecOptions);
  const shapeRules = {
    names: binding.names,
    renames: binding.renames,
    masks: binding.masks,
    maskHashKey: binding.maskHashKey,
    passUnknownKeys: binding.codecOptions.fillers === 'keep',
  };
  const shape = compileRecordShape(binding.record, shapeRules);
  const readKey = keyReader(binding.keyPaths, binding.record);
  const segments = binding.segments;
  // When a segment case names another 01 record, the segment id is read on its own first (one field
  // decode), so a segment decodes only with its own layout and a header record never fails the detail
  // record's rules. Otherwise one decode serves both: the codec's REDEFINES rule picks the branch.
  const otherRecords = [...(segments?.byId.values() ?? [])].some((c) => c.record !== undefined);
  const idReader =
    segments && binding.copybook && otherRecords
      ? compileSegmentedCodec(binding.copybook, { segmentField: segments.fieldPath, segments: {} }, { ...binding.codecOptions, redefines: [] })
      : undefined;
  const readSegment = (raw: Uint8Array): string => (idReader?.segmentId(raw, 0, raw.length) ?? '').trimEnd();
  const readSegmentValue = segments ? valueReader(segments.fieldPath, binding.record) : undefined;
  const unknownSegment = segments ? unknownSegmentReport(segments, binding.record) : undefined;

  // Segment cases that decode with another 01 record get their own codec, shape and key.
  const perCase = new Map<BoundSegmentCase, { codec: RecordCodec; shape: RecordShape; key: (v: DecodedRecord) => string | null }>();
  for (const seg of segments?.byId.values() ?? []) {
    if (perCase.has(seg) || (!seg.record && !seg.keyPaths)) continue;
    const rec = seg.record ?? binding.record;
    perCase.set(seg, {
      // The mapping's REDEFINES rules name the main record's fields; another 01 record decodes all its branches.
      codec: seg.record ? compileRecordCodec(rec, { ...binding.codecOptions, redefines: [] }) : codec,
      shape: seg.record ? compileRecordShape(rec, shapeRules) : shape,
      key: keyReader(seg.keyPaths ?? binding.keyPaths, rec),
    });
  }

  return {
    record: binding.record,
    codec,
    sensitivePaths: [...binding.masks.keys()].map((p) => shape.outputPath(p)),
    decode(raw, recordNumber) {
      try {
        let currentCodec = codec;
        let currentShape = shape;
        let key = readKey;
        let topic = binding.topic;
        let segment: string | undefined;
        let value: DecodedRecord | undefined;
        if (segments) {
          if (idReader) segment = readSegment(raw);
          else {
            value = codec.decode(raw, 0, raw.length, recordNumber);
            segment = segmentText(readSegmentValue!(value));
          }
          const seg = segments.byId.get(segment);
          if (!seg) {
            if (segments.otherwise === 'skip') return null;
            if (segments.otherwise === 'dlq') {
              const err = new MappingErrors.BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT(segment, segments.fieldPath);
              const where = unknownSegment!(raw);
              return { kind: 'dlq', raw, reason: `record ${recordNumber}: ${err.message} (offset ${where.offset}, bytes ${where.hex})`, code: err.code, recordNumber, fieldPath: segments.fieldPath, ...where };
            }
          } else {
            topic = seg.topic ?? topic;
            const special = perCase.get(seg);
            if (special) {
              currentCodec = special.codec;
              currentShape = special.shape;
              key = special.key;
            }
          }
        }
        if (value === undefined || currentCodec !== codec) value = currentCodec.decode(raw, 0, raw.length, recordNumber);
        const errors = fieldErrors(value);
        const nulledFields = errors.length === 0 ? undefined : errors.map((e) => ({ fieldPath: e.fieldPath, code: e.code, offset: e.byteOffset, hex: e.hex }));
        return { kind: 'event', key: key(value), value: currentShape.toEvent(value), topic, segment, raw, recordNumber, nulledFields };
      } catch (err) {
        if (err instanceof DecodeError) {
          return {
            kind: 'dlq',
            raw,
            reason: err.message,
            code: err.code,
            recordNumber,
            fieldPath: err.fieldPath,
            offset: err.byteOffset,
            hex: err.hex,
          };
        }
        throw err;
      }
    },
    encode(value) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new EncodeError('BANYAN_ERR_ENCODE_TYPE', binding.record.name, 'a record must be a JSON object');
      }
      return codec.encode(shape.fromEvent(value));
    },
  };
}

/** Reads the value at a layout path from a decoded record (COBOL names, root collapsed). */
/** Where an unknown segment id sits (offset, its bytes in hex) and the rule it broke, for its dead letter. */
function unknownSegmentReport(
  segments: NonNullable<RecordBinding['segments']>,
  record: RecordLayout,
): (raw: Uint8Array) => { offset: number; hex: string; rule: string } {
  let field: Field | undefined;
  for (const f of walkFields(record.root)) if (f.path === segments.fieldPath) field = f;
  const offset = field?.offset ?? 0;
  const length = field?.length ?? 0;
  const rule = `segment id must be one of the ids in the mapping's segments.cases (${[...segments.byId.keys()].join(', ')})`;
  return (raw) => ({ offset, hex: Buffer.from(raw.subarray(offset, offset + length)).toString('hex').toUpperCase(), rule });
}

function valueReader(path: string, record: RecordLayout): (v: DecodedRecord) => DecodedValue | undefined {
  const segments = path.split('.').slice(1);
  if (record.root.kind !== 'group') return (v) => v[record.root.name];
  return (v) => {
    let node: DecodedValue | undefined = v;
    for (const s of segments) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = (node as DecodedRecord)[s];
    }
    return node;
  };
}

function keyReader(paths: readonly string[], record: RecordLayout): (v: DecodedRecord) => string | null {
  if (paths.length === 0) return () => null;
  const readers = paths.map((p) => valueReader(p, record));
  if (readers.length === 1) {
    const only = readers[0]!;
    return (v) => keyText(only(v));
  }
  return (v) => readers.map((r) => keyText(r(v))).join('|');
}

function segmentText(value: DecodedValue | undefined): string {
  return value === null || value === undefined ? '' : String(value).trimEnd();
}

function keyText(value: DecodedValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/** The path of the REDEFINES cluster's first item (the redefined one) for a branch path. */
function clusterOf(record: RecordLayout, branchPath: string): string {
  for (const f of walkFields(record.root)) {
    if (f.path === branchPath) {
      if (!f.redefines) return f.path;
      const parts = f.path.split('.');
      parts[parts.length - 1] = f.redefines.split('.').pop()!;
      return parts.join('.');
    }
  }
  return branchPath;
}

function lastName(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** A copy of the layout with per-field code pages from the mapping (ElementaryBase.codePage). */
export function withFieldCodePages(record: RecordLayout, codePages: ReadonlyMap<string, string>): RecordLayout {
  if (codePages.size === 0) return record;
  const visit = (f: Field): Field => {
    if (f.kind === 'group') return { ...f, children: f.children.map(visit) };
    const cp = codePages.get(f.path);
    return cp ? { ...f, codePage: cp } : f;
  };
  return { ...record, root: visit(record.root) };
}
