/**
 * Positions in the CDC stream (Debezium's Db2 offsets {commit_lsn, change_lsn, event_serial_no}) and
 * the decisions made with them: which record a batch's position names, whether a record read again
 * after a restart is already covered, and where the next change window starts.
 *
 * Within one transaction the records are BEGIN, its changes by change_lsn, the assembled transaction
 * (optional), END. A position names the last record written:
 * - END: `{commit_lsn, change_lsn: null, event_serial_no: 0}`: the transaction is complete;
 * - a change: `{commit_lsn, change_lsn, event_serial_no: 1}`;
 * - the assembled transaction: `{commit_lsn, change_lsn: <its last change>, event_serial_no: 2}`.
 * A batch never ends on a BEGIN (the source takes the first change with it), so BEGIN needs none.
 */
import type { JsonValue, SourcePosition } from '../../core/bridge-contracts.ts';
import type { CdcPosition } from './change-event.ts';
import { CdcErrors } from './errors.ts';

export type CdcRecordPlace =
  | { readonly commitLsn: string; readonly kind: 'begin' | 'end' | 'snapshot' }
  | { readonly commitLsn: string; readonly kind: 'change' | 'assembled'; readonly changeLsn: string };

/** The position a batch ending with a record at `place` commits. */
export function positionAfter(place: CdcRecordPlace): CdcPosition {
  switch (place.kind) {
    case 'end':
      return { commit_lsn: place.commitLsn, change_lsn: null, event_serial_no: 0 };
    case 'change':
      return { commit_lsn: place.commitLsn, change_lsn: place.changeLsn, event_serial_no: 1 };
    case 'assembled':
      return { commit_lsn: place.commitLsn, change_lsn: place.changeLsn, event_serial_no: 2 };
    case 'begin':
      throw new Error('a batch never ends on a BEGIN');
    case 'snapshot':
      throw new Error('snapshot batches carry their own position');
  }
}

/** True when a record at `place` was written before the crash that `position` survived. */
export function isCovered(position: CdcPosition | undefined, place: CdcRecordPlace): boolean {
  if (position === undefined) return false;
  if (place.kind === 'snapshot') return false; // snapshot reads resume by key (position.snapshot), not by LSN
  if (place.commitLsn !== position.commit_lsn) return place.commitLsn < position.commit_lsn;
  if (position.change_lsn === null) return true; // the whole transaction, END included
  switch (place.kind) {
    case 'begin':
      return true;
    case 'end':
      return false;
    case 'change':
      return place.changeLsn <= position.change_lsn;
    case 'assembled':
      return place.changeLsn < position.change_lsn || (place.changeLsn === position.change_lsn && position.event_serial_no >= 2);
  }
}

/** Where a snapshot in progress is: the table being read and its last key read (JSON array of the key's SQL values). */
export type SnapshotProgress = NonNullable<CdcPosition['snapshot']>;

/**
 * The first window after `position`: strictly after a complete transaction, or including the
 * transaction in flight (its covered records are then filtered out by `isCovered`).
 */
export function windowStart(position: CdcPosition | undefined): { readonly after: string | null; readonly lower: 'exclusive' | 'inclusive' } {
  if (position === undefined) return { after: null, lower: 'exclusive' };
  return { after: position.commit_lsn, lower: position.change_lsn === null ? 'exclusive' : 'inclusive' };
}

/** The checkpoint's JSON as a CdcPosition (undefined: the bridge never committed). */
export function parsePosition(bridge: string, stored: SourcePosition | undefined): CdcPosition | undefined {
  if (stored === undefined) return undefined;
  const { commit_lsn, change_lsn, event_serial_no, snapshot, schemas, incremental, signal_offset } = stored as Record<string, unknown>;
  const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]+$/.test(v);
  const s = snapshot as Record<string, unknown> | undefined;
  const snapshotOk = s === undefined || (typeof s === 'object' && s !== null && typeof s.table === 'string' && (s.last_key === null || typeof s.last_key === 'string') && hex(s.start_lsn));
  const i = incremental as Record<string, unknown> | undefined;
  const incrementalOk =
    i === undefined ||
    (typeof i === 'object' && i !== null && typeof i.signal_id === 'string' && Array.isArray(i.tables) && i.tables.length > 0 && i.tables.every((t) => typeof t === 'string') && (i.last_key === null || typeof i.last_key === 'string') && typeof i.rows === 'number');
  const signalOk = signal_offset === undefined || (typeof signal_offset === 'string' && /^\d+$/.test(signal_offset));
  if (!hex(commit_lsn) || !(change_lsn === null || hex(change_lsn)) || typeof event_serial_no !== 'number' || !snapshotOk || !incrementalOk || !signalOk) {
    throw new CdcErrors.BANYAN_ERR_CDC_POSITION_INVALID(bridge, JSON.stringify(stored));
  }
  return {
    commit_lsn: commit_lsn as string,
    change_lsn: change_lsn as string | null,
    event_serial_no,
    ...(s ? { snapshot: { table: s.table as string, last_key: s.last_key as string | null, start_lsn: s.start_lsn as string } } : {}),
    ...(schemas !== null && typeof schemas === 'object' ? { schemas: schemas as NonNullable<CdcPosition['schemas']> } : {}),
    ...(i ? { incremental: { signal_id: i.signal_id as string, tables: i.tables as string[], last_key: i.last_key as string | null, rows: i.rows as number } } : {}),
    ...(signal_offset !== undefined ? { signal_offset: signal_offset as string } : {}),
  };
}

/** The CdcPosition as the bridge runtime's SourcePosition (JSON). */
export function toSourcePosition(p: CdcPosition): SourcePosition {
  return {
    commit_lsn: p.commit_lsn,
    change_lsn: p.change_lsn,
    event_serial_no: p.event_serial_no,
    ...(p.snapshot ? { snapshot: { table: p.snapshot.table, last_key: p.snapshot.last_key, start_lsn: p.snapshot.start_lsn } } : {}),
    ...(p.schemas ? { schemas: JSON.parse(JSON.stringify(p.schemas)) as JsonValue } : {}),
    ...(p.incremental ? { incremental: { signal_id: p.incremental.signal_id, tables: [...p.incremental.tables], last_key: p.incremental.last_key, rows: p.incremental.rows } } : {}),
    ...(p.signal_offset !== undefined ? { signal_offset: p.signal_offset } : {}),
  };
}

/**
 * Adaptive register polling: after a poll that found changes poll again after `min`; after an idle
 * poll double the pause, up to `max` (idle polls still cost MIPS on z/OS: back off).
 */
export function nextPollDelay(previousMs: number, foundChanges: boolean, limits: { readonly min: number; readonly max: number }): number {
  if (foundChanges) return limits.min;
  return Math.min(limits.max, Math.max(limits.min, previousMs * 2));
}
