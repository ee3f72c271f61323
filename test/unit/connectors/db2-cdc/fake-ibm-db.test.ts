import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeDb2Server, type FakeDatabase, type FakeResult, type FakeStatement } from '../../../support/fake-ibm-db.ts';

/** The fake must behave like ibm_db where the adapter (and a reader of its tests) relies on it. */
describe('fake ibm_db', () => {
  const table = { columns: [{ name: 'N', type: 'INTEGER' }, { name: 'TS', type: 'TIMESTAMP', scale: 6 }], rows: [[1, '2026-12-02-17.01.02.123456'], [2, '2026-12-02-17.01.03.000000'], [3, null]] } as const;

  it('offers the callback forms next to the promise forms (open, prepare, execute, fetchN)', async () => {
    const ibmdb = new FakeDb2Server().on(/T/, table).module();
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      ibmdb.open('DATABASE=X;', (err, db?: FakeDatabase) => {
        if (err || !db) return reject(err);
        db.prepare('SELECT N, TS FROM T', (err2, stmt?: FakeStatement) => {
          if (err2 || !stmt) return reject(err2);
          stmt.execute((err3: Error | null, result?: FakeResult) => {
            if (err3 || !result) return reject(err3);
            result.fetchN(2, { fetchMode: 3 }, (err4, got) => (err4 ? reject(err4) : resolve(got ?? [])));
          });
        });
      });
    });
    assert.equal(rows.length, 2);
  });

  it('returns TIMESTAMP as a millisecond Date without MapTimestampDescribe=1, and as Db2 text with it', async () => {
    const server = new FakeDb2Server().on(/T/, table);
    for (const [connStr, expected] of [
      ['DATABASE=X;', new Date(Date.UTC(2026, 11, 2, 17, 1, 2, 123))],
      ['DATABASE=X;MapTimestampDescribe=1;', '2026-12-02-17.01.02.123456'],
    ] as const) {
      const db = (await server.module().open(connStr))!;
      const stmt = (await db.prepare('SELECT N, TS FROM T'))!;
      const result = (await stmt.execute([]))!;
      const rows = (await result.fetchAll({ fetchMode: 3 })) as unknown[][];
      assert.deepEqual(rows[0][1], expected);
      result.closeSync();
      stmt.closeSync();
      await db.close();
    }
  });

  it('checks the parameter marker count (SQL0313N) and the VARBINARY form of binary parameters', async () => {
    const server = new FakeDb2Server().on(/T/, table);
    const db = (await server.module().open('DATABASE=X;'))!;
    const stmt = (await db.prepare('SELECT N FROM T WHERE A = ? AND B = ?'))!;
    await assert.rejects(async () => stmt.execute(['x']), { sqlcode: -313, sqlstate: '07004' });
    await assert.rejects(async () => stmt.execute(['x', Buffer.from('01', 'hex')]), /VARBINARY/);
    const result = (await stmt.execute(['x', { ParamType: 'INPUT', CType: 'BINARY', SQLType: 'VARBINARY', Data: Buffer.from('01', 'hex') }]))!;
    assert.equal(((await result.fetchN(10, { fetchMode: 3 })) as unknown[]).length, 3);
    await assert.rejects(result.fetchN(0) as Promise<unknown>, { message: 'fetchN(): count must be a positive integer.' });
    result.closeSync();
    stmt.closeSync();
    await db.close();
  });

  it('fails every call on a dropped connection with SQL30081N, sqlcode -30081, SQLSTATE 08001', async () => {
    const server = new FakeDb2Server().on(/T/, table);
    const db = (await server.module().open('DATABASE=X;'))!;
    server.dropConnections();
    await assert.rejects(db.prepare('SELECT N FROM T')!, (err: Error & { sqlcode: number; sqlstate: string }) => err.sqlcode === -30081 && err.sqlstate === '08001' && err.message.includes('SQL30081N'));
    assert.throws(() => db.setIsolationLevel(1), { sqlcode: -30081 });
  });
});
