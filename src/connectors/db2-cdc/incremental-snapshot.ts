/**
 * The incremental snapshot of `banyan cdc snapshot --table`: a table's rows re-read in key-ordered
 * chunks while the bridge keeps streaming, with the watermark algorithm of Netflix's DBLog
 * (Andreev & Jasinski, "DBLog: A Watermark Based Change-Data-Capture Framework", 2020), which
 * Debezium's incremental snapshots also use:
 *
 * 1. streaming has caught up with Capture: the last read position is the low watermark;
 * 2. one chunk is selected (next `chunk_rows` keys after the last chunk's last key);
 * 3. the register is read again: its position is the high watermark; the changes in
 *    (low, high] are streamed as usual, and every chunk row whose key one of them touched is
 *    dropped from the chunk (that change is as new as the row, or newer);
 * 4. the chunk's remaining rows are written as `op: r` events after those changes.
 *
 * A chunk row that survives step 3 was not changed between low and high, so at high it still holds
 * what was selected; written after every change up to high, replaying a topic per key still ends
 * in the table's state. A change Capture had not yet put into a CD table at step 3 comes later in
 * the stream and wins over the snapshot row, as it should.
 *
 * DBLog and Debezium write watermarks into a signal table on the source database to find them in
 * the change log. Db2's ASN capture makes that unnecessary: the register's synchpoint is a
 * position in the CD stream itself, read with the same query the bridge polls with, so the bridge
 * needs no write access and no extra table on the mainframe.
 *
 * Chunks are read with cursor stability (committed data), not the UR used on control tables: an
 * uncommitted row could be written as `op: r` and then rolled back, and no later change would undo it.
 */
import type { BanyanError } from '../../core/errors.ts';
import type { CapturedTable } from './captured-table.ts';
import { CdcErrors } from './errors.ts';
import type { IncrementalSnapshotProgress } from './change-event.ts';
import { snapshotRecord, type CdcOutputRecord, type TransactionContext } from './change-stream.ts';
import { CdcHeaders } from './change-event.ts';
import type { CdcReader } from './cdc-reader.ts';
import { notificationValue, type NotificationType, type SnapshotSignal } from './snapshot-signals.ts';
import type { SqlValue } from './sql-port.ts';
import { decodeKey, encodeKey } from './snapshot-keys.ts';

export interface IncrementalSnapshotOptions {
  readonly bridge: string;
  readonly notificationTopic: string;
  readonly chunkRows: number;
  readonly ctx: TransactionContext;
}

interface Chunk {
  readonly table: CapturedTable;
  /** The chunk's rows as events, by Kafka key (the entity key); rejected rows (no key) apart. */
  readonly byKey: Map<string, CdcOutputRecord>;
  readonly unkeyed: CdcOutputRecord[];
  readonly lastKey: readonly SqlValue[] | null;
  readonly complete: boolean;
  readonly selected: number;
  /** Set once the changes up to the high watermark were streamed. */
  highReached: boolean;
}

export class IncrementalSnapshot {
  readonly #o: IncrementalSnapshotOptions;
  #progress: IncrementalSnapshotProgress | undefined;
  #signalOffset: string | null = null;
  /** Requests that arrived while another snapshot ran, run after it (Debezium queues them too). */
  #queued: Array<{ signalId: string; tables: string[] }> = [];
  #chunk: Chunk | undefined;

  constructor(o: IncrementalSnapshotOptions) {
    this.#o = o;
  }

  /** What the checkpoint carries. */
  get progress(): IncrementalSnapshotProgress | undefined {
    return this.#progress;
  }

  get signalOffset(): string | null {
    return this.#signalOffset;
  }

  get active(): boolean {
    return this.#progress !== undefined;
  }

  /** A chunk was selected and waits for the changes up to its high watermark. */
  get awaitingHigh(): boolean {
    return this.#chunk !== undefined && !this.#chunk.highReached;
  }

  get chunkReady(): boolean {
    return this.#chunk?.highReached === true;
  }

  /** After a restart: where the checkpoint left it (a chunk selected but not written is selected again). */
  restore(progress: IncrementalSnapshotProgress | undefined, signalOffset: string | null): void {
    this.#progress = progress;
    this.#signalOffset = signalOffset;
    this.#chunk = undefined;
  }

