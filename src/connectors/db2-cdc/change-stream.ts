/**
 * From CD rows to the records the bridge writes, in three steps that hold no more than one row of
 * look-ahead and one transaction's counters:
 *
 * 1. `tableChanges`: one table's rows in (COMMITSEQ, INTENTSEQ) order -> changes. With
 *    CHG_UPD_TO_DEL_INS = 'Y' ASN Capture stores an update as a 'D' row (before image) followed by an
 *    'I' row (after image) (IBM, "IBMSNAP_REGISTER table": CHG_UPD_TO_DEL_INS); a 'D' directly
 *    followed by an 'I' of the same commit and the same entity key is one update. A key that differs
 *    is a delete and a create (the row moved to another entity: Debezium's primary-key change). A
 *    single 'U' row is an update whose before image is the BEFORE_IMG_PREFIX columns, or null.
 * 2. `mergeChanges`: all tables' changes merged by (COMMITSEQ, INTENTSEQ): one commit order.
 * 3. `transactionRecords`: changes grouped by COMMITSEQ into transactions: BEGIN, each change's
 *    Debezium envelope with its `transaction` block, the optional assembled transaction, END.
 *
 * Every record carries its place in that order (`CdcRecordPlace`), which is what positions and the
 * resume filter compare (./cdc-position.ts).
 */
import type { AssembledTransaction, ChangeEvent, ChangeOp, TransactionBoundary } from './change-event.ts';
import { CdcHeaders } from './change-event.ts';
import type { CapturedTable } from './captured-table.ts';
import type { CdcRecordPlace } from './cdc-position.ts';
import { BanyanError } from '../../core/errors.ts';
import { entityKeyText } from './transaction-keys.ts';
import type { ColumnValue, RowImage } from './change-event.ts';
import type { SqlValue } from './sql-port.ts';

/** One CD row: the IBMSNAP_ columns as hex / text and the captured values in `table.columns` order. */
export interface CdRow {
  readonly table: CapturedTable;
  readonly commitseq: string;
  readonly intentseq: string;
  readonly operation: string;
  /** IBMSNAP_UOW.IBMSNAP_LOGMARKER text, null when Capture wrote no UOW row. */
  readonly logmarker: string | null;
  readonly values: readonly SqlValue[];
}

export interface TableChange {
  readonly table: CapturedTable;
  readonly commitseq: string;
  /** INTENTSEQ of the change's last row (the 'I' of a D+I pair). */
  readonly intentseq: string;
  readonly op: Exclude<ChangeOp, 'r'>;
  readonly before: readonly SqlValue[] | null;
  readonly after: readonly SqlValue[] | null;
  readonly logmarker: string | null;
}

/** A CD row the stream cannot make a change of (an operation ASN does not write): a dead letter. */
export interface UnreadableRow {
  readonly table: CapturedTable;
  readonly commitseq: string;
  readonly intentseq: string;
  readonly reason: string;
}

/** One record for Kafka (or the dead-letter topic), with its place in commit order. */
export interface CdcOutputRecord {
  readonly place: CdcRecordPlace;
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /** 1-based number within the transaction (BEGIN 0), for error reports. */
  readonly recordNumber: number;
  /** Present when the row could not become an event. */
  readonly rejection?: { readonly code: string; readonly reason: string };
}

export interface TransactionContext {
  /** The bridge name (Debezium's server name in `source.name`). */
  readonly bridge: string;
  /** The database name in `source.db`. */
  readonly db: string;
  readonly transactionTopic: string;
  readonly assembledTopic?: string;
  /** ms since epoch; the producer-side `ts_ms`, and the commit time when no UOW row says it. */
  readonly now: () => number;
}

export const CONNECTOR_VERSION = '1';

