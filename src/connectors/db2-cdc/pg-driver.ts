/**
 * The PostgreSQL stand-in's driver adapter (`db2_cdc.driver: postgres`), on the `pg` npm driver:
 * runs the platform layer's `$n` SQL and normalises values per sql-port.ts, so the reader sees what
 * the ibm_db adapter hands it for the same Db2 columns:
 *
 * - bytea (Db2 FOR BIT DATA, the LSNs) -> Buffer; int2/int4/float4/float8/oid -> number; bool -> 1 / 0;
 * - int8, numeric -> the server's decimal text (never through a binary float);
 * - timestamp -> "YYYY-MM-DD HH:MM:SS.ffffff" (6 fraction digits: PostgreSQL drops trailing zeros,
 *   Db2 TIMESTAMP(6) never does); date, time, text, xml -> the server's text;
 * - column types reported by their Db2 names (bytea as VARCHAR FOR BIT DATA).
 *
 * Errors are mapped here, the one place that knows pg's: SQLSTATE class 08 (connection exception),
 * 57P01 (backend terminated) and socket errors are retriable connection losses, 57P02 / 57P03
 * (crash shutdown / cannot connect now) and
 * 53300 (too many connections) a retriable unavailable database, 40001 / 40P01 / 55P03
 * (serialization failure, deadlock, lock not available) retriable lock conflicts;
 * 42P01 / 3F000 (unknown table / schema) and 42703 (unknown column: the CD table changed) stop the
 * bridge with their own codes, as Db2's -204 / -206 do; anything else names the statement and
 * SQLSTATE and stops the bridge.
 */
import pg from 'pg';
import { BanyanError } from '../../core/errors.ts';
import { CdcErrors } from './errors.ts';
import type { IsolationLevel, SqlColumn, SqlConnection, SqlConnectOptions, SqlDriver, SqlResult, SqlValue } from './sql-port.ts';

export function createPostgresDriver(): SqlDriver {
  return {
    name: 'postgres',
    async connect(options) {
      const client = new pg.Client({ ...clientConfig(options), types: { getTypeParser: parserFor } });
      // An idle client whose server went away emits 'error'; the next query then rejects (mapped below).
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => {});
        throw toCdcError(err, `connect to ${options.host}:${options.port}/${options.database}`);
      }
      return postgresConnection(client);
    },
  };
}

function clientConfig(o: SqlConnectOptions): pg.ClientConfig {
  return { host: o.host, port: o.port, database: o.database, user: o.user, password: o.password, application_name: 'banyan-db2-cdc' };
}

