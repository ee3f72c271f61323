/**
 * Schema changes of a captured table, detected from its CD table's columns (SYSCAT.COLUMNS on LUW,
 * SYSIBM.SYSCOLUMNS on z/OS, read by the reader at start and whenever a change window's result
 * columns differ from the ones it knows). Pure: the previous schema and the current column list in,
 * the new schema (version raised by one when anything changed) and the schema-change event out.
 *
 * A DBA changes a captured table the ASN way (Debezium's Db2 docs, "Schema evolution"): stop
 * capture for the table, ALTER the source and the CD table, reinit. So a column shows up in the CD
 * table as added, dropped, or with another type; a rename shows up as a drop and an add (the
 * catalog cannot tell them apart), and is reported as both. ASN's own IBMSNAP_* columns are control
 * data, not the table's schema, and are left out.
 *
 * A dropped column is never lost silently: the event lists it with its last definition, the
 * ddl-like text says DROP COLUMN, and the version changes, so a consumer that finds the column
 * missing from `after` knows since when and why.
 *
 * The schema-change event (Debezium's schema change topic record, adapted; one per detected change,
 * written to the bridge's schema-change topic keyed by `SCHEMA.TABLE`):
 *   {
 *     source:  { version, connector: 'db2', name, ts_ms, db, schema, table, commit_lsn, schema_version },
 *     ts_ms:   when the bridge detected it (ms since epoch),
 *     databaseName, schemaName, table: 'SCHEMA.TABLE',
 *     ddl:     'ALTER TABLE APP.ACCOUNTS ADD COLUMN EMAIL VARCHAR(100); ALTER TABLE APP.ACCOUNTS DROP COLUMN FAX',
 *     previous_version, schema_version,
 *     changes: [{ kind: 'added' | 'dropped', column } | { kind: 'type_changed', before, after }],
 *     columns: the table's columns now, in catalog order [{ name, type, length?, scale?, forBitData?, nullable? }]
 *   }
 * `source.commit_lsn` is the position from which events carry the new version (the first change
 * window read with the new columns); `schema_version` in each change event's source block says
 * which column set its images follow.
 */
import type { CapturedColumn } from './column-values.ts';

/** A CD table column as the catalog describes it. */
export interface SchemaColumn extends CapturedColumn {
  readonly nullable?: boolean;
}

/** What the bridge knows of a table's columns (kept with its checkpoint). */
export interface TableSchema {
  /** `SCHEMA.TABLE` of the source table. */
  readonly table: string;
  readonly version: number;
  readonly columns: readonly SchemaColumn[];
}

export type ColumnChange =
  | { readonly kind: 'added'; readonly column: SchemaColumn }
  | { readonly kind: 'dropped'; readonly column: SchemaColumn }
  | { readonly kind: 'type_changed'; readonly before: SchemaColumn; readonly after: SchemaColumn };

export interface SchemaChangeEvent {
  readonly source: {
    readonly version: string;
    readonly connector: 'db2';
    readonly name: string;
    readonly ts_ms: number;
    readonly db: string;
    readonly schema: string;
    readonly table: string;
    readonly commit_lsn: string | null;
    readonly schema_version: number;
  };
  readonly ts_ms: number;
  readonly databaseName: string;
  readonly schemaName: string;
  readonly table: string;
  readonly ddl: string;
  readonly previous_version: number;
  readonly schema_version: number;
  readonly changes: readonly ColumnChange[];
  readonly columns: readonly SchemaColumn[];
}

/** Where and when the columns were read. */
export interface SchemaContext {
  readonly connectorVersion: string;
  /** The bridge name (Debezium's topic.prefix). */
  readonly bridge: string;
  readonly database: string;
  /** From which position events follow the new columns (null before streaming started). */
  readonly commitLsn: string | null;
  readonly nowMs: number;
}

export interface SchemaDecision {
  readonly schema: TableSchema;
  /** Null when nothing changed (and for a table seen for the first time: version 1). */
  readonly event: SchemaChangeEvent | null;
}

