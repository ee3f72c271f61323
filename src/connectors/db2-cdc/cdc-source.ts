/**
 * The Db2 CDC reader as the bridge runtime's Source (src/core/bridge-contracts.ts). Each read:
 *
 * 1. no change window open: wait for the adaptive poll interval, read IBMSNAP_REGISTER once; nothing
 *    past the last read position -> `drained` (idle polls back off to `poll.max`);
 * 2. open a window (last read position, max LSN] over the CD tables whose CD_NEW_SYNCHPOINT moved,
 *    merged into one commit order and grouped into transactions (./change-stream.ts);
 * 3. hand out records up to the batch limits, never ending a batch on a BEGIN; the batch's position
 *    is the last record's (./cdc-position.ts). After a restart the records at or below the stored
 *    position are filtered out, so only the transaction in flight can repeat what the at-least-once
 *    crash window left unacknowledged.
 *
 * When Capture's synchpoint moved past the last read position and the window had no records (the
 * heartbeat of an idle database), an empty batch moves the position to it, so the checkpoint keeps
 * up with Capture and the retention check compares against a recent position.
 *
 * `commit` has nothing to do at the database: positions live in the bridge's checkpoint topic and
 * ASN pruning is the DBA's (Debezium does the same).
 */
import type { BatchLimits, Source, SourceBatch, SourceIdle, SourcePosition, SourceRecord } from '../../core/bridge-contracts.ts';
import type { CdcPosition } from './change-event.ts';
import { snapshotRecord, transactionRecords, type CdcOutputRecord, type TransactionContext } from './change-stream.ts';
import type { CapturedTable } from './captured-table.ts';
import type { SqlValue } from './sql-port.ts';
import type { CdcReader, RegisterState } from './cdc-reader.ts';
import { isCovered, nextPollDelay, parsePosition, positionAfter, toSourcePosition, windowStart } from './cdc-position.ts';
import { CdcErrors } from './errors.ts';
import { decodeKey, encodeKey } from './snapshot-keys.ts';
import { IncrementalSnapshot } from './incremental-snapshot.ts';
import type { SignalFeed } from './snapshot-signals.ts';

/** A source record that carries what the CDC decoder routes (./cdc-decisions.ts). */
export interface CdcSourceRecord extends SourceRecord {
  readonly cdc: CdcOutputRecord;
}

export interface CdcSourceEvents {
  /** After each register poll. */
  polled?(e: { readonly found: boolean; readonly maxLsn: string | null; readonly nextPollMs: number }): void;
  /** At open, with the stored position (undefined: none) and where reading starts. */
  opened?(e: { readonly position: CdcPosition | undefined; readonly after: string | null }): void;
}

export interface CdcSourceOptions {
  readonly bridge: string;
  readonly db: string;
  /** Opens the reader; `resume` says what the checkpoint knew (columns per table, its commit_lsn). */
  readonly openReader: (resume?: { readonly schemas?: CdcPosition['schemas']; readonly commitLsn: string | null }) => Promise<CdcReader>;
  /** Topic of schema-change events (schema-tracker.ts), keyed by SCHEMA.TABLE. */
  readonly schemaTopic?: string;
  readonly transactionTopic: string;
  readonly assembledTopic?: string;
  /** Where a bridge without a checkpoint starts: every change in the CD tables, the current end, or an initial snapshot. */
  readonly start: 'change_data' | 'no_data' | 'initial';
  readonly poll: { readonly min: number; readonly max: number };
  /**
   * Re-read the CD tables' columns every this many register polls (and at once when a table's
   * CD_OLD_SYNCHPOINT or STATE changes), so an ALTER shows while the bridge runs. Default 20.
   */
  readonly schemaCheckPolls?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly events?: CdcSourceEvents;
  /** Incremental snapshots on request (`banyan cdc snapshot`, ./incremental-snapshot.ts); off without it. */
  readonly incremental?: {
    readonly signals: SignalFeed;
    readonly notificationTopic: string;
    readonly chunkRows: number;
    readonly signalPollMs: number;
  };
}

