import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformSql, quoteIdentifier, snapshotChunkParams, type CdcPlatform, type ResolvedTable } from '../../../../src/connectors/db2-cdc/platform-sql.ts';

/** Catalog names as Db2 reports them (upper case) or as PostgreSQL does for unquoted DDL (lower case). */
function table(schema: string, name: string, columns: readonly string[], fold: (s: string) => string = (s) => s): ResolvedTable {
  return { schema: fold(schema), table: fold(name), columns: new Map(columns.map((c) => [c, fold(c)])) };
}
const REGISTER = ['SOURCE_OWNER', 'SOURCE_TABLE', 'CD_OWNER', 'CD_TABLE', 'CD_NEW_SYNCHPOINT', 'CD_OLD_SYNCHPOINT', 'SYNCHPOINT', 'SYNCHTIME', 'CHG_UPD_TO_DEL_INS', 'BEFORE_IMG_PREFIX', 'STATE', 'GLOBAL_RECORD'];
const CD = ['IBMSNAP_COMMITSEQ', 'IBMSNAP_INTENTSEQ', 'IBMSNAP_OPERATION', 'ID', 'NAME'];
const UOW = ['IBMSNAP_UOWID', 'IBMSNAP_COMMITSEQ', 'IBMSNAP_LOGMARKER'];

const cases: ReadonlyArray<{ platform: CdcPlatform; marker1: string; marker2: string; tail: string; bytes: number; catalog: RegExp }> = [
  { platform: 'luw', marker1: '?', marker2: '?', tail: ' WITH UR', bytes: 16, catalog: /FROM SYSCAT\.COLUMNS WHERE TABSCHEMA = \? AND TABNAME = \? ORDER BY COLNO WITH UR$/ },
  { platform: 'zos', marker1: '?', marker2: '?', tail: ' FOR READ ONLY WITH UR', bytes: 10, catalog: /FROM SYSIBM\.SYSCOLUMNS WHERE TBCREATOR = \? AND TBNAME = \? ORDER BY COLNO FOR READ ONLY WITH UR$/ },
  { platform: 'postgres', marker1: '$1', marker2: '$2', tail: '', bytes: 16, catalog: /FROM information_schema\.columns c .*WHERE upper\(c\.table_schema\) = upper\(\$1\) AND upper\(c\.table_name\) = upper\(\$2\) ORDER BY c\.ordinal_position$/ },
];

