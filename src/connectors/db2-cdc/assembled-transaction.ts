/**
 * The assembled-transaction stream's record (change-event.ts AssembledTransaction): every change
 * event of one unit of work, in commit order, built when the transaction's END is written, keyed by
 * the entity key of its first change (so a transaction that touches one entity lands on that
 * entity's partition, next to nothing else of it out of order). Pure: the reader hands in what it
 * wrote to the per-table topics and gets the record to write after the END boundary.
 *
 * Checks, each a BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT naming the transaction: the boundary is an
 * END; every event belongs to it (transaction.id); the events' total_order runs 1..event_count with
 * no gap and no repeat; data_collection_order counts per table; event_count and data_collections
 * match the events. An inconsistent transaction is a bug in the reader, never something to publish.
 */
import type { AssembledTransaction, ChangeEvent, TransactionBoundary } from './change-event.ts';
import type { EntityKey } from './transaction-keys.ts';
import { CdcErrors } from './errors.ts';

/** One change as the reader wrote it: the envelope and the Kafka key it was written with. */
export interface KeyedChange {
  readonly key: EntityKey;
  readonly event: ChangeEvent;
}

export interface AssembledTransactionRecord {
  /** The entity key of the transaction's first change. */
  readonly key: EntityKey;
  readonly value: AssembledTransaction;
}

/** Builds the record for `end` from the transaction's changes (in any order; sorted by total_order). */
export function assembleTransaction(end: TransactionBoundary, changes: readonly KeyedChange[]): AssembledTransactionRecord {
  const fail = (why: string): never => {
    throw new CdcErrors.BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT(end.id, why);
  };
  if (end.status !== 'END') fail(`expected its END boundary, got ${end.status}`);
  if (changes.length === 0) fail('no change events');
  const sorted = [...changes].sort((a, b) => orderOf(a) - orderOf(b));
  const perTable = new Map<string, number>();
  sorted.forEach(({ event }, i) => {
    const t = event.transaction;
    if (!t) return fail(`a snapshot read (no transaction block) of ${event.source.schema}.${event.source.table} is among its events`);
    if (t.id !== end.id) fail(`event ${t.total_order} belongs to transaction ${t.id}`);
    if (t.total_order !== i + 1) fail(`total_order ${t.total_order} where ${i + 1} was expected (a gap or a repeat)`);
    const table = `${event.source.schema}.${event.source.table}`;
    const n = (perTable.get(table) ?? 0) + 1;
    perTable.set(table, n);
    if (t.data_collection_order !== n) fail(`event ${t.total_order} of ${table} has data_collection_order ${t.data_collection_order}, expected ${n}`);
  });
  if (end.event_count !== undefined && end.event_count !== sorted.length) fail(`END says ${end.event_count} events, ${sorted.length} were written`);
  if (end.data_collections) {
    const said = end.data_collections.map((d) => `${d.data_collection}=${d.event_count}`).join(',');
    const seen = [...perTable].map(([table, n]) => `${table}=${n}`).join(',');
    if (said !== seen) fail(`END's data_collections ${said} do not match the events ${seen}`);
  }
  const first = sorted[0];
  return {
    key: first.key,
    value: { id: end.id, ts_ms: end.ts_ms, commit_lsn: first.event.source.commit_lsn, events: sorted.map((c) => c.event) },
  };
}

function orderOf(change: KeyedChange): number {
  return change.event.transaction?.total_order ?? 0;
}
