/**
 * Config spec of a Db2 CDC source (`source: { db2_cdc: ... }` in bridges/*.yaml): reads the ASN
 * capture's register, UOW and change-data (CD) tables (./cdc-source.ts). Topic names come from a
 * naming rule whose `{prefix}` is the bridge's `sink.kafka.topic` (Debezium's topic.prefix):
 * per-table topics `{prefix}.{schema}.{table}` and the transaction topic `{prefix}.transaction` by
 * default.
 */
import { z } from 'zod';
import { nonEmpty, port, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

const tableName = z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'expected SCHEMA.TABLE');
const topicRule = z.string().regex(/^([A-Za-z0-9._-]|\{(prefix|schema|table)\})+$/, 'Kafka topic characters and {prefix}, {schema}, {table}').max(249);

export const db2CdcSourceSchema = z.strictObject({
  /** ibm_db: Db2 LUW or z/OS through IBM's driver (optional dependency); postgres: the stand-in holding IBM's ASN tables. */
  driver: z.enum(['ibm_db', 'postgres']).default('ibm_db'),
  host: nonEmpty,
  port: port.default(50000),
  database: nonEmpty,
  user: nonEmpty,
  password: secret(z.string()),
  /** Db2 platform whose SQL the ibm_db driver runs (the postgres driver always runs the stand-in's). */
  platform: z.enum(['luw', 'zos']).default('luw'),
  /** Schema of the ASN capture control and CD tables (Debezium's default: ASNCDC). */
  capture_schema: nonEmpty.default('ASNCDC'),
  tables: z.array(tableName).min(1),
  /** Entity key columns per table (`SCHEMA.TABLE: [COL, ...]`); default the table's primary key. */
  keys: z.record(tableName, z.array(nonEmpty).min(1)).optional(),
  /** Topic of each table's change events. */
  topic: topicRule.default('{prefix}.{schema}.{table}'),
  /** Topic of the BEGIN / END transaction boundaries. */
  transaction_topic: topicRule.default('{prefix}.transaction'),
  /** Topic of schema-change events (a CD table's columns added, dropped or changed), keyed by SCHEMA.TABLE. */
  schema_topic: topicRule.default('{prefix}.schema-changes'),
  /** Topic of incremental snapshot requests (`banyan cdc snapshot`; Debezium's signal shape), one partition, keyed by bridge name. */
  signal_topic: topicRule.default('{prefix}.signals'),
  /** Topic of incremental snapshot notifications (STARTED, IN_PROGRESS per chunk, TABLE_SCAN_COMPLETED, COMPLETED, ABORTED). */
  notification_topic: topicRule.default('{prefix}.notifications'),
  /** Incremental snapshots: rows per key-ordered chunk, and how often the signal topic is looked at. */
  incremental_snapshot: z
    .strictObject({ chunk_rows: positiveInt.default(1024), signal_poll_ms: positiveInt.default(2000) })
    .default({ chunk_rows: 1024, signal_poll_ms: 2000 }),
  /** The assembled-transaction stream (every change of a unit of work as one event at END), off unless set. */
  assembled_topic: topicRule.optional(),
  /**
   * Where a bridge without a checkpoint starts: `change_data` reads every change still in the CD
   * tables; `no_data` starts at the current end (Debezium's no_data); `initial` first reads every
   * row of the source tables as `op: r` events (chunked by key), then streams from the LSN taken
   * before the snapshot began (Debezium's initial).
   */
  snapshot: z.enum(['change_data', 'no_data', 'initial']).default('change_data'),
  /** Register polls back off from `min` to `max` while nothing changes, and return to `min` when something does. */
  poll_interval_ms: z.strictObject({ min: positiveInt.default(200), max: positiveInt.default(5_000) }).default({ min: 200, max: 5_000 }),
  /**
   * Re-read the CD tables' columns every this many register polls (also at once when a
   * registration's CD_OLD_SYNCHPOINT or STATE changes): schema changes show while the bridge runs.
   */
  schema_check_polls: positiveInt.default(20),
  /** Rows per block fetch from a CD table. */
  block_rows: positiveInt.default(1_000),
  /** Largest CLOB / BLOB / XML value carried in an event, bytes; a larger one makes its change a dead letter. */
  lob_max_bytes: positiveInt.default(1 << 20),
  /** Stored position older than the oldest change left (pruned): stop with the remedy. */
  on_retention_lost: z.enum(['stop']).default('stop'),
});

export type Db2CdcSourceConfig = z.output<typeof db2CdcSourceSchema>;
