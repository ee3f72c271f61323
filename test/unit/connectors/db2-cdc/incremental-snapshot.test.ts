import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBridgeFiles } from '../../../../src/bridges/bridge-files.ts';
import { ConfigError } from '../../../../src/config/issues.ts';
import type { CapturedTable } from '../../../../src/connectors/db2-cdc/captured-table.ts';
import { parsePosition, toSourcePosition } from '../../../../src/connectors/db2-cdc/cdc-position.ts';
import type { CdcReader } from '../../../../src/connectors/db2-cdc/cdc-reader.ts';
import { CdcHeaders, type ChangeEvent } from '../../../../src/connectors/db2-cdc/change-event.ts';
import type { CdcOutputRecord } from '../../../../src/connectors/db2-cdc/change-stream.ts';
import { createRowMapper } from '../../../../src/connectors/db2-cdc/column-values.ts';
import { IncrementalSnapshot } from '../../../../src/connectors/db2-cdc/incremental-snapshot.ts';
import { db2CdcSourceSchema } from '../../../../src/connectors/db2-cdc/spec.ts';
import { notificationValue, parseSignal, snapshotSignalValue, type SnapshotSignal } from '../../../../src/connectors/db2-cdc/snapshot-signals.ts';
import type { SqlValue } from '../../../../src/connectors/db2-cdc/sql-port.ts';
import { entityKeyText } from '../../../../src/connectors/db2-cdc/transaction-keys.ts';

function table(name: string, o: { source?: boolean; keyless?: boolean } = {}): CapturedTable {
  const [schema, t] = name.split('.') as [string, string];
  const columns = [{ name: 'ID', type: 'INTEGER' }, { name: 'NAME', type: 'VARCHAR' }];
  return {
    name, schema, table: t, cd: { schema: 'ASNCDC', table: `CDC_${schema}_${t}`, columns: new Map() },
    source: o.source === false ? undefined : { schema, table: t, columns: new Map([['ID', 'ID'], ['NAME', 'NAME']]) },
    columns, keyIndexes: o.keyless ? [] : [0], topic: `gw.${name}`,
    updatesAsDeleteInsert: true, beforeImagePrefix: '', beforeImageIndexes: new Map(),
    mapRow: createRowMapper(columns, { table: name, lobMaxBytes: 100 }),
    schemaVersion: 1,
  };
}
const MEMBER = table('GW.MEMBER');
const CLAIM = table('GW.CLAIM');
const TABLES = [MEMBER, CLAIM, table('GW.HIDDEN', { source: false }), table('GW.NOKEY', { keyless: true })];
const ctx = { bridge: 'gw', db: 'GETWELL', transactionTopic: 'gw.transaction', now: () => 1_700_000_000_000 };

/** A reader whose tables hold `rows` (ID, NAME) per table, paged by ID like the keyset query. */
function readerOf(rows: Record<string, Array<[number, string]>>): CdcReader & { selects: Array<{ table: string; after: readonly SqlValue[] | null; rows: number }> } {
  const selects: Array<{ table: string; after: readonly SqlValue[] | null; rows: number }> = [];
  return {
    tables: TABLES,
    selects,
    snapshotChunk: async (t: CapturedTable, after: readonly SqlValue[] | null, n: number) => {
      selects.push({ table: t.name, after, rows: n });
      return (rows[t.name] ?? []).filter(([id]) => after === null || id > Number(after[0])).slice(0, n);
    },
  } as unknown as CdcReader & { selects: typeof selects };
}

