/**
 * What the CDC bridge writes to Kafka: Debezium's change-event envelope (so Debezium consumers read
 * it as they are), one topic per captured table, plus the transaction metadata topic
 * (Debezium's `provide.transaction.metadata`). The reader (./cdc-source.ts), the assembled-transaction
 * stream and the consumer helper that rebuilds whole transactions meet here.
 *
 * Positions are hex text of the ASN log sequence numbers: IBMSNAP_COMMITSEQ and IBMSNAP_INTENTSEQ are
 * VARCHAR(16) FOR BIT DATA on LUW (16 bytes, 32 hex digits) and 10-byte RBAs/LRSNs on z/OS (20 hex
 * digits). Hex of fixed width sorts like the bytes, so positions compare as strings.
 */

/** A column value as JSON: DECIMAL/DECFLOAT/BIGINT as decimal strings, binary as base64 (or a decoded copybook record). */
export type ColumnValue = string | number | boolean | null | { readonly [field: string]: unknown } | readonly unknown[];

/** One row image: column name -> value. */
export type RowImage = { readonly [column: string]: ColumnValue };

/** Debezium's op codes: c create (insert), u update, d delete, r read (snapshot). */
export type ChangeOp = 'c' | 'u' | 'd' | 'r';

/** `source` block (Debezium Db2 connector field names, plus the schema version). */
export interface ChangeSource {
  readonly version: string;
  readonly connector: 'db2';
  /** The bridge name (Debezium's topic.prefix / server name). */
  readonly name: string;
  /** Commit time from IBMSNAP_UOW.IBMSNAP_LOGMARKER, ms since epoch (not the poll time). */
  readonly ts_ms: number;
  /** "true" | "last" | "incremental" | "false" (Debezium's values), whether and how the event came from a snapshot. */
  readonly snapshot: 'true' | 'last' | 'incremental' | 'false';
  readonly db: string;
  readonly schema: string;
  readonly table: string;
  /** Hex of IBMSNAP_INTENTSEQ (null for snapshot reads). */
  readonly change_lsn: string | null;
  /** Hex of IBMSNAP_COMMITSEQ. */
  readonly commit_lsn: string;
  /** Version of the table's captured column set; raised by each detected schema change. */
  readonly schema_version: number;
}

/** Where an event sits in its transaction (Debezium's `transaction` block). */
export interface ChangeTransaction {
  /** The transaction id: the commit_lsn hex. */
  readonly id: string;
  /** 1-based order among all events of the transaction. */
  readonly total_order: number;
  /** 1-based order among the transaction's events of this table. */
  readonly data_collection_order: number;
}

/** The value of a record on a per-table topic. Kafka key: the entity key columns as JSON object. */
export interface ChangeEvent {
  readonly before: RowImage | null;
  readonly after: RowImage | null;
  readonly source: ChangeSource;
  readonly op: ChangeOp;
  /** When the bridge produced the event, ms since epoch. */
  readonly ts_ms: number;
  /** Null for snapshot reads. */
  readonly transaction: ChangeTransaction | null;
}

/**
 * The value of a record on the transaction metadata topic, keyed by the transaction id. BEGIN comes
 * before the transaction's first change event, END after its last, both in commit order.
 */
export interface TransactionBoundary {
  readonly status: 'BEGIN' | 'END';
  readonly id: string;
  /** Commit time (IBMSNAP_LOGMARKER), ms since epoch. */
  readonly ts_ms: number;
  /** END only: how many change events the transaction has in all. */
  readonly event_count?: number;
  /** END only: events per table, `SCHEMA.TABLE` names in first-seen order. */
  readonly data_collections?: readonly { readonly data_collection: string; readonly event_count: number }[];
}

/**
 * The value of a record on the optional assembled-transaction topic: every change of one unit of
 * work in commit order, emitted at END, keyed by the entity key (of the first change when a
 * transaction touches several entities).
 */
export interface AssembledTransaction {
  readonly id: string;
  readonly ts_ms: number;
  readonly commit_lsn: string;
  readonly events: readonly ChangeEvent[];
}

/** The resume point kept in the checkpoint topic (Debezium's Db2 offsets). */
export interface CdcPosition {
  /** Hex commit_lsn of the last transaction whose events Kafka acknowledged in full (or, mid-transaction, the one in flight). */
  readonly commit_lsn: string;
  /** Hex change_lsn of the last acknowledged change, when the position is inside a transaction. */
  readonly change_lsn: string | null;
  /** How many events of the change at change_lsn were written (an update's before/after is one). */
  readonly event_serial_no: number;
  /** Set while the initial snapshot is in progress: what it has covered. */
  readonly snapshot?: { readonly table: string; readonly last_key: string | null; readonly start_lsn: string } | undefined;
  /** Set while an incremental snapshot (`banyan cdc snapshot`) is in progress: its signal, tables and the last key of the last chunk written. */
  readonly incremental?: IncrementalSnapshotProgress | undefined;
  /** Offset of the last signal read from the signal topic: signals at or below it were handled. */
  readonly signal_offset?: string | undefined;
  /** Per table, the captured column set the bridge read with and its version (schema-tracker.ts), to detect changes across restarts. */
  readonly schemas?: { readonly [table: string]: { readonly version: number; readonly columns: readonly { readonly name: string; readonly type: string; readonly forBitData?: boolean; readonly length?: number; readonly scale?: number }[] } } | undefined;
}

/** Where an incremental snapshot is (JSON in the checkpoint). */
export interface IncrementalSnapshotProgress {
  readonly signal_id: string;
  /** `SCHEMA.TABLE` names still to read, the one being read first. */
  readonly tables: readonly string[];
  /** Last key of the last chunk written for tables[0] (JSON array of SQL values), null: none yet. */
  readonly last_key: string | null;
  readonly rows: number;
}

/** Kafka headers the CDC bridge adds to every change record (besides the bridge's own `banyan-*`). */
export const CdcHeaders = {
  table: 'banyan-cdc-table',
  op: 'banyan-cdc-op',
  commitLsn: 'banyan-cdc-commit-lsn',
  changeLsn: 'banyan-cdc-change-lsn',
  schemaVersion: 'banyan-cdc-schema-version',
} as const;
