/**
 * Db2 SQLCODEs and SQLSTATEs onto Banyan's CDC codes, in one table (kafkajs src/protocol/error.js
 * style). What `ibm_db` rejects with (src/odbc.cpp GetSQLError): an Error whose message is the CLI
 * diagnostic ("[IBM][CLI Driver][DB2/LINUXX8664] SQL0911N ... SQLSTATE=40001") with `sqlcode` (the
 * native error, negative) and `sqlstate`; lib/odbc.js also rejects with a plain object
 * `{ message: 'Connection not open.', sqlstate: '08001', sqlcode: -30081 }` for a closed connection.
 *
 * Retriable means a new connection later can succeed without anyone changing anything; the reader
 * then rolls back, closes, reconnects with capped back-off and reads again from its position (CD
 * rows stay where they are, so nothing is lost). Meanings from "SQL messages" in the Db2 11.5
 * documentation and the SQLSTATE class table (class 08 connection exception, 40 transaction
 * rollback, 57 resource not available or operator intervention).
 *
 * Decisions worth stating:
 * - SQL30081N (-30081, communication error) and SQL1224N (-1224, the agent was ended, e.g. FORCE
 *   APPLICATION or an instance restart) lose the connection: retriable, connection replaced
 *   (ibm_db's pools hand such connections back stale, ibm_db#810/#611/#602; the adapter never pools).
 * - SQL30108N (-30108, automatic client reroute re-established the connection but rolled the unit of
 *   work back): retriable like a lost connection, the read is repeated.
 * - -911 (deadlock or timeout, rolled back) and -913 (same, not rolled back): retriable. A UR read of
 *   control tables does not take row locks, but a CD table read at CS during pruning can time out.
 * - -904 (resource unavailable, e.g. a REORG or a LOAD on a CD table space): retriable.
 * - SQL30082N (-30082, security processing failed) is SQLSTATE 08001 like a lost connection, but a
 *   wrong password does not heal by retrying and retries lock accounts: not retriable.
 * - -204 / -206 (unknown object / column), -551 / -552 (no authority), SQL1598N (-1598, no Db2
 *   Connect licence): a person must act; not retriable.
 */
import { BanyanError } from '../../core/errors.ts';
import { CdcErrors, type CdcErrorCode } from './errors.ts';

export interface Db2Condition {
  /** The SQLnnnnN message id, for messages and docs. */
  readonly id: string;
  readonly code: CdcErrorCode;
}

