/**
 * The reader's database side: one connection through the SQL port, the queries of the platform
 * layer, nothing else. At open it resolves the control tables and each captured table (register
 * row, CD table columns, entity key); then each poll reads the register once (UR), and a change
 * window touches only the CD tables whose CD_NEW_SYNCHPOINT moved past the window's start, block
 * fetching them inside one UR unit of work that is rolled back afterwards (Debezium does the same, so
 * the DBA can still deactivate a registration).
 *
 * Every statement reports `queried` (what, rows, ms): queries per minute and rows per query are
 * what the mainframe's cost is made of.
 */
import type { CapturedColumn, CapturedTable } from './captured-table.ts';
import { createRowMapper } from './column-values.ts';
import { trackSchema, type SchemaChangeEvent, type TableSchema } from './schema-tracker.ts';
import type { CdcPosition } from './change-event.ts';
import { CONNECTOR_VERSION } from './change-stream.ts';
import { mergeChanges, tableChanges, type CdRow, type TableChange, type UnreadableRow } from './change-stream.ts';
import { CdcErrors } from './errors.ts';
import { CATALOG_COLUMNS, exactTextColumns, REGISTER_POLL_COLUMNS, snapshotChunkParams, type PlatformSql, type ResolvedTable } from './platform-sql.ts';
import type { SqlConnection, SqlConnectOptions, SqlDriver, SqlValue } from './sql-port.ts';

export type CdcStatement = 'catalog' | 'register' | 'window' | 'min_position' | 'snapshot';

export interface CdcReaderEvents {
  queried?(e: { readonly statement: CdcStatement; readonly rows: number; readonly ms: number }): void;
}

export interface CdcReaderOptions {
  readonly driver: SqlDriver;
  readonly connect: SqlConnectOptions;
  readonly sql: PlatformSql;
  readonly captureSchema: string;
  /** `SCHEMA.TABLE` names to capture. */
  readonly tables: readonly string[];
  /** Entity key columns per table; default the source table's primary key. */
  readonly keys?: Readonly<Record<string, readonly string[]>>;
  readonly topicOf: (schema: string, table: string) => string;
  readonly blockRows: number;
  /** Largest CLOB/BLOB/XML value carried in an event (column-values.ts). */
  readonly lobMaxBytes: number;
  readonly events?: CdcReaderEvents;
  /** The bridge name and database, for schema-change events. */
  readonly bridge?: string;
  /** What the last checkpoint says each table's columns were (schema-tracker.ts); absent: first start. */
  readonly previousSchemas?: CdcPosition['schemas'];
  /** Where events with a changed column set start (the checkpoint's commit_lsn). */
  readonly resumeLsn?: string | null;
}

/** What one register poll says: the highest synchpoint, and each captured table's CD_NEW_SYNCHPOINT. */
export interface RegisterState {
  /** Hex of the max LSN (Debezium's: both synchpoints over all rows); null before Capture's first commit. */
  readonly maxLsn: string | null;
  readonly cdNewSynchpoint: ReadonlyMap<string, string | null>;
  /**
   * Per captured table, CD_OLD_SYNCHPOINT and STATE as one text: Capture stamps CD_OLD_SYNCHPOINT
   * when it (re)starts capturing a registration (the DBA's reinit after an ALTER), so a change here
   * is the cheap hint that a CD table's columns may have changed.
   */
  readonly registration: ReadonlyMap<string, { readonly oldSynchpoint: string | null; readonly state: string }>;
}

/** A CD table whose columns differ from the ones the reader reads with (found by `checkSchemas`). */
export interface PendingSchemaChange {
  readonly table: string;
  /** A column is gone: a window with the old column list would fail, so the change applies at once. */
  readonly drops: boolean;
}

