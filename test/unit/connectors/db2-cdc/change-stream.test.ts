import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapturedTable } from '../../../../src/connectors/db2-cdc/captured-table.ts';
import type { ChangeEvent, TransactionBoundary } from '../../../../src/connectors/db2-cdc/change-event.ts';
import { mergeChanges, tableChanges, transactionRecords, type CdRow, type TableChange, type UnreadableRow } from '../../../../src/connectors/db2-cdc/change-stream.ts';
import { createRowMapper } from '../../../../src/connectors/db2-cdc/column-values.ts';
import type { SqlValue } from '../../../../src/connectors/db2-cdc/sql-port.ts';

function table(name: string, o: { deleteInsert?: boolean; beforePrefix?: boolean } = {}): CapturedTable {
  const [schema, t] = name.split('.') as [string, string];
  const columns = [{ name: 'ID', type: 'INTEGER' }, { name: 'AMOUNT', type: 'DECIMAL', scale: 2 }];
  return {
    name, schema, table: t, cd: { schema: 'ASNCDC', table: `CDC_${schema}_${t}`, columns: new Map() }, source: undefined,
    columns, keyIndexes: [0], topic: `gw.${name}`,
    updatesAsDeleteInsert: o.deleteInsert ?? true,
    beforeImagePrefix: o.beforePrefix ? 'X' : '',
    beforeImageIndexes: o.beforePrefix ? new Map([[0, 2], [1, 3]]) : new Map(),
    mapRow: createRowMapper(columns, { table: name, lobMaxBytes: 100 }),
    schemaVersion: 1,
  };
}
const MEMBER = table('GW.MEMBER');
const hex = (n: number) => n.toString(16).padStart(32, '0');
const row = (t: CapturedTable, commit: number, intent: number, op: string, values: SqlValue[]): CdRow => ({ table: t, commitseq: hex(commit), intentseq: hex(intent), operation: op, logmarker: '2026-12-02 10:00:00.000000', values });
async function* from<T>(xs: readonly T[]) {
  yield* xs;
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const ops = (cs: readonly (TableChange | UnreadableRow)[]) => cs.map((c) => ('op' in c ? `${c.op}@${parseInt(c.intentseq, 16)}` : `bad@${parseInt(c.intentseq, 16)}`));

describe('tableChanges: CD rows -> changes', () => {
  const cases: ReadonlyArray<{ name: string; t?: CapturedTable; rows: CdRow[]; expected: string[] }> = [
    { name: 'I and D rows are creates and deletes', rows: [row(MEMBER, 10, 1, 'I', [1, '1.00']), row(MEMBER, 10, 2, 'D', [2, '2.00'])], expected: ['c@1', 'd@2'] },
    { name: 'D directly followed by I of the same key in the same commit is one update at the I', rows: [row(MEMBER, 10, 1, 'D', [1, '1.00']), row(MEMBER, 10, 2, 'I', [1, '5.00'])], expected: ['u@2'] },
    { name: 'D then I of another key is a delete and a create (the row moved to another entity)', rows: [row(MEMBER, 10, 1, 'D', [1, '1.00']), row(MEMBER, 10, 2, 'I', [9, '1.00'])], expected: ['d@1', 'c@2'] },
    { name: 'D and I in different commits are not paired', rows: [row(MEMBER, 10, 1, 'D', [1, '1.00']), row(MEMBER, 11, 2, 'I', [1, '1.00'])], expected: ['d@1', 'c@2'] },
    { name: 'a trailing D is a delete', rows: [row(MEMBER, 10, 1, 'I', [1, '1.00']), row(MEMBER, 10, 2, 'D', [1, '1.00'])], expected: ['c@1', 'd@2'] },
    { name: 'a single U row is an update', rows: [row(MEMBER, 10, 1, 'U', [1, '3.00'])], expected: ['u@1'] },
    { name: 'without CHG_UPD_TO_DEL_INS a D is never held for pairing', t: table('GW.X', { deleteInsert: false }), rows: [row(table('GW.X', { deleteInsert: false }), 10, 1, 'D', [1, '1.00']), row(table('GW.X', { deleteInsert: false }), 10, 2, 'I', [1, '1.00'])], expected: ['d@1', 'c@2'] },
    { name: 'an operation ASN does not write is an unreadable row', rows: [row(MEMBER, 10, 1, 'X', [1, '1.00'])], expected: ['bad@1'] },
  ];
  for (const c of cases) it(c.name, async () => assert.deepEqual(ops(await all(tableChanges(from(c.rows)))), c.expected));

  it('gives an update both images', async () => {
    const [u] = (await all(tableChanges(from([row(MEMBER, 10, 1, 'D', [1, '1.00']), row(MEMBER, 10, 2, 'I', [1, '5.00'])])))) as TableChange[];
    assert.deepEqual([u!.before, u!.after], [[1, '1.00'], [1, '5.00']]);
  });

  it('takes a single U row\'s before image from the BEFORE_IMG_PREFIX columns', async () => {
    const t = table('GW.B', { beforePrefix: true });
    const [u] = (await all(tableChanges(from([row(t, 10, 1, 'U', [1, '3.00', 1, '2.00'])])))) as TableChange[];
    assert.deepEqual([u!.before, u!.after], [[1, '2.00'], [1, '3.00', 1, '2.00']]);
  });
});

describe('mergeChanges: one commit order over all tables', () => {
  it('merges by (COMMITSEQ, INTENTSEQ)', async () => {
    const c = (commit: number, intent: number) => ({ commitseq: hex(commit), intentseq: hex(intent) });
    const merged = await all(mergeChanges([from([c(1, 1), c(3, 5), c(4, 9)]), from([c(1, 2), c(2, 3)]), from([]), from([c(3, 4)])]));
    assert.deepEqual(merged.map((m) => `${parseInt(m.commitseq, 16)}.${parseInt(m.intentseq, 16)}`), ['1.1', '1.2', '2.3', '3.4', '3.5', '4.9']);
  });
});

describe('transactionRecords: changes -> BEGIN, envelopes, END', () => {
  const CLAIM = table('GW.CLAIM');
  const ctx = { bridge: 'gw', db: 'GETWELL', transactionTopic: 'gw.transaction', now: () => 42 };
  const changes = () => tableChanges(from([row(MEMBER, 10, 1, 'I', [1, '1.5']), row(MEMBER, 10, 2, 'I', [2, '2.00'])]));

  it('frames each commit with BEGIN and END, counting events per table in first-seen order', async () => {
    const input = mergeChanges([tableChanges(from([row(MEMBER, 10, 1, 'I', [1, '1.00']), row(MEMBER, 20, 5, 'D', [1, '1.00'])])), tableChanges(from([row(CLAIM, 10, 2, 'I', [7, '9.99']), row(CLAIM, 10, 3, 'I', [8, '9.99'])]))]);
    const out = await all(transactionRecords(input, ctx));
    assert.deepEqual(out.map((r) => `${r.place.kind}:${r.topic}`), [
      'begin:gw.transaction', 'change:gw.GW.MEMBER', 'change:gw.GW.CLAIM', 'change:gw.GW.CLAIM', 'end:gw.transaction',
      'begin:gw.transaction', 'change:gw.GW.MEMBER', 'end:gw.transaction',
    ]);
    const end = JSON.parse(out[4]!.value) as TransactionBoundary;
    assert.deepEqual(end, { status: 'END', id: hex(10), ts_ms: Date.parse('2026-12-02T10:00:00.000Z'), event_count: 3, data_collections: [{ data_collection: 'GW.MEMBER', event_count: 1 }, { data_collection: 'GW.CLAIM', event_count: 2 }] });
    const e = JSON.parse(out[3]!.value) as ChangeEvent;
    assert.deepEqual(e.transaction, { id: hex(10), total_order: 3, data_collection_order: 2 });
    assert.equal(e.source.ts_ms, Date.parse('2026-12-02T10:00:00.000Z'), 'commit time from IBMSNAP_LOGMARKER');
    assert.equal(e.ts_ms, 42);
    assert.deepEqual(e.after, { ID: 8, AMOUNT: '9.99' });
    assert.equal(out[3]!.key, '{"ID":8}');
    assert.equal(out[6]!.key, '{"ID":1}', 'a delete is keyed by its before image');
  });

  it('emits the assembled transaction before END when its topic is set', async () => {
    const out = await all(transactionRecords(changes(), { ...ctx, assembledTopic: 'gw.assembled' }));
    assert.deepEqual(out.map((r) => r.place.kind), ['begin', 'change', 'change', 'assembled', 'end']);
    const assembled = JSON.parse(out[3]!.value) as { id: string; events: ChangeEvent[] };
    assert.equal(assembled.events.length, 2);
    assert.equal(out[3]!.key, '{"ID":1}', 'keyed by the first change\'s entity key');
  });

  it('makes a change whose value the column mapping refuses a dead letter, and goes on', async () => {
    const out = await all(transactionRecords(tableChanges(from([row(MEMBER, 10, 1, 'I', [1, 'not a number']), row(MEMBER, 10, 2, 'I', [2, '2.00'])])), ctx));
    assert.equal(out[1]!.rejection?.code, 'BANYAN_ERR_CDC_VALUE_INVALID');
    assert.equal(out[2]!.rejection, undefined);
    assert.equal((JSON.parse(out[3]!.value) as TransactionBoundary).event_count, 2);
  });
});
