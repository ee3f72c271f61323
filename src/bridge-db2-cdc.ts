/**
 * Db2 CDC -> Kafka: a `source: { db2_cdc: ... }` bridge composed from its file. The driver named by
 * `driver` (ibm_db, or the PostgreSQL stand-in) with its platform's SQL, the reader, the source, and
 * the topics by the naming rule, whose `{prefix}` is the bridge's `sink.kafka.topic` (Debezium's
 * topic.prefix). The sink, checkpoints and delivery mode are the bridge runtime's own.
 */
import type { BridgeConfig } from './bridge-assembly.ts';
import type { BatchLimits, Source } from './core/bridge-contracts.ts';
import type { RecordDecoder } from './core/bridge-pipeline.ts';
import { cdcRecordDecoder } from './connectors/db2-cdc/cdc-decisions.ts';
import { openCdcReader, type CdcReaderEvents } from './connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceEvents } from './connectors/db2-cdc/cdc-source.ts';
import { createIbmDbDriver } from './connectors/db2-cdc/ibm-db-driver.ts';
import { createPostgresDriver } from './connectors/db2-cdc/pg-driver.ts';
import { platformSql } from './connectors/db2-cdc/platform-sql.ts';
import type { SqlDriver } from './connectors/db2-cdc/sql-port.ts';
import type { Db2CdcSourceConfig } from './connectors/db2-cdc/spec.ts';
import { kafkaSignalFeed } from './connectors/db2-cdc/snapshot-signals.ts';
import type { KafkaClient } from './connectors/kafka/client.ts';

export interface Db2CdcDeps {
  /** Replaces the driver the file names (tests). */
  readonly cdcDriver?: SqlDriver;
  readonly cdcEvents?: CdcSourceEvents & CdcReaderEvents;
}

export interface Db2CdcSide {
  readonly source: Source;
  readonly decode: RecordDecoder;
  readonly limits: BatchLimits;
  readonly idlePollMs: number;
  /**
   * Every topic the bridge writes to, to create before it runs: per table and assembled with the
   * configured partitions (keyed by entity), the transaction topic with one partition (BEGIN/END are
   * in commit order only within one partition: the consumer helper insists on it).
   */
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions?: number }>;
}

export function db2CdcSide(bridge: BridgeConfig, cfg: Db2CdcSourceConfig, prefix: string, kafka: KafkaClient, deps: Db2CdcDeps = {}): Db2CdcSide {
  const topicOf = (rule: string) => (schema: string, table: string) => rule.replaceAll('{prefix}', prefix).replaceAll('{schema}', schema).replaceAll('{table}', table);
  const tableTopic = topicOf(cfg.topic);
  const transactionTopic = topicOf(cfg.transaction_topic)('', '');
  const schemaTopic = topicOf(cfg.schema_topic)('', '');
  const signalTopic = topicOf(cfg.signal_topic)('', '');
  const notificationTopic = topicOf(cfg.notification_topic)('', '');
  const assembledTopic = cfg.assembled_topic !== undefined ? topicOf(cfg.assembled_topic)('', '') : undefined;
  const driver = deps.cdcDriver ?? driverOf(cfg);
  const sql = platformSql(cfg.driver === 'postgres' ? 'postgres' : cfg.platform);
  const source = createCdcSource({
    bridge: bridge.name,
    db: cfg.database,
    openReader: (resume) =>
      openCdcReader({
        bridge: bridge.name,
        ...(resume?.schemas ? { previousSchemas: resume.schemas } : {}),
        resumeLsn: resume?.commitLsn ?? null,
        driver,
        connect: { host: cfg.host, port: cfg.port, database: cfg.database, user: cfg.user, password: cfg.password },
        sql,
        captureSchema: cfg.capture_schema,
        tables: cfg.tables,
        ...(cfg.keys ? { keys: cfg.keys } : {}),
        topicOf: tableTopic,
        blockRows: cfg.block_rows,
        lobMaxBytes: cfg.lob_max_bytes,
        ...(deps.cdcEvents ? { events: deps.cdcEvents } : {}),
      }),
    transactionTopic,
    schemaTopic,
    ...(assembledTopic !== undefined ? { assembledTopic } : {}),
    start: cfg.snapshot,
    poll: cfg.poll_interval_ms,
    schemaCheckPolls: cfg.schema_check_polls,
    incremental: {
      signals: kafkaSignalFeed(kafka, signalTopic, bridge.name),
      notificationTopic,
      chunkRows: cfg.incremental_snapshot.chunk_rows,
      signalPollMs: cfg.incremental_snapshot.signal_poll_ms,
    },
    ...(deps.cdcEvents ? { events: deps.cdcEvents } : {}),
  });
  const tableTopics = cfg.tables.map((t) => {
    const [schema, table] = t.split('.') as [string, string];
    return tableTopic(schema, table);
  });
  return {
    source,
    decode: cdcRecordDecoder(),
    limits: { maxRecords: bridge.batch.max_records, maxBytes: bridge.batch.max_bytes, maxWaitMs: bridge.batch.max_wait_ms },
    // The source waits its own adaptive poll interval; the pipeline asks again at once.
    idlePollMs: 10,
    // Signals in one partition: they are read (and their offset checkpointed) in the order they were sent.
    topics: [
      ...[...new Set([...tableTopics, schemaTopic, notificationTopic, ...(assembledTopic !== undefined ? [assembledTopic] : [])])].map((topic) => ({ topic })),
      { topic: transactionTopic, partitions: 1 },
      { topic: signalTopic, partitions: 1 },
    ],
  };
}

/** The ibm_db adapter loads its optional dependency lazily, at the first connect (BANYAN_ERR_CDC_DRIVER_MISSING without it). */
function driverOf(cfg: Db2CdcSourceConfig): SqlDriver {
  return cfg.driver === 'postgres' ? createPostgresDriver() : createIbmDbDriver();
}
