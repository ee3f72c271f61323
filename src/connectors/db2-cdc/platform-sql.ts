/**
 * The SQL text of every CDC query, per platform: Db2 for LUW, Db2 for z/OS, and the PostgreSQL
 * stand-in holding the same ASN tables. The reader never writes SQL itself; dialect differences stay
 * here (issue 14, "keep dialect differences in the platform layer").
 *
 * - LUW: `?` markers, `WITH UR` on reads (Db2 LUW SQL Reference, isolation-clause), catalog
 *   SYSCAT.COLUMNS, positions VARCHAR(16) FOR BIT DATA (16-byte LSNs since Db2 10.1).
 * - z/OS: `?` markers, `FOR READ ONLY WITH UR` (a read-only cursor is what DRDA block-fetches,
 *   Db2 for z/OS "Block fetch"; Debezium's ZOsPlatform.java adds the same clause), catalog
 *   SYSIBM.SYSCOLUMNS, positions CHAR(10) FOR BIT DATA (10-byte extended RBA/LRSN).
 * - postgres: `$n` markers, no isolation clause (PostgreSQL reads committed data only), catalog
 *   information_schema; positions bytea holding LUW's 16 bytes.
 *
 * Why UR on the CD tables too: ASN Capture inserts a commit interval's CD and UOW rows and advances
 * IBMSNAP_REGISTER.CD_NEW_SYNCHPOINT in one unit of work, so a reader that saw a synchpoint also
 * sees the rows at or below it, and every window is bounded by the synchpoint read first. UR takes no
 * locks Capture could wait on (IBM, "Capture program: locking and concurrency").
 *
 * Identifiers are quoted exactly as the catalog reports them (`ResolvedTable`), so tables created
 * with unquoted names (folded to upper case by Db2, to lower case by PostgreSQL) and with quoted
 * upper-case names both work.
 */

export type CdcPlatform = 'luw' | 'zos' | 'postgres';

/** A table and its columns as the catalog spells them: canonical (upper-case) name -> actual name. */
export interface ResolvedTable {
  readonly schema: string;
  readonly table: string;
  readonly columns: ReadonlyMap<string, string>;
}

/** The window of one CD table: `lower` is exclusive for a finished position, inclusive mid-transaction. */
export interface ChangeWindowQuery {
  readonly cd: ResolvedTable;
  readonly uow: ResolvedTable;
  /** Canonical names of the captured (source) columns to select, after the three IBMSNAP_ columns. */
  readonly captured: readonly string[];
  readonly lower: 'exclusive' | 'inclusive';
  /**
   * Captured columns (canonical names) to select as their decimal text: DECIMAL/NUMERIC wider than
   * a double's 15 exact digits, which ibm_db would otherwise hand over as a JS number (see
   * `exactTextColumns`). Db2 selects them as CHAR(col, '.'); PostgreSQL's driver already returns text.
   */
  readonly asText?: ReadonlySet<string>;
}

/** Result columns of `registerPoll`, in this order. */
export const REGISTER_POLL_COLUMNS = [
  'SOURCE_OWNER', 'SOURCE_TABLE', 'CD_OWNER', 'CD_TABLE', 'CD_NEW_SYNCHPOINT', 'CD_OLD_SYNCHPOINT',
  'SYNCHPOINT', 'SYNCHTIME', 'CHG_UPD_TO_DEL_INS', 'BEFORE_IMG_PREFIX', 'STATE', 'GLOBAL_RECORD',
] as const;

/** Result columns of `columnCatalog`, in this order (the same on every platform). */
export const CATALOG_COLUMNS = ['TABSCHEMA', 'TABNAME', 'COLNAME', 'TYPENAME', 'LENGTH', 'SCALE', 'COLNO', 'KEYSEQ', 'FOR_BIT_DATA'] as const;

