/**
 * A CD table column added while the bridge runs (issue 14, "Schema changes"): the source reads on
 * the PostgreSQL stand-in while the capture simulator keeps writing; the DBA's ALTER + reinit
 * happens between two commit intervals. Changes committed before the reinit carry schema version 1
 * and the old columns, the schema-change event comes next in commit order, and every later change
 * carries version 2 with the new column. No change is lost or repeated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChangeEvent, TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { openCdcReader } from '../../../src/connectors/db2-cdc/cdc-reader.ts';
import { createCdcSource, type CdcSourceRecord } from '../../../src/connectors/db2-cdc/cdc-source.ts';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import { platformSql } from '../../../src/connectors/db2-cdc/platform-sql.ts';
import type { SchemaChangeEvent } from '../../../src/connectors/db2-cdc/schema-tracker.ts';
import { createCaptureSimulator, type CaptureSimulator, type SimCommitted } from '../../support/asn-capture-simulator.ts';
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

const MEMBER_COLUMNS = GETWELL_TABLES.find((t) => t.name === 'GW.MEMBER')!.columns;

describe('CDC source: schema change while running', () => {
  it('emits the schema-change event at the reinit position; changes before keep version 1, after carry version 2 with the new column', async () => {
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
      schemaCheckPolls: 1_000, // the registration's stamp, not the periodic check, must find it
    });

    // The application and Capture: 12 commit intervals of 5 transactions, the ALTER after the 6th.
    const out: CdcSourceRecord[] = [];
    const ends = () => out.filter((r) => r.cdc.topic === 'gw.transaction' && (JSON.parse(r.cdc.value) as TransactionBoundary).status === 'END').length;
    await src.open(undefined);
    const committed: SimCommitted[] = [];
    let stamp = '';
    let id = 1;
    const writer = (async () => {
      for (let interval = 0; interval < 12; interval++) {
        const altered = stamp !== '';
        for (let k = 0; k < 5; k++, id++) {
          const tx = sim.begin();
          tx.insert('GW.MEMBER', { MEMBER_ID: id, NAME: `M${id}`, PLAN_CODE: 'GOLD', BALANCE: `${id}.25`, UPDATED_AT: '2026-12-02 11:00:00.000000', ...(altered ? { EMAIL: `m${id}@example.org` } : {}) });
          tx.insert('GW.CLAIM', { CLAIM_ID: String(id), MEMBER_ID: id, AMOUNT: '10.50', STATUS: 'P', FILED: '2026-11-30' });
          tx.commit();
        }
        committed.push(...(await sim.flush()));
        // The bridge is reading meanwhile: the ALTER comes once it has read some, with more unread.
        if (interval === 5) while (ends() < 10) await new Promise((r) => setTimeout(r, 5));
        if (interval === 5) stamp = await sim.alterCdTable('GW.MEMBER', 'ADD COLUMN EMAIL VARCHAR(40)', [...MEMBER_COLUMNS, 'EMAIL']);
        await new Promise((r) => setImmediate(r));
      }
    })();

    const signal = new AbortController().signal;
    let writing = true;
    void writer.finally(() => (writing = false));
    for (let reads = 0; (writing || ends() < 60) && reads < 200_000; reads++) {
      const r = await src.read({ maxRecords: 7, maxBytes: 1 << 20, maxWaitMs: 10 }, signal);
      if (!('idle' in r)) out.push(...(r.records as CdcSourceRecord[]));
    }
    await writer;
    await src.close();

    assert.equal(ends(), 60, 'every transaction once');
    const schemaAt = out.findIndex((r) => r.cdc.topic === 'gw.schema-changes');
    assert.ok(schemaAt > 0, 'a schema-change event');
    assert.equal(out.filter((r) => r.cdc.topic === 'gw.schema-changes').length, 1, 'exactly one');
    const change = JSON.parse(out[schemaAt]!.cdc.value) as SchemaChangeEvent;
    assert.equal(change.table, 'GW.MEMBER');
    assert.deepEqual([change.previous_version, change.schema_version], [1, 2]);
    assert.deepEqual(change.changes.map((c) => (c.kind === 'type_changed' ? c.kind : `${c.kind} ${c.column.name}`)), ['added EMAIL']);
    assert.equal(change.source.commit_lsn, stamp, 'at the reinit position');

    const events = out.map((r, i) => ({ i, topic: r.cdc.topic, e: JSON.parse(r.cdc.value) as ChangeEvent })).filter((x) => x.topic.startsWith('gw.GW.'));
    assert.equal(events.length, 120, 'every change once');
    for (const { i, topic, e } of events) {
      const before = e.source.commit_lsn < stamp;
      assert.equal(i < schemaAt, before, `${topic} ${e.source.commit_lsn}: on the right side of the schema-change event`);
      if (topic !== 'gw.GW.MEMBER') {
        assert.equal(e.source.schema_version, 1, 'other tables keep their version');
        continue;
      }
      const memberId = e.after!.MEMBER_ID as number;
      assert.equal(e.source.schema_version, before ? 1 : 2, `member ${memberId}`);
      if (before) assert.equal('EMAIL' in e.after!, false, `member ${memberId}: old column set`);
      else assert.equal(e.after!.EMAIL, `m${memberId}@example.org`);
    }
    assert.ok(events.some((x) => x.e.source.schema_version === 2), 'changes after the ALTER were read');
    assert.deepEqual(committed.map((c) => c.commitseq), out.filter((r) => r.cdc.topic === 'gw.transaction' && (JSON.parse(r.cdc.value) as TransactionBoundary).status === 'BEGIN').map((r) => (JSON.parse(r.cdc.value) as TransactionBoundary).id), 'in commit order');
  });
});
