/**
 * The SQL port (sql-port.ts) on Db2 LUW and z/OS through `ibm_db` (4.0.1), loaded lazily: only a
 * bridge with `db2_cdc.driver: ibm_db` imports it, and a machine without IBM's CLI driver gets
 * BANYAN_ERR_CDC_DRIVER_MISSING (how to install it) instead of a crash at start-up.
 *
 * One SqlConnection = one `ibmdb.open` connection. No ibm_db Pool: the reader holds one connection
 * per capture schema for its lifetime and replaces it after a connection error, while ibm_db's pool
 * hands stale connections back after SQL30081N (ibm_db#810, #611, #602).
 *
 * Statements: prepare -> execute(params) -> fetchN / fetchAll in FETCH_ARRAY mode -> result.closeSync
 * -> stmt.closeSync. Block fetch: SQL_ATTR_ROW_ARRAY_SIZE is set to the block size on the executed
 * statement before the first fetch, once the result's columns are known, because ibm_db's block
 * fetch buffers are capped at 64 KB per value: a result with a LOB column is fetched row by row so
 * no LOB is cut (ibm-db-values.ts blockFetchRows). Over DRDA, Db2 also blocks rows of a read-only
 * cursor on the wire; the platform SQL says FOR READ ONLY so the server may.
 *
 * Units of work: begin(isolation) = setIsolationLevel(SQL_TXN_*) then beginTransaction (autocommit
 * off); commit/rollback end it (autocommit on again). Outside begin/commit every statement commits
 * on its own, at the isolation level last set.
 *
 * Values are normalised here (ibm-db-values.ts), so the reader sees the port's forms whatever the
 * driver does. Errors are mapped in ibm-db-errors.ts; after a lost connection every call fails with
 * the mapped error and close() only releases what is left.
 */
import type { IsolationLevel, SqlColumn, SqlConnectOptions, SqlConnection, SqlDriver, SqlResult, SqlValue } from './sql-port.ts';
import { BanyanError } from '../../core/errors.ts';
import { CdcErrors } from './errors.ts';
import { FETCH_ARRAY, SQL_TXN, type IbmDbColumnMetadata, type IbmDbDatabase, type IbmDbModule, type IbmDbParam, type IbmDbResult, type IbmDbStatement, type IbmDbValue } from './ibm-db-api.ts';
import { isConnectionGone, toCdcError } from './ibm-db-errors.ts';
import { blockFetchRows, normaliseIbmDbValue, sqlColumnOf } from './ibm-db-values.ts';

export interface IbmDbDriverOptions {
  /** Loads the driver; default `import('ibm_db')`. Tests hand in the fake (test/support/fake-ibm-db.ts). */
  readonly load?: () => Promise<IbmDbModule>;
  /** More CLI keywords for the connection string (e.g. Security=SSL, CurrentSchema, ConnectTimeout). */
  readonly keywords?: Readonly<Record<string, string>>;
}

/**
 * CLI keywords the adapter always sets: datetime and DECFLOAT columns described as character data,
 * so ibm_db returns Db2's exact text instead of a millisecond Date or a double (ibm-db-values.ts).
 */
export const VALUE_KEYWORDS: Readonly<Record<string, string>> = {
  MapDateDescribe: '1',
  MapTimeDescribe: '1',
  MapTimestampDescribe: '1',
  MapDecimalFloatDescribe: '1',
};

export function createIbmDbDriver(options: IbmDbDriverOptions = {}): SqlDriver {
  const load = options.load ?? importDriver;
  let driver: Promise<IbmDbModule> | undefined;
  return {
    name: 'ibm_db',
    async connect(connect: SqlConnectOptions): Promise<SqlConnection> {
      // A driver that cannot load will not load on the next try either: the failure is remembered.
      driver ??= loadDriver(load);
      const ibmdb = await driver;
      const target = `${connect.database} at ${connect.host}:${connect.port}`;
      let db: IbmDbDatabase;
      try {
        db = await ibmdb.open(connectionString(connect, options.keywords), null);
      } catch (err) {
        throw toCdcError(err, `connect to ${target}`);
      }
      return new IbmDbConnection(ibmdb, db, target);
    },
  };
}

/** The CLI connection string; values with `;`, `{` or `}` are braced (ODBC connection-string rules). */
export function connectionString(o: SqlConnectOptions, extra: Readonly<Record<string, string>> = {}): string {
  const pairs: Record<string, string> = {
    DATABASE: o.database,
    HOSTNAME: o.host,
    PORT: String(o.port),
    PROTOCOL: 'TCPIP',
    UID: o.user,
    PWD: o.password,
    ...VALUE_KEYWORDS,
    ...extra,
  };
  return Object.entries(pairs)
    .map(([k, v]) => `${k}=${/[;{}]/.test(v) ? `{${v.replace(/}/g, '}}')}}` : v}`)
    .join(';') + ';';
}

class IbmDbConnection implements SqlConnection {
  private closed = false;
  /** Set once a call reported the connection gone: later calls fail fast, close() only cleans up. */
  private broken: BanyanError | undefined;