export interface PlatformSql {
  readonly platform: CdcPlatform;
  /** Bytes of IBMSNAP_COMMITSEQ / IBMSNAP_INTENTSEQ: 16 (LUW, postgres), 10 (z/OS). */
  readonly positionBytes: number;
  /** Every register row (the global record included: few rows, one query per poll). */
  registerPoll(register: ResolvedTable): string;
  /** Debezium's max LSN: the highest of CD_NEW_SYNCHPOINT and SYNCHPOINT over the register. One column. */
  maxLsn(register: ResolvedTable): string;
  /**
   * A CD table's changes with COMMITSEQ in (lower, upper], ordered by (COMMITSEQ, INTENTSEQ), each row
   * with its commit time IBMSNAP_UOW.IBMSNAP_LOGMARKER (null when Capture wrote no UOW row).
   * Params: [lower, upper]. Columns: COMMITSEQ, INTENTSEQ, OPERATION, LOGMARKER, then `captured`.
   */
  changeWindow(q: ChangeWindowQuery): string;
  /** The oldest COMMITSEQ left in a CD table (no row when empty): the retention check. One column. */
  minPosition(cd: ResolvedTable): string;
  /** Columns of one table with their type, primary-key sequence and FOR BIT DATA flag. Params: [schema, table]. */
  columnCatalog(): string;
  /**
   * One chunk of a snapshot read of a source table, in key order after the last key read (keyset
   * paging: `k1 > ? OR (k1 = ? AND k2 > ?) ...`, which every platform's optimiser turns into an
   * index range). Params: the last key's values as the predicate lists them, none for the first chunk.
   */
  snapshotChunk(q: SnapshotChunkQuery): string;
}

export interface SnapshotChunkQuery {
  readonly source: ResolvedTable;
  /** Canonical names of the columns to select (the captured columns). */
  readonly columns: readonly string[];
  /** Canonical names of the key columns, in key order. */
  readonly key: readonly string[];
  readonly after: boolean;
  readonly rows: number;
  /** As ChangeWindowQuery.asText. */
  readonly asText?: ReadonlySet<string>;
}

/** Significant decimal digits a binary double always holds exactly (C's DBL_DIG). */
export const EXACT_DOUBLE_DIGITS = 15;

/**
 * The columns whose values a double cannot hold: DECIMAL/NUMERIC with more than 15 digits of
 * precision. ibm_db reads every DECIMAL through SQL_C_DOUBLE and there is no CLI keyword to describe
 * it as character data (as MapDecimalFloatDescribe does for DECFLOAT), so the SQL asks for the text.
 */
export function exactTextColumns(columns: readonly { readonly name: string; readonly type: string; readonly length?: number }[]): Set<string> {
  const out = new Set<string>();
  for (const c of columns) {
    const type = c.type.toUpperCase().replace(/\s*\(.*\)$/, '').trim();
    if ((type === 'DECIMAL' || type === 'NUMERIC') && (c.length === undefined || c.length > EXACT_DOUBLE_DIGITS)) out.add(c.name);
  }
  return out;
}

/** The parameters of `snapshotChunk` for the last key read: the predicate's order (k1, k1, k2, k1, k2, k3, ...). */
export function snapshotChunkParams<T>(lastKey: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < lastKey.length; i++) out.push(...lastKey.slice(0, i + 1));
  return out;
}

export function platformSql(platform: CdcPlatform): PlatformSql {
  return PLATFORMS[platform];
}

