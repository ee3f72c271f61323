/**
 * The seams every bridge plugs into (shared/DESIGN.md's four hops): a Source hands out raw records
 * with their source positions, the pipeline decodes, maps and keys them, a Sink makes them durable,
 * and only then is the source told to commit. Debezium's offset discipline: a position is committed
 * only after every record it covers is acknowledged, and positions are committed in read order.
 *
 * A source position is the source's own value (a file identity and byte offset, an MQ syncpoint, a
 * CDC commit sequence). It must survive a JSON round trip: checkpoints store it in Kafka.
 */

/** JSON-serialisable data: what a position or a checkpoint may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Where a source is: resuming from it reads the record after the last one it covers. */
export type SourcePosition = { readonly [key: string]: JsonValue };

/** One raw record as the source read it. */
export interface SourceRecord {
  /** The record's bytes (framed: no RDW). May be a view into a read buffer: copy before keeping it past the batch. */
  readonly bytes: Uint8Array;
  /** 1-based number of the record within its source unit (file, message group), for error reports. */
  readonly recordNumber: number;
  /**
   * This record's own position as stable text (`<file key>@<byte offset>`, an MQ MsgId in hex, a
   * CDC `<commitseq>:<intentseq>`). With the bridge name it is the event id consumers deduplicate on,
   * so a record read again after a crash carries the same text.
   */
  readonly positionId: string;
  /** Source metadata that travels as Kafka headers (file name, MQMD fields, CDC table and operation); bytes for raw ids (MQ MsgId). */
  readonly metadata: Readonly<Record<string, string | Uint8Array>>;
}

/** A batch of records and the position to commit once all of them are durable. */
export interface SourceBatch {
  readonly records: readonly SourceRecord[];
  /** Resume point after the batch's last record; committing it acknowledges every record of the batch. */
  readonly position: SourcePosition;
}

/** How big a batch may get before the pipeline publishes it (`batch:` in a bridge file). */
export interface BatchLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** How long a read may wait for more records once it has at least one. */
  readonly maxWaitMs: number;
}

/** What `read()` says when it has no batch. */
export type SourceIdle =
  /** Nothing ready now; the pipeline asks again after a pause. */
  | { readonly idle: 'waiting' }
  /** Everything there is has been read (what `banyan run --until-idle` waits for). */
  | { readonly idle: 'drained' };

/**
 * A legacy-side reader (record files, MQ queues, CDC tables) or Kafka itself on the way back.
 *
 * Errors: a BanyanError with `retriable: true` (source unavailable, connection lost) makes the
 * pipeline close the source, back off and open it again from the last committed position; any other
 * error stops this bridge alone, reported not-ready with its code.
 */
export interface Source {
  /**
   * Called once, before the first read, with the last committed position (undefined: the source's
   * beginning). A source that cannot resume from it (a file no longer there) starts from what
   * follows and says so in its own error or log, never silently re-reads committed records.
   */
  open(from: SourcePosition | undefined): Promise<void>;
  /**
   * Called whenever the pipeline has room for another batch, at most one call at a time. Resolves
   * with the next batch within `limits`, or with why there is none. `signal` aborts a waiting read
   * at shutdown: it then resolves `{ idle: 'waiting' }`.
   */
  read(limits: BatchLimits, signal: AbortSignal): Promise<SourceBatch | SourceIdle>;
  /**
   * Called with a batch's position after every record of that batch, and of every batch read
   * before it, is durable in the sink (and, in exactly-once mode, after the Kafka transaction
   * holding them committed). Positions arrive in read order. The source acknowledges at its end
   * here: MQCMIT, moving a finished file to archive/, a CDC checkpoint.
   */
  commit(position: SourcePosition): Promise<void>;
  /** Called once at shutdown or before a retry, after the last commit; releases connections and handles. */
  close(): Promise<void>;
}

/** One record ready for the sink: topic, entity key, value, headers. */
export interface SinkRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Uint8Array | string | null;
  readonly headers: Readonly<Record<string, string | Uint8Array>>;
}

/**
 * Where a bridge's records go: Kafka on the way in, files, MQ queues or HTTP services on the way out.
 *
 * Errors: retriable ones (broker down, target unavailable) make the pipeline back off and write the
 * same records again, so a sink must tolerate a repeated write (Kafka's idempotent producer, a file
 * sink's recorded offsets); any other error stops the bridge.
 */
export interface Sink {
  /**
   * Called with one batch at a time, in read order, also with an empty `records` (a batch whose
   * records were all skipped still moves the position). Resolves once every record is durable
   * (Kafka: acknowledged by all in-sync replicas); only then does the pipeline save the checkpoint
   * and commit the source.
   *
   * `position` is the batch's resume point. A sink that keeps positions with its data (a
   * transactional Kafka sink writes it in the same transaction, a file sink beside the file it
   * renames into place) stores it atomically with the records, so a crash can never separate the
   * two; other sinks ignore it.
   */
  write(records: readonly SinkRecord[], position: SourcePosition): Promise<void>;
  /** Called once at shutdown, after the last write resolved. */
  close(): Promise<void>;
}
