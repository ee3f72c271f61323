/**
 * `ibm_db` column values -> the port's normalised SqlValue (sql-port.ts), pure.
 *
 * The adapter connects with MapDateDescribe=1, MapTimeDescribe=1, MapTimestampDescribe=1 and
 * MapDecimalFloatDescribe=1 (Db2 CLI keywords: describe those columns as SQL_CHAR / SQL_VARCHAR), so
 * ibm_db returns them as the database's text instead of a millisecond Date or a double. DECIMAL has
 * no such keyword: ibm_db always reads it through SQL_C_DOUBLE, which holds 15 significant digits
 * exactly (DBL_DIG), so DECIMAL(p<=15, s) is turned back into its exact digits with toFixed(s) and a
 * wider DECIMAL is refused (BANYAN_ERR_CDC_DECIMAL_INEXACT): the CDC reader's SQL selects those as
 * CHAR(col, '.') (platform-sql.ts exactTextColumns), so they arrive here as their exact digits.
 * Db2's datetime text is rewritten to the port's forms by db2-datetime.ts.
 */
import type { SqlColumn, SqlValue } from './sql-port.ts';
import { CdcErrors } from './errors.ts';
import { SqlTypeCode, type IbmDbColumnMetadata, type IbmDbValue } from './ibm-db-api.ts';
import { dateText, timestampText, timeText } from './db2-datetime.ts';
import { EXACT_DOUBLE_DIGITS } from './platform-sql.ts';

export { EXACT_DOUBLE_DIGITS };

/** The port's column description from ibm_db's metadata. */
export function sqlColumnOf(meta: IbmDbColumnMetadata): SqlColumn {
  const name = meta.SQL_DESC_TYPE_NAME.toUpperCase();
  const binary = BINARY_CODES.has(meta.SQL_DESC_CONSIZE_TYPE);
  // Db2 CLI names bit-data character columns "CHAR () FOR BIT DATA" / "VARCHAR () FOR BIT DATA".
  const forBitData = name.includes('FOR BIT DATA') || (binary && /CHAR/.test(name));
  const type = name.replace(/\(\s*\)/g, '').replace(/FOR BIT DATA/, '').replace(/\s+/g, ' ').trim() || TYPE_NAMES.get(meta.SQL_DESC_CONSIZE_TYPE) || 'UNKNOWN';
  return forBitData ? { name: meta.SQL_DESC_NAME, type, forBitData: true } : { name: meta.SQL_DESC_NAME, type };
}

/** Rows per SQLFetch for a result with these columns: 1 when a LOB or a >64 KB column would be cut by block fetch's 64 KB buffers. */
export function blockFetchRows(columns: readonly IbmDbColumnMetadata[], wanted: number): number {
  const cut = columns.some((c) => LOB_CODES.has(c.SQL_DESC_CONSIZE_TYPE) || c.SQL_DESC_LENGTH > BLOCK_FETCH_MAX_COLUMN_BYTES);
  return cut ? 1 : Math.max(1, wanted);
}

/** One value in the port's form; throws BANYAN_ERR_CDC_DECIMAL_INEXACT / _VALUE_UNEXPECTED. */
export function normaliseIbmDbValue(meta: IbmDbColumnMetadata, column: SqlColumn, value: IbmDbValue): SqlValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  const type = column.type;
  if (typeof value === 'number') return numberValue(meta, column, value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    throw new CdcErrors.BANYAN_ERR_CDC_VALUE_UNEXPECTED(column.name, type, 'a JavaScript Date', 'it has milliseconds only; the connection string must keep MapTimestampDescribe=1 so TIMESTAMP comes as text');
  }
  if (type === 'TIMESTAMP' || type.startsWith('TIMESTAMP')) return timestampText(value) ?? unexpected(column, value, 'not a Db2 timestamp');
  if (type === 'DATE') return dateText(value) ?? unexpected(column, value, 'not a Db2 date');
  if (type === 'TIME') return timeText(value) ?? unexpected(column, value, 'not a Db2 time');
  if (type === 'DECIMAL' || type === 'NUMERIC' || type === 'DECFLOAT' || type === 'BIGINT') return value.trim();
  return value;
}

