/**
 * A CD table column dropped while the bridge runs (issue 14: "a column is never dropped
 * silently"): the old column list can no longer be selected, so the change applies at the next
 * window start. The schema-change event lists the column as dropped, comes before every change read
 * without it, and every change is still delivered once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChangeEvent, TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { openCdcReader } from '../../../src/connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceRecord } from '../../../src/connectors/db2-cdc/cdc-source.ts';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import { platformSql } from '../../../src/connectors/db2-cdc/platform-sql.ts';
import type { SchemaChangeEvent } from '../../../src/connectors/db2-cdc/schema-tracker.ts';
import { createCaptureSimulator, type CaptureSimulator } from '../../support/asn-capture-simulator.ts';
import { GETWELL_TABLES, loadGetwellSchema } from '../../support/getwell-cdc.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';
import type pg from 'pg';

let server: TestPostgres;
let client: pg.Client;
let sim: CaptureSimulator;

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

const CLAIM_COLUMNS = GETWELL_TABLES.find((t) => t.name === 'GW.CLAIM')!.columns;

describe('CDC source: column dropped while running', () => {
  it('lists the dropped column in a schema-change event before any change read without it; nothing lost', async () => {
    const src = createCdcSource({
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
          blockRows: 5,
          lobMaxBytes: 1 << 20,
        }),
      transactionTopic: 'gw.transaction',
      schemaTopic: 'gw.schema-changes',
      start: 'change_data',
      poll: { min: 2, max: 10 },
    });
    const out: CdcSourceRecord[] = [];
    const ends = () => out.filter((r) => r.cdc.topic === 'gw.transaction' && (JSON.parse(r.cdc.value) as TransactionBoundary).status === 'END').length;
    await src.open(undefined);
    let id = 1;
    let dropped = false;
    const writer = (async () => {
      for (let interval = 0; interval < 8; interval++) {
        for (let k = 0; k < 4; k++, id++) {
          const tx = sim.begin();
          tx.insert('GW.CLAIM', { CLAIM_ID: String(id), MEMBER_ID: id, AMOUNT: '10.50', STATUS: 'P', FILED: '2026-11-30' });
          tx.commit();
        }
        await sim.flush();
        if (interval === 3) {
          while (ends() < 8) await new Promise((r) => setTimeout(r, 5));
          await sim.alterCdTable('GW.CLAIM', 'DROP COLUMN STATUS', CLAIM_COLUMNS.filter((c) => c !== 'STATUS'));
          dropped = true;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const signal = new AbortController().signal;
    let writing = true;
    void writer.finally(() => (writing = false));
    for (let reads = 0; (writing || ends() < 32) && reads < 200_000; reads++) {
      const r = await src.read({ maxRecords: 6, maxBytes: 1 << 20, maxWaitMs: 10 }, signal);
      if (!('idle' in r)) out.push(...(r.records as CdcSourceRecord[]));
    }
    await writer;
    await src.close();

    assert.ok(dropped);
    assert.equal(ends(), 32, 'every transaction once');
    const schemaAt = out.findIndex((r) => r.cdc.topic === 'gw.schema-changes');
    assert.ok(schemaAt > 0, 'a schema-change event after the first changes');
    assert.equal(out.filter((r) => r.cdc.topic === 'gw.schema-changes').length, 1);
    const change = JSON.parse(out[schemaAt]!.cdc.value) as SchemaChangeEvent;
    assert.equal(change.table, 'GW.CLAIM');
    assert.deepEqual([change.previous_version, change.schema_version], [1, 2]);
    assert.deepEqual(change.changes.map((c) => (c.kind === 'type_changed' ? c.kind : `${c.kind} ${c.column.name}`)), ['dropped STATUS']);
    assert.match(change.ddl, /ALTER TABLE GW\.CLAIM DROP COLUMN STATUS/);
    assert.deepEqual(change.columns.map((c) => c.name), CLAIM_COLUMNS.filter((c) => c !== 'STATUS'));

    const events = out.map((r, i) => ({ i, topic: r.cdc.topic, e: JSON.parse(r.cdc.value) as ChangeEvent })).filter((x) => x.topic === 'gw.GW.CLAIM');
    assert.deepEqual(events.map((x) => Number(x.e.after!.CLAIM_ID)), Array.from({ length: 32 }, (_, k) => k + 1), 'every change once, in order');
    for (const { i, e } of events) {
      const before = i < schemaAt;
      assert.equal(e.source.schema_version, before ? 1 : 2, `claim ${e.after!.CLAIM_ID}`);
      assert.equal('STATUS' in e.after!, before, `claim ${e.after!.CLAIM_ID}: STATUS only while the column exists`);
    }
    assert.ok(events.some((x) => x.i > schemaAt), 'changes after the drop were read');
  });
});