export async function* tableChanges(rows: AsyncIterable<CdRow>): AsyncGenerator<TableChange | UnreadableRow> {
  let pendingDelete: CdRow | undefined;
  for await (const row of rows) {
    if (pendingDelete) {
      const d = pendingDelete;
      pendingDelete = undefined;
      if (row.operation === 'I' && row.commitseq === d.commitseq && sameKey(d, row)) {
        yield { table: row.table, commitseq: row.commitseq, intentseq: row.intentseq, op: 'u', before: d.values, after: row.values, logmarker: row.logmarker };
        continue;
      }
      yield deleteOf(d);
    }
    switch (row.operation) {
      case 'D':
        if (row.table.updatesAsDeleteInsert) pendingDelete = row;
        else yield deleteOf(row);
        break;
      case 'I':
        yield { table: row.table, commitseq: row.commitseq, intentseq: row.intentseq, op: 'c', before: null, after: row.values, logmarker: row.logmarker };
        break;
      case 'U':
        yield { table: row.table, commitseq: row.commitseq, intentseq: row.intentseq, op: 'u', before: beforeImage(row), after: row.values, logmarker: row.logmarker };
        break;
      default:
        yield { table: row.table, commitseq: row.commitseq, intentseq: row.intentseq, reason: `IBMSNAP_OPERATION '${row.operation}' is none of I, U, D` };
    }
  }
  if (pendingDelete) yield deleteOf(pendingDelete);
}

/** Merges per-table streams, each in (COMMITSEQ, INTENTSEQ) order, into one stream in that order. */
export async function* mergeChanges<T extends { readonly commitseq: string; readonly intentseq: string }>(streams: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const heads: Array<T | undefined> = [];
  try {
    // One query at a time per connection: the heads are fetched one after another.
    for (const it of iterators) heads.push(await nextOf(it));
    for (;;) {
      let min = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h === undefined) continue;
        const m = min < 0 ? undefined : heads[min]!;
        if (m === undefined || h.commitseq < m.commitseq || (h.commitseq === m.commitseq && h.intentseq < m.intentseq)) min = i;
      }
      if (min < 0) return;
      yield heads[min]!;
      heads[min] = await nextOf(iterators[min]!);
    }
  } finally {
    for (const it of iterators) await it.return?.(undefined);
  }
}

/**
 * Groups a merged stream by COMMITSEQ into transactions. The stream must end at a transaction
 * boundary (a window bounded by a synchpoint does: Capture writes a transaction's rows in one commit).
 */
