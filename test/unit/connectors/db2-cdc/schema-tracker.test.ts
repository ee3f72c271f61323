import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trackSchema, typeText, type SchemaColumn, type TableSchema } from '../../../../src/connectors/db2-cdc/schema-tracker.ts';

const context = { connectorVersion: '0.1.0', bridge: 'getwell', database: 'SAMPLE', commitLsn: '0000000000000000000000000000a0f1', nowMs: 1_764_694_862_000 };

const control: SchemaColumn[] = [
  { name: 'IBMSNAP_COMMITSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
  { name: 'IBMSNAP_INTENTSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
  { name: 'IBMSNAP_OPERATION', type: 'CHAR', length: 1 },
];
const v1: SchemaColumn[] = [
  { name: 'ACCOUNT_ID', type: 'BIGINT', nullable: false },
  { name: 'BALANCE', type: 'DECIMAL', length: 11, scale: 2 },
  { name: 'FAX', type: 'VARCHAR', length: 20 },
  { name: 'UPDATED', type: 'TIMESTAMP', scale: 6 },
];
const known: TableSchema = { table: 'APP.ACCOUNTS', version: 3, columns: v1 };

describe('schema tracker', () => {
  it('starts a table it has not seen at version 1 with no event, without ASN control columns', () => {
    const d = trackSchema('APP.ACCOUNTS', undefined, [...control, ...v1], context);
    assert.deepEqual(d, { schema: { table: 'APP.ACCOUNTS', version: 1, columns: v1 }, event: null });
  });

  const cases: ReadonlyArray<readonly [string, SchemaColumn[], string | null, string[]]> = [
    ['no change (control columns ignored)', v1, null, []],
    ['an added column', [...v1, { name: 'EMAIL', type: 'VARCHAR', length: 100 }], 'ALTER TABLE APP.ACCOUNTS ADD COLUMN EMAIL VARCHAR(100)', ['added EMAIL']],
    ['an added NOT NULL bit-data column', [...v1, { name: 'TOKEN', type: 'CHAR', length: 8, forBitData: true, nullable: false }], 'ALTER TABLE APP.ACCOUNTS ADD COLUMN TOKEN CHAR(8) FOR BIT DATA NOT NULL', ['added TOKEN']],
    ['a dropped column, reported with its definition', v1.filter((c) => c.name !== 'FAX'), 'ALTER TABLE APP.ACCOUNTS DROP COLUMN FAX', ['dropped FAX VARCHAR(20)']],
    ['a widened DECIMAL', v1.map((c) => (c.name === 'BALANCE' ? { ...c, length: 15 } : c)), 'ALTER TABLE APP.ACCOUNTS ALTER COLUMN BALANCE SET DATA TYPE DECIMAL(15,2)', ['type_changed BALANCE DECIMAL(11,2) -> DECIMAL(15,2)']],
    ['a TIMESTAMP precision change', v1.map((c) => (c.name === 'UPDATED' ? { ...c, scale: 12 } : c)), 'ALTER TABLE APP.ACCOUNTS ALTER COLUMN UPDATED SET DATA TYPE TIMESTAMP(12)', ['type_changed UPDATED TIMESTAMP(6) -> TIMESTAMP(12)']],
    ['a nullability change', v1.map((c) => (c.name === 'ACCOUNT_ID' ? { ...c, nullable: true } : c)), 'ALTER TABLE APP.ACCOUNTS ALTER COLUMN ACCOUNT_ID DROP NOT NULL', ['type_changed ACCOUNT_ID BIGINT -> BIGINT']],
    [
      'a rename, seen as a drop and an add',
      v1.map((c) => (c.name === 'FAX' ? { ...c, name: 'PHONE' } : c)),
      'ALTER TABLE APP.ACCOUNTS DROP COLUMN FAX; ALTER TABLE APP.ACCOUNTS ADD COLUMN PHONE VARCHAR(20)',
      ['dropped FAX VARCHAR(20)', 'added PHONE'],
    ],
  ];
  for (const [name, current, ddl, changes] of cases) {
    it(name, () => {
      const d = trackSchema('APP.ACCOUNTS', known, [...control, ...current], context);
      assert.deepEqual(d.schema.columns, current);
      if (ddl === null) {
        assert.equal(d.event, null);
        assert.equal(d.schema.version, 3);
        return;
      }
      assert.equal(d.schema.version, 4);
      const e = d.event!;
      assert.equal(e.ddl, ddl);
      assert.deepEqual(
        e.changes.map((c) => (c.kind === 'type_changed' ? `${c.kind} ${c.after.name} ${typeText(c.before)} -> ${typeText(c.after)}` : c.kind === 'dropped' ? `dropped ${c.column.name} ${typeText(c.column)}` : `added ${c.column.name}`)),
        changes,
      );
      assert.deepEqual([e.previous_version, e.schema_version, e.source.schema_version], [3, 4, 4]);
      assert.deepEqual(e.columns, current);
      assert.deepEqual(
        { table: e.table, schemaName: e.schemaName, databaseName: e.databaseName, ts_ms: e.ts_ms },
        { table: 'APP.ACCOUNTS', schemaName: 'APP', databaseName: 'SAMPLE', ts_ms: context.nowMs },
      );
      assert.deepEqual(
        { connector: e.source.connector, name: e.source.name, db: e.source.db, schema: e.source.schema, table: e.source.table, commit_lsn: e.source.commit_lsn },
        { connector: 'db2', name: 'getwell', db: 'SAMPLE', schema: 'APP', table: 'ACCOUNTS', commit_lsn: context.commitLsn },
      );
    });
  }

  it('writes Db2 DDL type text', () => {
    assert.equal(typeText({ name: 'X', type: 'VARGRAPHIC', length: 40 }), 'VARGRAPHIC(40)');
    assert.equal(typeText({ name: 'X', type: 'DECFLOAT', length: 34 }), 'DECFLOAT(34)');
    assert.equal(typeText({ name: 'X', type: 'INTEGER', length: 4 }), 'INTEGER');
    assert.equal(typeText({ name: 'X', type: 'DECIMAL', length: 9 }), 'DECIMAL(9,0)');
  });
});
