/**
 * The CDC source against the PostgreSQL stand-in holding IBM's ASN tables, fed by the capture
 * simulator (no Kafka here: the source's batches are the output). Proves commit order across three
 * tables with interleaved transactions, BEGIN/END framing and counts, D+I pairs as updates, resume
 * from positions inside and after a transaction, idle back-off, and the retention stop.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SourceBatch, SourcePosition } from '../../../src/core/bridge-contracts.ts';
import type { ChangeEvent, TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { openCdcReader } from '../../../src/connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceRecord } from '../../../src/connectors/db2-cdc/cdc-source.ts';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import { platformSql } from '../../../src/connectors/db2-cdc/platform-sql.ts';
import { createCaptureSimulator, type CaptureSimulator, type SimCommitted } from '../../support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, KEY_OF, loadGetwellSchema, mulberry32 } from '../../support/getwell-cdc.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';
import type pg from 'pg';

let server: TestPostgres;
let client: pg.Client;
let sim: CaptureSimulator;
const committed: SimCommitted[] = [];

before(async () => {
  server = await startPostgres();
  await loadGetwellSchema(server);
  client = await server.client();
  sim = createCaptureSimulator({ client, tables: GETWELL_TABLES });
});
after(async () => {
  await client?.end();
  await server?.stop();
});

function source(polls: number[] = []) {
  return createCdcSource({
    bridge: 'gw-cdc',
    db: 'GETWELL',
    openReader: (resume) =>
      openCdcReader({
        ...(resume?.schemas ? { previousSchemas: resume.schemas } : {}),
        resumeLsn: resume?.commitLsn ?? null,
        driver: createPostgresDriver(),
        connect: server,
        sql: platformSql('postgres'),
        captureSchema: 'ASNCDC',
        tables: GETWELL_TABLES.map((t) => t.name),
        topicOf: (s, t) => `gw.${s}.${t}`,
        blockRows: 7,
        lobMaxBytes: 1 << 20,
      }),
    transactionTopic: 'gw.transaction',
    start: 'change_data',
    poll: { min: 1, max: 8 },
    sleep: async () => {},
    events: { polled: (e) => polls.push(e.nextPollMs) },
  });
}

/** Reads until drained; returns the batches. */
async function drain(src: ReturnType<typeof source>, maxRecords: number, from?: SourcePosition): Promise<SourceBatch[]> {
  await src.open(from);
  const batches: SourceBatch[] = [];
  const signal = new AbortController().signal;
  for (;;) {
    const r = await src.read({ maxRecords, maxBytes: 1 << 20, maxWaitMs: 10 }, signal);
    if ('idle' in r) break;
    batches.push(r);
  }
  await src.close();
  return batches;
}

const records = (batches: readonly SourceBatch[]) => batches.flatMap((b) => b.records as CdcSourceRecord[]);

