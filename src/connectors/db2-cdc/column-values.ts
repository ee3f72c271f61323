/**
 * Captured column values (the port's SqlValue, sql-port.ts) -> the JSON values of a change event's
 * before/after images (change-event.ts ColumnValue), with exact types. Pure; one mapper per table,
 * built once from the CD table's columns.
 *
 * Per Db2 type (Db2 SQL Reference, "Data types"; Debezium's Db2 connector for the JSON shapes):
 * - SMALLINT, INTEGER -> number; REAL, DOUBLE, FLOAT -> number (binary floats already);
 * - BIGINT -> decimal string (exact past 2^53);
 * - DECIMAL/NUMERIC -> decimal string, plain notation, leading zeros dropped, the declared scale
 *   kept ('12.50' for DECIMAL(5,2)); DECFLOAT -> decimal string in plain notation (1.5E+3 -> '1500',
 *   the coefficient's digits kept), 'Infinity' / '-Infinity' / 'NaN' as Db2 spells its specials;
 *   never a JS number, so no binary rounding (DESIGN.md "Contracts worth keeping stable");
 * - DATE 'YYYY-MM-DD', TIME 'HH:MM:SS', TIMESTAMP(p) 'YYYY-MM-DDTHH:MM:SS[.f{p}]' (ISO 8601 local
 *   time, as Db2 stores it without a zone), the fraction padded to the declared p (0..12) and every
 *   digit kept;
 * - CHAR, VARCHAR, GRAPHIC, VARGRAPHIC (and LONG forms) -> the text as stored (CHAR padding kept);
 * - CLOB, DBCLOB, XML -> text; BLOB -> base64; all four limited to `lobMaxBytes` (UTF-8 bytes for
 *   text, as that is what reaches Kafka): over it, BANYAN_ERR_CDC_LOB_TOO_LARGE names the table,
 *   column, size and limit, and the reader dead-letters the row instead of writing a cut value;
 * - CHAR/VARCHAR FOR BIT DATA, BINARY, VARBINARY -> base64, or, for a column with a copybook
 *   mapping (legacy records kept in a bit-data column), the decoded record (src/codec), whose
 *   decode failure is BANYAN_ERR_CDC_COPYBOOK_DECODE_FAILED with the codec's field/offset reason;
 * - BOOLEAN -> boolean; NULL -> null.
 * A value that does not fit its column's type is BANYAN_ERR_CDC_VALUE_INVALID naming table and
 * column: it means the driver or the stand-in broke the port's contract, never something to guess.
 */
import type { DecodeOutcome } from '../../codec/index.ts';
import type { ColumnValue, RowImage } from './change-event.ts';
import type { SqlColumn, SqlValue } from './sql-port.ts';
import { CdcErrors } from './errors.ts';
import { dateText, timestampText, timeText } from './db2-datetime.ts';

/** A CD table column as its catalog (SYSCAT.COLUMNS / SYSIBM.SYSCOLUMNS) describes it. */
export interface CapturedColumn extends SqlColumn {
  /** DECIMAL precision, or the declared length (characters or bytes). */
  readonly length?: number;
  /** DECIMAL scale; TIMESTAMP fractional digits (0..12). */
  readonly scale?: number;
}

/** Decodes a legacy record held in a bit-data column: what `openRecordCodec` returns fits. */
export interface BitDataCodec {
  /** The mapping's name, for messages. */
  readonly name: string;
  decode(raw: Uint8Array, recordNumber: number): DecodeOutcome | null;
}

export interface ColumnMapperOptions {
  /** `SCHEMA.TABLE` of the source table, for messages. */
  readonly table: string;
  /** Largest CLOB/DBCLOB/BLOB/XML value written, in bytes. */
  readonly lobMaxBytes: number;
  /** Bit-data columns decoded through a copybook mapping, by column name; others are base64. */
  readonly bitDataCodecs?: ReadonlyMap<string, BitDataCodec>;
}

export type RowMapper = (row: readonly SqlValue[]) => RowImage;