/** Compares the CD table's columns now with what was known, and decides the new version and event. */
export function trackSchema(table: string, previous: TableSchema | undefined, current: readonly SchemaColumn[], context: SchemaContext): SchemaDecision {
  const columns = current.filter((c) => !isControlColumn(c.name));
  if (!previous) return { schema: { table, version: 1, columns }, event: null };
  const changes = columnChanges(previous.columns.filter((c) => !isControlColumn(c.name)), columns);
  if (changes.length === 0) return { schema: { table, version: previous.version, columns }, event: null };
  const version = previous.version + 1;
  const [schemaName, tableName] = splitTable(table);
  return {
    schema: { table, version, columns },
    event: {
      source: {
        version: context.connectorVersion,
        connector: 'db2',
        name: context.bridge,
        ts_ms: context.nowMs,
        db: context.database,
        schema: schemaName,
        table: tableName,
        commit_lsn: context.commitLsn,
        schema_version: version,
      },
      ts_ms: context.nowMs,
      databaseName: context.database,
      schemaName,
      table,
      ddl: changes.map((c) => ddlOf(table, c)).join('; '),
      previous_version: previous.version,
      schema_version: version,
      changes,
      columns,
    },
  };
}

/** Column differences by name: dropped ones first (in old order), then changed and added (in new order). */
export function columnChanges(before: readonly SchemaColumn[], after: readonly SchemaColumn[]): ColumnChange[] {
  const old = new Map(before.map((c) => [c.name, c]));
  const now = new Map(after.map((c) => [c.name, c]));
  const out: ColumnChange[] = before.filter((c) => !now.has(c.name)).map((column) => ({ kind: 'dropped', column }));
  for (const column of after) {
    const was = old.get(column.name);
    if (!was) out.push({ kind: 'added', column });
    else if (typeText(was) !== typeText(column) || (was.nullable ?? true) !== (column.nullable ?? true)) out.push({ kind: 'type_changed', before: was, after: column });
  }
  return out;
}

/** The column's type as Db2 DDL writes it: DECIMAL(11,2), VARCHAR(30) FOR BIT DATA, TIMESTAMP(6). */
export function typeText(c: SchemaColumn): string {
  const type = c.type.toUpperCase();
  const sized = SIZED.has(type) && c.length !== undefined ? `(${c.length})` : '';
  const decimal = (type === 'DECIMAL' || type === 'NUMERIC') && c.length !== undefined ? `(${c.length},${c.scale ?? 0})` : '';
  const timestamp = type === 'TIMESTAMP' && c.scale !== undefined ? `(${c.scale})` : '';
  return `${type}${decimal || sized || timestamp}${c.forBitData ? ' FOR BIT DATA' : ''}`;
}

function ddlOf(table: string, change: ColumnChange): string {
  const alter = `ALTER TABLE ${table}`;
  switch (change.kind) {
    case 'added':
      return `${alter} ADD COLUMN ${change.column.name} ${typeText(change.column)}${change.column.nullable === false ? ' NOT NULL' : ''}`;
    case 'dropped':
      return `${alter} DROP COLUMN ${change.column.name}`;
    case 'type_changed': {
      const parts: string[] = [];
      if (typeText(change.before) !== typeText(change.after)) parts.push(`${alter} ALTER COLUMN ${change.after.name} SET DATA TYPE ${typeText(change.after)}`);
      if ((change.before.nullable ?? true) !== (change.after.nullable ?? true)) {
        parts.push(`${alter} ALTER COLUMN ${change.after.name} ${change.after.nullable === false ? 'SET NOT NULL' : 'DROP NOT NULL'}`);
      }
      return parts.join('; ');
    }
  }
}

/** ASN Capture's columns of a CD table (IBMSNAP_COMMITSEQ, _INTENTSEQ, _OPERATION, _LOGMARKER, ...). */
function isControlColumn(name: string): boolean {
  return name.toUpperCase().startsWith('IBMSNAP_');
}

function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  return dot < 0 ? ['', table] : [table.slice(0, dot), table.slice(dot + 1)];
}

const SIZED = new Set(['CHAR', 'CHARACTER', 'VARCHAR', 'GRAPHIC', 'VARGRAPHIC', 'BINARY', 'VARBINARY', 'CLOB', 'BLOB', 'DBCLOB', 'DECFLOAT']);
