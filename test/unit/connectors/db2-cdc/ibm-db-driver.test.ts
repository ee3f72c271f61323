import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IbmDbModule } from '../../../../src/connectors/db2-cdc/ibm-db-api.ts';
import { connectionString, createIbmDbDriver } from '../../../../src/connectors/db2-cdc/ibm-db-driver.ts';
import type { SqlConnectOptions, SqlResult } from '../../../../src/connectors/db2-cdc/sql-port.ts';
import { BanyanError } from '../../../../src/core/errors.ts';
import { db2Error, FakeDb2Server, type FakeTable } from '../../../support/fake-ibm-db.ts';
import { createRowMapper, type CapturedColumn } from '../../../../src/connectors/db2-cdc/column-values.ts';
import { exactTextColumns, platformSql } from '../../../../src/connectors/db2-cdc/platform-sql.ts';

const target: SqlConnectOptions = { host: 'db2.example', port: 50000, database: 'SAMPLE', user: 'cdcuser', password: 's3cret' };

function driverOn(server: FakeDb2Server) {
  return createIbmDbDriver({ load: async () => server.module() as unknown as IbmDbModule });
}

const lsn = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');

/** A CD table window as Db2 holds it: 16-byte LSNs, a D+I pair, Db2 timestamp text. */
const window: FakeTable = {
  columns: [
    { name: 'IBMSNAP_COMMITSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
    { name: 'IBMSNAP_INTENTSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
    { name: 'IBMSNAP_OPERATION', type: 'CHAR', length: 1 },
    { name: 'IBMSNAP_LOGMARKER', type: 'TIMESTAMP', precision: 26, scale: 6 },
    { name: 'ORDER_ID', type: 'BIGINT', precision: 19 },
    { name: 'AMOUNT', type: 'DECIMAL', precision: 11, scale: 2 },
    { name: 'QTY', type: 'INTEGER', precision: 10 },
    { name: 'SHIP_DATE', type: 'DATE', length: 10 },
    { name: 'SHIP_TIME', type: 'TIME', length: 8 },
  ],
  rows: [
    [lsn(1), lsn(10), 'D', '2026-12-02-17.01.02.123456', '9007199254740993', '120.50', 3, '2026-12-02', '17.01.02'],
    [lsn(1), lsn(11), 'I', '2026-12-02-17.01.02.123456', '9007199254740993', '-0.05', 4, '2026-12-03', '08.00.00'],
    [lsn(2), lsn(12), 'I', '2026-12-02-17.01.03.000001', '42', null, null, null, null],
  ],
};

describe('ibm_db adapter (against the fake ibm_db)', () => {
  it('opens one connection with the CLI keywords that make datetime and DECFLOAT columns come as text', async () => {
    const server = new FakeDb2Server();
    const conn = await driverOn(server).connect(target);
    await conn.close();
    assert.equal(server.connectionStrings.length, 1);
    assert.equal(
      server.connectionStrings[0],
      'DATABASE=SAMPLE;HOSTNAME=db2.example;PORT=50000;PROTOCOL=TCPIP;UID=cdcuser;PWD=s3cret;MapDateDescribe=1;MapTimeDescribe=1;MapTimestampDescribe=1;MapDecimalFloatDescribe=1;',
    );
  });

  it('braces connection-string values holding ; { or }', () => {
    const s = connectionString({ ...target, password: 'a;b}c' });
    assert.ok(s.includes('PWD={a;b}}c};'), s);
  });

  it('normalises values per the port: LSN Buffers, BIGINT and DECIMAL digits, Db2 datetime text rewritten', async () => {
    const server = new FakeDb2Server().on(/FROM ASNCDC\."CDC_APP_ORDERS"/, window);
    const conn = await driverOn(server).connect(target);
    const r = await conn.query('SELECT * FROM ASNCDC."CDC_APP_ORDERS" WHERE IBMSNAP_COMMITSEQ > ?', [lsn(0)]);
    assert.deepEqual(r.columns.slice(0, 3), [
      { name: 'IBMSNAP_COMMITSEQ', type: 'VARCHAR', forBitData: true },
      { name: 'IBMSNAP_INTENTSEQ', type: 'VARCHAR', forBitData: true },
      { name: 'IBMSNAP_OPERATION', type: 'CHAR' },
    ]);
    assert.deepEqual(r.rows[0], [lsn(1), lsn(10), 'D', '2026-12-02 17:01:02.123456', '9007199254740993', '120.50', 3, '2026-12-02', '17:01:02']);
    assert.deepEqual(r.rows[1].slice(5), ['-0.05', 4, '2026-12-03', '08:00:00']);
    assert.deepEqual(r.rows[2].slice(4), ['42', null, null, null, null]);
    assert.ok(Buffer.isBuffer(r.rows[0][0]));
    await conn.close();
    assert.equal(server.openStatements, 0);
  });

  it('binds Buffers as VARBINARY parameter objects and other values as they are', async () => {
    const server = new FakeDb2Server().on(/IBMSNAP_COMMITSEQ >= \? AND IBMSNAP_COMMITSEQ <= \?/, (params) => {
      assert.ok(Buffer.isBuffer(params[0]) && Buffer.isBuffer(params[1]));
      return { columns: [{ name: 'N', type: 'INTEGER' }], rows: [[params.length]] };
    });
    const conn = await driverOn(server).connect(target);
    const r = await conn.query('SELECT COUNT(*) AS N FROM T WHERE IBMSNAP_COMMITSEQ >= ? AND IBMSNAP_COMMITSEQ <= ? AND X = ?', [lsn(1), lsn(2), 'A']);
    assert.deepEqual(r.rows, [[3]]);
    const exec = server.calls.find((c) => c.op === 'execute')!;
    assert.deepEqual(exec.params, [lsn(1), lsn(2), 'A']);
    await conn.close();
  });

  it('fetches in blocks with SQL_ATTR_ROW_ARRAY_SIZE, yielding at most blockRows rows each and closing the cursor', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [lsn(i + 1), lsn(100 + i), 'I', '2026-12-02-17.01.02.000000', String(i), '1.00', i, '2026-12-02', '17.01.02'] as const);
    const server = new FakeDb2Server().on(/CDC_APP_ORDERS/, { columns: window.columns, rows });
    const conn = await driverOn(server).connect(target);
    const blocks: SqlResult[] = [];
    for await (const block of conn.fetchBlocks('SELECT * FROM ASNCDC."CDC_APP_ORDERS" FOR READ ONLY WITH UR', [], 10)) blocks.push(block);
    assert.deepEqual(blocks.map((b) => b.rows.length), [10, 10, 5]);
    assert.deepEqual(blocks.flatMap((b) => b.rows.map((r) => r[4])), rows.map((r) => r[4]));
    assert.deepEqual(server.calls.filter((c) => c.op === 'setAttr').map((c) => c.rowArraySize), [10]);
    assert.deepEqual(server.calls.filter((c) => c.op === 'fetchN').map((c) => c.rowArraySize), [10, 10, 10]);
    assert.equal(server.openStatements, 0);
    await conn.close();
  });

  it('fetches a result with a LOB column row by row, so block fetch\'s 64 KB buffers never cut a LOB', async () => {
    const big = 'x'.repeat(100_000);
    const server = new FakeDb2Server().on(/DOCS/, { columns: [{ name: 'ID', type: 'INTEGER' }, { name: 'BODY', type: 'CLOB', length: 1_048_576 }], rows: [[1, big], [2, 'short']] });
    const conn = await driverOn(server).connect(target);
    const got: SqlResult[] = [];
    for await (const block of conn.fetchBlocks('SELECT ID, BODY FROM DOCS', [], 50)) got.push(block);
    assert.equal(got[0].rows[0][1], big);
    assert.equal(server.calls.filter((c) => c.op === 'setAttr').length, 0);
    await conn.close();
  });

  it('closes the statement when the loop over blocks is left early', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i]);
    const server = new FakeDb2Server().on(/T/, { columns: [{ name: 'N', type: 'INTEGER' }], rows });
    const conn = await driverOn(server).connect(target);
    for await (const block of conn.fetchBlocks('SELECT N FROM T', [], 10)) {
      assert.equal(block.rows.length, 10);
      break;
    }
    assert.equal(server.openStatements, 0);
    await conn.close();
  });

  it('begins a unit of work at the SQL_TXN_* level of the isolation asked for, and commits / rolls back', async () => {
    const server = new FakeDb2Server().on(/REGISTER/, { columns: [{ name: 'N', type: 'INTEGER' }], rows: [[1]] });
    const conn = await driverOn(server).connect(target);
    await conn.begin('UR');
    await conn.query('SELECT 1 AS N FROM ASNCDC.IBMSNAP_REGISTER');
    await conn.commit();
    await conn.begin('RR');
    await conn.query('SELECT 1 AS N FROM ASNCDC.IBMSNAP_REGISTER');
    await conn.rollback();
    await conn.query('SELECT 1 AS N FROM ASNCDC.IBMSNAP_REGISTER');
    const seen = server.calls.filter((c) => ['setIsolationLevel', 'begin', 'execute', 'commit', 'rollback'].includes(c.op));
    assert.deepEqual(
      seen.map((c) => (c.op === 'execute' ? `execute@${c.isolation}${c.inTransaction ? ' in txn' : ' autocommit'}` : c.op === 'setIsolationLevel' ? `isolation ${c.isolation}` : c.op)),
      ['isolation 1', 'begin', 'execute@1 in txn', 'commit', 'isolation 8', 'begin', 'execute@8 in txn', 'rollback', 'execute@8 autocommit'],
    );
    await conn.close();
  });

  it('maps SQL30081N in the middle of a block fetch to a retriable CONNECTION_LOST, and fails every later call fast', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i]);
    const server = new FakeDb2Server().on(/T/, { columns: [{ name: 'N', type: 'INTEGER' }], rows });
    const conn = await driverOn(server).connect(target);
    const got: number[] = [];
    await assert.rejects(
      async () => {
        for await (const block of conn.fetchBlocks('SELECT N FROM T', [], 10)) {
          got.push(block.rows.length);
          server.dropConnections();
        }
      },
      (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_CONNECTION_LOST' && err.retriable && err.message.includes('SQL30081N') && err.message.includes('SAMPLE at db2.example:50000'),
    );
    assert.deepEqual(got, [10]);
    const preparesBefore = server.calls.filter((c) => c.op === 'prepare').length;
    await assert.rejects(conn.query('SELECT N FROM T'), { code: 'BANYAN_ERR_CDC_CONNECTION_LOST' });
    assert.equal(server.calls.filter((c) => c.op === 'prepare').length, preparesBefore, 'no call reaches a lost connection');
    await conn.close();
    // A new connection works again.
    const again = await driverOn(server).connect(target);
    assert.deepEqual((await again.query('SELECT N FROM T')).rows.length, 30);
    await again.close();
  });

  it('maps a failed connect and a failed statement to their codes, with the statement in the message', async () => {
    const server = new FakeDb2Server().on(/T/, { columns: [{ name: 'N', type: 'INTEGER' }], rows: [] });
    server.refuseConnections(db2Error(-30082, '08001', 'SQL30082N  Security processing failed with reason "24" ("USERNAME AND/OR PASSWORD INVALID").'));
    await assert.rejects(driverOn(server).connect(target), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_NOT_AUTHORIZED' && !err.retriable && err.message.startsWith('connect to SAMPLE at db2.example:50000 failed'));
    server.refuseConnections(undefined);
    const conn = await driverOn(server).connect(target);
    server.failNext(db2Error(-911, '40001', 'SQL0911N  The current transaction has been rolled back because of a deadlock or timeout.  Reason code "68".'));
    await assert.rejects(conn.query('SELECT N FROM T'), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_LOCK_CONFLICT' && err.retriable && err.message.includes('execute on SAMPLE at db2.example:50000: SELECT N FROM T'));
    // A lock conflict leaves the connection usable.
    assert.deepEqual((await conn.query('SELECT N FROM T')).rows, []);
    assert.equal(server.openStatements, 0);
    await conn.close();
    await assert.rejects(conn.query('SELECT N FROM T'), { code: 'BANYAN_ERR_CDC_CONNECTION_CLOSED' });
  });

  it('refuses a DECIMAL wider than 15 digits that the driver read through a double, naming the column and the remedy', async () => {
    const server = new FakeDb2Server().on(/BAL/, { columns: [{ name: 'BALANCE', type: 'DECIMAL', precision: 31, scale: 2 }], rows: [['12345678901234567890.12']] });
    const conn = await driverOn(server).connect(target);
    await assert.rejects(conn.query('SELECT BALANCE FROM BAL'), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_DECIMAL_INEXACT' && err.message.includes('column BALANCE') && err.message.includes('CHAR(BALANCE)'));
    await conn.close();
  });

  it('reads DECIMAL(31,2) exactly through the window SQL the reader builds: wide decimals selected as CHAR(col, \'.\')', async () => {
    const captured: CapturedColumn[] = [
      { name: 'ACCOUNT_ID', type: 'INTEGER' },
      { name: 'BALANCE', type: 'DECIMAL', length: 31, scale: 2 },
      { name: 'FEE', type: 'DECIMAL', length: 11, scale: 2 },
    ];
    const cdTable = { schema: 'ASNCDC', table: 'CDACCOUNT', columns: new Map(['IBMSNAP_COMMITSEQ', 'IBMSNAP_INTENTSEQ', 'IBMSNAP_OPERATION', ...captured.map((c) => c.name)].map((c) => [c, c])) };
    const uow = { schema: 'ASNCDC', table: 'IBMSNAP_UOW', columns: new Map([['IBMSNAP_COMMITSEQ', 'IBMSNAP_COMMITSEQ'], ['IBMSNAP_LOGMARKER', 'IBMSNAP_LOGMARKER']]) };
    const asText = exactTextColumns(captured);
    assert.deepEqual([...asText], ['BALANCE'], 'only the DECIMAL wider than 15 digits');
    const sql = platformSql('luw').changeWindow({ cd: cdTable, uow, captured: captured.map((c) => c.name), lower: 'exclusive', asText });
    assert.ok(sql.includes(`CHAR(CD."BALANCE", '.') AS "BALANCE"`) && sql.includes('CD."FEE"') && !sql.includes('CHAR(CD."FEE"'), sql);
    const values = ['12345678901234567890123456789.01', '-99999999999999999999999999999.99', '0.05', '-0.50'];
    const server = new FakeDb2Server().on(/CDACCOUNT/, {
      columns: [
        { name: 'IBMSNAP_COMMITSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
        { name: 'IBMSNAP_INTENTSEQ', type: 'VARCHAR', forBitData: true, length: 16 },
        { name: 'IBMSNAP_OPERATION', type: 'CHAR', length: 1 },
        { name: 'IBMSNAP_LOGMARKER', type: 'TIMESTAMP', precision: 26, scale: 6 },
        { name: 'ACCOUNT_ID', type: 'INTEGER' },
        { name: 'BALANCE', type: 'DECIMAL', precision: 31, scale: 2 },
        { name: 'FEE', type: 'DECIMAL', precision: 11, scale: 2 },
      ],
      rows: values.map((v, i) => [lsn(1), lsn(10 + i), 'I', '2026-12-02-17.01.02.123456', i, v, '1.25']),
    });
    const conn = await driverOn(server).connect(target);
    const map = createRowMapper(captured, { table: 'APP.ACCOUNT', lobMaxBytes: 1 << 20 });
    const read: unknown[] = [];
    for await (const block of conn.fetchBlocks(sql, [lsn(0), lsn(1)], 100)) for (const row of block.rows) read.push(map(row.slice(4)));
    await conn.close();
    assert.deepEqual(read, values.map((v, i) => ({ ACCOUNT_ID: i, BALANCE: v, FEE: '1.25' })));
    // The same column selected plainly comes as a double, and the adapter refuses it rather than lose digits.
    const plain = platformSql('luw').changeWindow({ cd: cdTable, uow, captured: captured.map((c) => c.name), lower: 'exclusive' });
    const again = await driverOn(server).connect(target);
    await assert.rejects(again.query(plain, [lsn(0), lsn(1)]), { code: 'BANYAN_ERR_CDC_DECIMAL_INEXACT' });
    await again.close();
  });

  it('reports a missing ibm_db as BANYAN_ERR_CDC_DRIVER_MISSING (the real import here: no CLI driver is built)', async () => {
    await assert.rejects(createIbmDbDriver().connect(target), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_DRIVER_MISSING' && err.message.includes('IBM_DB_HOME'));
  });
});