const signal = (offset: number, tables: string[], id = `s${offset}`): SnapshotSignal => parseSignal('gw', 'gw', JSON.stringify(snapshotSignalValue(tables, id)), String(offset))!;
const notice = (r: CdcOutputRecord) => JSON.parse(r.value) as { type: string; aggregate_type: string; additional_data: Record<string, string> };
const notices = (rs: readonly CdcOutputRecord[]) => rs.filter((r) => r.topic === 'gw.notifications').map(notice);
const reads = (rs: readonly CdcOutputRecord[]) => rs.filter((r) => r.topic !== 'gw.notifications').map((r) => JSON.parse(r.value) as ChangeEvent);
/** A streamed change of `t`'s row with this ID, keyed as the table's events are. */
function change(t: CapturedTable, id: number): CdcOutputRecord {
  const key = entityKeyText({ ID: id });
  return { place: { commitLsn: 'aa', kind: 'change', changeLsn: 'bb' }, topic: t.topic, key, value: '{}', headers: { [CdcHeaders.table]: t.name }, recordNumber: 1 };
}
const snapshot = (chunkRows = 3) => new IncrementalSnapshot({ bridge: 'gw', notificationTopic: 'gw.notifications', chunkRows, ctx });
const rowsOf = (n: number, from = 1): Array<[number, string]> => Array.from({ length: n }, (_, i) => [from + i, `N${from + i}`]);

describe('parseSignal: the signal topic in Debezium\'s shape', () => {
  it('takes an incremental execute-snapshot signal keyed by the bridge (or unkeyed)', () => {
    const value = JSON.stringify(snapshotSignalValue(['GW.MEMBER', 'GW.CLAIM'], 'abc'));
    assert.deepEqual(parseSignal('gw', 'gw', value, '7'), { offset: '7', id: 'abc', tables: ['GW.MEMBER', 'GW.CLAIM'] });
    assert.deepEqual(parseSignal('gw', null, value, '8'), { offset: '8', id: 'abc', tables: ['GW.MEMBER', 'GW.CLAIM'] });
    // data.type may be left out (Debezium's default is incremental) and is matched without case.
    assert.deepEqual(parseSignal('gw', 'gw', JSON.stringify({ id: 'x', type: 'execute-snapshot', data: { 'data-collections': ['GW.RX'] } }), '9')?.tables, ['GW.RX']);
    assert.deepEqual(parseSignal('gw', 'gw', JSON.stringify({ id: 'x', type: 'execute-snapshot', data: { 'data-collections': ['GW.RX'], type: 'INCREMENTAL' } }), '9')?.tables, ['GW.RX']);
  });

  it('the shape banyan cdc snapshot writes', () => {
    assert.deepEqual(snapshotSignalValue(['GW.MEMBER'], 'id-1'), { id: 'id-1', type: 'execute-snapshot', data: { 'data-collections': ['GW.MEMBER'], type: 'incremental' } });
    assert.match(snapshotSignalValue(['GW.MEMBER']).id, /^[0-9a-f-]{36}$/);
  });

  it('another bridge\'s signal is not ours', () => {
    assert.equal(parseSignal('gw', 'other', JSON.stringify(snapshotSignalValue(['GW.MEMBER'])), '1'), null);
  });

  it('ours but not runnable: comes back with the problem (answered ABORTED, never ignored silently)', () => {
    const problem = (value: string) => parseSignal('gw', 'gw', value, '3')!.problem;
    assert.equal(problem('not json{'), 'the signal is not JSON');
    assert.equal(parseSignal('gw', 'gw', 'not json{', '3')!.id, 'offset-3');
    assert.match(problem(JSON.stringify({ id: 'a', type: 'stop-snapshot', data: {} }))!, /signal type "stop-snapshot" is not supported \(execute-snapshot is\)/);
    assert.match(problem(JSON.stringify({ id: 'a', type: 'execute-snapshot', data: { 'data-collections': ['GW.M'], type: 'blocking' } }))!, /snapshot type "blocking" is not supported/);
    assert.match(problem(JSON.stringify({ id: 'a', type: 'execute-snapshot', data: { 'data-collections': [] } }))!, /data-collections must list SCHEMA\.TABLE/);
    assert.match(problem(JSON.stringify({ id: 'a', type: 'execute-snapshot', data: { 'data-collections': ['MEMBER'] } }))!, /data-collections must list SCHEMA\.TABLE/);
    assert.match(problem('null')!, /signal type undefined/);
    // Debezium's snapshot filters and surrogate keys: refused rather than run as a whole-table snapshot.
    const withData = (extra: Record<string, unknown>) => JSON.stringify({ id: 'a', type: 'execute-snapshot', data: { 'data-collections': ['GW.MEMBER'], type: 'incremental', ...extra } });
    assert.match(problem(withData({ 'additional-conditions': [{ 'data-collection': 'GW.MEMBER', filter: 'PLAN_CODE = \'GOLD\'' }] }))!, /additional-conditions is not supported/);
    assert.match(problem(withData({ 'surrogate-key': 'NAME' }))!, /surrogate-key is not supported/);
    assert.equal(problem(withData({ 'additional-conditions': [] })), undefined);
  });

  it('notifications in Debezium\'s shape, additional_data values as strings', () => {
    const n = JSON.parse(notificationValue('gw', 'sig', 'IN_PROGRESS', { rows_written: '3' }, 42)) as Record<string, unknown>;
    assert.equal(n.aggregate_type, 'Incremental Snapshot');
    assert.equal(n.type, 'IN_PROGRESS');
    assert.equal(n.timestamp, '42');
    assert.deepEqual(n.additional_data, { connector_name: 'gw', signal_id: 'sig', rows_written: '3' });
    assert.match(n.id as string, /^[0-9a-f-]{36}$/);
  });
});

