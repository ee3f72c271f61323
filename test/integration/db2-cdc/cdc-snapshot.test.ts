/**
 * The initial snapshot on the PostgreSQL stand-in: the capture simulator also applies each
 * transaction to the source tables (the application's commits) before Capture writes its CD rows,
 * and keeps writing while the snapshot reads. The source reads every source table in key-ordered
 * chunks as `op: r` events at the LSN taken before it began, is restarted from a checkpoint in the
 * middle of a table, then streams. Replaying the events per key in order gives the source's final
 * state: every row exactly once, nothing missed between snapshot and stream.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { SourceBatch } from '../../../src/core/bridge-contracts.ts';
import type { ChangeEvent } from '../../../src/connectors/db2-cdc/change-event.ts';
import { openCdcReader } from '../../../src/connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceRecord } from '../../../src/connectors/db2-cdc/cdc-source.ts';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import { platformSql } from '../../../src/connectors/db2-cdc/platform-sql.ts';
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

const source = () =>
  createCdcSource({
    bridge: 'gw-snapshot',
    db: 'GETWELL',
    openReader: () =>
      openCdcReader({
        driver: createPostgresDriver(),
        connect: server,
        sql: platformSql('postgres'),
        captureSchema: 'ASNCDC',
        tables: GETWELL_TABLES.map((t) => t.name),
        topicOf: (s, t) => `gw.${s}.${t}`,
        blockRows: 100,
        lobMaxBytes: 1 << 20,
      }),
    transactionTopic: 'gw.transaction',
    start: 'initial',
    poll: { min: 1, max: 2 },
    sleep: async () => {},
  });

it('snapshot while writes continue, restarted mid-table, then streaming: every row exactly once in the final state', async () => {
  const workload = createWorkload(createCaptureSimulator({ client, tables: GETWELL_TABLES, sourceTables: { keyOf: KEY_OF } }), mulberry32(11));
  await workload.run(1_500, 25);
  const limits = { maxRecords: 300, maxBytes: 1 << 20, maxWaitMs: 1 };
  const signal = new AbortController().signal;
  const out: CdcSourceRecord[] = [];
  let src = source();
  await src.open(undefined);
  let batches = 0;
  let restarted = false;
  let snapshotting = true;
  for (;;) {
    const r = await src.read(limits, signal);
    if ('idle' in r) {
      if (snapshotting) throw new Error('drained during the snapshot');
      break;
    }
    const batch = r as SourceBatch;
    out.push(...(batch.records as CdcSourceRecord[]));
    batches++;
    snapshotting = batch.position.snapshot !== undefined;
    // Writes go on while the snapshot reads (and afterwards, until a last round of them).
    if (batches < 40) await workload.run(8, 8);
    if (!restarted && snapshotting && batches === 3) {
      // A crash after this batch's checkpoint: a new source resumes from it.
      assert.ok(batch.position.snapshot, 'the checkpoint says where the snapshot is');
      await src.close();
      src = source();
      await src.open(batch.position);
      restarted = true;
    }
  }
  await src.close();
  assert.ok(restarted, 'the snapshot was restarted from a checkpoint in the middle of a table');

  const events = out.filter((r) => r.cdc.topic !== 'gw.transaction').map((r) => JSON.parse(r.cdc.value) as ChangeEvent);
  const reads = events.filter((e) => e.op === 'r');
  assert.ok(reads.length > 1000, `${reads.length} snapshot reads`);
  assert.equal(reads.at(-1)!.source.snapshot, 'last');
  assert.ok(reads.slice(0, -1).every((e) => e.source.snapshot === 'true' && e.transaction === null && e.before === null));
  const firstStream = events.findIndex((e) => e.op !== 'r');
  assert.ok(firstStream > 0 && events.slice(firstStream).every((e) => e.op !== 'r'), 'the snapshot comes first, then streaming');
  assert.ok(events.slice(firstStream).every((e) => e.source.commit_lsn > reads[0]!.source.commit_lsn), 'streaming starts after the snapshot LSN');

  const keyOf = (e: ChangeEvent) => {
    const table = `${e.source.schema}.${e.source.table}`;
    return `${table}:${(e.after ?? e.before)![KEY_OF[table]!]}`;
  };
  const readsPerKey = new Map<string, number>();
  for (const e of reads) readsPerKey.set(keyOf(e), (readsPerKey.get(keyOf(e)) ?? 0) + 1);
  assert.deepEqual([...readsPerKey].filter(([, n]) => n > 1), [], 'each row read once by the snapshot, also across the restart');

  const state = new Map<string, ChangeEvent>();
  for (const e of events) (e.op === 'd' ? state.delete(keyOf(e)) : state.set(keyOf(e), e));
  const expected = workload.state();
  assert.equal(state.size, expected.size, 'as many live rows as the source has');
  for (const [k, row] of expected) {
    const e = state.get(k);
    assert.ok(e, `${k} is in the final state`);
    for (const [col, v] of Object.entries(row)) assert.equal(e.after![col], Buffer.isBuffer(v) ? v.toString('base64') : col === 'UPDATED_AT' ? String(v).replace(' ', 'T') : v, `${k}.${col}`);
  }
});