function numberValue(meta: IbmDbColumnMetadata, column: SqlColumn, value: number): SqlValue {
  switch (column.type) {
    case 'SMALLINT':
    case 'INTEGER':
    case 'INT':
    case 'REAL':
    case 'DOUBLE':
    case 'FLOAT':
      return value;
    case 'DECIMAL':
    case 'NUMERIC': {
      const precision = meta.SQL_DESC_PRECISION;
      const scale = Math.max(0, meta.SQL_DESC_SCALE);
      if (precision > 0 && precision <= EXACT_DOUBLE_DIGITS) return value.toFixed(scale);
      throw new CdcErrors.BANYAN_ERR_CDC_DECIMAL_INEXACT(column.name, column.type, precision, scale, column.name);
    }
    case 'DECFLOAT':
      throw new CdcErrors.BANYAN_ERR_CDC_DECIMAL_INEXACT(column.name, column.type, meta.SQL_DESC_PRECISION, 'floating', column.name);
    case 'BIGINT':
      if (Number.isSafeInteger(value)) return String(value);
      throw new CdcErrors.BANYAN_ERR_CDC_DECIMAL_INEXACT(column.name, column.type, 19, 0, column.name);
    default:
      return unexpected(column, value, 'a number for a column that is not numeric');
  }
}

function unexpected(column: SqlColumn, value: unknown, why: string): never {
  const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : String(value);
  throw new CdcErrors.BANYAN_ERR_CDC_VALUE_UNEXPECTED(column.name, column.type, shown, why);
}

/** ibm_db's cap on a block-fetch column buffer (src/odbc_result.cpp BLOCK_FETCH_MAX_COL_SIZE). */
const BLOCK_FETCH_MAX_COLUMN_BYTES = 64 * 1024;

const BINARY_CODES = new Set<number>([SqlTypeCode.BINARY, SqlTypeCode.VARBINARY, SqlTypeCode.LONGVARBINARY, SqlTypeCode.BLOB]);
const LOB_CODES = new Set<number>([SqlTypeCode.BLOB, SqlTypeCode.CLOB, SqlTypeCode.DBCLOB, SqlTypeCode.XML, SqlTypeCode.LONGVARBINARY, SqlTypeCode.LONGVARCHAR, SqlTypeCode.LONGVARGRAPHIC]);

/** Type names for drivers that leave SQL_DESC_TYPE_NAME empty. */
const TYPE_NAMES = new Map<number, string>([
  [SqlTypeCode.CHAR, 'CHAR'],
  [SqlTypeCode.VARCHAR, 'VARCHAR'],
  [SqlTypeCode.LONGVARCHAR, 'LONG VARCHAR'],
  [SqlTypeCode.NUMERIC, 'NUMERIC'],
  [SqlTypeCode.DECIMAL, 'DECIMAL'],
  [SqlTypeCode.INTEGER, 'INTEGER'],
  [SqlTypeCode.SMALLINT, 'SMALLINT'],
  [SqlTypeCode.FLOAT, 'FLOAT'],
  [SqlTypeCode.REAL, 'REAL'],
  [SqlTypeCode.DOUBLE, 'DOUBLE'],
  [SqlTypeCode.BIGINT, 'BIGINT'],
  [SqlTypeCode.TYPE_DATE, 'DATE'],
  [SqlTypeCode.TYPE_TIME, 'TIME'],
  [SqlTypeCode.TYPE_TIMESTAMP, 'TIMESTAMP'],
  [SqlTypeCode.BINARY, 'BINARY'],
  [SqlTypeCode.VARBINARY, 'VARBINARY'],
  [SqlTypeCode.GRAPHIC, 'GRAPHIC'],
  [SqlTypeCode.VARGRAPHIC, 'VARGRAPHIC'],
  [SqlTypeCode.BLOB, 'BLOB'],
  [SqlTypeCode.CLOB, 'CLOB'],
  [SqlTypeCode.DBCLOB, 'DBCLOB'],
  [SqlTypeCode.DECFLOAT, 'DECFLOAT'],
  [SqlTypeCode.XML, 'XML'],
  [SqlTypeCode.BOOLEAN, 'BOOLEAN'],
]);