/** Compiles the mapper of one table's rows (columns in result order, as the reader selects them). */
export function createRowMapper(columns: readonly CapturedColumn[], options: ColumnMapperOptions): RowMapper {
  const mappers = columns.map((c) => columnMapper(c, options));
  return (row) => {
    const image: Record<string, ColumnValue> = {};
    for (let i = 0; i < columns.length; i++) image[columns[i].name] = mappers[i](row[i] ?? null);
    return image;
  };
}

/** One value; throws BANYAN_ERR_CDC_VALUE_INVALID / _LOB_TOO_LARGE / _COPYBOOK_DECODE_FAILED. */
export function columnValue(column: CapturedColumn, value: SqlValue, options: ColumnMapperOptions): ColumnValue {
  return columnMapper(column, options)(value);
}

type ValueMapper = (value: SqlValue) => ColumnValue;

function columnMapper(column: CapturedColumn, options: ColumnMapperOptions): ValueMapper {
  const type = column.type.toUpperCase().replace(/\s*\(.*\)$/, '').trim();
  const bad = (why: string): never => {
    throw new CdcErrors.BANYAN_ERR_CDC_VALUE_INVALID(options.table, column.name, column.type, why);
  };
  const nullable = (map: (v: Exclude<SqlValue, null>) => ColumnValue): ValueMapper => (v) => (v === null ? null : map(v));
  const text = (v: Exclude<SqlValue, null>): string => (typeof v === 'string' ? v : bad(`expected text, got ${describeValue(v)}`));

  if (column.forBitData || type === 'BINARY' || type === 'VARBINARY') {
    const codec = options.bitDataCodecs?.get(column.name);
    let recordNumber = 0;
    return nullable((v) => {
      if (!Buffer.isBuffer(v)) return bad(`expected bytes, got ${describeValue(v)}`);
      if (!codec) return v.toString('base64');
      const out = codec.decode(v, ++recordNumber);
      if (out === null) throw new CdcErrors.BANYAN_ERR_CDC_COPYBOOK_DECODE_FAILED(options.table, column.name, codec.name, 'the mapping skips this record (no segment case matches)');
      if (out.kind === 'dlq') throw new CdcErrors.BANYAN_ERR_CDC_COPYBOOK_DECODE_FAILED(options.table, column.name, codec.name, `${out.code}: ${out.reason}`);
      return exactJson(out.value) as ColumnValue;
    });
  }
  switch (type) {
    case 'SMALLINT':
    case 'INTEGER':
    case 'INT':
      return nullable((v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
        return Number.isSafeInteger(n) ? n : bad(`expected an integer, got ${describeValue(v)}`);
      });
    case 'REAL':
    case 'DOUBLE':
    case 'FLOAT':
      return nullable((v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        return Number.isNaN(n) ? bad(`expected a floating-point number, got ${describeValue(v)}`) : n;
      });
    case 'BIGINT':
      return nullable((v) => {
        if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : bad(`BIGINT ${v} came as an inexact number`);
        const m = /^\s*([+-]?)0*(\d+)\s*$/.exec(text(v));
        return m ? (m[1] === '-' && m[2] !== '0' ? `-${m[2]}` : m[2]) : bad(`expected BIGINT digits, got ${describeValue(v)}`);
      });
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC':
    case 'NUM':
      return nullable((v) => decimalText(typeof v === 'number' ? bad(`DECIMAL came as a binary number ${v}`) : text(v), column.scale) ?? bad(`expected decimal digits, got ${describeValue(v)}`));
    case 'DECFLOAT':
      return nullable((v) => decfloatText(typeof v === 'number' ? bad(`DECFLOAT came as a binary number ${v}`) : text(v)) ?? bad(`expected a DECFLOAT, got ${describeValue(v)}`));
    case 'DATE':
      return nullable((v) => dateText(text(v)) ?? bad(`expected a date, got ${describeValue(v)}`));
    case 'TIME':
      return nullable((v) => timeText(text(v)) ?? bad(`expected a time, got ${describeValue(v)}`));
    case 'TIMESTAMP':
      return nullable((v) => isoTimestamp(text(v), column.scale) ?? bad(`expected a timestamp${column.scale === undefined ? '' : ` with at most ${column.scale} fractional digits`}, got ${describeValue(v)}`));
    case 'BOOLEAN':
      return nullable((v) => {
        const t = typeof v === 'number' ? String(v) : text(v).trim().toLowerCase();
        if (t === 'true' || t === 't' || t === '1') return true;
        if (t === 'false' || t === 'f' || t === '0') return false;
        return bad(`expected a boolean, got ${describeValue(v)}`);
      });
    case 'CLOB':
    case 'DBCLOB':
    case 'XML':
      return nullable((v) => {
        const t = text(v);
        const size = Buffer.byteLength(t, 'utf8');
        if (size > options.lobMaxBytes) throw new CdcErrors.BANYAN_ERR_CDC_LOB_TOO_LARGE(options.table, column.name, column.type, size, options.lobMaxBytes);
        return t;
      });
    case 'BLOB':
      return nullable((v) => {
        if (!Buffer.isBuffer(v)) return bad(`expected bytes, got ${describeValue(v)}`);
        if (v.length > options.lobMaxBytes) throw new CdcErrors.BANYAN_ERR_CDC_LOB_TOO_LARGE(options.table, column.name, column.type, v.length, options.lobMaxBytes);
        return v.toString('base64');
      });
    default:
      // CHAR, VARCHAR, LONG VARCHAR, GRAPHIC, VARGRAPHIC, LONG VARGRAPHIC and anything newer: text as stored.
      return nullable((v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'number' ? bad(`expected text, got ${describeValue(v)}`) : v));
  }
}