export interface CdcReader {
  readonly tables: readonly CapturedTable[];
  /** The lowest position (all zero bytes), where a database Capture never ran stands. */
  readonly zeroPosition: string;
  /** Each table's column set and version the reader reads with now (a new object after `applySchemas`). */
  readonly schemas: Readonly<Record<string, TableSchema>>;
  /** Each table's CD_OLD_SYNCHPOINT/STATE as read at open, before its columns (see RegisterState). */
  readonly registration: RegisterState['registration'];
  /** Column changes found at open against `previousSchemas`: one event per changed table. */
  readonly schemaChanges: readonly SchemaChangeEvent[];
  pollRegister(): Promise<RegisterState>;
  /**
   * Re-reads every CD table's columns (one catalog query per table) and compares them with the ones
   * the reader reads with. Nothing changes until `applySchemas`: windows up to the change's position
   * are still read with the old columns and version.
   */
  checkSchemas(): Promise<readonly PendingSchemaChange[]>;
  /** Reads with the new columns from here on (version + 1); one schema-change event per table, at `commitLsn`. */
  applySchemas(commitLsn: string | null): SchemaChangeEvent[];
  /**
   * Changes of all tables with COMMITSEQ in (after, upTo] (`inclusive`: [after, upTo]) in commit
   * order. Only tables whose CD_NEW_SYNCHPOINT is past `after` are queried. Leaving the loop early
   * closes the cursors; the unit of work ends when the iteration does.
   */
  window(after: string | null, lower: 'exclusive' | 'inclusive', upTo: string, register: RegisterState): AsyncIterable<TableChange | UnreadableRow>;
  /** The oldest COMMITSEQ left per CD table (null: empty), for the retention check. */
  minPositions(): Promise<ReadonlyMap<string, string | null>>;
  /** Up to `rows` rows of a source table in key order after `lastKey` (null: from the start), values in `columns` order. */
  snapshotChunk(table: CapturedTable, lastKey: readonly SqlValue[] | null, rows: number): Promise<readonly (readonly SqlValue[])[]>;
  close(): Promise<void>;
}

export async function openCdcReader(o: CdcReaderOptions): Promise<CdcReader> {
  const conn = await o.driver.connect(o.connect);
  try {
    return await readerOn(conn, o);
  } catch (err) {
    await conn.close().catch(() => {});
    throw err;
  }
}