export async function* transactionRecords(changes: AsyncIterable<TableChange | UnreadableRow>, ctx: TransactionContext): AsyncGenerator<CdcOutputRecord> {
  let tx: OpenTransaction | undefined;
  for await (const change of changes) {
    if (tx && tx.commitseq !== change.commitseq) {
      yield* closeTransaction(tx, ctx);
      tx = undefined;
    }
    if (!tx) {
      const logmarker = 'op' in change ? change.logmarker : null;
      tx = { commitseq: change.commitseq, tsMs: commitTime(logmarker, ctx), total: 0, perTable: new Map(), events: [], lastChange: change.intentseq, firstKey: undefined };
      const begin: TransactionBoundary = { status: 'BEGIN', id: tx.commitseq, ts_ms: tx.tsMs };
      yield {
        place: { commitLsn: tx.commitseq, kind: 'begin' },
        topic: ctx.transactionTopic,
        key: tx.commitseq,
        value: JSON.stringify(begin),
        headers: { [CdcHeaders.commitLsn]: tx.commitseq },
        recordNumber: 0,
      };
    }
    tx.lastChange = change.intentseq;
    tx.total++;
    const t = change.table;
    const tableCount = (tx.perTable.get(t.name) ?? 0) + 1;
    tx.perTable.set(t.name, tableCount);
    const place: CdcRecordPlace = { commitLsn: change.commitseq, kind: 'change', changeLsn: change.intentseq };
    if (!('op' in change)) {
      yield {
        place,
        topic: t.topic,
        key: null,
        value: JSON.stringify({ table: t.name, commit_lsn: change.commitseq, change_lsn: change.intentseq }),
        headers: { [CdcHeaders.table]: t.name, [CdcHeaders.commitLsn]: change.commitseq, [CdcHeaders.changeLsn]: change.intentseq },
        recordNumber: tx.total,
        rejection: { code: 'BANYAN_ERR_CDC_ROW_UNREADABLE', reason: `${t.name} row at commit_lsn ${change.commitseq} change_lsn ${change.intentseq}: ${change.reason}` },
      };
      continue;
    }
    let before: RowImage | null;
    let after: RowImage | null;
    try {
      before = change.before ? t.mapRow(change.before) : null;
      after = change.after ? t.mapRow(change.after) : null;
    } catch (err) {
      // A value the column mapping refuses (LOB over the limit, a bad decimal): the change is a dead letter, the stream goes on.
      yield {
        place,
        topic: t.topic,
        key: null,
        value: JSON.stringify({ table: t.name, commit_lsn: change.commitseq, change_lsn: change.intentseq, op: change.op }),
        headers: { [CdcHeaders.table]: t.name, [CdcHeaders.op]: change.op, [CdcHeaders.commitLsn]: change.commitseq, [CdcHeaders.changeLsn]: change.intentseq },
        recordNumber: tx.total,
        rejection: err instanceof BanyanError ? { code: err.code, reason: err.message } : { code: 'BANYAN_ERR_CDC_VALUE_INVALID', reason: String(err) },
      };
      continue;
    }
    const event: ChangeEvent = {
      before,
      after,
      source: {
        version: CONNECTOR_VERSION,
        connector: 'db2',
        name: ctx.bridge,
        ts_ms: tx.tsMs,
        snapshot: 'false',
        db: ctx.db,
        schema: t.schema,
        table: t.table,
        change_lsn: change.intentseq,
        commit_lsn: change.commitseq,
        schema_version: t.schemaVersion,
      },
      op: change.op,
      ts_ms: ctx.now(),
      transaction: { id: tx.commitseq, total_order: tx.total, data_collection_order: tableCount },
    };
    const key = keyOf(t, (after ?? before)!);
    if (ctx.assembledTopic !== undefined) {
      tx.events.push(event);
      if (tx.firstKey === undefined) tx.firstKey = key;
    }
    yield {
      place,
      topic: t.topic,
      key,
      value: JSON.stringify(event),
      headers: {
        [CdcHeaders.table]: t.name,
        [CdcHeaders.op]: change.op,
        [CdcHeaders.commitLsn]: change.commitseq,
        [CdcHeaders.changeLsn]: change.intentseq,
        [CdcHeaders.schemaVersion]: String(t.schemaVersion),
      },
      recordNumber: tx.total,
    };
  }
  if (tx) yield* closeTransaction(tx, ctx);
}

interface OpenTransaction {
  readonly commitseq: string;
  readonly tsMs: number;
  total: number;
  readonly perTable: Map<string, number>;
  readonly events: ChangeEvent[];
  lastChange: string;
  firstKey: string | null | undefined;
}

function* closeTransaction(tx: OpenTransaction, ctx: TransactionContext): Generator<CdcOutputRecord> {
  if (ctx.assembledTopic !== undefined) {
    const assembled: AssembledTransaction = { id: tx.commitseq, ts_ms: tx.tsMs, commit_lsn: tx.commitseq, events: tx.events };
    yield {
      place: { commitLsn: tx.commitseq, kind: 'assembled', changeLsn: tx.lastChange },
      topic: ctx.assembledTopic,
      key: tx.firstKey ?? null,
      value: JSON.stringify(assembled),
      headers: { [CdcHeaders.commitLsn]: tx.commitseq },
      recordNumber: tx.total + 1,
    };
  }
  const end: TransactionBoundary = {
    status: 'END',
    id: tx.commitseq,
    ts_ms: tx.tsMs,
    event_count: tx.total,
    data_collections: [...tx.perTable].map(([data_collection, event_count]) => ({ data_collection, event_count })),
  };
  yield {
    place: { commitLsn: tx.commitseq, kind: 'end' },
    topic: ctx.transactionTopic,
    key: tx.commitseq,
    value: JSON.stringify(end),
    headers: { [CdcHeaders.commitLsn]: tx.commitseq },
    recordNumber: tx.total + 2,
  };
}

