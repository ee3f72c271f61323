/**
 * The incremental snapshot (issue 14: `banyan cdc snapshot --table`) on the PostgreSQL stand-in,
 * the source alone: a bridge that started at the current end (`snapshot: no_data`) never saw the
 * rows written before it, so only the snapshot can bring them. A signal asks for two tables while
 * the capture simulator keeps committing inserts, updates and deletes between chunks and while a
 * chunk is being selected; the source
 * is restarted from a checkpoint in the middle of a table. Replaying the events per key in order
 * gives each table's final state: every row exactly once, nothing missed, no deleted row back.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { SourceBatch } from '../../../src/core/bridge-contracts.ts';
import type { ChangeEvent } from '../../../src/connectors/db2-cdc/change-event.ts';
import { openCdcReader, type CdcReader } from '../../../src/connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceRecord } from '../../../src/connectors/db2-cdc/cdc-source.ts';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import { platformSql } from '../../../src/connectors/db2-cdc/platform-sql.ts';
import { parseSignal, snapshotSignalValue, type SignalFeed, type SnapshotSignal } from '../../../src/connectors/db2-cdc/snapshot-signals.ts';
import { createCaptureSimulator } from '../../support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, KEY_OF, loadGetwellSchema, mulberry32 } from '../../support/getwell-cdc.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';
import type pg from 'pg';

let server: TestPostgres;
let client: pg.Client;

before(async () => {
  server = await startPostgres();
  await loadGetwellSchema(server);
  client = await server.client();
});
after(async () => {
  await client?.end();
  await server?.stop();
});

/** The signal topic as the source sees it: records appended by the test, read past an offset. */
function memorySignals(): SignalFeed & { send(value: unknown, key?: string): void } {
  const records: SnapshotSignal[] = [];
  return {
    send(value, key = 'gw-incremental') {
      const s = parseSignal('gw-incremental', key, JSON.stringify(value), String(records.length));
      if (s) records.push(s);
    },
    poll: async (afterOffset) => records.filter((s) => afterOffset === null || Number(s.offset) > Number(afterOffset)),
    close: async () => {},
  };
}

/**
 * `duringSelect` runs right after each chunk select, before the high watermark is read: the
 * application's commits that race the select (DBLog's case), whose keys must drop out of the chunk.
 */
const source = (signals: SignalFeed, duringSelect: () => Promise<void>) =>
  createCdcSource({
    bridge: 'gw-incremental',
    db: 'GETWELL',
    openReader: async () => racingSelects(await openCdcReader({
        driver: createPostgresDriver(),
        connect: server,
        sql: platformSql('postgres'),
        captureSchema: 'ASNCDC',
        tables: GETWELL_TABLES.map((t) => t.name),
        topicOf: (s, t) => `gw.${s}.${t}`,
        blockRows: 100,
        lobMaxBytes: 1 << 20,
      }), duringSelect),
    transactionTopic: 'gw.transaction',
    start: 'no_data',
    poll: { min: 1, max: 2 },
    sleep: async () => {},
    incremental: { signals, notificationTopic: 'gw.notifications', chunkRows: 97, signalPollMs: 0 },
  });

function racingSelects(reader: CdcReader, duringSelect: () => Promise<void>): CdcReader {
  return Object.assign(Object.create(reader) as CdcReader, {
    snapshotChunk: async (...args: Parameters<CdcReader['snapshotChunk']>) => {
      const rows = await reader.snapshotChunk(...args);
      await duringSelect();
      return rows;
    },
  });
}

