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

/** A value ready for comparison: numbers are tagged, everything else is plain JSON. */
export type Cell = string | boolean | null | Cell[] | { [key: string]: Cell } | Tagged;
export type Tagged = { readonly $dec: string } | { readonly $f32: number } | { readonly $f64: number };
export type Row = { [key: string]: Cell };

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

// --- Spark-side shaping --------------------------------------------------------------------------

/** Cobrix SegmentIdAccumulator: Seg_Id0 = PREFIX_FILE_RECORDINDEX of the root; level n = ROOT_Ln_COUNT. */
class SegmentIds {
  private readonly levels: string[][];
  private readonly counts: number[];
  private level = -1;
  private root = '';
  constructor(
    levels: readonly string[],
    private readonly prefix: string,
    private readonly fileId: number,
  ) {
    this.levels = levels.map((l) => l.split(',').map((s) => s.trim()));
    this.counts = new Array<number>(levels.length + 1).fill(0);
  }
  acquire(segmentId: string, recordIndex: number): void {
    const level = this.levels.findIndex((ids) => ids.includes(segmentId) || ids.includes('_') || ids.includes('*'));
    if (level < 0) return;
    this.level = level;
    if (level === 0) {
      this.root = `${this.prefix}_${this.fileId}_${recordIndex}`;
      this.counts.fill(0);
    } else this.counts[level]!++;
  }
  levelId(level: number): string | null {
    if (level < 0 || level > this.level) return null;
    return level === 0 ? this.root : `${this.root}_L${level}_${this.counts[level]}`;
  }
}

/**
 * Cobrix's hierarchical reader (`segment-children`): a root segment starts a row; each child segment
 * is appended, as its branch's struct, to an array named after its branch inside the latest instance
 * of its parent. A row is emitted when the next root arrives (its Record_Id is that root's index,
 * Record_Byte_Length the sum of its records' lengths).
 */
class Hierarchy {
  private readonly parentOf = new Map<string, string>();
  private readonly childrenOf = new Map<string, readonly string[]>();
  private readonly branchOf = new Map<string, string>();
  private readonly latest = new Map<string, { [key: string]: Cell }>();
  private current: { body: { [key: string]: Cell }; bytes: number } | undefined;

  constructor(
    private readonly o: CobrixOptions,
    private readonly record: RecordLayout,
    private readonly rows: Row[],
  ) {
    for (const [parent, children] of Object.entries(o.segmentChildren!)) {
      this.childrenOf.set(spark(parent), children.map(spark));
      for (const child of children) this.parentOf.set(spark(child), spark(parent));
    }
    for (const [branch, ids] of Object.entries(o.redefineSegmentIdMap ?? {})) for (const id of ids) this.branchOf.set(id, spark(branch));
  }

  add(segmentId: string, body: { [key: string]: Cell }, index: number, bytes: number): void {
    const branch = this.branchOf.get(segmentId);
    if (!branch) return;
    const struct = (body[branch] ?? {}) as { [key: string]: Cell };
    for (const child of this.childrenOf.get(branch) ?? []) struct[child] = [];
    for (const [name, parent] of this.parentOf) if (parent === branch) this.latest.delete(name);
    this.latest.set(branch, struct);
    const parent = this.parentOf.get(branch);
    if (parent === undefined) {
      this.end(index);
      this.current = { body, bytes };
      return;
    }
    const owner = this.latest.get(parent);
    if (!owner || !this.current) return;
    (owner[branch] as Cell[]).push(struct);
    this.current.bytes += bytes;
  }

  end(nextIndex: number): void {
    if (!this.current) return;
    const row: Row = {};
    if (this.o.generateRecordId) {
      row.File_Id = { $dec: '0' };
      row.Record_Id = { $dec: String(nextIndex) };
      row.Record_Byte_Length = { $dec: String(this.current.bytes) };
    }
    if (this.o.schemaRetention === 'keep_original') row[spark(this.record.root.name)] = this.current.body;
    else Object.assign(row, this.current.body);
    this.rows.push(dropNulls(row) as Row);
    this.current = undefined;
  }
}

/** Decoded value (COBOL names) -> Spark row (names with `_`, numbers tagged, filler policies). */
function shape(field: Field, value: DecodedValue | undefined, o: CobrixOptions): Cell {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((v) => shapeOne(field, v, o));
  return shapeOne(field, value, o);
}

function shapeOne(field: Field, value: DecodedValue, o: CobrixOptions): Cell {
  if (value === null) return null;
  if (field.kind !== 'group') return tag(field, value);
  const out: { [key: string]: Cell } = {};
  const v = value as DecodedRecord;
  const fillerKeys = Object.keys(v).filter((k) => k.startsWith('FILLER_'));
  let fillerIndex = 0;
  let previous = spark(field.name);
  const dropValue = o.dropValueFillers ?? true;
  const dropGroup = o.dropGroupFillers ?? false;
  for (const child of field.children) {
    let key: string | undefined;
    if (child.isFiller) {
      key = fillerKeys[fillerIndex++];
      if (key === undefined) continue;
      if (child.kind === 'group' ? dropGroup : dropValue) continue;
      const name = o.fillerNamingPolicy === 'previous_field_name' ? `FILLER_AFTER_${previous}` : key;
      out[name] = shape(child, v[key], o);
      previous = name;
      continue;
    }
    key = child.name;
    if (!(key in v)) continue;
    // Cobrix: a group made only of fillers is a filler itself, dropped with the value fillers.
    if (dropValue && child.kind === 'group' && child.children.every((g) => g.isFiller)) continue;
    out[spark(child.name)] = shape(child, v[key], o);
    previous = spark(child.name);
  }
  return out;
}