/** Db2: ordinary identifiers quoted (Db2 SQL Reference, "Identifiers": `""` escapes a quote). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function db2Like(platform: 'luw' | 'zos', positionBytes: number, readClause: string, catalog: string): PlatformSql {
  const marker = () => '?';
  // CHAR(decimal, '.'): the digits with '.' whatever the database's territory (no ',' from a
  // German or Russian code set), padded with blanks that column-values.ts trims.
  const asText = (expr: string, name: string) => `CHAR(${expr}, '.') AS ${name}`;
  // Snapshot chunks (initial and incremental) read committed data, cursor stability said in the
  // statement rather than left to the package's bind or the client's TxnIsolation (which a DBA may
  // set to UR): an uncommitted row written as `op: r` whose transaction then rolls back would stay
  // in the topic, as no change event ever undoes it. Whatever committed after the row was read is
  // streamed after it, so the final state per key is right.
  const snapshotClause = platform === 'zos' ? 'FOR READ ONLY WITH CS' : 'WITH CS';
  return {
    snapshotChunk: (q) => `${chunkSelect(q, marker, asText)}${snapshotClause ? ` ${snapshotClause}` : ''}`,
    platform,
    positionBytes,
    registerPoll: (r) => `${registerSelect(r)} ${readClause}`,
    maxLsn: (r) => `${maxLsnSelect(r)} ${readClause}`,
    changeWindow: (q) => `${windowSelect(q, marker, asText)} ${readClause}`,
    minPosition: (cd) => `${minSelect(cd)} ${readClause}`,
    columnCatalog: () => `${catalog} ${readClause}`,
  };
}

const LUW_CATALOG =
  'SELECT TABSCHEMA, TABNAME, COLNAME, TYPENAME, LENGTH, SCALE, COLNO, KEYSEQ, ' +
  // SYSCAT.COLUMNS.CODEPAGE is 0 for FOR BIT DATA character columns (Db2 LUW catalog views).
  "CASE WHEN CODEPAGE = 0 AND TYPENAME IN ('CHARACTER', 'VARCHAR', 'LONG VARCHAR') THEN 'Y' ELSE 'N' END AS FOR_BIT_DATA " +
  'FROM SYSCAT.COLUMNS WHERE TABSCHEMA = ? AND TABNAME = ? ORDER BY COLNO';

const ZOS_CATALOG =
  'SELECT TBCREATOR AS TABSCHEMA, TBNAME AS TABNAME, NAME AS COLNAME, COLTYPE AS TYPENAME, LENGTH, SCALE, COLNO, KEYSEQ, ' +
  // SYSIBM.SYSCOLUMNS.FOREIGNKEY is 'B' for FOR BIT DATA columns (Db2 for z/OS catalog tables).
  "CASE WHEN FOREIGNKEY = 'B' THEN 'Y' ELSE 'N' END AS FOR_BIT_DATA " +
  'FROM SYSIBM.SYSCOLUMNS WHERE TBCREATOR = ? AND TBNAME = ? ORDER BY COLNO';

/**
 * information_schema in Db2's catalog shape; names matched without regard to case (see the header).
 * KEYSEQ: the column's place in the primary key, from key_column_usage.
 */
const POSTGRES_CATALOG =
  'SELECT c.table_schema AS "TABSCHEMA", c.table_name AS "TABNAME", c.column_name AS "COLNAME", c.data_type AS "TYPENAME", ' +
  // SCALE: Db2's catalog keeps a TIMESTAMP's fractional digits there (SYSCAT.COLUMNS.SCALE).
  'COALESCE(c.character_maximum_length, c.numeric_precision, c.datetime_precision) AS "LENGTH", COALESCE(c.numeric_scale, c.datetime_precision) AS "SCALE", ' +
  'c.ordinal_position AS "COLNO", k.ordinal_position AS "KEYSEQ", ' +
  `CASE WHEN c.data_type = 'bytea' THEN 'Y' ELSE 'N' END AS "FOR_BIT_DATA" ` +
  'FROM information_schema.columns c ' +
  'LEFT JOIN (SELECT u.table_schema, u.table_name, u.column_name, u.ordinal_position FROM information_schema.table_constraints t ' +
  'JOIN information_schema.key_column_usage u ON u.constraint_schema = t.constraint_schema AND u.constraint_name = t.constraint_name ' +
  "WHERE t.constraint_type = 'PRIMARY KEY') k " +
  'ON k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name ' +
  'WHERE upper(c.table_schema) = upper($1) AND upper(c.table_name) = upper($2) ORDER BY c.ordinal_position';

const PLATFORMS: Record<CdcPlatform, PlatformSql> = {
  luw: db2Like('luw', 16, 'WITH UR', LUW_CATALOG),
  zos: db2Like('zos', 10, 'FOR READ ONLY WITH UR', ZOS_CATALOG),
  postgres: {
    platform: 'postgres',
    positionBytes: 16,
    registerPoll: registerSelect,
    // PostgreSQL has no MAX/MIN over bytea: the highest synchpoint by ORDER BY instead.
    maxLsn: (r) => `${maxLsnSelect(r).replace('SELECT MAX(T.SYNCHPOINT) FROM', 'SELECT T.SYNCHPOINT FROM')} WHERE T.SYNCHPOINT IS NOT NULL ORDER BY T.SYNCHPOINT DESC FETCH FIRST 1 ROWS ONLY`,
    changeWindow: (q) => windowSelect(q, (i) => `$${i}`),
    minPosition: minSelect,
    columnCatalog: () => POSTGRES_CATALOG,
    snapshotChunk: (q) => chunkSelect(q, (i) => `$${i}`),
  },
};