/** SQLCODE -> code. Checked first; SQLSTATE classes below catch what is not listed. */
export const SQLCODES: ReadonlyMap<number, Db2Condition> = new Map<number, Db2Condition>([
  // The connection is gone: a new one is opened.
  [-30081, { id: 'SQL30081N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  [-30080, { id: 'SQL30080N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  [-30020, { id: 'SQL30020N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  [-30108, { id: 'SQL30108N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  [-1224, { id: 'SQL1224N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  [-1229, { id: 'SQL1229N', code: 'BANYAN_ERR_CDC_CONNECTION_LOST' }],
  // The database is away for now (stopped, quiesced, HADR standby, too many applications).
  [-1032, { id: 'SQL1032N', code: 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE' }],
  [-1035, { id: 'SQL1035N', code: 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE' }],
  [-1040, { id: 'SQL1040N', code: 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE' }],
  [-1776, { id: 'SQL1776N', code: 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE' }],
  [-20157, { id: 'SQL20157N', code: 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE' }],
  // Lock conflicts.
  [-911, { id: 'SQL0911N', code: 'BANYAN_ERR_CDC_LOCK_CONFLICT' }],
  [-913, { id: 'SQL0913N', code: 'BANYAN_ERR_CDC_LOCK_CONFLICT' }],
  // Resources unavailable for now.
  [-904, { id: 'SQL0904N', code: 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE' }],
  [-954, { id: 'SQL0954C', code: 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE' }],
  [-968, { id: 'SQL0968C', code: 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE' }],
  // A person must act.
  [-204, { id: 'SQL0204N', code: 'BANYAN_ERR_CDC_OBJECT_UNKNOWN' }],
  [-206, { id: 'SQL0206N', code: 'BANYAN_ERR_CDC_COLUMN_UNKNOWN' }],
  [-551, { id: 'SQL0551N', code: 'BANYAN_ERR_CDC_NOT_AUTHORIZED' }],
  [-552, { id: 'SQL0552N', code: 'BANYAN_ERR_CDC_NOT_AUTHORIZED' }],
  [-30082, { id: 'SQL30082N', code: 'BANYAN_ERR_CDC_NOT_AUTHORIZED' }],
  [-1060, { id: 'SQL1060N', code: 'BANYAN_ERR_CDC_NOT_AUTHORIZED' }],
  [-1598, { id: 'SQL1598N', code: 'BANYAN_ERR_CDC_LICENSE_MISSING' }],
  [-8029, { id: 'SQL8029N', code: 'BANYAN_ERR_CDC_LICENSE_MISSING' }],
]);

/** SQLSTATE (exact, then its two-character class) -> code, for SQLCODEs the table does not list. */
const SQLSTATES: ReadonlyMap<string, CdcErrorCode> = new Map<string, CdcErrorCode>([
  ['42501', 'BANYAN_ERR_CDC_NOT_AUTHORIZED'],
  ['42502', 'BANYAN_ERR_CDC_NOT_AUTHORIZED'],
  ['42704', 'BANYAN_ERR_CDC_OBJECT_UNKNOWN'],
  ['42703', 'BANYAN_ERR_CDC_COLUMN_UNKNOWN'],
  ['08', 'BANYAN_ERR_CDC_CONNECTION_LOST'],
  ['40', 'BANYAN_ERR_CDC_LOCK_CONFLICT'],
  ['57', 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE'],
]);

/** What a driver failure says, read once. */
export interface Db2Failure {
  readonly sqlcode: number | undefined;
  readonly sqlstate: string | undefined;
  readonly message: string;
}

export function db2FailureOf(err: unknown): Db2Failure {
  const obj = typeof err === 'object' && err !== null ? (err as { sqlcode?: unknown; sqlstate?: unknown; message?: unknown }) : {};
  const message = typeof obj.message === 'string' ? obj.message : typeof err === 'string' ? err : String(err);
  let sqlcode = typeof obj.sqlcode === 'number' && obj.sqlcode !== 0 ? obj.sqlcode : undefined;
  // The message id is the SQLCODE when the native code is missing: SQL0911N -> -911 (N/C = error).
  const id = /\bSQL(\d{4,5})[NC]\b/.exec(message);
  if (sqlcode === undefined && id) sqlcode = -Number(id[1]);
  const state = typeof obj.sqlstate === 'string' && /^[0-9A-Z]{5}$/.test(obj.sqlstate) ? obj.sqlstate : /SQLSTATE=([0-9A-Z]{5})/.exec(message)?.[1];
  return { sqlcode, sqlstate: state, message: message.trim() };
}

/** The code a failure maps to (decide); `toCdcError` builds the error (act). */
export function classifyDb2Failure(failure: Db2Failure): CdcErrorCode {
  const byCode = failure.sqlcode === undefined ? undefined : SQLCODES.get(failure.sqlcode);
  if (byCode) return byCode.code;
  if (failure.sqlstate) {
    const byState = SQLSTATES.get(failure.sqlstate) ?? SQLSTATES.get(failure.sqlstate.slice(0, 2));
    if (byState) return byState;
  }
  return 'BANYAN_ERR_CDC_SQL_FAILED';
}

/**
 * The Banyan error for a failed driver call. `what` names the call and its target
 * ("prepare on SAMPLE at db2.example:50000: SELECT ..."), so the message says where it failed.
 */
export function toCdcError(err: unknown, what: string): BanyanError {
  if (err instanceof BanyanError) return err;
  const failure = db2FailureOf(err);
  const code = classifyDb2Failure(failure);
  const detail = `SQLCODE ${failure.sqlcode ?? '?'} SQLSTATE ${failure.sqlstate ?? '?'}: ${failure.message}`;
  const cause = err instanceof Error ? err : undefined;
  return cause ? new CdcErrors[code](what, detail, cause) : new CdcErrors[code](what, detail);
}

/** After these the connection is unusable: close it and open a new one. */
export function isConnectionGone(err: BanyanError): boolean {
  return err.code === 'BANYAN_ERR_CDC_CONNECTION_LOST' || err.code === 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE';
}
