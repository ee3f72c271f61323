/**
 * Signals and notifications of the incremental snapshot, in Debezium's shapes so its tooling and
 * habits carry over (Debezium: "Sending signals to a Debezium connector", Kafka signal channel, and
 * "Notifications"):
 * - a signal is a record on the bridge's signal topic, key = the bridge name, value
 *   `{"id": ..., "type": "execute-snapshot", "data": {"data-collections": ["GW.MEMBER"], "type": "incremental"}}`
 *   (`banyan cdc snapshot` writes them; any producer may);
 * - a notification is a record on the notification topic, value
 *   `{"id", "aggregate_type": "Incremental Snapshot", "type": STARTED | IN_PROGRESS | TABLE_SCAN_COMPLETED | COMPLETED | ABORTED, "additional_data", "timestamp"}`.
 *
 * The bridge reads signals through a SignalFeed: a long-lived consumer in a throwaway group reading
 * the topic from its beginning (never committing: which signals were handled is the checkpoint's
 * `signal_offset`, so a signal is executed once, also across restarts, and with the events it led to).
 */
import { randomUUID } from 'node:crypto';
import type { KafkaClient } from '../kafka/client.ts';
import { followTopic } from '../kafka/topic-follower.ts';

export interface SnapshotSignal {
  /** Offset on the signal topic (decimal). */
  readonly offset: string;
  readonly id: string;
  /** Present when the signal is an incremental snapshot request; else why it cannot be executed. */
  readonly tables?: readonly string[];
  readonly problem?: string;
}

export interface SignalFeed {
  /** Signals past `afterOffset` (null: from the first) read so far, in offset order. */
  poll(afterOffset: string | null): Promise<readonly SnapshotSignal[]>;
  close(): Promise<void>;
}

/** The signal value `banyan cdc snapshot` writes. */
export function snapshotSignalValue(tables: readonly string[], id: string = randomUUID()): { id: string; type: 'execute-snapshot'; data: { 'data-collections': string[]; type: 'incremental' } } {
  return { id, type: 'execute-snapshot', data: { 'data-collections': [...tables], type: 'incremental' } };
}

/**
 * A signal record as the bridge takes it. Records keyed for another bridge are not ours (null);
 * a record that is ours but not an incremental execute-snapshot comes back with its problem, so
 * the bridge can say ABORTED instead of ignoring it silently.
 */
export function parseSignal(bridge: string, key: string | null, value: string | null, offset: string): SnapshotSignal | null {
  if (key !== null && key !== bridge) return null;
  let v: unknown;
  try {
    v = JSON.parse(value ?? '');
  } catch {
    return { offset, id: `offset-${offset}`, problem: 'the signal is not JSON' };
  }
  const o = (v ?? {}) as { id?: unknown; type?: unknown; data?: { 'data-collections'?: unknown; type?: unknown } };
  const id = typeof o.id === 'string' && o.id !== '' ? o.id : `offset-${offset}`;
  if (o.type !== 'execute-snapshot') return { offset, id, problem: `signal type ${JSON.stringify(o.type)} is not supported (execute-snapshot is)` };
  const kind = typeof o.data?.type === 'string' ? o.data.type.toLowerCase() : 'incremental';
  if (kind !== 'incremental') return { offset, id, problem: `snapshot type ${JSON.stringify(o.data?.type)} is not supported (incremental is)` };
  const tables = o.data?.['data-collections'];
  if (!Array.isArray(tables) || tables.length === 0 || !tables.every((t) => typeof t === 'string' && /^[^.\s]+\.[^.\s]+$/.test(t))) {
    return { offset, id, problem: 'data.data-collections must list SCHEMA.TABLE names' };
  }
  // A filtered or re-keyed snapshot asked for and run whole would not be what was asked: say so.
  for (const unsupported of ['additional-conditions', 'surrogate-key'] as const) {
    const v = (o.data as Record<string, unknown>)[unsupported];
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) return { offset, id, problem: `data.${unsupported} is not supported (the whole table is read, by its key)` };
  }
  return { offset, id, tables: tables as string[] };
}

export type NotificationType = 'STARTED' | 'IN_PROGRESS' | 'TABLE_SCAN_COMPLETED' | 'COMPLETED' | 'ABORTED';

/** A notification's JSON value (Debezium's incremental snapshot notifications; additional_data values are strings there too). */
export function notificationValue(bridge: string, signalId: string, type: NotificationType, data: Readonly<Record<string, string>>, now: number): string {
  return JSON.stringify({ id: randomUUID(), aggregate_type: 'Incremental Snapshot', type, additional_data: { connector_name: bridge, signal_id: signalId, ...data }, timestamp: String(now) });
}

/** The signal topic read by a consumer that starts with the first poll (joining a group takes a few seconds). */
export function kafkaSignalFeed(client: KafkaClient, topic: string, bridge: string): SignalFeed {
  const read: SnapshotSignal[] = [];
  const follower = followTopic(client, topic, `cdc-signals-${bridge}`, (r) => {
    const s = parseSignal(bridge, r.key, r.value, r.offset);
    if (s) read.push(s);
  });
  return {
    async poll(afterOffset) {
      await follower.started();
      const after = afterOffset === null ? -1n : BigInt(afterOffset);
      return read.filter((s) => BigInt(s.offset) > after);
    },
    async close() {
      await follower.close();
      read.length = 0;
    },
  };
}
