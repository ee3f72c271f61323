/**
 * Change events and transaction boundaries as the CDC bridge writes them (change-event.ts), for
 * tests of what reads them. `cdcTransaction` lays one unit of work out the way the reader numbers
 * it: total_order 1..n in commit order, data_collection_order per table, END with the counts.
 */
import type { ChangeEvent, ChangeOp, RowImage, TransactionBoundary } from '../../src/connectors/db2-cdc/change-event.ts';
import type { EntityKey } from '../../src/connectors/db2-cdc/transaction-keys.ts';

/** Fixed-width hex LSN (16 bytes, LUW) of a number, so positions compare as strings. */
export const hexLsn = (n: number): string => n.toString(16).padStart(32, '0');

export interface PlannedChange {
  /** SCHEMA.TABLE */
  readonly table: string;
  readonly op: ChangeOp;
  readonly key: EntityKey;
  readonly after?: RowImage | null;
  readonly before?: RowImage | null;
}

export interface CdcTransaction {
  readonly id: string;
  readonly begin: TransactionBoundary;
  readonly changes: readonly { readonly key: EntityKey; readonly event: ChangeEvent }[];
  readonly end: TransactionBoundary;
}

/** One transaction at commit sequence `commitSeq`, its changes at intent sequences commitSeq*1000+i. */
export function cdcTransaction(commitSeq: number, planned: readonly PlannedChange[], tsMs = 1_764_694_862_000 + commitSeq): CdcTransaction {
  const id = hexLsn(commitSeq);
  const perTable = new Map<string, number>();
  const changes = planned.map((p, i) => {
    const dc = (perTable.get(p.table) ?? 0) + 1;
    perTable.set(p.table, dc);
    const [schema, table] = p.table.split('.');
    const event: ChangeEvent = {
      before: p.before ?? (p.op === 'c' ? null : { ...p.key }),
      after: p.after ?? (p.op === 'd' ? null : { ...p.key, SEQ: String(commitSeq) }),
      source: {
        version: 'test',
        connector: 'db2',
        name: 'getwell',
        ts_ms: tsMs,
        snapshot: 'false',
        db: 'SAMPLE',
        schema,
        table,
        change_lsn: hexLsn(commitSeq * 1000 + i),
        commit_lsn: id,
        schema_version: 1,
      },
      op: p.op,
      ts_ms: tsMs + 5,
      transaction: { id, total_order: i + 1, data_collection_order: dc },
    };
    return { key: p.key, event };
  });
  return {
    id,
    begin: { status: 'BEGIN', id, ts_ms: tsMs },
    changes,
    end: {
      status: 'END',
      id,
      ts_ms: tsMs,
      event_count: changes.length,
      data_collections: [...perTable].map(([data_collection, event_count]) => ({ data_collection, event_count })),
    },
  };
}
