/**
 * The small port every CDC query goes through, so the same reader runs on `ibm_db` (Db2 LUW and
 * z/OS) and on the PostgreSQL stand-in that holds IBM's ASN tables (`db2_cdc.driver: postgres`).
 * Dialect differences (parameter markers, `WITH UR`, `FOR READ ONLY`, catalog names) live in the
 * platform layer that writes the SQL text; a driver adapter only runs it and normalises values.
 *
 * Values are normalised at the adapter so the event mapper never sees a driver's quirks and never
 * passes an exact number through a binary float (DESIGN.md "Contracts worth keeping stable"):
 * - SQL NULL -> null;
 * - binary columns (CHAR/VARCHAR FOR BIT DATA, BINARY, VARBINARY, BLOB; PostgreSQL bytea), which
 *   include the 10- and 16-byte LSNs IBMSNAP_COMMITSEQ / IBMSNAP_INTENTSEQ -> Buffer;
 * - SMALLINT, INTEGER, REAL, DOUBLE -> number;
 * - everything else -> the database's own text form: BIGINT and DECIMAL/DECFLOAT digits
 *   ("-12345.670"), DATE "YYYY-MM-DD", TIME "HH:MM:SS", TIMESTAMP "YYYY-MM-DD HH:MM:SS[.f{1,12}]"
 *   (Db2's `-` and `.` separators rewritten to this form), CHAR / VARCHAR / GRAPHIC / CLOB / XML text.
 */

/** A bound parameter or a returned column value (see the normalisation rules above). */
export type SqlValue = string | number | Buffer | null;

/** A result column as the catalog describes it. */
export interface SqlColumn {
  /** Column name, as the database reports it (Db2 folds unquoted names to upper case). */
  readonly name: string;
  /** Db2 type name: SMALLINT, INTEGER, BIGINT, DECIMAL, DECFLOAT, REAL, DOUBLE, CHAR, VARCHAR, GRAPHIC, VARGRAPHIC, CLOB, DBCLOB, BLOB, XML, DATE, TIME, TIMESTAMP, BINARY, VARBINARY. */
  readonly type: string;
  /** True for CHAR/VARCHAR FOR BIT DATA (bytes, not text). */
  readonly forBitData?: boolean;
}

export interface SqlResult {
  readonly columns: readonly SqlColumn[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/** Db2 isolation levels by their SQL names; UR (uncommitted read) is what the control-table polls use. */
export type IsolationLevel = 'UR' | 'CS' | 'RS' | 'RR';

/**
 * One open connection. Calls are serialised by the caller (one query at a time per connection).
 *
 * Errors: every method rejects with a BanyanError from the CDC error table; `retriable: true` when
 * the connection was lost or the database is unavailable (SQL30081N, SQL1224N, SQLCODE -911
 * deadlock/timeout), in which case the caller closes the connection and opens a new one.
 */
export interface SqlConnection {
  /** Runs one statement with `?` parameter markers and returns all rows (for control tables and small results). */
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlResult>;
  /**
   * Runs one statement and yields its rows in blocks of at most `blockRows` (Db2 block fetch:
   * `SQL_ATTR_ROW_ARRAY_SIZE` / fetchN; PostgreSQL: a cursor). Breaking out of the loop closes the
   * statement.
   */
  fetchBlocks(sql: string, params: readonly SqlValue[], blockRows: number): AsyncIterable<SqlResult>;
  /** Starts a unit of work at the given isolation level; the next commit/rollback ends it. */
  begin(isolation: IsolationLevel): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** How a bridge reaches its database (`source.db2_cdc` in a bridge file). */
export interface SqlConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/** A driver adapter: `ibm_db` (loaded lazily, optional dependency) or `pg` (the PostgreSQL stand-in). */
export interface SqlDriver {
  readonly name: 'ibm_db' | 'postgres';
  connect(options: SqlConnectOptions): Promise<SqlConnection>;
}
