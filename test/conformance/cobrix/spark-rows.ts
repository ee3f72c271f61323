/**
 * The Spark side of spark-cobol, for comparing with Cobrix's recorded output: rows shaped like
 * `df.toJSON` (names with `_`, generated Seg_Id columns, hierarchical nesting of child segments,
 * filler policies, nulls omitted, `na.fill(0)`, ordering) and numbers tagged for exact comparison.
 */
import type { DecodedRecord, DecodedValue } from '../../../src/codec/compile/types.ts';
import type { Field, RecordLayout } from '../../../src/codec/layout.ts';
import type { CobrixOptions } from './cases.ts';

/** A value ready for comparison: numbers are tagged, everything else is plain JSON. */
export type Cell = string | boolean | null | Cell[] | { [key: string]: Cell } | Tagged;
export type Tagged = { readonly $dec: string } | { readonly $f32: number } | { readonly $f64: number };
export type Row = { [key: string]: Cell };

// --- Spark-side shaping --------------------------------------------------------------------------

/** Cobrix SegmentIdAccumulator: Seg_Id0 = PREFIX_FILE_RECORDINDEX of the root; level n = ROOT_Ln_COUNT. */
export class SegmentIds {
  private readonly levels: string[][];
  private readonly counts: number[];
  private level = -1;
  private root = '';
  private readonly prefix: string;
  private readonly fileId: number;

  constructor(
    levels: readonly string[],
    prefix: string,
    fileId: number,
  ) {
    this.prefix = prefix;
    this.fileId = fileId;
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
export class Hierarchy {
  private readonly parentOf = new Map<string, string>();
  private readonly childrenOf = new Map<string, readonly string[]>();
  private readonly branchOf = new Map<string, string>();
  private readonly latest = new Map<string, { [key: string]: Cell }>();
  private current: { body: { [key: string]: Cell }; bytes: number } | undefined;

  private readonly o: CobrixOptions;
  private readonly record: RecordLayout;
  private readonly rows: Row[];

  constructor(
    o: CobrixOptions,
    record: RecordLayout,
    rows: Row[],
  ) {
    this.o = o;
    this.record = record;
    this.rows = rows;
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
export function shape(field: Field, value: DecodedValue | undefined, o: CobrixOptions): Cell {
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
export function nullZeroText(value: DecodedRecord, untrimmed: DecodedRecord): void {
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
export function dropNulls(cell: Cell): Cell {
  if (Array.isArray(cell)) return cell.map(dropNulls);
  if (cell === null || typeof cell !== 'object' || isTagged(cell)) return cell;
  const out: { [key: string]: Cell } = {};
  for (const [k, v] of Object.entries(cell)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/** Spark `na.fill(0)`: top-level numeric columns that are null become 0. */
export function fillNumericZero(row: Row, record: RecordLayout): Row {
  const out: Row = { ...row };
  if (record.root.kind !== 'group') return out;
  for (const child of record.root.children) {
    if (child.isFiller || child.occurs) continue;
    const numeric = ['zoned', 'packed', 'binary', 'numeric-edited', 'float'].includes(child.kind);
    if (numeric && out[spark(child.name)] === undefined) out[spark(child.name)] = { $dec: '0' };
  }
  return out;
}

export function compareRows(a: Row, b: Row, columns: readonly string[]): number {
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

export function spark(cobolName: string): string {
  return cobolName.replace(/-/g, '_');
}