/**
 * One row of an initial snapshot as a Debezium read event (op `r`, no before image, no transaction),
 * at the LSN taken when the snapshot began; `last` marks the snapshot's final row (`snapshot: "last"`).
 */
/** `mark`: Debezium's source.snapshot, "true" / "last" for the initial snapshot, "incremental" for `banyan cdc snapshot`. */
export function snapshotRecord(t: CapturedTable, values: readonly SqlValue[], startLsn: string, ctx: TransactionContext, mark: 'true' | 'last' | 'incremental'): CdcOutputRecord {
  const place: CdcRecordPlace = { commitLsn: startLsn, kind: 'snapshot' };
  let after: RowImage;
  try {
    after = t.mapRow(values);
  } catch (err) {
    return {
      place,
      topic: t.topic,
      key: null,
      value: JSON.stringify({ table: t.name, snapshot_lsn: startLsn }),
      headers: { [CdcHeaders.table]: t.name, [CdcHeaders.op]: 'r', [CdcHeaders.commitLsn]: startLsn },
      recordNumber: 0,
      rejection: err instanceof BanyanError ? { code: err.code, reason: err.message } : { code: 'BANYAN_ERR_CDC_VALUE_INVALID', reason: String(err) },
    };
  }
  const now = ctx.now();
  const event: ChangeEvent = {
    before: null,
    after,
    source: {
      version: CONNECTOR_VERSION, connector: 'db2', name: ctx.bridge, ts_ms: now, snapshot: mark, db: ctx.db,
      schema: t.schema, table: t.table, change_lsn: null, commit_lsn: startLsn, schema_version: t.schemaVersion,
    },
    op: 'r',
    ts_ms: now,
    transaction: null,
  };
  return {
    place,
    topic: t.topic,
    key: keyOf(t, after),
    value: JSON.stringify(event),
    headers: { [CdcHeaders.table]: t.name, [CdcHeaders.op]: 'r', [CdcHeaders.commitLsn]: startLsn, [CdcHeaders.schemaVersion]: String(t.schemaVersion) },
    recordNumber: 0,
  };
}

/** IBMSNAP_LOGMARKER "YYYY-MM-DD HH:MM:SS.ffffff" (read as UTC) -> ms; the clock when absent. */
export function commitTime(logmarker: string | null, ctx: Pick<TransactionContext, 'now'>): number {
  if (logmarker === null) return ctx.now();
  const ms = Date.parse(`${logmarker.slice(0, 23).replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? ctx.now() : ms;
}

/** The entity key columns of a row image as the Kafka key (transaction-keys.ts), null for a keyless table. */
function keyOf(t: CapturedTable, image: RowImage): string | null {
  if (t.keyIndexes.length === 0) return null;
  const key: Record<string, ColumnValue> = {};
  for (const i of t.keyIndexes) key[t.columns[i]!.name] = image[t.columns[i]!.name] ?? null;
  return entityKeyText(key);
}

function deleteOf(row: CdRow): TableChange {
  return { table: row.table, commitseq: row.commitseq, intentseq: row.intentseq, op: 'd', before: row.values, after: null, logmarker: row.logmarker };
}

function sameKey(a: CdRow, b: CdRow): boolean {
  const key = a.table.keyIndexes;
  if (key.length === 0) return true; // keyless: Debezium's rule, D followed by I is the update
  return key.every((i) => sqlEqual(a.values[i] ?? null, b.values[i] ?? null));
}

function sqlEqual(a: SqlValue, b: SqlValue): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

function beforeImage(row: CdRow): readonly SqlValue[] | null {
  const map = row.table.beforeImageIndexes;
  if (map.size === 0) return null;
  return row.table.columns.map((_, i) => (map.has(i) ? (row.values[map.get(i)!] ?? null) : null));
}

async function nextOf<T>(it: AsyncIterator<T>): Promise<T | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}
