/**
 * The part of the `ibm_db` package (4.0.1: lib/odbc.js, typescript/dist/*.d.ts, src/odbc*.cpp) the
 * adapter calls, typed narrowly. The real module and the test fake (test/support/fake-ibm-db.ts)
 * both satisfy it; nothing else in Banyan touches the driver.
 *
 * Facts from the package source that shape these types and the adapter:
 * - Every async call has a callback form and, without a callback, returns a promise; calls run on
 *   libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says more).
 * - Rejections are Errors carrying `sqlcode` and `sqlstate` (src/odbc.cpp GetSQLError), or plain
 *   objects such as `{ message: 'Connection not open.', sqlstate: '08001', sqlcode: -30081 }`.
 * - Values (src/odbc.cpp GetColumnValue, src/odbc_result.cpp GetBoundColumnValue): SMALLINT and
 *   INTEGER -> number; DECIMAL, NUMERIC, DECFLOAT, REAL, DOUBLE -> number through SQL_C_DOUBLE (lossy
 *   beyond 15 digits); BIGINT -> string; TIMESTAMP -> Date with milliseconds only; binary types ->
 *   Buffer; everything else -> string. Columns described as SQL_CHAR (the CLI keywords
 *   MapTimestampDescribe, MapDateDescribe, MapTimeDescribe, MapDecimalFloatDescribe) come back as text.
 * - `fetchN(count, { fetchMode: 3 })` returns a flat array of at most `count` row arrays; fewer than
 *   `count` means the cursor is exhausted. With SQL_ATTR_ROW_ARRAY_SIZE > 1 on the statement each
 *   SQLFetch brings that many rows (SQLBindCol block fetch), with LOB buffers capped at 64 KB
 *   (APIDocumentation.md "Block Fetch using SQL_ATTR_ROW_ARRAY_SIZE").
 * - ODBCStatement.setAttr queues its work on a queue whose job never signals completion, so a second
 *   async setAttr on one statement never runs; setAttrSync (a local CLI call, no round trip) is used.
 * - A result must be closed (result.closeSync) before the statement (stmt.closeSync), or the
 *   garbage collector frees handles in the wrong order (APIDocumentation.md, queryResult notes).
 */

/** SQL_ATTR_TXN_ISOLATION values (sqlext.h) in Db2's terms: UR, CS, RS, RR. */
export const SQL_TXN = { UR: 1, CS: 2, RS: 4, RR: 8 } as const;

/** fetchMode: rows as arrays in column order (ibm_db FETCH_ARRAY). */
export const FETCH_ARRAY = 3;

/** SQL data type codes (sqlcli.h / sqlext.h) as `SQL_DESC_CONSIZE_TYPE` reports them. */
export const SqlTypeCode = {
  CHAR: 1,
  NUMERIC: 2,
  DECIMAL: 3,
  INTEGER: 4,
  SMALLINT: 5,
  FLOAT: 6,
  REAL: 7,
  DOUBLE: 8,
  VARCHAR: 12,
  TYPE_DATE: 91,
  TYPE_TIME: 92,
  TYPE_TIMESTAMP: 93,
  LONGVARCHAR: -1,
  BINARY: -2,
  VARBINARY: -3,
  LONGVARBINARY: -4,
  BIGINT: -5,
  BIT: -7,
  GRAPHIC: -95,
  VARGRAPHIC: -96,
  LONGVARGRAPHIC: -97,
  BLOB: -98,
  CLOB: -99,
  DBCLOB: -350,
  DECFLOAT: -360,
  XML: -370,
  BOOLEAN: 16,
} as const;

/** A bound parameter as lib/odbc.js parseParams reads it. Binary data must use the object form. */
export type IbmDbParam =
  | string
  | number
  | null
  | { readonly ParamType: 'INPUT'; readonly CType: 'BINARY'; readonly SQLType: 'VARBINARY'; readonly Data: Buffer };

/** One entry of ODBCResult.getColumnMetadataSync() (src/odbc_result.cpp; the `CONSIZE` typo is ibm_db's). */
export interface IbmDbColumnMetadata {
  readonly index: number;
  readonly SQL_DESC_NAME: string;
  readonly SQL_DESC_TYPE_NAME: string;
  readonly SQL_DESC_CONSIZE_TYPE: number;
  readonly SQL_DESC_DISPLAY_SIZE: number;
  readonly SQL_DESC_PRECISION: number;
  readonly SQL_DESC_SCALE: number;
  readonly SQL_DESC_LENGTH: number;
}

/** A column value as the driver returns it. */
export type IbmDbValue = string | number | boolean | Buffer | Date | null | undefined;

export interface IbmDbResult {
  fetchN(count: number, options: { readonly fetchMode: typeof FETCH_ARRAY }): Promise<IbmDbValue[][]>;
  fetchAll(options: { readonly fetchMode: typeof FETCH_ARRAY }): Promise<IbmDbValue[][]>;
  getColumnMetadataSync(): IbmDbColumnMetadata[];
  closeSync(closeOption?: number): boolean;
}

export interface IbmDbStatement {
  /** Resolves with the result, or `[result, outparams]` for a CALL with output parameters. */
  execute(params?: IbmDbParam[]): Promise<IbmDbResult | [IbmDbResult, unknown]>;
  setAttrSync(attr: number, value: number): boolean;
  closeSync(closeOption?: number): boolean;
}

export interface IbmDbDatabase {
  prepare(sql: string): Promise<IbmDbStatement>;
  /** Switches autocommit off until commitTransaction / rollbackTransaction. */
  beginTransaction(): Promise<unknown>;
  commitTransaction(): Promise<unknown>;
  rollbackTransaction(): Promise<unknown>;
  /** SQLSetConnectAttr(SQL_ATTR_TXN_ISOLATION); synchronous, throws the DB2Error. */
  setIsolationLevel(level: 1 | 2 | 4 | 8): boolean;
  close(): Promise<unknown>;
}

export interface IbmDbModule {
  open(connStr: string, options?: null): Promise<IbmDbDatabase>;
  readonly SQL_ATTR_ROW_ARRAY_SIZE: number;
}
