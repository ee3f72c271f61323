/**
 * Reads a Cobrix test file the way spark-cobol did for its spec, using Banyan's codec and framing,
 * and shapes the rows like Spark's `df.toJSON` so they can be compared with Cobrix's expected output:
 *
 * - codec and framing: Cobrix options -> CodecOptions / FramingOptions (code page, trimming, floats,
 *   RDW byte order and header counting, file and record offsets, segment REDEFINES, variable OCCURS);
 * - Spark-side columns Cobrix generates: File_Id, Record_Id, Record_Byte_Length, Seg_Id0..n (the
 *   algorithm of Cobrix's SegmentIdAccumulator), `schema_retention_policy`, filler policies, and the
 *   hierarchical reader's nesting of child segments (`segment-children`);
 * - Spark naming (`-` becomes `_`), `improved_null_detection` (text of all 0x00 bytes is null), null
 *   struct fields omitted, `orderBy`, `na.fill(0)`, `take(n)`.
 *
 * Numbers leave this module tagged with how to compare them (exact decimal, float32, float64) so the
 * comparison never goes through binary floating point for decimals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCopybook } from '../../../src/codec/copybook/index.ts';
import { compileRecordCodec } from '../../../src/codec/compile/index.ts';
import type { CodecOptions, RedefinesRule } from '../../../src/codec/compile/options.ts';
import type { DecodedRecord, DecodedValue, RecordCodec } from '../../../src/codec/compile/types.ts';
import { getCodePage } from '../../../src/codec/codepages/index.ts';
import { readRecordsSync } from '../../../src/codec/framing/index.ts';
import type { FramingOptions } from '../../../src/codec/framing/options.ts';
import { walkFields, type Field, type RecordLayout } from '../../../src/codec/layout.ts';
import type { CobrixCase, CobrixOptions } from './cases.ts';
import {
  Hierarchy,
  SegmentIds,
  compareRows,
  dropNulls,
  fillNumericZero,
  nullZeroText,
  shape,
  spark,
  type Cell,
  type Row,
} from './spark-rows.ts';


export function readCobrixCase(dataDir: string, c: CobrixCase): Row[] {
  const o = c.options;
  const layout = loadCopybook(join(dataDir, c.copybook), { floatFormat: o.floatingPointFormat === 'IEEE754' ? 'ieee754' : 'ibm-hex' });
  const record = layout.records[0]!;
  const options = codecOptions(record, o);
  const codec = compileRecordCodec(record, options);
  // A second codec without trimming tells text of all 0x00 bytes (improved_null_detection) from spaces.
  const raw = o.improvedNullDetection === false ? undefined : compileRecordCodec(record, { ...options, stringTrimming: 'keep_all' });
  const bytes = new Uint8Array(readFileSync(join(dataDir, c.data)));

  const rows: Row[] = [];
  const hierarchy = o.segmentChildren ? new Hierarchy(o, record, rows) : undefined;
  const segments = o.segmentIdLevels ? new SegmentIds(o.segmentIdLevels, o.segmentIdPrefix ?? '', 0) : undefined;
  const segmentField = o.segmentField ? findBySparkName(record, o.segmentField) : undefined;
  let recordIndex = 0;
  for (const rec of frames(bytes, record, codec, o)) {
    const value = codec.decode(rec, 0, rec.length, recordIndex + 1);
    if (raw) nullZeroText(value, raw.decode(rec, 0, rec.length, recordIndex + 1));
    const segmentId = segmentField ? textOf(valueAt(value, segmentField)) : undefined;
    const index = recordIndex++;
    if (o.segmentFilter !== undefined && segmentId !== o.segmentFilter) continue;
    segments?.acquire(segmentId ?? '', index);
    if (hierarchy) {
      hierarchy.add(segmentId ?? '', shape(record.root, value, o) as { [key: string]: Cell }, index, rec.length);
      continue;
    }

    const row: Row = {};
    if (o.generateRecordId) {
      row.File_Id = { $dec: '0' };
      row.Record_Id = { $dec: String(index) };
      row.Record_Byte_Length = { $dec: String(rec.length) };
    }
    if (segments) {
      for (let level = 0; level < o.segmentIdLevels!.length; level++) {
        const id = segments.levelId(level);
        if (id !== null) row[`Seg_Id${level}`] = id;
      }
    }
    const body = shape(record.root, value, o) as { [key: string]: Cell };
    if (o.schemaRetention === 'keep_original') row[spark(record.root.name)] = body;
    else Object.assign(row, body);
    for (const col of o.dropColumns ?? []) delete row[col];
    rows.push(dropNulls(row) as Row);
  }

  hierarchy?.end(recordIndex);
  let out = rows;
  if (c.orderBy) out = [...rows].sort((a, b) => compareRows(a, b, c.orderBy!));
  out = out.slice(0, c.take);
  if (c.naFillZero) out = out.map((r) => fillNumericZero(r, record));
  return out;
}

// --- codec and framing -------------------------------------------------------------------------

function codecOptions(record: RecordLayout, o: CobrixOptions): CodecOptions {
  const codePage =
    o.encoding === 'ascii'
      ? // Cobrix decodes ASCII text as UTF-8 unless `ascii_charset` names another charset.
        getCodePage(o.asciiCharset === 'ISO-8859-1' ? 'latin1' : 'utf8')
      : getCodePage(!o.ebcdicCodePage || o.ebcdicCodePage.startsWith('common') || o.ebcdicCodePage === 'cp037_extended' ? 'cp037' : o.ebcdicCodePage);
  const redefines: RedefinesRule[] = [];
  if (o.redefineSegmentIdMap && o.segmentField) {
    const selector = findBySparkName(record, o.segmentField).path;
    const when: Record<string, string> = {};
    let cluster: string | undefined;
    for (const [branch, ids] of Object.entries(o.redefineSegmentIdMap)) {
      cluster ??= branch;
      for (const id of ids) when[id] = branch;
    }
    redefines.push({ redefines: cluster!, selector, when, otherwise: 'none' });
  }
  const keepFillers = o.dropValueFillers === false || o.dropGroupFillers === false || (o.dropGroupFillers === undefined && hasGroupFiller(record));
  return {
    codePage,
    resolveCodePage: getCodePage,
    stringTrimming: o.stringTrimming ?? 'both',
    floatFormat: o.floatingPointFormat === 'IEEE754' ? 'ieee754' : 'ibm-hex',
    variableSizeOccurs: o.variableSizeOccurs ?? false,
    occursMappings: o.occursMappings ?? {},
    fillers: keepFillers ? 'keep' : 'drop',
    // Cobrix turns a field it cannot decode, or that lies past the end of a short record, into null.
    onError: 'null',
    shortRecord: 'null',
    redefines,
  };
}

/** The record byte ranges of a file, as spark-cobol's reader for these options splits it. */
function* frames(bytes: Uint8Array, record: RecordLayout, codec: RecordCodec, o: CobrixOptions): Generator<Uint8Array> {
  const common = { fileStartOffset: o.fileStartOffset ?? 0, fileEndOffset: o.fileEndOffset ?? 0 };
  const start = o.recordStartOffset ?? 0;
  const end = o.recordEndOffset ?? 0;
  if (o.customRdwParser === 'Test10CustomRDWParser') {
    // Cobrix's test parser: a 5-byte header, byte 0 = 1 for a valid record, length little-endian in bytes 3-4.
    const framing: FramingOptions = { ...common, format: 'length-field', bytesNeeded: 5, recordLength: (p) => 5 + p[3]! + 256 * p[4]! };
    for (const r of readRecordsSync(bytes, framing)) if (r.bytes[0] === 1) yield r.bytes.subarray(5);
    return;
  }
  if (o.recordLengthField) {
    // Cobrix `record_length_field`: the field's value plus `rdw_adjustment` is the whole record's length.
    const f = findBySparkName(record, o.recordLengthField);
    const lengthCodec = compileRecordCodec(record, { codePage: getCodePage('cp037'), shortRecord: 'null', onError: 'null' });
    const framing: FramingOptions = {
      ...common,
      format: 'length-field',
      bytesNeeded: f.offset + f.length,
      recordLength: (prefix) => Number(valueAt(lengthCodec.decode(prefix, 0, prefix.length), f)),
      adjustment: o.rdwAdjustment ?? 0,
    };
    for (const r of readRecordsSync(bytes, framing)) yield r.bytes;
    return;
  }
  if (o.recordFormat === 'V') {
    const framing: FramingOptions = {
      ...common,
      format: 'V',
      rdw: { byteOrder: o.isRdwBigEndian ? 'big' : 'little', includesHeader: o.isRdwPartOfRecordLength ?? false, adjustment: o.rdwAdjustment ?? 0 },
    };
    for (const r of readRecordsSync(bytes, framing)) yield r.bytes.subarray(start, r.bytes.length - end);
    return;
  }
  if (o.variableSizeOccurs) {
    // Cobrix VarOccursRecordExtractor: each record is as long as its OCCURS DEPENDING ON counts make it.
    let pos = common.fileStartOffset;
    const stop = bytes.length - common.fileEndOffset;
    while (pos < stop) {
      const value = codec.decode(bytes, pos, stop);
      const length = Math.max(1, actualLength(record.root, value));
      yield bytes.subarray(pos, Math.min(pos + length, stop));
      pos += length;
    }
    return;
  }
  const framing: FramingOptions = { ...common, format: 'F', recordLength: record.length + start + end };
  for (const r of readRecordsSync(bytes, framing)) yield r.bytes.subarray(start, r.bytes.length - end);
}