function registerSelect(r: ResolvedTable): string {
  return `SELECT ${REGISTER_POLL_COLUMNS.map((c) => col(r, c)).join(', ')} FROM ${tableOf(r)}`;
}

function maxLsnSelect(r: ResolvedTable): string {
  // Debezium LuwPlatform.getMaxLsnQuery: both synchpoints of every register row.
  return `SELECT MAX(T.SYNCHPOINT) FROM (SELECT ${col(r, 'CD_NEW_SYNCHPOINT')} AS SYNCHPOINT FROM ${tableOf(r)} ` +
    `UNION ALL SELECT ${col(r, 'SYNCHPOINT')} AS SYNCHPOINT FROM ${tableOf(r)}) T`;
}

/** How a platform selects a column as its decimal text (`expr`, named `name`); absent: as it is. */
type AsText = (expr: string, name: string) => string;

function windowSelect(q: ChangeWindowQuery, marker: (i: number) => string, asText?: AsText): string {
  const cd = (c: string) => `CD.${col(q.cd, c)}`;
  const captured = (c: string) => (asText && q.asText?.has(c) ? asText(cd(c), col(q.cd, c)) : cd(c));
  const selected = [cd('IBMSNAP_COMMITSEQ'), cd('IBMSNAP_INTENTSEQ'), cd('IBMSNAP_OPERATION'), `U.${col(q.uow, 'IBMSNAP_LOGMARKER')}`, ...q.captured.map(captured)];
  return `SELECT ${selected.join(', ')} FROM ${tableOf(q.cd)} CD ` +
    `LEFT OUTER JOIN ${tableOf(q.uow)} U ON U.${col(q.uow, 'IBMSNAP_COMMITSEQ')} = ${cd('IBMSNAP_COMMITSEQ')} ` +
    `WHERE ${cd('IBMSNAP_COMMITSEQ')} ${q.lower === 'exclusive' ? '>' : '>='} ${marker(1)} AND ${cd('IBMSNAP_COMMITSEQ')} <= ${marker(2)} ` +
    `ORDER BY ${cd('IBMSNAP_COMMITSEQ')}, ${cd('IBMSNAP_INTENTSEQ')}`;
}

/** The first row by the CD table's unique (COMMITSEQ, INTENTSEQ) index: no scan (and PostgreSQL has no MIN(bytea)). */
function chunkSelect(q: SnapshotChunkQuery, marker: (i: number) => string, asText?: AsText): string {
  let n = 0;
  const k = (i: number) => col(q.source, q.key[i]!);
  const terms = q.key.map((_, i) => {
    const eq = q.key.slice(0, i).map((__, j) => `${k(j)} = ${marker(++n)}`);
    return `(${[...eq, `${k(i)} > ${marker(++n)}`].join(' AND ')})`;
  });
  const selected = (c: string) => (asText && q.asText?.has(c) ? asText(col(q.source, c), col(q.source, c)) : col(q.source, c));
  return `SELECT ${q.columns.map(selected).join(', ')} FROM ${tableOf(q.source)}` +
    `${q.after ? ` WHERE ${terms.join(' OR ')}` : ''} ORDER BY ${q.key.map((_, i) => k(i)).join(', ')} FETCH FIRST ${q.rows} ROWS ONLY`;
}

function minSelect(cd: ResolvedTable): string {
  const c = col(cd, 'IBMSNAP_COMMITSEQ');
  return `SELECT ${c} FROM ${tableOf(cd)} ORDER BY ${c} FETCH FIRST 1 ROWS ONLY`;
}

function tableOf(t: ResolvedTable): string {
  return `${quoteIdentifier(t.schema)}.${quoteIdentifier(t.table)}`;
}

/** The actual name of a canonical column; a column the catalog does not list is quoted as given (the database then names it in its error). */
function col(t: ResolvedTable, canonical: string): string {
  return quoteIdentifier(t.columns.get(canonical) ?? canonical);
}