async function readerOn(conn: SqlConnection, o: CdcReaderOptions): Promise<CdcReader> {
  const timed = async <T extends { rows: readonly unknown[] }>(statement: CdcStatement, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const r = await run();
    o.events?.queried?.({ statement, rows: r.rows.length, ms: performance.now() - started });
    return r;
  };
  const catalog = async (schema: string, table: string) => (await timed('catalog', () => conn.query(o.sql.columnCatalog(), [schema, table]))).rows.map(catalogRow);
  const control = async (table: string): Promise<ResolvedTable> => {
    const cols = await catalog(o.captureSchema, table);
    if (cols.length === 0) throw new CdcErrors.BANYAN_ERR_CDC_CONTROL_TABLE_MISSING(o.captureSchema, table);
    return resolved(cols);
  };
  const register = await control('IBMSNAP_REGISTER');
  const uow = await control('IBMSNAP_UOW');
  const registerRows = async () => (await timed('register', () => conn.query(o.sql.registerPoll(register)))).rows;

  const tables: CapturedTable[] = [];
  const rows = await registerRows();
  for (const name of o.tables) {
    const [schema, table] = name.split('.') as [string, string];
    const reg = rows.find((r) => !isGlobal(r) && text(r[0]).toUpperCase() === schema.toUpperCase() && text(r[1]).toUpperCase() === table.toUpperCase());
    if (!reg) throw new CdcErrors.BANYAN_ERR_CDC_NOT_REGISTERED(name, o.captureSchema, schema, table);
    const cdOwner = text(reg[2]);
    const cdTable = text(reg[3]);
    const cdCols = await catalog(cdOwner, cdTable);
    if (cdCols.length === 0) throw new CdcErrors.BANYAN_ERR_CDC_CD_TABLE_MISSING(cdOwner, cdTable, name);
    const cd = resolved(cdCols);
    for (const required of ['IBMSNAP_COMMITSEQ', 'IBMSNAP_INTENTSEQ', 'IBMSNAP_OPERATION']) {
      if (!cd.columns.has(required)) throw new CdcErrors.BANYAN_ERR_CDC_CD_COLUMN_MISSING(cd.schema, cd.table, required);
    }
    tables.push(capturedTable(name, schema, table, cd, cdCols, reg, await catalog(schema, table), o));
  }
  const zero = Buffer.alloc(o.sql.positionBytes).toString('hex');
  // A changed column set (DBA's ALTER + reinit) is detected here, at open: a window naming a dropped
  // column fails, the bridge reopens, and the catalog read here says what changed. Never silent.
  let schemas: Record<string, TableSchema> = {};
  const schemaChanges: SchemaChangeEvent[] = [];
  for (const [i, t] of tables.entries()) {
    const previous = o.previousSchemas?.[t.name];
    const decision = trackSchema(t.name, previous ? { table: t.name, version: previous.version, columns: previous.columns } : undefined, t.columns, {
      connectorVersion: CONNECTOR_VERSION, bridge: o.bridge ?? '', database: o.connect.database, commitLsn: o.resumeLsn ?? null, nowMs: Date.now(),
    });
    schemas[t.name] = decision.schema;
    if (decision.event) schemaChanges.push(decision.event);
    tables[i] = { ...t, schemaVersion: decision.schema.version };
  }

  /** The latest register row per table (its BEFORE_IMG_PREFIX and CHG_UPD_TO_DEL_INS rebuild a changed table). */
  const registerOf = new Map<string, readonly SqlValue[]>();
  for (const t of tables) {
    const reg = rows.find((r) => !isGlobal(r) && text(r[0]).toUpperCase() === t.schema.toUpperCase() && text(r[1]).toUpperCase() === t.table.toUpperCase());
    if (reg) registerOf.set(t.name, reg);
  }
  const registrationOf = (all: readonly (readonly SqlValue[])[]) => {
    const out = new Map<string, { oldSynchpoint: string | null; state: string }>();
    for (const t of tables) {
      const r = all.find((x) => !isGlobal(x) && text(x[0]).toUpperCase() === t.schema.toUpperCase() && text(x[1]).toUpperCase() === t.table.toUpperCase());
      if (r) out.set(t.name, { oldSynchpoint: hexOf(r[REGISTER_POLL_COLUMNS.indexOf('CD_OLD_SYNCHPOINT')]), state: text(r[REGISTER_POLL_COLUMNS.indexOf('STATE')] ?? null).trim() });
    }
    return out;
  };
  /** Tables rebuilt on the CD table's new columns, waiting for `applySchemas`. */
  let pending = new Map<string, CapturedTable>();

  return {
    tables,
    zeroPosition: zero,
    get schemas() {
      return schemas;
    },
    schemaChanges,
    registration: registrationOf(rows),
    async checkSchemas() {
      pending = new Map();
      const out: PendingSchemaChange[] = [];
      for (const t of tables) {
        const cdCols = await catalog(t.cd.schema, t.cd.table);
        if (cdCols.length === 0) throw new CdcErrors.BANYAN_ERR_CDC_CD_TABLE_MISSING(t.cd.schema, t.cd.table, t.name);
        // The key stays the one resolved at open (a key column dropped is an error naming it).
        const keys = { ...o.keys, [t.name]: t.keyIndexes.map((i) => t.columns[i]!.name) };
        const rebuilt = capturedTable(t.name, t.schema, t.table, resolved(cdCols), cdCols, registerOf.get(t.name) ?? [], [], { ...o, keys });
        const now = new Set(rebuilt.columns.map((c) => c.name));
        const probe = trackSchema(t.name, schemas[t.name], rebuilt.columns, { connectorVersion: CONNECTOR_VERSION, bridge: '', database: '', commitLsn: null, nowMs: 0 });
        if (!probe.event) continue;
        pending.set(t.name, { ...rebuilt, source: t.source });
        out.push({ table: t.name, drops: t.columns.some((c) => !now.has(c.name)) });
      }
      return out;
    },
    applySchemas(commitLsn) {
      const events: SchemaChangeEvent[] = [];
      const next = { ...schemas };
      for (const [i, t] of tables.entries()) {
        const rebuilt = pending.get(t.name);
        if (!rebuilt) continue;
        const decision = trackSchema(t.name, next[t.name], rebuilt.columns, {
          connectorVersion: CONNECTOR_VERSION, bridge: o.bridge ?? '', database: o.connect.database, commitLsn, nowMs: Date.now(),
        });
        next[t.name] = decision.schema;
        if (decision.event) events.push(decision.event);
        tables[i] = { ...rebuilt, schemaVersion: decision.schema.version };
      }
      pending = new Map();
      schemas = next;
      return events;
    },
    async pollRegister() {
      const all = await registerRows();
      const registration = registrationOf(all);
      let maxLsn: string | null = null;
      const cdNewSynchpoint = new Map<string, string | null>();
      for (const r of all) {
        for (const v of [r[4], r[6]]) {
          const h = hexOf(v);
          if (h !== null && (maxLsn === null || h > maxLsn)) maxLsn = h;
        }
        const t = tables.find((c) => text(r[0]).toUpperCase() === c.schema.toUpperCase() && text(r[1]).toUpperCase() === c.table.toUpperCase());
        if (t && !isGlobal(r)) {
          cdNewSynchpoint.set(t.name, hexOf(r[4]));
          registerOf.set(t.name, r);
        }
      }
      return { maxLsn, cdNewSynchpoint, registration };
    },
    window(after, lower, upTo, state) {
      const from = after ?? zero;
      const due = tables.filter((t) => {
        const sp = state.cdNewSynchpoint.get(t.name);
        return sp !== null && sp !== undefined && (lower === 'inclusive' ? sp >= from : sp > from);
      });
      return windowOf(conn, o, due, uow, from, lower, upTo, timed);
    },
    async minPositions() {
      const out = new Map<string, string | null>();
      for (const t of tables) {
        const r = await timed('min_position', () => conn.query(o.sql.minPosition(t.cd)));
        out.set(t.name, hexOf(r.rows[0]?.[0] ?? null));
      }
      return out;
    },
    async snapshotChunk(table, lastKey, rows) {
      if (!table.source) throw new CdcErrors.BANYAN_ERR_CDC_SNAPSHOT_SOURCE_MISSING(table.name);
      if (table.keyIndexes.length === 0) throw new CdcErrors.BANYAN_ERR_CDC_SNAPSHOT_NO_KEY(table.name);
      const sql = o.sql.snapshotChunk({ source: table.source, columns: table.columns.map((c) => c.name), key: table.keyIndexes.map((i) => table.columns[i]!.name), after: lastKey !== null, rows, asText: exactTextColumns(table.columns) });
      const r = await timed('snapshot', () => conn.query(sql, lastKey === null ? [] : snapshotChunkParams(lastKey)));
      return r.rows;
    },
    close: () => conn.close(),
  };
}