function tag(field: Field, value: DecodedValue): Cell {
  switch (field.kind) {
    case 'float':
      return field.bytes === 4 ? { $f32: Number(value) } : { $f64: Number(value) };
    case 'binary':
      // Cobrix reads an unsigned 4- or 8-byte binary as a signed Java int/long and nulls it when that is
      // negative; Banyan keeps the unsigned value (DIFFERENCES.md, "Unsigned binary with the top bit set").
      if (!field.signed && field.scale === 0 && field.bytes >= 4 && BigInt(String(value)) >= 2n ** BigInt(8 * field.bytes - 1)) return null;
      return { $dec: canonicalDecimal(String(value)) };
    case 'zoned':
    case 'packed':
    case 'numeric-edited':
      return { $dec: canonicalDecimal(String(value)) };
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** Cobrix improved_null_detection: text whose bytes are all 0x00 is null. */
function nullZeroText(value: DecodedRecord, untrimmed: DecodedRecord): void {
  for (const key of Object.keys(value)) {
    const v = value[key];
    const u = untrimmed[key];
    if (typeof v === 'string' && typeof u === 'string' && u.length > 0 && /^\u0000+$/.test(u)) value[key] = null;
    else if (Array.isArray(v) && Array.isArray(u)) {
      v.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) nullZeroText(item as DecodedRecord, u[i] as DecodedRecord);
        else if (typeof item === 'string' && typeof u[i] === 'string' && /^\u0000+$/.test(u[i] as string)) v[i] = null;
      });
    } else if (v && typeof v === 'object' && u && typeof u === 'object') nullZeroText(v as DecodedRecord, u as DecodedRecord);
  }
}

/** Spark's toJSON leaves null struct fields out. */
function dropNulls(cell: Cell): Cell {
  if (Array.isArray(cell)) return cell.map(dropNulls);
  if (cell === null || typeof cell !== 'object' || isTagged(cell)) return cell;
  const out: { [key: string]: Cell } = {};
  for (const [k, v] of Object.entries(cell)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/** Spark `na.fill(0)`: top-level numeric columns that are null become 0. */
function fillNumericZero(row: Row, record: RecordLayout): Row {
  const out: Row = { ...row };
  if (record.root.kind !== 'group') return out;
  for (const child of record.root.children) {
    if (child.isFiller || child.occurs) continue;
    const numeric = ['zoned', 'packed', 'binary', 'numeric-edited', 'float'].includes(child.kind);
    if (numeric && out[spark(child.name)] === undefined) out[spark(child.name)] = { $dec: '0' };
  }
  return out;
}

function compareRows(a: Row, b: Row, columns: readonly string[]): number {
  const at = (row: Row, col: string): Cell | undefined =>
    col.split('.').reduce<Cell | undefined>((node, key) => (node && typeof node === 'object' && !Array.isArray(node) && !isTagged(node) ? node[key] : undefined), row);
  for (const col of columns) {
    const c = compareCells(at(a, col), at(b, col));
    if (c !== 0) return c;
  }
  return 0;
}

function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1; // Spark: nulls first ascending
  if (b === undefined || b === null) return 1;
  if (isTagged(a) && isTagged(b) && '$dec' in a && '$dec' in b) return compareDecimals(a.$dec, b.$dec);
  const x = String(isTagged(a) ? Object.values(a)[0] : a);
  const y = String(isTagged(b) ? Object.values(b)[0] : b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isTagged(cell: Cell): cell is Tagged {
  return cell !== null && typeof cell === 'object' && !Array.isArray(cell) && ('$dec' in cell || '$f32' in cell || '$f64' in cell) && Object.keys(cell).length === 1;
}

// --- exact decimals ------------------------------------------------------------------------------

/** `-000123.4500` -> `-123.45`, `1.5E+3` -> `1500`, `-0` -> `0`: a canonical exact form, no floats. */
export function canonicalDecimal(text: string): string {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const negative = m[1] === '-';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  let int = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  int = body;
  return negative && /[1-9]/.test(body) ? `-${int}` : int;
}

function compareDecimals(a: string, b: string): number {
  const scale = Math.max(fracLength(a), fracLength(b));
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
function fracLength(d: string): number {
  const i = d.indexOf('.');
  return i < 0 ? 0 : d.length - i - 1;
}
function scaled(d: string, scale: number): bigint {
  const [int, frac = ''] = d.split('.');
  return BigInt(`${int}${frac.padEnd(scale, '0')}`.replace(/^(-?)$/, '$10'));
}

// --- names ---------------------------------------------------------------------------------------

export function spark(cobolName: string): string {
  return cobolName.replace(/-/g, '_');
}

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