/** Bytes a record occupies when tables after OCCURS DEPENDING ON take only their actual count. */
function actualLength(field: Field, value: DecodedValue | undefined): number {
  const one = (v: DecodedValue | undefined): number => {
    if (field.kind !== 'group') return field.length;
    let size = 0;
    let cursor = 0;
    for (const child of field.children) {
      const childValue = v && typeof v === 'object' && !Array.isArray(v) ? (v as DecodedRecord)[child.name] : undefined;
      const len = actualLength(child, childValue);
      if (child.redefines) size = Math.max(size, cursor - lastLength + len);
      else {
        cursor += len;
        size = Math.max(size, cursor);
        lastLength = len;
      }
    }
    return size;
  };
  let lastLength = 0;
  if (!field.occurs) return one(value);
  const items = Array.isArray(value) ? value : [];
  const count = field.occurs.dependingOn ? items.length : field.occurs.max;
  let total = 0;
  for (let i = 0; i < count; i++) total += one(items[i]);
  return total;
}

// --- names ---------------------------------------------------------------------------------------

function findBySparkName(record: RecordLayout, name: string): Field {
  for (const f of walkFields(record.root)) if (!f.isFiller && spark(f.name) === name) return f;
  throw new Error(`no field ${name} in ${record.name}`);
}

function hasGroupFiller(record: RecordLayout): boolean {
  for (const f of walkFields(record.root)) if (f.isFiller && f.kind === 'group') return true;
  return false;
}

function valueAt(value: DecodedRecord, field: Field): DecodedValue | undefined {
  let node: DecodedValue | undefined = value;
  for (const seg of field.path.split('.').slice(1)) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as DecodedRecord)[seg];
  }
  return node;
}

function textOf(v: DecodedValue | undefined): string {
  return v === null || v === undefined ? '' : String(v).trim();
}