export function createCdcSource(o: CdcSourceOptions): Source {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const ctx: TransactionContext = {
    bridge: o.bridge,
    db: o.db,
    transactionTopic: o.transactionTopic,
    ...(o.assembledTopic !== undefined ? { assembledTopic: o.assembledTopic } : {}),
    now,
  };
  let reader: CdcReader | undefined;
  /** The stored position the reader resumed from: records it covers are filtered out. */
  let resumedFrom: CdcPosition | undefined;
  /** Where the next window starts. */
  let next: { after: string | null; lower: 'exclusive' | 'inclusive' } = { after: null, lower: 'exclusive' };
  /** `closesChunk`: the window up to the high watermark of the incremental snapshot's chunk. */
  let window: { records: AsyncGenerator<CdcOutputRecord>; upTo: string; emitted: boolean; closesChunk: boolean } | undefined;
  let held: CdcOutputRecord | undefined;
  let pollDelay = o.poll.min;
  let nextPollAt = 0;
  /** Column sets per table, carried in every position (a restart compares against them). */
  let schemas: NonNullable<CdcPosition['schemas']> = {};
  /** Schema-change events found at open, written before anything read with the new columns. */
  let pendingSchemaChanges: Array<{ table: string; value: string }> = [];
  /** The initial snapshot in progress: the table being read, its last key read, the LSN streaming starts after. */
  let snapshot: { index: number; lastKey: SqlValue[] | null; startLsn: string } | undefined;
  const schemaCheckPolls = o.schemaCheckPolls ?? 20;
  let pollsSinceCheck = 0;
  /** Each table's CD_OLD_SYNCHPOINT/STATE at the last schema check. */
  let seenRegistration: ReadonlyMap<string, string> = new Map();
  /** Columns changed while running: applied once reading reached `at` (null: at the next window start). */
  let liveSchema: { at: string | null } | undefined;
  const inc = o.incremental ? new IncrementalSnapshot({ bridge: o.bridge, notificationTopic: o.incremental.notificationTopic, chunkRows: o.incremental.chunkRows, ctx }) : undefined;
  let nextSignalPollAt = 0;

  const closeWindow = async () => {
    const w = window;
    window = undefined;
    held = undefined;
    await w?.records.return(undefined).catch(() => {});
  };

  /** A position with what every checkpoint carries: column sets, the incremental snapshot's progress, the last signal handled. */
  const withSchemas = (p: CdcPosition): CdcPosition => ({
    ...p,
    schemas,
    ...(inc?.progress ? { incremental: inc.progress } : {}),
    ...(inc && inc.signalOffset !== null ? { signal_offset: inc.signalOffset } : {}),
  });
  /** Between windows (streaming caught up to `next.after`, no transaction in flight): the position that says so. */
  const streamedPosition = (): SourcePosition => toSourcePosition(withSchemas({ commit_lsn: next.after ?? reader!.zeroPosition, change_lsn: null, event_serial_no: 0 }));

  /**
   * Schema changes while running (issue 14): every `schemaCheckPolls` polls, or when a registration's
   * CD_OLD_SYNCHPOINT/STATE moved, the CD tables' columns are read again. A change applies at the
   * CD_OLD_SYNCHPOINT Capture stamped when the DBA reinitialised the registration, when that lies
   * ahead of what was read: changes committed before it keep the old version. Without a stamp (or
   * with a dropped column, which the old column list can no longer select) it applies at the next
   * window start. Either way the schema-change event comes first and nothing is dropped silently.
   */
  async function checkSchemas(r: CdcReader, state: RegisterState): Promise<{ at: string | null } | undefined> {
    const current = registrationText(state.registration);
    const moved = [...current].some(([t, v]) => seenRegistration.get(t) !== v);
    if (!moved && ++pollsSinceCheck < schemaCheckPolls) return undefined;
    pollsSinceCheck = 0;
    const changed = await r.checkSchemas();
    if (changed.length === 0) {
      seenRegistration = current;
      return undefined;
    }
    // The catalog may have changed after this poll's register read: read the stamps once more.
    const fresh = await r.pollRegister();
    const before = seenRegistration;
    seenRegistration = registrationText(fresh.registration);
    if (changed.some((c) => c.drops)) return { at: null };
    let at: string | null = null;
    for (const c of changed) {
      const reg = fresh.registration.get(c.table);
      const stamp = reg?.oldSynchpoint ?? null;
      const stamped = stamp !== null && before.get(c.table) !== seenRegistration.get(c.table) && (next.after === null || stamp > next.after);
      if (!stamped) return { at: null };
      if (at === null || stamp < at) at = stamp;
    }
    return { at };
  }

  /** The next chunk(s) of the initial snapshot, up to the batch limit; the last one hands over to streaming. */
  async function snapshotBatch(r: CdcReader, limits: BatchLimits): Promise<SourceBatch> {
    const s = snapshot!;
    const records: CdcSourceRecord[] = [];
    let last: { table: CapturedTable; row: readonly SqlValue[] } | undefined;
    while (records.length < limits.maxRecords && s.index < r.tables.length) {
      const table = r.tables[s.index]!;
      const want = limits.maxRecords - records.length;
      const rows = await r.snapshotChunk(table, s.lastKey, want);
      for (const row of rows) records.push(sourceRecordOf(snapshotRecord(table, row, s.startLsn, ctx, 'true')));
      if (rows.length > 0) last = { table, row: rows.at(-1)! };
      if (rows.length < want) {
        s.index++;
        s.lastKey = null;
      } else s.lastKey = table.keyIndexes.map((i) => rows.at(-1)![i] ?? null);
    }
    if (s.index < r.tables.length) {
      const progress = { table: r.tables[s.index]!.name, last_key: s.lastKey === null ? null : encodeKey(s.lastKey), start_lsn: s.startLsn };
      return { records, position: toSourcePosition(withSchemas({ commit_lsn: s.startLsn, change_lsn: null, event_serial_no: 0, snapshot: progress })) };
    }
    // Done: the final row says so (Debezium's snapshot: "last"), and streaming starts after startLsn.
    if (last) records[records.length - 1] = sourceRecordOf(snapshotRecord(last.table, last.row, s.startLsn, ctx, 'last'));
    snapshot = undefined;
    next = { after: s.startLsn, lower: 'exclusive' };
    return { records, position: toSourcePosition(withSchemas({ commit_lsn: s.startLsn, change_lsn: null, event_serial_no: 0 })) };
  }

  return {
    async open(from) {
      resumedFrom = parsePosition(o.bridge, from);
      reader = await o.openReader({ schemas: resumedFrom?.schemas, commitLsn: resumedFrom?.commit_lsn ?? null });
      schemas = reader.schemas as NonNullable<CdcPosition['schemas']>;
      pendingSchemaChanges = reader.schemaChanges.map((e) => ({ table: e.table, value: JSON.stringify(e) }));
      next = windowStart(resumedFrom);
      snapshot = undefined;
      inc?.restore(resumedFrom?.incremental, resumedFrom?.signal_offset ?? null);
      nextSignalPollAt = 0;
      if (resumedFrom?.snapshot) {
        const s = resumedFrom.snapshot;
        snapshot = { index: Math.max(0, reader.tables.findIndex((t) => t.name === s.table)), lastKey: s.last_key === null ? null : decodeKey(s.last_key), startLsn: s.start_lsn };
        next = { after: s.start_lsn, lower: 'exclusive' };
      } else if (resumedFrom) await checkRetention(reader, o.bridge, resumedFrom);
      else if (o.start === 'no_data' || o.start === 'initial') {
        // The LSN is taken before the first row is read: every change committed after it is streamed,
        // so nothing falls between the snapshot and the stream (changes made while the snapshot
        // reads may show in both; applied in order, the final state per key is the source's).
        const state = await reader.pollRegister();
        next = { after: state.maxLsn, lower: 'exclusive' };
        if (o.start === 'initial') snapshot = { index: 0, lastKey: null, startLsn: state.maxLsn ?? reader.zeroPosition };
      }
      nextPollAt = 0;
      pollDelay = o.poll.min;
      seenRegistration = registrationText(reader.registration);
      pollsSinceCheck = 0;
      liveSchema = undefined;
      o.events?.opened?.({ position: resumedFrom, after: next.after });
    },

    async read(limits: BatchLimits, signal: AbortSignal): Promise<SourceBatch | SourceIdle> {
      const r = reader!;
      if (pendingSchemaChanges.length > 0 && resumedFrom) {
        // Their own batch, committing the position resumed from (now with the new column sets).
        const records = pendingSchemaChanges.map((c, i) => schemaRecord(c, o.schemaTopic ?? `${o.transactionTopic}.schema-changes`, resumedFrom!.commit_lsn, i + 1));
        pendingSchemaChanges = [];
        return { records, position: toSourcePosition(withSchemas(resumedFrom)) };
      }
      pendingSchemaChanges = [];
      if (snapshot) return snapshotBatch(r, limits);
      for (;;) {
        if (!window) {
          if (liveSchema && next.lower === 'exclusive' && (liveSchema.at === null || (next.after !== null && next.after >= liveSchema.at))) {
            // Everything before the change was read with the old columns; from here on the new version.
            liveSchema = undefined;
            const at = next.after ?? r.zeroPosition;
            const events = r.applySchemas(at);
            schemas = r.schemas as NonNullable<CdcPosition['schemas']>;
            const records = events.map((e, i) => schemaRecord({ table: e.table, value: JSON.stringify(e) }, o.schemaTopic ?? `${o.transactionTopic}.schema-changes`, at, i + 1));
            return { records, position: toSourcePosition(withSchemas({ commit_lsn: at, change_lsn: null, event_serial_no: 0 })) };
          }
          // Incremental snapshot work happens only between whole transactions (never with one in flight after a restart).
          const between = inc !== undefined && next.lower === 'exclusive';
          if (between && inc.chunkReady) {
            const records = inc.takeChunk(next.after ?? r.zeroPosition).map(sourceRecordOf);
            return { records, position: streamedPosition() };
          }
          if (between && now() >= nextSignalPollAt) {
            nextSignalPollAt = now() + o.incremental!.signalPollMs;
            const notices = inc.accept(await o.incremental!.signals.poll(inc.signalOffset), r.tables);
            if (notices.length > 0) return { records: notices.map(sourceRecordOf), position: streamedPosition() };
          }
          // A snapshot in progress reads on without the idle back-off; an idle bridge still looks for signals.
          const busy = between && inc.active;
          const due = inc ? Math.min(nextPollAt, nextSignalPollAt) : nextPollAt;
          const wait = busy ? 0 : due - now();
          if (wait > 0) await sleep(wait, signal);
          if (signal.aborted) return { idle: 'waiting' };
          if (!busy && now() < nextPollAt) continue; // woke for the signal poll
          const state = await r.pollRegister();
          const found = state.maxLsn !== null && (next.after === null || state.maxLsn > next.after || (next.lower === 'inclusive' && state.maxLsn >= next.after));
          pollDelay = nextPollDelay(pollDelay, found || busy, o.poll);
          nextPollAt = now() + pollDelay;
          o.events?.polled?.({ found, maxLsn: state.maxLsn, nextPollMs: pollDelay });
          if (!liveSchema) liveSchema = await checkSchemas(r, state);
          // Applies at this window's start (a dropped column: the old column list no longer selects).
          if (liveSchema?.at === null && next.lower === 'exclusive') continue;
          if (!found) {
            if (!busy) return { idle: 'drained' };
            // Caught up: this position is the low watermark of a new chunk, or the high one of the chunk selected.
            if (inc.awaitingHigh) inc.reachedHigh();
            else await inc.selectChunk(r);
            continue;
          }
          // A column change at `at` inside this window: read up to it with the old columns first.
          const upTo = liveSchema?.at != null && liveSchema.at < state.maxLsn! ? liveSchema.at : state.maxLsn!;
          const changes = r.window(next.after, next.lower, upTo, state);
          // Cut short by a column change, the window does not reach the chunk's high watermark yet.
          window = { records: uncovered(transactionRecords(changes, ctx), resumedFrom), upTo, emitted: false, closesChunk: inc?.awaitingHigh === true && upTo === state.maxLsn };
        }
        const records: CdcSourceRecord[] = [];
        let bytes = 0;
        let last: CdcOutputRecord | undefined;
        let done = false;
        while ((records.length < limits.maxRecords && bytes < limits.maxBytes) || last?.place.kind === 'begin') {
          let out: CdcOutputRecord | undefined;
          try {
            out = held ?? (await nextRecord(window.records));
          } catch (err) {
            // A column dropped since the last check: this window's cursor could not be opened with
            // the old column list. Nothing of it was handed out: check the columns now and read again.
            if ((err as { code?: string }).code !== 'BANYAN_ERR_CDC_COLUMN_UNKNOWN' || window.emitted || records.length > 0) throw err;
            await closeWindow().catch(() => {});
            window = undefined;
            pollsSinceCheck = schemaCheckPolls;
            break;
          }
          held = undefined;
          if (out === undefined) {
            done = true;
            break;
          }
          inc?.observe(out);
          const record = sourceRecordOf(out);
          records.push(record);
          bytes += record.bytes.length;
          last = out;
        }
        if (!window) continue; // dropped by a column change found while opening it
        if (records.length > 0) window.emitted = true;
        const upTo = window.upTo;
        const emitted = window.emitted;
        if (done) {
          if (window.closesChunk) inc!.reachedHigh();
          await closeWindow();
          next = { after: upTo, lower: 'exclusive' };
          resumedFrom = undefined;
        }
        if (last) return { records, position: toSourcePosition(withSchemas(positionAfter(last.place))) };
        // An empty window (Capture's heartbeat moved the synchpoint): move the checkpoint with it.
        if (done && !emitted) return { records: [], position: toSourcePosition(withSchemas({ commit_lsn: upTo, change_lsn: null, event_serial_no: 0 })) };
      }
    },

    async commit(_position: SourcePosition) {
      // Positions are kept in the checkpoint topic by the pipeline; nothing to acknowledge at Db2.
    },

    async close() {
      await closeWindow();
      await o.incremental?.signals.close().catch(() => {});
      const r = reader;
      reader = undefined;
      await r?.close().catch(() => {});
    },
  };
}