async function* windowOf(
  conn: SqlConnection,
  o: CdcReaderOptions,
  due: readonly CapturedTable[],
  uow: ResolvedTable,
  from: string,
  lower: 'exclusive' | 'inclusive',
  upTo: string,
  timed: <T extends { rows: readonly unknown[] }>(s: CdcStatement, run: () => Promise<T>) => Promise<T>,
): AsyncGenerator<TableChange | UnreadableRow> {
  if (due.length === 0) return;
  await conn.begin('UR');
  let ended = false;
  try {
    const params = [Buffer.from(from, 'hex'), Buffer.from(upTo, 'hex')];
    const streams = due.map((t) => tableChanges(cdRows(t, conn.fetchBlocks(o.sql.changeWindow({ cd: t.cd, uow, captured: selectedColumns(t), lower, asText: textColumns(t) }), params, o.blockRows), timed)));
    yield* mergeChanges(streams);
    ended = true;
  } finally {
    // Read-only: ending the unit of work releases the cursors (and nothing else is held under UR).
    await conn.rollback().catch((err: unknown) => {
      if (ended) throw err;
    });
  }
}

async function* cdRows(
  table: CapturedTable,
  blocks: AsyncIterable<{ rows: readonly (readonly SqlValue[])[] }>,
  timed: <T extends { rows: readonly unknown[] }>(s: CdcStatement, run: () => Promise<T>) => Promise<T>,
): AsyncGenerator<CdRow> {
  const it = blocks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = await timed('window', async () => {
        const n = await it.next();
        return { rows: n.done ? [] : n.value.rows, done: n.done === true };
      });
      for (const row of r.rows) {
        yield { table, commitseq: hexOf(row[0])!, intentseq: hexOf(row[1])!, operation: text(row[2]).trim(), logmarker: row[3] === null ? null : String(row[3]), values: row.slice(4) };
      }
      if (r.done) return;
    }
  } finally {
    await it.return?.(undefined);
  }
}

/** The captured columns, then the before-image columns single 'U' rows carry (in beforeImageIndexes order). */
function selectedColumns(t: CapturedTable): string[] {
  const before = [...t.beforeImageIndexes.keys()].map((i) => `${t.beforeImagePrefix}${t.columns[i]!.name}`);
  return [...t.columns.map((c) => c.name), ...before];
}

/** The selected columns a double cannot hold, before-image columns included (see exactTextColumns). */
function textColumns(t: CapturedTable): Set<string> {
  const wide = exactTextColumns(t.columns);
  for (const i of t.beforeImageIndexes.keys()) if (wide.has(t.columns[i]!.name)) wide.add(`${t.beforeImagePrefix}${t.columns[i]!.name}`);
  return wide;
}

type CatalogRow = { schema: string; table: string; column: string; type: string; length: number | null; scale: number | null; keySeq: number | null; forBitData: boolean };

function catalogRow(r: readonly SqlValue[]): CatalogRow {
  const at = (c: (typeof CATALOG_COLUMNS)[number]) => r[CATALOG_COLUMNS.indexOf(c)] ?? null;
  const keySeq = at('KEYSEQ');
  return {
    schema: text(at('TABSCHEMA')),
    table: text(at('TABNAME')),
    column: text(at('COLNAME')),
    type: text(at('TYPENAME')),
    length: at('LENGTH') === null ? null : Number(at('LENGTH')),
    scale: at('SCALE') === null ? null : Number(at('SCALE')),
    keySeq: keySeq === null || Number(keySeq) === 0 ? null : Number(keySeq),
    forBitData: text(at('FOR_BIT_DATA')) === 'Y',
  };
}