  private readonly ibmdb: IbmDbModule;
  private readonly db: IbmDbDatabase;
  private readonly target: string;

  constructor(ibmdb: IbmDbModule, db: IbmDbDatabase, target: string) {
    this.ibmdb = ibmdb;
    this.db = db;
    this.target = target;
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult> {
    const stmt = await this.prepare(sql);
    try {
      const result = await this.execute(stmt, sql, params);
      try {
        const meta = result.getColumnMetadataSync();
        const raw = await this.call(`fetch from ${this.target}: ${shortSql(sql)}`, () => result.fetchAll({ fetchMode: FETCH_ARRAY }));
        return normaliseResult(meta, raw);
      } finally {
        closeQuietly(() => result.closeSync());
      }
    } finally {
      closeQuietly(() => stmt.closeSync());
    }
  }

  async *fetchBlocks(sql: string, params: readonly SqlValue[], blockRows: number): AsyncIterable<SqlResult> {
    const rows = Math.max(1, Math.floor(blockRows));
    const stmt = await this.prepare(sql);
    try {
      const result = await this.execute(stmt, sql, params);
      try {
        const meta = result.getColumnMetadataSync();
        const arraySize = blockFetchRows(meta, rows);
        if (arraySize > 1) {
          await this.call(`set block fetch on ${this.target}`, async () => stmt.setAttrSync(this.ibmdb.SQL_ATTR_ROW_ARRAY_SIZE, arraySize));
        }
        for (;;) {
          const raw = await this.call(`fetch from ${this.target}: ${shortSql(sql)}`, () => result.fetchN(rows, { fetchMode: FETCH_ARRAY }));
          if (raw.length > 0) yield normaliseResult(meta, raw);
          if (raw.length < rows) break;
        }
      } finally {
        closeQuietly(() => result.closeSync());
      }
    } finally {
      closeQuietly(() => stmt.closeSync());
    }
  }

  async begin(isolation: IsolationLevel): Promise<void> {
    await this.call(`set isolation ${isolation} on ${this.target}`, async () => this.db.setIsolationLevel(SQL_TXN[isolation]));
    await this.call(`begin on ${this.target}`, () => this.db.beginTransaction());
  }

  async commit(): Promise<void> {
    await this.call(`commit on ${this.target}`, () => this.db.commitTransaction());
  }

  async rollback(): Promise<void> {
    await this.call(`rollback on ${this.target}`, () => this.db.rollbackTransaction());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } catch (err) {
      // A connection that is already gone has nothing left to close.
      if (!this.broken) throw toCdcError(err, `close of ${this.target}`);
    }
  }

  private prepare(sql: string): Promise<IbmDbStatement> {
    return this.call(`prepare on ${this.target}: ${shortSql(sql)}`, () => this.db.prepare(sql));
  }

  private async execute(stmt: IbmDbStatement, sql: string, params: readonly SqlValue[]): Promise<IbmDbResult> {
    const bound = params.map(toParam);
    const out = await this.call(`execute on ${this.target}: ${shortSql(sql)}`, () => stmt.execute(bound));
    return Array.isArray(out) ? out[0] : out;
  }

  /** Runs one driver call; maps its failure and remembers a lost connection. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new CdcErrors.BANYAN_ERR_CDC_CONNECTION_CLOSED(this.target);
    if (this.broken) throw this.broken;
    try {
      return await run();
    } catch (err) {
      const mapped = toCdcError(err, what);
      if (isConnectionGone(mapped)) this.broken = mapped;
      throw mapped;
    }
  }
}

/** Binary parameters (LSNs) in the form lib/odbc.js parseParams binds as VARBINARY. */
function toParam(value: SqlValue): IbmDbParam {
  return Buffer.isBuffer(value) ? { ParamType: 'INPUT', CType: 'BINARY', SQLType: 'VARBINARY', Data: value } : value;
}

function normaliseResult(meta: readonly IbmDbColumnMetadata[], raw: readonly (readonly IbmDbValue[])[]): SqlResult {
  const columns: SqlColumn[] = meta.map(sqlColumnOf);
  const rows = raw.map((row) => columns.map((column, i) => normaliseIbmDbValue(meta[i], column, row[i])));
  return { columns, rows };
}

function closeQuietly(close: () => unknown): void {
  try {
    close();
  } catch {
    // Freeing a handle of a lost connection fails; the handle is gone with it.
  }
}

function shortSql(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

async function loadDriver(load: () => Promise<IbmDbModule>): Promise<IbmDbModule> {
  try {
    return await load();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CdcErrors.BANYAN_ERR_CDC_DRIVER_MISSING(reason, err instanceof Error ? err : undefined);
  }
}

async function importDriver(): Promise<IbmDbModule> {
  // A variable specifier: the optional dependency may be absent, and its types are not needed here.
  const specifier = 'ibm_db';
  const mod = (await import(specifier)) as { default?: IbmDbModule } & IbmDbModule;
  return mod.default ?? mod;
}