it('incremental snapshot of two tables while writes continue, restarted mid-table: every row exactly once in the final state', async (t) => {
  const workload = createWorkload(createCaptureSimulator({ client, tables: GETWELL_TABLES, sourceTables: { keyOf: KEY_OF } }), mulberry32(23));
  // Few live rows per table and many writes per chunk: commits racing a select often hit its keys.
  await workload.run(600, 25);
  const limits = { maxRecords: 150, maxBytes: 1 << 20, maxWaitMs: 1 };
  const signal = new AbortController().signal;
  const signals = memorySignals();
  const out: CdcSourceRecord[] = [];
  const racing = () => workload.run(3, 3);
  let src = source(signals, racing);
  await src.open(undefined);

  // Bad requests are answered ABORTED, with the reason, not ignored.
  signals.send(snapshotSignalValue(['GW.NOPE'], 'bad-table'));
  signals.send({ type: 'stop-snapshot', data: {} });
  signals.send(snapshotSignalValue(['GW.MEMBER'], 'for-another-bridge'), 'other-bridge');
  signals.send(snapshotSignalValue(['GW.MEMBER', 'GW.RX'], 'snap-1'));

  let batches = 0;
  let restarted = false;
  let completed = false;
  for (let guard = 0; guard < 5_000 && !completed; guard++) {
    const r = await src.read(limits, signal);
    if ('idle' in r) throw new Error('drained while the incremental snapshot ran');
    const batch = r as SourceBatch;
    out.push(...(batch.records as CdcSourceRecord[]));
    batches++;
    completed = out.some((x) => x.cdc.topic === 'gw.notifications' && JSON.parse(x.cdc.value).type === 'COMPLETED');
    // Writes go on between chunks: changes to rows already read, not yet read, and new ones.
    if (batches % 2 === 0) await workload.run(6, 6);
    const progress = batch.position.incremental as { tables: string[]; last_key: string | null } | undefined;
    if (!restarted && progress?.tables[0] === 'GW.MEMBER' && progress.last_key !== null && batches > 6) {
      // A crash after this batch's checkpoint: a new source resumes from it.
      await src.close();
      src = source(signals, racing);
      await src.open(batch.position);
      restarted = true;
    }
  }
  assert.ok(completed, 'the snapshot completed');
  assert.ok(restarted, 'the snapshot was restarted from a checkpoint in the middle of GW.MEMBER');
  // Everything committed since the last read: streamed, so the final state is complete.
  await workload.run(5, 5);
  for (;;) {
    const r = await src.read(limits, signal);
    if ('idle' in r) break;
    out.push(...((r as SourceBatch).records as CdcSourceRecord[]));
  }
  await src.close();

  const notices = out.filter((x) => x.cdc.topic === 'gw.notifications').map((x) => JSON.parse(x.cdc.value) as { type: string; additional_data: Record<string, string> });
  const aborted = notices.filter((n) => n.type === 'ABORTED');
  assert.equal(aborted.length, 2, 'the unknown table and the unsupported signal type are aborted; the other bridge\'s signal is not ours');
  assert.match(aborted[0]!.additional_data.reason!, /GW\.NOPE is not captured/);
  assert.match(aborted[1]!.additional_data.reason!, /stop-snapshot.*not supported/);
  const kinds = notices.filter((n) => n.additional_data.signal_id === 'snap-1').map((n) => n.type);
  assert.equal(kinds[0], 'STARTED');
  assert.equal(kinds.at(-1), 'COMPLETED');
  assert.equal(kinds.filter((k) => k === 'TABLE_SCAN_COMPLETED').length, 2, 'one scan per table');
  assert.ok(kinds.filter((k) => k === 'IN_PROGRESS').length >= 4, 'several chunks');

  const events = out.filter((r) => r.cdc.topic.startsWith('gw.GW.')).map((r) => JSON.parse(r.cdc.value) as ChangeEvent);
  const reads = events.filter((e) => e.op === 'r');
  assert.ok(reads.every((e) => e.source.snapshot === 'incremental' && e.before === null));
  assert.ok(!reads.some((e) => e.source.table === 'CLAIM'), 'GW.CLAIM was not asked for');
  const keyOf = (e: ChangeEvent) => {
    const table = `${e.source.schema}.${e.source.table}`;
    return `${table}:${(e.after ?? e.before)![KEY_OF[table]!]}`;
  };
  // Across the restart the chunk in flight is read again; nothing else twice.
  const readsPerKey = new Map<string, number>();
  for (const e of reads) readsPerKey.set(keyOf(e), (readsPerKey.get(keyOf(e)) ?? 0) + 1);
  const twice = [...readsPerKey].filter(([, n]) => n > 1).length;
  assert.ok(twice <= 97, `${twice} rows read twice (at most the one chunk in flight at the restart: 97)`);

  const state = new Map<string, ChangeEvent>();
  for (const e of events) (e.op === 'd' ? state.delete(keyOf(e)) : state.set(keyOf(e), e));
  const expected = new Map([...workload.state()].filter(([k]) => k.startsWith('GW.MEMBER:') || k.startsWith('GW.RX:')));
  const got = new Map([...state].filter(([k]) => k.startsWith('GW.MEMBER:') || k.startsWith('GW.RX:')));
  assert.ok(expected.size > 200, `${expected.size} live rows in the two tables`);
  assert.deepEqual([...got.keys()].filter((k) => !expected.has(k as `${string}:${number}`)), [], 'no deleted row comes back');
  t.diagnostic(`${reads.length} snapshot reads, ${twice} read twice across the restart, ${events.length - reads.length} streamed changes, ${kinds.length} notifications, ${expected.size} live rows`);
  assert.equal(got.size, expected.size, 'every live row is in the final state');
  for (const [k, row] of expected) {
    const e = got.get(k)!;
    for (const [col, v] of Object.entries(row)) assert.equal(e.after![col], Buffer.isBuffer(v) ? v.toString('base64') : col === 'UPDATED_AT' ? String(v).replace(' ', 'T') : v, `${k}.${col}`);
  }
});