/**
 * Decimal text in plain notation with the declared scale: ' 0012.5' (scale 2) -> '12.50',
 * '-.5' -> '-0.5', '-0.00' -> '0.00'. A fraction longer than the scale is refused (null), never cut.
 */
export function decimalText(raw: string, scale?: number): string | null {
  const m = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(raw.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const whole = m[2].replace(/^0+(?=\d)/, '') || '0';
  let fraction = m[3] ?? '';
  if (scale !== undefined) {
    if (fraction.length > scale) {
      if (/[^0]/.test(fraction.slice(scale))) return null;
      fraction = fraction.slice(0, scale);
    }
    fraction = fraction.padEnd(scale, '0');
  }
  const zero = /^0*$/.test(whole + fraction);
  return `${m[1] === '-' && !zero ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** DECFLOAT text (Db2 prints exponent notation for large or small exponents) in plain notation. */
export function decfloatText(raw: string): string | null {
  const t = raw.trim();
  const special = /^([+-]?)(infinity|inf|s?nan)$/i.exec(t);
  if (special) return /nan/i.test(special[2]) ? 'NaN' : `${special[1] === '-' ? '-' : ''}Infinity`;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const digits = `${m[2]}${m[3] ?? ''}`;
  // value = digits * 10^(exponent - fraction length); point position from the left of `digits`.
  const point = m[2].length + Number(m[4] ?? 0);
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return decimalText(`${m[1]}${plain}`);
}

/** 'YYYY-MM-DD HH:MM:SS[.f]' (the port's form) or Db2's form -> ISO 'YYYY-MM-DDTHH:MM:SS[.f{scale}]'. */
export function isoTimestamp(raw: string, scale?: number): string | null {
  const port = timestampText(raw);
  if (!port) return null;
  const [date, time] = port.split(' ');
  const [hms, given = ''] = time.split('.');
  let fraction = given;
  if (scale !== undefined) {
    if (fraction.length > scale && /[^0]/.test(fraction.slice(scale))) return null;
    fraction = fraction.slice(0, scale).padEnd(scale, '0');
  }
  return `${date}T${hms}${fraction ? `.${fraction}` : ''}`;
}

function describeValue(v: SqlValue): string {
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return String(v);
}

/** A decoded copybook record as JSON: bigint (wide binary fields) as decimal strings. */
function exactJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(exactJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactJson(v)]));
  return value;
}
