/**
 * Multi-segment records (Cobrix `segment_field` + `redefine-segment-id-map`, JRecord "record
 * selection"): one field, at the same place in every segment, holds a segment id; its value picks
 * which 01 record of the copybook the bytes are. `compileSegmentedCodec` compiles each mapped
 * record once and reads the id with the id field's own compiled decoder.
 */
import type { CopybookLayout, ElementaryField, Field, RecordLayout } from '../layout.ts';
import { CodecCompileErrors, decodeError, toHex } from '../errors.ts';
import { compileRecordCodec } from './index.ts';
import type { CodecOptions } from './options.ts';
import type { DecodedRecord, RecordCodec } from './types.ts';

export interface SegmentOptions {
  /** The segment id field (path or name), looked up in the first record that has it. */
  readonly segmentField: string;
  /** Segment id (trimmed text, or the number as text) -> 01 record name. */
  readonly segments: Readonly<Record<string, string>>;
  /** Record for ids not in `segments`; without it an unknown id is BANYAN_ERR_DECODE_SEGMENT. */
  readonly otherwise?: string;
}

export interface SegmentedCodec {
  /** The id read from the record's bytes (trimmed), or null when blank. */
  segmentId(bytes: Uint8Array, start?: number, end?: number): string | null;
  /** The codec for a segment id, undefined when no record is mapped to it. */
  codecFor(segmentId: string): RecordCodec | undefined;
  /** Selects the record by the id in the bytes and decodes; throws DecodeError for an unknown id. */
  decode(bytes: Uint8Array, start?: number, end?: number, recordNumber?: number): { record: string; segmentId: string; value: DecodedRecord };
}

export function compileSegmentedCodec(layout: CopybookLayout, segment: SegmentOptions, options: CodecOptions = {}): SegmentedCodec {
  const { record: idRecord, field: idField } = findField(layout, segment.segmentField);
  const idCodec = compileRecordCodec(singleFieldRecord(idRecord, idField), { ...options, onError: 'fail', shortRecord: 'null' });
  const codecs = new Map<string, RecordCodec>();
  const byName = (name: string): RecordCodec => {
    const r = layout.records.find((x) => x.name === name);
    if (!r) throw new CodecCompileErrors.BANYAN_ERR_CODEC_FIELD(name, layout.source);
    return compileRecordCodec(r, options);
  };
  for (const [id, name] of Object.entries(segment.segments)) codecs.set(id.trim(), byName(name));
  const fallback = segment.otherwise === undefined ? undefined : byName(segment.otherwise);
  const recordNameOf = new Map<RecordCodec, string>();
  for (const c of [...codecs.values(), ...(fallback ? [fallback] : [])]) recordNameOf.set(c, c.layout.name);

  function segmentId(bytes: Uint8Array, start = 0, end = bytes.length): string | null {
    const v = idCodec.decode(bytes, start, end)[idField.name];
    return v === null || v === undefined ? null : String(v).trim();
  }

  return {
    segmentId,
    codecFor: (id) => codecs.get(id.trim()) ?? fallback,
    decode(bytes, start = 0, end = bytes.length, recordNumber = 0) {
      const id = segmentId(bytes, start, end);
      const codec = id === null ? fallback : (codecs.get(id) ?? fallback);
      if (!codec) {
        throw decodeError(
          'BANYAN_ERR_DECODE_SEGMENT',
          { recordNumber, fieldPath: idField.path, byteOffset: idField.offset, hex: toHex(bytes, start + idField.offset, start + idField.offset + idField.length) },
          `segment id ${JSON.stringify(id)}`,
        );
      }
      return { record: recordNameOf.get(codec)!, segmentId: id ?? '', value: codec.decode(bytes, start, end, recordNumber) };
    },
  };
}

function findField(layout: CopybookLayout, ref: string): { record: RecordLayout; field: ElementaryField } {
  const upper = ref.toUpperCase();
  for (const record of layout.records) {
    const all: Field[] = [];
    const walk = (f: Field) => {
      all.push(f);
      if (f.kind === 'group') f.children.forEach(walk);
    };
    walk(record.root);
    const hit = all.find((f) => f.path.toUpperCase() === upper) ?? all.find((f) => f.path.toUpperCase().endsWith(`.${upper}`)) ?? all.find((f) => f.name.toUpperCase() === upper);
    if (hit && hit.kind !== 'group') return { record, field: hit };
  }
  throw new CodecCompileErrors.BANYAN_ERR_CODEC_FIELD(ref, layout.source);
}

/** A record holding only the id field at its offset, so reading the id costs one field decode. */
function singleFieldRecord(record: RecordLayout, field: ElementaryField): RecordLayout {
  const root = record.root;
  return {
    name: `${record.name}#${field.path}`,
    length: record.length,
    renames: [],
    root: root.kind === 'group' ? { ...root, children: [{ ...field, occurs: undefined, redefines: undefined, redefinedBy: undefined, isFiller: false }] } : { ...field, isFiller: false },
  };
}