function postgresConnection(client: pg.Client): SqlConnection {
  let inTransaction = false;
  let cursors = 0;
  const run = async (sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult<unknown[]>> => {
    try {
      return await client.query<unknown[]>({ text: sql, values: [...params], rowMode: 'array' });
    } catch (err) {
      throw toCdcError(err, statementName(sql));
    }
  };
  return {
    async query(sql, params = []) {
      return resultOf(await run(sql, params));
    },
    async *fetchBlocks(sql, params, blockRows) {
      // A cursor lives in a transaction: use the caller's, or one of our own for this statement.
      const own = !inTransaction;
      if (own) await run('BEGIN READ ONLY');
      const cursor = `banyan_cdc_${++cursors}`;
      try {
        await run(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
        for (;;) {
          const block = resultOf(await run(`FETCH FORWARD ${blockRows} FROM ${cursor}`));
          if (block.rows.length > 0) yield block;
          if (block.rows.length < blockRows) break;
        }
      } finally {
        if (own) await run('ROLLBACK').catch(() => {});
        else await run(`CLOSE ${cursor}`).catch(() => {});
      }
    },
    async begin(isolation) {
      await run(`BEGIN ISOLATION LEVEL ${PG_ISOLATION[isolation]} READ ONLY`);
      inTransaction = true;
    },
    async commit() {
      inTransaction = false;
      await run('COMMIT');
    },
    async rollback() {
      inTransaction = false;
      await run('ROLLBACK');
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/**
 * Db2 isolation -> PostgreSQL's (PostgreSQL docs, "Transaction Isolation": READ UNCOMMITTED behaves
 * as READ COMMITTED; Db2 CS is read committed, RS/RR are repeatable read and serializable).
 */
const PG_ISOLATION: Record<IsolationLevel, string> = { UR: 'READ UNCOMMITTED', CS: 'READ COMMITTED', RS: 'REPEATABLE READ', RR: 'SERIALIZABLE' };

/** PostgreSQL type OIDs (pg_type.dat) and their Db2 type names. */
const OID = { bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, text: 25, oid: 26, xml: 142, float4: 700, float8: 701, bpchar: 1042, varchar: 1043, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

const DB2_TYPES = new Map<number, string>([
  [OID.bool, 'BOOLEAN'], [OID.bytea, 'VARCHAR'], [OID.int8, 'BIGINT'], [OID.int2, 'SMALLINT'], [OID.int4, 'INTEGER'], [OID.text, 'CLOB'],
  [OID.oid, 'INTEGER'], [OID.xml, 'XML'], [OID.float4, 'REAL'], [OID.float8, 'DOUBLE'], [OID.bpchar, 'CHAR'], [OID.varchar, 'VARCHAR'],
  [OID.date, 'DATE'], [OID.time, 'TIME'], [OID.timestamp, 'TIMESTAMP'], [OID.timestamptz, 'TIMESTAMP'], [OID.numeric, 'DECIMAL'],
]);

const byteaParser = pg.types.getTypeParser(OID.bytea);

function parserFor(oid: number): (text: string) => SqlValue {
  switch (oid) {
    case OID.bytea:
      return byteaParser as (text: string) => Buffer;
    case OID.int2:
    case OID.int4:
    case OID.oid:
    case OID.float4:
    case OID.float8:
      return Number;
    case OID.timestamp:
      return sixDigitTimestamp;
    case OID.bool:
      // Db2 BOOLEAN comes through CLI as 1 / 0.
      return (text) => (text === 't' ? 1 : 0);
    default:
      return (text) => text;
  }
}

/** "2026-01-02 03:04:05.12" -> "2026-01-02 03:04:05.120000" (Db2 TIMESTAMP(6)'s text). */
export function sixDigitTimestamp(text: string): string {
  const dot = text.indexOf('.', 10);
  if (dot < 0) return `${text}.000000`;
  return `${text.slice(0, dot + 1)}${text.slice(dot + 1).padEnd(6, '0')}`;
}

function resultOf(r: pg.QueryResult<unknown[]>): SqlResult {
  const columns: SqlColumn[] = r.fields.map((f) => ({
    name: f.name,
    type: DB2_TYPES.get(f.dataTypeID) ?? 'VARCHAR',
    ...(f.dataTypeID === OID.bytea ? { forBitData: true } : {}),
  }));
  return { columns, rows: r.rows as SqlValue[][] };
}

const RETRIABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** pg's error -> the CDC error table (see the header for which are retriable). */
export function toCdcError(err: unknown, what: string): BanyanError {
  if (err instanceof BanyanError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const cause = err instanceof Error ? err : undefined;
  const detail = `${code ? `SQLSTATE ${code} ` : ''}${message}`;
  if (['57P02', '57P03', '53300'].includes(code)) return new CdcErrors.BANYAN_ERR_CDC_DATABASE_UNAVAILABLE(what, detail, cause);
  if (RETRIABLE_SOCKET.has(code) || code.startsWith('08') || code === '57P01' || /Connection terminated|not queryable|Client was closed/i.test(message)) {
    return new CdcErrors.BANYAN_ERR_CDC_CONNECTION_LOST(what, detail, cause);
  }
  if (code === '40001' || code === '40P01' || code === '55P03') return new CdcErrors.BANYAN_ERR_CDC_LOCK_CONFLICT(what, detail, cause);
  if (code === '42P01' || code === '3F000') return new CdcErrors.BANYAN_ERR_CDC_OBJECT_UNKNOWN(what, detail, cause);
  if (code === '42703') return new CdcErrors.BANYAN_ERR_CDC_COLUMN_UNKNOWN(what, detail, cause);
  return new CdcErrors.BANYAN_ERR_CDC_SQL_FAILED(what, detail, cause);
}

/** The statement's first words, for error messages (never its parameters). */
function statementName(sql: string): string {
  const words = sql.replace(/\s+/g, ' ').trim();
  return words.length > 120 ? `${words.slice(0, 117)}...` : words;
}