describe('CDC source on the PostgreSQL stand-in', () => {
  it('reads 300 interleaved transactions over three tables in commit order, framed by BEGIN/END with their counts, updates paired', async () => {
    const original = sim.flush.bind(sim);
    const workload = createWorkload({ ...sim, flush: async () => { const b = await original(); committed.push(...b); return b; } }, mulberry32(7));
    await workload.run(300, 40);
    const out = records(await drain(source(), 50));
    const boundaries = out.filter((r) => r.cdc.topic === 'gw.transaction').map((r) => JSON.parse(r.cdc.value) as TransactionBoundary);
    assert.equal(boundaries.filter((b) => b.status === 'BEGIN').length, 300);
    assert.equal(boundaries.filter((b) => b.status === 'END').length, 300);

    // Commit order: transactions by COMMITSEQ, and inside each its changes by change_lsn.
    const ids = boundaries.filter((b) => b.status === 'BEGIN').map((b) => b.id);
    assert.deepEqual(ids, committed.map((c) => c.commitseq));
    let current: string | undefined;
    let lastChange = '';
    let count = 0;
    for (const r of out) {
      const v = JSON.parse(r.cdc.value) as TransactionBoundary | ChangeEvent;
      if ('status' in v) {
        if (v.status === 'BEGIN') {
          assert.equal(current, undefined, 'no transaction open at BEGIN');
          current = v.id;
          lastChange = '';
          count = 0;
        } else {
          assert.equal(v.id, current);
          assert.equal(v.event_count, count, `END of ${v.id} counts its events`);
          const expected = committed.find((c) => c.commitseq === v.id)!;
          assert.equal(v.event_count, expected.changes, 'one event per source change (a D+I pair is one update)');
          current = undefined;
        }
        continue;
      }
      count++;
      assert.equal(v.transaction!.id, current);
      assert.equal(v.transaction!.total_order, count);
      assert.ok(v.source.change_lsn! > lastChange, 'changes in INTENTSEQ order');
      lastChange = v.source.change_lsn!;
      if (v.op === 'u') {
        const key = KEY_OF[`${v.source.schema}.${v.source.table}`]!;
        assert.ok(v.before && v.after, 'an update has both images');
        assert.equal(v.before[key], v.after[key]);
      }
    }
    const changes = out.filter((r) => r.cdc.topic !== 'gw.transaction');
    assert.equal(changes.length, workload.stats().changes);
    const rx = changes.map((r) => JSON.parse(r.cdc.value) as ChangeEvent).find((e) => e.source.table === 'RX' && e.after)!;
    assert.equal(typeof rx.after!.HDR, 'string', 'FOR BIT DATA as base64');
    assert.equal(Buffer.from(rx.after!.HDR as string, 'base64').length, 4);
    assert.match(rx.after!.NDC as string, /^\d{11}$/);
    assert.ok(changes.every((r) => r.cdc.key !== null && JSON.parse(r.cdc.key)), 'keyed by the primary key');
    const member = changes.map((r) => JSON.parse(r.cdc.value) as ChangeEvent).find((e) => e.source.table === 'MEMBER' && e.after)!;
    assert.match(member.after!.BALANCE as string, /^\d+\.\d\d$/, 'DECIMAL as exact text');
    assert.match(member.after!.UPDATED_AT as string, /^2026-12-02T10:\d\d:00\.\d{6}$/, 'TIMESTAMP(6) as ISO text with its 6 digits');
    assert.equal(member.source.ts_ms, Date.parse(`${committed.find((c) => c.commitseq === member.source.commit_lsn)!.logmarker.slice(0, 23).replace(' ', 'T')}Z`), 'ts_ms is IBMSNAP_LOGMARKER');
  });

  it('resumes from any batch position with nothing lost and nothing repeated', async () => {
    const all = records(await drain(source(), 1000));
    const batches = await drain(source(), 13);
    for (const cut of [0, 3, 17, batches.length - 2]) {
      const before = records(batches.slice(0, cut + 1));
      const rest = records(await drain(source(), 29, batches[cut]!.position));
      assert.deepEqual([...before, ...rest].map((r) => r.positionId), all.map((r) => r.positionId), `resumed after batch ${cut} (${JSON.stringify(batches[cut]!.position)})`);
    }
  });

  it('never ends a batch on a BEGIN', async () => {
    const batches = await drain(source(), 1);
    assert.ok(batches.every((b) => (b.records.at(-1) as CdcSourceRecord).cdc.place.kind !== 'begin'));
  });

  it('backs the poll interval off while idle, and moves the position with Capture\'s heartbeat', async () => {
    const polls: number[] = [];
    const src = source(polls);
    const batches = await drain(src, 1000);
    const end = batches.at(-1)!.position;
    await src.open(end);
    const signal = new AbortController().signal;
    // The END of the last transaction is below Capture's synchpoint: one empty batch catches up.
    const catchUp = await src.read({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 1 }, signal);
    assert.ok(!('idle' in catchUp) && catchUp.records.length === 0 && catchUp.position.commit_lsn === sim.lsnHex());
    for (let i = 0; i < 5; i++) assert.deepEqual(await src.read({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 1 }, signal), { idle: 'drained' });
    assert.deepEqual(polls.slice(-6), [1, 2, 4, 8, 8, 8], 'found: min; then doubling while idle, up to max');
    await sim.flush(); // a commit interval with no changes: SYNCHPOINT moves on
    const heartbeat = await src.read({ maxRecords: 10, maxBytes: 1 << 20, maxWaitMs: 1 }, signal);
    assert.ok(!('idle' in heartbeat));
    assert.deepEqual(heartbeat.records, []);
    const { schemas, ...position } = heartbeat.position;
    assert.deepEqual(position, { commit_lsn: sim.lsnHex(), change_lsn: null, event_serial_no: 0 });
    assert.ok(schemas, 'with the column sets it read with');
    await src.close();
  });

  it('reports a CD table column added while the bridge was down as a schema-change event, and carries the new version', async () => {
    const batches = await drain(source(), 1000);
    const position = batches.at(-1)!.position;
    assert.equal((position.schemas as Record<string, { version: number }>)['GW.MEMBER']!.version, 1, 'the checkpoint carries the column sets');
    await client.query('ALTER TABLE asncdc.cdc_gw_member ADD COLUMN email VARCHAR(40)');
    const tx = sim.begin();
    tx.insert('GW.MEMBER', { MEMBER_ID: 999_001, NAME: 'NEW', PLAN_CODE: 'GOLD', BALANCE: '1.00', UPDATED_AT: '2026-12-02 11:00:00.000000' });
    tx.commit();
    await sim.flush();
    const after = records(await drain(source(), 1000, position));
    const change = JSON.parse(after[0]!.cdc.value) as { table: string; schema_version: number; previous_version: number; ddl: string; changes: Array<{ kind: string; column: { name: string } }> };
    assert.equal(after[0]!.cdc.topic, 'gw.transaction.schema-changes');
    assert.equal(change.table, 'GW.MEMBER');
    assert.deepEqual([change.previous_version, change.schema_version], [1, 2]);
    assert.deepEqual(change.changes.map((c) => `${c.kind} ${c.column.name}`), ['added EMAIL']);
    assert.match(change.ddl, /ADD COLUMN EMAIL VARCHAR\(40\)/);
    const insert = after.map((r) => JSON.parse(r.cdc.value) as ChangeEvent).find((e) => e.op === 'c' && e.after!.MEMBER_ID === 999_001)!;
    assert.equal(insert.source.schema_version, 2);
    assert.equal(insert.after!.EMAIL, null);
    const rx = after.map((r) => JSON.parse(r.cdc.value) as ChangeEvent).find((e) => e.source?.table === 'RX');
    assert.equal(rx, undefined, 'nothing else was read again');
  });

  it('stops with the retention error and its remedy when changes after the stored position were pruned', async () => {
    const first = (await drain(source(), 20))[0]!.position;
    for (const t of GETWELL_TABLES) await client.query(`DELETE FROM asncdc.${t.cdTable} WHERE ibmsnap_commitseq <= (SELECT ibmsnap_commitseq FROM asncdc.ibmsnap_uow ORDER BY ibmsnap_commitseq OFFSET 5 LIMIT 1)`);
    await assert.rejects(source().open(first), (err: { code: string; message: string }) => {
      assert.equal(err.code, 'BANYAN_ERR_CDC_RETENTION_LOST');
      assert.match(err.message, /RETENTION_LIMIT/);
      return true;
    });
  });
});
