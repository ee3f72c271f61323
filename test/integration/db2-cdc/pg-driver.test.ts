/**
 * The PostgreSQL stand-in's adapter against a real PostgreSQL server holding IBM's ASN tables: the
 * values reach the reader normalised as sql-port.ts says, block fetch yields bounded blocks in order,
 * and the driver's errors come out as the CDC error table's codes with the right retriable flag.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresDriver } from '../../../src/connectors/db2-cdc/pg-driver.ts';
import type { SqlConnection } from '../../../src/connectors/db2-cdc/sql-port.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';

let server: TestPostgres;
let conn: SqlConnection;

before(async () => {
  server = await startPostgres();
  await server.runSqlFile(new URL('../../fixtures/db2-cdc/asn-control-tables.sql', import.meta.url));
  conn = await createPostgresDriver().connect(server);
});
after(async () => {
  await conn?.close();
  await server?.stop();
});

describe('PostgreSQL driver adapter', () => {
  it('normalises values: bytea -> Buffer, int8/numeric as decimal text, small ints and doubles as numbers, timestamps with 6 digits, NULL -> null', async () => {
    const r = await conn.query(
      "SELECT '\\x00ff10'::bytea AS b, 9007199254740993::int8 AS big, -12345.670::numeric(10,3) AS dec, 7::int2 AS s, 42::int4 AS i, 0.5::float8 AS d, " +
        "'2026-01-02 03:04:05.12'::timestamp(6) AS ts, '2026-01-02 03:04:05'::timestamp AS whole, '2026-01-02'::date AS dt, '10:11:12'::time AS tm, 'AB'::char(4) AS c, NULL::varchar AS n",
    );
    assert.deepEqual(r.rows[0], [Buffer.from([0, 0xff, 0x10]), '9007199254740993', '-12345.670', 7, 42, 0.5, '2026-01-02 03:04:05.120000', '2026-01-02 03:04:05.000000', '2026-01-02', '10:11:12', 'AB  ', null]);
    assert.deepEqual(r.columns.map((c) => c.type), ['VARCHAR', 'BIGINT', 'DECIMAL', 'SMALLINT', 'INTEGER', 'DOUBLE', 'TIMESTAMP', 'TIMESTAMP', 'DATE', 'TIME', 'CHAR', 'VARCHAR']);
    assert.equal(r.columns[0]!.forBitData, true);
  });

  it('binds Buffer parameters as bytea and compares them bytewise, as Db2 compares FOR BIT DATA', async () => {
    const r = await conn.query('SELECT $1::bytea < $2::bytea, $1::bytea', [Buffer.from('00ff', 'hex'), Buffer.from('0100', 'hex')]);
    assert.deepEqual(r.rows[0], [1, Buffer.from('00ff', 'hex')]);
  });

  it('block-fetches a statement in blocks of at most blockRows rows, in order, inside and outside a unit of work', async () => {
    const sql = 'SELECT g FROM generate_series(1, $1::int) g ORDER BY g';
    const sizes: number[] = [];
    const seen: number[] = [];
    for await (const block of conn.fetchBlocks(sql, [25], 10)) {
      sizes.push(block.rows.length);
      seen.push(...block.rows.map((row) => row[0] as number));
    }
    assert.deepEqual(sizes, [10, 10, 5]);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i + 1));
    await conn.begin('UR');
    let first: number | undefined;
    for await (const block of conn.fetchBlocks(sql, [25], 10)) {
      first = block.rows[0]![0] as number;
      break; // leaving early closes the cursor
    }
    const again = await conn.query('SELECT 1');
    await conn.rollback();
    assert.equal(first, 1);
    assert.deepEqual(again.rows, [[1]]);
  });

  it('reports an unknown table as a non-retriable SQL error naming the SQLSTATE', async () => {
    await assert.rejects(conn.query('SELECT * FROM asncdc.no_such_table'), (err: { code: string; retriable: boolean; message: string }) => {
      assert.equal(err.code, 'BANYAN_ERR_CDC_OBJECT_UNKNOWN');
      assert.equal(err.retriable, false);
      assert.match(err.message, /42P01/);
      return true;
    });
  });

  it('reports a refused connection as a retriable connection loss', async () => {
    await assert.rejects(createPostgresDriver().connect({ ...server, port: 1 }), (err: { code: string; retriable: boolean }) => {
      assert.equal(err.code, 'BANYAN_ERR_CDC_CONNECTION_LOST');
      assert.equal(err.retriable, true);
      return true;
    });
  });

  it('reports a connection the server terminated as a retriable connection loss', async () => {
    const victim = await createPostgresDriver().connect(server);
    const pidRow = await victim.query('SELECT pg_backend_pid()');
    await conn.query('SELECT pg_terminate_backend($1)', [pidRow.rows[0]![0]!]);
    await assert.rejects(victim.query('SELECT 1'), (err: { code: string; retriable: boolean }) => {
      assert.equal(err.code, 'BANYAN_ERR_CDC_CONNECTION_LOST');
      assert.equal(err.retriable, true);
      return true;
    });
    await victim.close();
  });
});