describe('CDC platform SQL', () => {
  for (const c of cases) {
    describe(c.platform, () => {
      const sql = platformSql(c.platform);
      const register = table('ASNCDC', 'IBMSNAP_REGISTER', REGISTER);
      const cd = table('ASNCDC', 'CDC_GW_MEMBER', CD);
      const uow = table('ASNCDC', 'IBMSNAP_UOW', UOW);

      it(`positions are ${c.bytes} bytes`, () => assert.equal(sql.positionBytes, c.bytes));

      it('polls every register row with the synchpoints, the update-as-delete/insert flag and the state', () => {
        assert.equal(
          sql.registerPoll(register),
          'SELECT "SOURCE_OWNER", "SOURCE_TABLE", "CD_OWNER", "CD_TABLE", "CD_NEW_SYNCHPOINT", "CD_OLD_SYNCHPOINT", "SYNCHPOINT", "SYNCHTIME", ' +
            `"CHG_UPD_TO_DEL_INS", "BEFORE_IMG_PREFIX", "STATE", "GLOBAL_RECORD" FROM "ASNCDC"."IBMSNAP_REGISTER"${c.tail}`,
        );
      });

      it('takes the max LSN over both synchpoints of the register (Debezium getMaxLsnQuery)', () => {
        const union = '(SELECT "CD_NEW_SYNCHPOINT" AS SYNCHPOINT FROM "ASNCDC"."IBMSNAP_REGISTER" UNION ALL SELECT "SYNCHPOINT" AS SYNCHPOINT FROM "ASNCDC"."IBMSNAP_REGISTER") T';
        assert.equal(
          sql.maxLsn(register),
          c.platform === 'postgres'
            ? `SELECT T.SYNCHPOINT FROM ${union} WHERE T.SYNCHPOINT IS NOT NULL ORDER BY T.SYNCHPOINT DESC FETCH FIRST 1 ROWS ONLY`
            : `SELECT MAX(T.SYNCHPOINT) FROM ${union}${c.tail}`,
        );
      });

      it('reads a CD window after a finished position, joined to IBMSNAP_UOW for the commit time, in (COMMITSEQ, INTENTSEQ) order', () => {
        assert.equal(
          sql.changeWindow({ cd, uow, captured: ['ID', 'NAME'], lower: 'exclusive' }),
          'SELECT CD."IBMSNAP_COMMITSEQ", CD."IBMSNAP_INTENTSEQ", CD."IBMSNAP_OPERATION", U."IBMSNAP_LOGMARKER", CD."ID", CD."NAME" ' +
            'FROM "ASNCDC"."CDC_GW_MEMBER" CD LEFT OUTER JOIN "ASNCDC"."IBMSNAP_UOW" U ON U."IBMSNAP_COMMITSEQ" = CD."IBMSNAP_COMMITSEQ" ' +
            `WHERE CD."IBMSNAP_COMMITSEQ" > ${c.marker1} AND CD."IBMSNAP_COMMITSEQ" <= ${c.marker2} ` +
            `ORDER BY CD."IBMSNAP_COMMITSEQ", CD."IBMSNAP_INTENTSEQ"${c.tail}`,
        );
      });

      it('includes the position commit in the window when resuming inside a transaction', () => {
        assert.match(sql.changeWindow({ cd, uow, captured: ['ID'], lower: 'inclusive' }), /WHERE CD\."IBMSNAP_COMMITSEQ" >= /);
      });

      it('asks for the oldest COMMITSEQ left in a CD table (retention)', () => {
        assert.equal(sql.minPosition(cd), `SELECT "IBMSNAP_COMMITSEQ" FROM "ASNCDC"."CDC_GW_MEMBER" ORDER BY "IBMSNAP_COMMITSEQ" FETCH FIRST 1 ROWS ONLY${c.tail}`);
      });

      it('reads a snapshot chunk in key order after the last key (keyset paging), with cursor stability', () => {
        const source = table('GW', 'CLAIM', ['CLAIM_ID', 'LINE', 'AMOUNT']);
        const m = (i: number) => (c.marker1 === '?' ? '?' : `$${i}`);
        // Cursor stability said explicitly (never UR: a row of a transaction that rolls back would stay as op r).
        const ro = { luw: ' WITH CS', zos: ' FOR READ ONLY WITH CS', postgres: '' }[c.platform];
        assert.equal(sql.snapshotChunk({ source, columns: ['CLAIM_ID', 'LINE', 'AMOUNT'], key: ['CLAIM_ID'], after: false, rows: 500 }), `SELECT "CLAIM_ID", "LINE", "AMOUNT" FROM "GW"."CLAIM" ORDER BY "CLAIM_ID" FETCH FIRST 500 ROWS ONLY${ro}`);
        assert.equal(
          sql.snapshotChunk({ source, columns: ['AMOUNT'], key: ['CLAIM_ID', 'LINE'], after: true, rows: 10 }),
          `SELECT "AMOUNT" FROM "GW"."CLAIM" WHERE ("CLAIM_ID" > ${m(1)}) OR ("CLAIM_ID" = ${m(2)} AND "LINE" > ${m(3)}) ORDER BY "CLAIM_ID", "LINE" FETCH FIRST 10 ROWS ONLY${ro}`,
        );
        assert.deepEqual(snapshotChunkParams([7, 3]), [7, 7, 3]);
      });

      it('reads the column catalog in one shape with the key sequence and FOR BIT DATA flag', () => {
        const text = sql.columnCatalog();
        assert.match(text, c.catalog);
        for (const name of ['TABSCHEMA', 'TABNAME', 'COLNAME', 'TYPENAME', 'LENGTH', 'SCALE', 'COLNO', 'KEYSEQ', 'FOR_BIT_DATA']) assert.match(text, new RegExp(`\\b${name}\\b`));
        assert.equal(text.split(c.marker1 === '?' ? '?' : /\$\d/).length - 1, 2, 'two parameters: schema, table');
      });
    });
  }

  it('quotes the names the catalog reports, so lower-case PostgreSQL tables work with the same code', () => {
    const lower = table('ASNCDC', 'CDC_GW_MEMBER', CD, (s) => s.toLowerCase());
    const uow = table('ASNCDC', 'IBMSNAP_UOW', UOW, (s) => s.toLowerCase());
    assert.match(platformSql('postgres').changeWindow({ cd: lower, uow, captured: ['ID'], lower: 'exclusive' }), /^SELECT CD\."ibmsnap_commitseq", .* FROM "asncdc"\."cdc_gw_member" CD /);
  });

  it('escapes quotes inside identifiers by doubling them', () => {
    assert.equal(quoteIdentifier('A"B'), '"A""B"');
  });
});