function registrationText(r: RegisterState['registration']): Map<string, string> {
  return new Map([...r].map(([t, v]) => [t, `${v.oldSynchpoint ?? ''}/${v.state}`]));
}

/** The SourceRecord the pipeline sees: the event's JSON bytes, its headers, its stable position id. */
function sourceRecordOf(out: CdcOutputRecord): CdcSourceRecord {
  const p = out.place;
  const positionId = p.kind === 'change' ? `${p.commitLsn}:${p.changeLsn}` : `${p.commitLsn}:${p.kind.toUpperCase()}`;
  return { bytes: Buffer.from(out.value), recordNumber: out.recordNumber, positionId, metadata: out.headers, cdc: out };
}

/** A schema-change event as a source record (a dead letter never: it is the bridge's own JSON). */
function schemaRecord(c: { table: string; value: string }, topic: string, commitLsn: string, n: number): CdcSourceRecord {
  const out: CdcOutputRecord = { place: { commitLsn, kind: 'end' }, topic, key: c.table, value: c.value, headers: { 'banyan-cdc-table': c.table }, recordNumber: n };
  return { bytes: Buffer.from(c.value), recordNumber: n, positionId: `${commitLsn}:SCHEMA:${c.table}`, metadata: out.headers, cdc: out };
}

async function* uncovered(records: AsyncIterable<CdcOutputRecord>, position: CdcPosition | undefined): AsyncGenerator<CdcOutputRecord> {
  for await (const r of records) if (!isCovered(position, r.place)) yield r;
}

async function nextRecord(it: AsyncGenerator<CdcOutputRecord>): Promise<CdcOutputRecord | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}

/**
 * Retention: Capture prunes every CD table up to one prune point. When even the oldest change left
 * in all CD tables is newer than the stored position, changes after the position may have been
 * pruned unread; resuming would skip them silently, so the bridge stops with the remedy instead
 * (issue 14, "Retention"). One table alone newer than the position proves nothing (it may simply
 * have had no changes since), so the oldest row over all tables decides.
 */
async function checkRetention(reader: CdcReader, bridge: string, position: CdcPosition): Promise<void> {
  let oldest: { table: string; min: string } | undefined;
  for (const [table, min] of await reader.minPositions()) {
    if (min !== null && (oldest === undefined || min < oldest.min)) oldest = { table, min };
  }
  if (oldest && oldest.min > position.commit_lsn) {
    throw new CdcErrors.BANYAN_ERR_CDC_RETENTION_LOST(bridge, position.commit_lsn, oldest.table, `oldest commit_lsn ${oldest.min}`);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
