/**
 * Plays ASN Capture against the PostgreSQL stand-in: source transactions run (interleaved, each
 * change taking the next log position as its IBMSNAP_INTENTSEQ), commit (taking the next log
 * position as IBMSNAP_COMMITSEQ), and at each commit interval (`flush()`) Capture writes, in one unit
 * of work, what committed since the last interval, the way IBM documents it:
 *
 * - one CD row per insert ('I') and delete ('D'); an update as a 'D' row (before image) followed by
 *   an 'I' row (after image) with the next intent sequence when the register says
 *   CHG_UPD_TO_DEL_INS = 'Y', else one 'U' row (after image);
 * - one IBMSNAP_UOW row per committed transaction (IBMSNAP_COMMITSEQ, IBMSNAP_LOGMARKER = the commit
 *   time, IBMSNAP_UOWID);
 * - CD_NEW_SYNCHPOINT of each touched table's register row advanced to the highest commit sequence
 *   written for it, and the global record's SYNCHPOINT / SYNCHTIME to the log position read, also
 *   when nothing changed (Capture's heartbeat).
 *
 * Rolled-back transactions write nothing (Capture captures committed work only). Positions are
 * 16-byte big-endian log sequence numbers (Db2 LUW 10.1+).
 */
import type pg from 'pg';

export type SimValue = string | number | Buffer | null;
export type SimRow = Readonly<Record<string, SimValue>>;

export interface SimTable {
  /** SCHEMA.TABLE of the source table. */
  readonly name: string;
  /** CD table in the capture schema. */
  readonly cdTable: string;
  /** Captured columns in CD-table order (upper-case names). */
  readonly columns: readonly string[];
}

export type SimOp = 'I' | 'D' | 'U';

/** One CD row as written. */
export interface SimCdRow {
  readonly table: string;
  readonly intentseq: string;
  readonly op: SimOp;
  readonly row: SimRow;
}

/** One source change as the source made it (an update: its after image, at its last row's intent sequence). */
export interface SimChange {
  readonly table: string;
  readonly op: 'c' | 'u' | 'd';
  readonly intentseq: string;
  readonly row: SimRow;
}

/** What a committed transaction became: its commit sequence and the CD rows Capture will write. */
export interface SimCommitted {
  readonly commitseq: string;
  readonly logmarker: string;
  readonly changes: number;
  readonly events: readonly SimChange[];
  readonly cdRows: readonly SimCdRow[];
  readonly tables: readonly string[];
}

export interface SourceTransaction {
  insert(table: string, row: SimRow): void;
  update(table: string, before: SimRow, after: SimRow): void;
  delete(table: string, row: SimRow): void;
  commit(): SimCommitted;
  rollback(): void;
}

export interface CaptureSimulator {
  begin(): SourceTransaction;
  /** One commit interval: writes every transaction committed since the last flush; returns them. */
  flush(): Promise<readonly SimCommitted[]>;
  /** Hex of the last log position handed out. */
  lsnHex(): string;
  /**
   * The DBA's schema change of a captured table, the ASN way, in one unit of work: ALTER the CD
   * table (`ddl`, e.g. `ADD COLUMN EMAIL VARCHAR(40)`), then Capture's reinit of the registration
   * stamps CD_OLD_SYNCHPOINT with the current log position. Changes committed after it carry
   * `columns` (the new CD-table column list); those not yet flushed are written with it too.
   */
  alterCdTable(table: string, ddl: string, columns: readonly string[]): Promise<string>;
}

export interface CaptureSimulatorOptions {
  readonly client: pg.Client;
  readonly captureSchema?: string;
  readonly tables: readonly SimTable[];
  /** Per source table: updates as 'D'+'I' pairs (CHG_UPD_TO_DEL_INS = 'Y', default) or single 'U' rows. */
  readonly updates?: Readonly<Record<string, 'delete-insert' | 'single'>>;
  /** Commit time of a transaction; default the wall clock. */
  readonly now?: () => Date;
  /** Log position to start after (default 0x1000). */
  readonly startLsn?: bigint;
  /**
   * Also apply each transaction to the source tables (the application's commit), in its own unit of
   * work just before Capture writes its CD rows: what a snapshot reads. Source tables need a
   * primary key on `keyOf[table]`.
   */
  readonly sourceTables?: { readonly keyOf: Readonly<Record<string, string>> };
}