function resolved(cols: readonly CatalogRow[]): ResolvedTable {
  return { schema: cols[0]!.schema, table: cols[0]!.table, columns: new Map(cols.map((c) => [c.column.toUpperCase(), c.column])) };
}

function capturedTable(
  name: string,
  schema: string,
  table: string,
  cd: ResolvedTable,
  cdCols: readonly CatalogRow[],
  reg: readonly SqlValue[],
  sourceCols: readonly CatalogRow[],
  o: CdcReaderOptions,
): CapturedTable {
  // BEFORE_IMG_PREFIX (register): the CD table holds a before image of column C as <prefix>C.
  const prefix = text(reg[REGISTER_POLL_COLUMNS.indexOf('BEFORE_IMG_PREFIX')] ?? null).trim().toUpperCase();
  const data = cdCols.filter((c) => !c.column.toUpperCase().startsWith('IBMSNAP_'));
  const names = new Set(data.map((c) => c.column.toUpperCase()));
  const isBeforeImage = (n: string) => prefix !== '' && n.startsWith(prefix) && names.has(n.slice(prefix.length));
  const columns: CapturedColumn[] = data
    .filter((c) => !isBeforeImage(c.column.toUpperCase()))
    .map((c) => ({
      name: c.column.toUpperCase(),
      type: db2TypeName(c.type),
      forBitData: c.forBitData,
      ...(c.length !== null ? { length: c.length } : {}),
      ...(c.scale !== null ? { scale: c.scale } : {}),
    }));
  const beforeImageIndexes = new Map<number, number>();
  for (const [i, c] of columns.entries()) if (prefix !== '' && names.has(`${prefix}${c.name}`)) beforeImageIndexes.set(i, columns.length + beforeImageIndexes.size);
  const configured = o.keys?.[name];
  const keyNames = configured ?? sourceCols.filter((c) => c.keySeq !== null).sort((a, b) => a.keySeq! - b.keySeq!).map((c) => c.column.toUpperCase());
  const keyIndexes = keyNames.map((k) => {
    const i = columns.findIndex((c) => c.name === k.toUpperCase());
    if (i < 0) throw new CdcErrors.BANYAN_ERR_CDC_KEY_COLUMN_UNKNOWN(k, name, cd.schema, cd.table, columns.map((c) => c.name).join(', '));
    return i;
  });
  return {
    name,
    schema,
    table,
    cd,
    source: sourceCols.length > 0 ? resolved(sourceCols) : undefined,
    columns,
    keyIndexes,
    topic: o.topicOf(schema, table),
    updatesAsDeleteInsert: text(reg[REGISTER_POLL_COLUMNS.indexOf('CHG_UPD_TO_DEL_INS')] ?? null).trim().toUpperCase() !== 'N',
    mapRow: createRowMapper(columns, { table: name, lobMaxBytes: o.lobMaxBytes }),
    beforeImagePrefix: prefix,
    beforeImageIndexes,
    schemaVersion: 1,
  };
}

/** Catalog type names in Db2 LUW's spelling (z/OS SYSCOLUMNS.COLTYPE and information_schema differ). */
export function db2TypeName(type: string): string {
  const t = type.trim().toUpperCase();
  return TYPE_NAMES[t] ?? t;
}

const TYPE_NAMES: Record<string, string> = {
  CHARACTER: 'CHAR', TIMESTMP: 'TIMESTAMP', VARG: 'VARGRAPHIC', VARBIN: 'VARBINARY', FLOAT: 'DOUBLE', LONGVAR: 'LONG VARCHAR',
  'CHARACTER VARYING': 'VARCHAR', NUMERIC: 'DECIMAL', 'DOUBLE PRECISION': 'DOUBLE', 'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  'TIME WITHOUT TIME ZONE': 'TIME', BYTEA: 'VARCHAR', TEXT: 'CLOB',
};

function isGlobal(r: readonly SqlValue[]): boolean {
  return text(r[REGISTER_POLL_COLUMNS.indexOf('GLOBAL_RECORD')] ?? null).trim().toUpperCase() === 'Y' || text(r[0]).trim() === '';
}

function text(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return '';
  return Buffer.isBuffer(v) ? v.toString('latin1') : String(v).trimEnd();
}

function hexOf(v: SqlValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  return Buffer.isBuffer(v) ? v.toString('hex') : String(v).toLowerCase();
}