  /** New signals: STARTED for the first request, ABORTED for those that cannot run. Their notifications come back. */
  accept(signals: readonly SnapshotSignal[], tables: readonly CapturedTable[]): CdcOutputRecord[] {
    const out: CdcOutputRecord[] = [];
    for (const s of signals) {
      this.#signalOffset = s.offset;
      const problem = s.problem !== undefined ? new CdcErrors.BANYAN_ERR_CDC_SIGNAL_INVALID(`${s.id} at offset ${s.offset}`, s.problem) : this.#problemOf(s.tables!, tables);
      if (problem) {
        out.push(this.#notification(s.id, 'ABORTED', { error_code: problem.code, reason: problem.message, data_collections: (s.tables ?? []).join(',') }));
        continue;
      }
      this.#queued.push({ signalId: s.id, tables: [...s.tables!] });
    }
    if (!this.#progress && this.#queued.length > 0) out.push(...this.#startNext());
    return out;
  }

  /** Step 2: select the next chunk of the table being read (at the low watermark). */
  async selectChunk(reader: CdcReader): Promise<void> {
    const p = this.#progress!;
    const table = reader.tables.find((t) => t.name === p.tables[0])!;
    const after = p.last_key === null ? null : decodeKey(p.last_key);
    const rows = await reader.snapshotChunk(table, after, this.#o.chunkRows);
    const byKey = new Map<string, CdcOutputRecord>();
    const unkeyed: CdcOutputRecord[] = [];
    for (const row of rows) {
      const r = snapshotRecord(table, row, '', this.#o.ctx, 'incremental');
      if (r.key === null) unkeyed.push(r);
      else byKey.set(r.key, r);
    }
    const last = rows.at(-1);
    this.#chunk = {
      table,
      byKey,
      unkeyed,
      lastKey: last ? table.keyIndexes.map((i) => last[i] ?? null) : after,
      complete: rows.length < this.#o.chunkRows,
      selected: rows.length,
      highReached: false,
    };
  }

  /** Step 3: a streamed change; a chunk row with its key is dropped. */
  observe(out: CdcOutputRecord): void {
    const c = this.#chunk;
    if (!c || c.highReached || out.place.kind !== 'change' || out.key === null) return;
    if (out.headers[CdcHeaders.table] === c.table.name) c.byKey.delete(out.key);
  }

  /** Step 3 done: every change up to the high watermark was handed out. */
  reachedHigh(): void {
    if (this.#chunk) this.#chunk.highReached = true;
  }

  /**
   * Step 4: the chunk's events (at `commitLsn`, the high watermark) and notifications; the progress
   * moves past the chunk (onto the next table, the next request, or done).
   */
  takeChunk(commitLsn: string): CdcOutputRecord[] {
    const c = this.#chunk!;
    const p = this.#progress!;
    this.#chunk = undefined;
    const rows = [...c.byKey.values(), ...c.unkeyed].map((r) => withLsn(r, commitLsn));
    const scanned = p.rows + c.selected;
    const out: CdcOutputRecord[] = [...rows];
    const data = { data_collections: p.tables.join(','), current_collection_in_progress: c.table.name, total_rows_scanned: String(scanned) };
    if (!c.complete) {
      this.#progress = { ...p, last_key: c.lastKey === null ? null : encodeKey(c.lastKey), rows: scanned };
      out.push(this.#notification(p.signal_id, 'IN_PROGRESS', { ...data, last_processed_key: this.#progress.last_key ?? '', rows_written: String(rows.length) }));
      return out;
    }
    out.push(this.#notification(p.signal_id, 'TABLE_SCAN_COMPLETED', { ...data, status: 'SUCCEEDED' }));
    const rest = p.tables.slice(1);
    if (rest.length > 0) {
      this.#progress = { ...p, tables: rest, last_key: null, rows: scanned };
      return out;
    }
    out.push(this.#notification(p.signal_id, 'COMPLETED', { total_rows_scanned: String(scanned) }));
    this.#progress = undefined;
    if (this.#queued.length > 0) out.push(...this.#startNext());
    return out;
  }

  #startNext(): CdcOutputRecord[] {
    const next = this.#queued.shift()!;
    this.#progress = { signal_id: next.signalId, tables: next.tables, last_key: null, rows: 0 };
    return [this.#notification(next.signalId, 'STARTED', { data_collections: next.tables.join(',') })];
  }

  #problemOf(requested: readonly string[], tables: readonly CapturedTable[]): BanyanError | undefined {
    for (const name of requested) {
      const t = tables.find((x) => x.name === name);
      if (!t) return new CdcErrors.BANYAN_ERR_CDC_INCREMENTAL_TABLE_NOT_CAPTURED(name, this.#o.bridge, tables.map((x) => x.name).join(', '));
      if (!t.source) return new CdcErrors.BANYAN_ERR_CDC_INCREMENTAL_SOURCE_MISSING(name);
      if (t.keyIndexes.length === 0) return new CdcErrors.BANYAN_ERR_CDC_INCREMENTAL_NO_KEY(name);
    }
    return undefined;
  }

  #notification(signalId: string, type: NotificationType, data: Record<string, string>): CdcOutputRecord {
    return {
      place: { commitLsn: '', kind: 'snapshot' },
      topic: this.#o.notificationTopic,
      key: this.#o.bridge,
      value: notificationValue(this.#o.bridge, signalId, type, data, this.#o.ctx.now()),
      headers: { 'banyan-cdc-notification': type },
      recordNumber: 0,
    };
  }
}

/** The snapshot row's event with the high watermark as its commit_lsn (known only once the chunk is written). */
function withLsn(r: CdcOutputRecord, commitLsn: string): CdcOutputRecord {
  if (r.rejection) return { ...r, place: { commitLsn, kind: 'snapshot' }, headers: { ...r.headers, [CdcHeaders.commitLsn]: commitLsn } };
  const event = JSON.parse(r.value) as { source: { commit_lsn: string } };
  event.source.commit_lsn = commitLsn;
  return { ...r, place: { commitLsn, kind: 'snapshot' }, value: JSON.stringify(event), headers: { ...r.headers, [CdcHeaders.commitLsn]: commitLsn } };
}