export function lsnBuffer(n: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(n >> 64n, 0);
  b.writeBigUInt64BE(n & 0xffff_ffff_ffff_ffffn, 8);
  return b;
}

export function lsnHex(n: bigint): string {
  return lsnBuffer(n).toString('hex');
}

/** Db2 TIMESTAMP text of a Date, UTC, 6 fraction digits. */
export function timestampText(d: Date): string {
  return `${d.toISOString().slice(0, 23).replace('T', ' ')}000`;
}

export function createCaptureSimulator(o: CaptureSimulatorOptions): CaptureSimulator {
  const schema = o.captureSchema ?? 'ASNCDC';
  const tables = new Map(o.tables.map((t) => [t.name, t]));
  const now = o.now ?? (() => new Date());
  let lsn = o.startLsn ?? 0x1000n;
  let uowCounter = 0n;
  let pending: SimCommitted[] = [];
  const next = () => ++lsn;

  return {
    begin() {
      const cdRows: Array<{ table: string; intent: bigint; op: SimOp; row: SimRow }> = [];
      const events: SimChange[] = [];
      let changes = 0;
      let open = true;
      const ensureOpen = () => {
        if (!open) throw new Error('transaction already ended');
      };
      const tableOf = (name: string) => {
        ensureOpen();
        const t = tables.get(name);
        if (!t) throw new Error(`not a simulated table: ${name}`);
        return t;
      };
      return {
        insert(table, row) {
          tableOf(table);
          changes++;
          cdRows.push({ table, intent: next(), op: 'I', row });
          events.push({ table, op: 'c', intentseq: lsnHex(lsn), row });
        },
        delete(table, row) {
          tableOf(table);
          changes++;
          cdRows.push({ table, intent: next(), op: 'D', row });
          events.push({ table, op: 'd', intentseq: lsnHex(lsn), row });
        },
        update(table, before, after) {
          tableOf(table);
          changes++;
          if ((o.updates?.[table] ?? 'delete-insert') === 'single') cdRows.push({ table, intent: next(), op: 'U', row: after });
          else {
            cdRows.push({ table, intent: next(), op: 'D', row: before });
            cdRows.push({ table, intent: next(), op: 'I', row: after });
          }
          events.push({ table, op: 'u', intentseq: lsnHex(lsn), row: after });
        },
        commit() {
          ensureOpen();
          open = false;
          const committed: SimCommitted = {
            commitseq: lsnHex(next()),
            logmarker: timestampText(now()),
            changes,
            events,
            cdRows: cdRows.map((r) => ({ table: r.table, intentseq: lsnHex(r.intent), op: r.op, row: r.row })),
            tables: [...new Set(cdRows.map((r) => r.table))],
          };
          if (cdRows.length > 0) pending.push(committed);
          return committed;
        },
        rollback() {
          open = false;
        },
      };
    },

    async flush() {
      const batch = pending;
      pending = [];
      const c = o.client;
      if (o.sourceTables) await applyToSourceTables(c, tables, o.sourceTables.keyOf, batch);
      await c.query('BEGIN');
      try {
        for (const t of tables.values()) {
          const rows = batch.flatMap((tx) => tx.cdRows.filter((r) => r.table === t.name).map((r) => ({ tx, r })));
          for (let i = 0; i < rows.length; i += 400) {
            const chunk = rows.slice(i, i + 400);
            const width = 3 + t.columns.length;
            const values: SimValue[] = [];
            const tuples = chunk.map(({ tx, r }, k) => {
              values.push(Buffer.from(tx.commitseq, 'hex'), Buffer.from(r.intentseq, 'hex'), r.op, ...t.columns.map((col) => r.row[col] ?? null));
              return `(${Array.from({ length: width }, (_, j) => `$${k * width + j + 1}`).join(', ')})`;
            });
            await c.query(
              `INSERT INTO ${schema}.${t.cdTable} (IBMSNAP_COMMITSEQ, IBMSNAP_INTENTSEQ, IBMSNAP_OPERATION, ${t.columns.join(', ')}) VALUES ${tuples.join(', ')}`,
              values,
            );
          }
          const last = rows.at(-1);
          if (last) {
            const [owner, table] = t.name.split('.');
            await c.query(`UPDATE ${schema}.IBMSNAP_REGISTER SET CD_NEW_SYNCHPOINT = $1 WHERE SOURCE_OWNER = $2 AND SOURCE_TABLE = $3`, [Buffer.from(last.tx.commitseq, 'hex'), owner, table]);
          }
        }
        for (let i = 0; i < batch.length; i += 1000) {
          const chunk = batch.slice(i, i + 1000);
          const values: SimValue[] = [];
          const tuples = chunk.map((tx, k) => {
            values.push(uowId(++uowCounter), Buffer.from(tx.commitseq, 'hex'), tx.logmarker);
            return `($${k * 3 + 1}, $${k * 3 + 2}, $${k * 3 + 3}, 'BANYANSIM', 'GWAPP')`;
          });
          await c.query(`INSERT INTO ${schema}.IBMSNAP_UOW (IBMSNAP_UOWID, IBMSNAP_COMMITSEQ, IBMSNAP_LOGMARKER, IBMSNAP_AUTHTKN, IBMSNAP_AUTHID) VALUES ${tuples.join(', ')}`, values);
        }
        // Capture has read the log past the last commit (other work, its own heartbeat): one position on.
        await c.query(`UPDATE ${schema}.IBMSNAP_REGISTER SET SYNCHPOINT = $1, SYNCHTIME = $2 WHERE GLOBAL_RECORD = 'Y'`, [lsnBuffer(next()), timestampText(now())]);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        pending = [...batch, ...pending];
        throw err;
      }
      return batch;
    },

    lsnHex: () => lsnHex(lsn),

    async alterCdTable(table, ddl, columns) {
      const t = tables.get(table);
      if (!t) throw new Error(`not a simulated table: ${table}`);
      const [owner, name] = table.split('.');
      const stamp = lsnBuffer(next());
      const c = o.client;
      await c.query('BEGIN');
      try {
        await c.query(`ALTER TABLE ${schema}.${t.cdTable} ${ddl}`);
        await c.query(`UPDATE ${schema}.IBMSNAP_REGISTER SET CD_OLD_SYNCHPOINT = $1 WHERE SOURCE_OWNER = $2 AND SOURCE_TABLE = $3`, [stamp, owner, name]);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      }
      tables.set(table, { ...t, columns });
      return stamp.toString('hex');
    },
  };
}

/** The source transactions themselves, in commit order, one unit of work each (the application's commits). */
async function applyToSourceTables(c: pg.Client, tables: ReadonlyMap<string, SimTable>, keyOf: Readonly<Record<string, string>>, batch: readonly SimCommitted[]): Promise<void> {
  for (const tx of batch) {
    await c.query('BEGIN');
    for (const e of tx.events) {
      const t = tables.get(e.table)!;
      const key = keyOf[e.table]!;
      if (e.op === 'd') await c.query(`DELETE FROM ${e.table} WHERE ${key} = $1`, [e.row[key] ?? null]);
      else {
        const cols = t.columns;
        const set = cols.filter((col) => col !== key).map((col) => `${col} = EXCLUDED.${col}`).join(', ');
        await c.query(
          `INSERT INTO ${e.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (${key}) DO UPDATE SET ${set}`,
          cols.map((col) => e.row[col] ?? null),
        );
      }
    }
    await c.query('COMMIT');
  }
}

function uowId(n: bigint): Buffer {
  const b = Buffer.alloc(10);
  b.writeBigUInt64BE(n, 2);
  return b;
}