describe('IncrementalSnapshot: requests, chunks, watermark window', () => {
  it('accept: STARTED for the first request, ABORTED with the reason for those that cannot run; the offset moves past all', () => {
    const s = snapshot();
    const bad = [
      { ...signal(0, ['GW.NOPE']) },
      { ...signal(1, ['GW.HIDDEN']) },
      { ...signal(2, ['GW.NOKEY']) },
      parseSignal('gw', 'gw', '{', '3')!,
    ];
    const out = notices(s.accept([...bad, signal(4, ['GW.MEMBER'], 'ok')], TABLES));
    assert.deepEqual(out.map((n) => `${n.type}:${n.additional_data.signal_id}`), ['ABORTED:s0', 'ABORTED:s1', 'ABORTED:s2', 'ABORTED:offset-3', 'STARTED:ok']);
    assert.match(out[0]!.additional_data.reason!, /GW\.NOPE is not captured by bridge gw \(captured: GW\.MEMBER, GW\.CLAIM, GW\.HIDDEN, GW\.NOKEY\)/);
    assert.match(out[1]!.additional_data.reason!, /not visible to the bridge's user/);
    assert.match(out[2]!.additional_data.reason!, /no primary key and no keys: entry/);
    assert.equal(out[3]!.additional_data.reason, 'signal offset-3 at offset 3: the signal is not JSON (not executed; an ABORTED notification says so)');
    assert.deepEqual(out.slice(0, 4).map((n) => n.additional_data.error_code), [
      'BANYAN_ERR_CDC_INCREMENTAL_TABLE_NOT_CAPTURED', 'BANYAN_ERR_CDC_INCREMENTAL_SOURCE_MISSING', 'BANYAN_ERR_CDC_INCREMENTAL_NO_KEY', 'BANYAN_ERR_CDC_SIGNAL_INVALID',
    ]);
    assert.equal(out[4]!.additional_data.data_collections, 'GW.MEMBER');
    assert.equal(s.signalOffset, '4');
    assert.deepEqual(s.progress, { signal_id: 'ok', tables: ['GW.MEMBER'], last_key: null, rows: 0 });
    assert.ok(s.active);
  });

  it('a second request while one runs is queued and STARTED when the first COMPLETED', async () => {
    const s = snapshot(10);
    const reader = readerOf({ 'GW.MEMBER': rowsOf(2), 'GW.CLAIM': rowsOf(1) });
    s.accept([signal(0, ['GW.MEMBER'], 'first')], TABLES);
    assert.deepEqual(notices(s.accept([signal(1, ['GW.CLAIM'], 'second')], TABLES)), [], 'nothing to say yet');
    await s.selectChunk(reader);
    s.reachedHigh();
    const done = notices(s.takeChunk('0a'));
    assert.deepEqual(done.map((n) => `${n.type}:${n.additional_data.signal_id}`), ['TABLE_SCAN_COMPLETED:first', 'COMPLETED:first', 'STARTED:second']);
    assert.equal(s.progress?.signal_id, 'second');
  });

  it('chunks by key after the last chunk\'s last key; IN_PROGRESS per chunk, TABLE_SCAN_COMPLETED per table, COMPLETED at the end', async () => {
    const s = snapshot(3);
    const reader = readerOf({ 'GW.MEMBER': rowsOf(5), 'GW.CLAIM': rowsOf(2, 10) });
    s.accept([signal(0, ['GW.MEMBER', 'GW.CLAIM'], 'two')], TABLES);
    const out: CdcOutputRecord[] = [];
    for (let i = 0; i < 10 && s.active; i++) {
      await s.selectChunk(reader);
      assert.ok(s.awaitingHigh && !s.chunkReady);
      s.reachedHigh();
      assert.ok(s.chunkReady);
      out.push(...s.takeChunk(`0${i}`));
      if (i === 0) assert.deepEqual(s.progress, { signal_id: 'two', tables: ['GW.MEMBER', 'GW.CLAIM'], last_key: '[3]', rows: 3 });
    }
    assert.deepEqual(reader.selects, [
      { table: 'GW.MEMBER', after: null, rows: 3 },
      { table: 'GW.MEMBER', after: [3], rows: 3 },
      { table: 'GW.CLAIM', after: null, rows: 3 },
    ]);
    assert.deepEqual(notices(out).map((n) => n.type), ['IN_PROGRESS', 'TABLE_SCAN_COMPLETED', 'TABLE_SCAN_COMPLETED', 'COMPLETED']);
    assert.equal(notices(out)[0]!.additional_data.last_processed_key, '[3]');
    assert.equal(notices(out)[0]!.additional_data.rows_written, '3');
    assert.equal(notices(out).at(-1)!.additional_data.total_rows_scanned, '7');
    const events = reads(out);
    assert.deepEqual(events.map((e) => `${e.source.table}:${e.after!.ID}`), ['MEMBER:1', 'MEMBER:2', 'MEMBER:3', 'MEMBER:4', 'MEMBER:5', 'CLAIM:10', 'CLAIM:11']);
    assert.ok(events.every((e) => e.op === 'r' && e.before === null && e.source.snapshot === 'incremental'));
    // Each chunk's rows carry the high watermark they were written at.
    assert.deepEqual(events.map((e) => e.source.commit_lsn), ['00', '00', '00', '01', '01', '02', '02']);
    assert.equal(s.progress, undefined);
    assert.ok(!s.active);
  });

  it('window dedupe: a chunk row whose key a streamed change touched before the high watermark is dropped (the change wins); after it, nothing is dropped', async () => {
    const s = snapshot(6);
    const reader = readerOf({ 'GW.MEMBER': rowsOf(5) });
    s.accept([signal(0, ['GW.MEMBER'])], TABLES);
    await s.selectChunk(reader);
    s.observe(change(MEMBER, 2)); // changed inside (low, high]
    s.observe(change(CLAIM, 3)); // same key, another table: not this chunk's row
    s.observe({ ...change(MEMBER, 4), place: { commitLsn: 'aa', kind: 'end' } }); // a transaction boundary: not a row
    s.reachedHigh();
    s.observe(change(MEMBER, 5)); // after high: comes after the chunk in the stream, wins anyway
    const out = s.takeChunk('0f');
    assert.deepEqual(reads(out).map((e) => e.after!.ID), [1, 3, 4, 5]);
    const n = notices(out);
    assert.equal(n[0]!.type, 'TABLE_SCAN_COMPLETED', 'a chunk shorter than chunk_rows ends the table');
    assert.equal(n.at(-1)!.additional_data.total_rows_scanned, '5', 'scanned counts the dropped row too');
  });

  it('restore: resumes after the checkpointed last key; a chunk selected but not written is selected again', async () => {
    const s = snapshot(2);
    const reader = readerOf({ 'GW.MEMBER': rowsOf(6) });
    s.accept([signal(0, ['GW.MEMBER'], 'r')], TABLES);
    await s.selectChunk(reader);
    s.restore({ signal_id: 'r', tables: ['GW.MEMBER'], last_key: '[4]', rows: 4 }, '0');
    assert.ok(!s.awaitingHigh && !s.chunkReady, 'the chunk in flight is forgotten');
    await s.selectChunk(reader);
    s.reachedHigh();
    assert.deepEqual(reads(s.takeChunk('10')).map((e) => e.after!.ID), [5, 6]);
    assert.deepEqual(reader.selects.map((x) => x.after), [null, [4]]);
    assert.equal(s.signalOffset, '0');
  });
});

describe('incremental snapshot options and checkpoint', () => {
  const base = { host: 'db2', database: 'GETWELL', user: 'u', password: 'p', tables: ['GW.MEMBER'] };

  it('defaults: <prefix>.signals, <prefix>.notifications, chunks of 1024 rows, signals looked at every 2 s', () => {
    const cfg = db2CdcSourceSchema.parse(base);
    assert.equal(cfg.signal_topic, '{prefix}.signals');
    assert.equal(cfg.notification_topic, '{prefix}.notifications');
    assert.deepEqual(cfg.incremental_snapshot, { chunk_rows: 1024, signal_poll_ms: 2000 });
    assert.deepEqual(db2CdcSourceSchema.parse({ ...base, incremental_snapshot: { chunk_rows: 50 } }).incremental_snapshot, { chunk_rows: 50, signal_poll_ms: 2000 });
  });

  it('rejects a zero chunk, an unknown key and a bad topic rule', () => {
    assert.ok(!db2CdcSourceSchema.safeParse({ ...base, incremental_snapshot: { chunk_rows: 0 } }).success);
    assert.ok(!db2CdcSourceSchema.safeParse({ ...base, incremental_snapshot: { chunk_size: 10 } }).success);
    assert.ok(!db2CdcSourceSchema.safeParse({ ...base, signal_topic: 'bad topic' }).success);
  });

  it('a bad option in a bridge file is reported at its YAML line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'banyan-cdc-spec-'));
    try {
      const file = join(dir, 'cdc.yaml');
      await writeFile(file, [
        'name: gw-cdc', 'source:', '  db2_cdc:', '    driver: postgres', '    host: db', '    database: GETWELL', '    user: u', '    password: p', '    tables: [GW.MEMBER]',
        '    incremental_snapshot: { chunk_rows: -1, signal_poll_ms: 100 }', '    notification_topic: "has space"', 'sink:', '  kafka: { topic: gw }', '',
      ].join('\n'));
      let issues: ConfigError['issues'] = [];
      try {
        loadBridgeFiles([file], dir, {});
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        issues = err.issues;
      }
      const at = (path: string) => issues.find((i) => i.path === path);
      assert.equal(at('source.db2_cdc.incremental_snapshot.chunk_rows')?.line, 10, JSON.stringify(issues));
      assert.equal(at('source.db2_cdc.notification_topic')?.line, 11, JSON.stringify(issues));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the checkpoint carries the snapshot progress and the last signal offset, and reads back the same', () => {
    const p = { commit_lsn: '00ff', change_lsn: null, event_serial_no: 0, incremental: { signal_id: 's', tables: ['GW.MEMBER', 'GW.CLAIM'], last_key: '[1024]', rows: 1024 }, signal_offset: '12' };
    const stored = JSON.parse(JSON.stringify(toSourcePosition(p)));
    assert.deepEqual(parsePosition('gw', stored), p);
    assert.deepEqual(parsePosition('gw', { commit_lsn: '00ff', change_lsn: null, event_serial_no: 0 }), { commit_lsn: '00ff', change_lsn: null, event_serial_no: 0 });
    for (const bad of [{ ...p, signal_offset: 'x1' }, { ...p, signal_offset: 12 }, { ...p, incremental: { ...p.incremental, tables: [] } }, { ...p, incremental: { ...p.incremental, rows: '1' } }]) {
      assert.throws(() => parsePosition('gw', bad), { code: 'BANYAN_ERR_CDC_POSITION_INVALID' });
    }
  });
});
