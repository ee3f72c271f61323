/**
 * The GetWell CDC fixture (test/fixtures/db2-cdc/*.sql) for the capture simulator: its three tables,
 * and a seeded workload of source transactions of 1-20 changes over them (inserts, updates, deletes
 * of members, claims and prescriptions), several open at once so their changes interleave in the log
 * and they commit in another order than they began.
 */
import type { CaptureSimulator, SimRow, SimTable, SourceTransaction } from './asn-capture-simulator.ts';
import type { TestPostgres } from './postgres.ts';

export const GETWELL_TABLES: readonly SimTable[] = [
  { name: 'GW.MEMBER', cdTable: 'CDC_GW_MEMBER', columns: ['MEMBER_ID', 'NAME', 'PLAN_CODE', 'BALANCE', 'UPDATED_AT'] },
  { name: 'GW.CLAIM', cdTable: 'CDC_GW_CLAIM', columns: ['CLAIM_ID', 'MEMBER_ID', 'AMOUNT', 'STATUS', 'FILED'] },
  { name: 'GW.RX', cdTable: 'CDC_GW_RX', columns: ['RX_ID', 'MEMBER_ID', 'NDC', 'QTY', 'HDR'] },
];

export const KEY_OF: Readonly<Record<string, string>> = { 'GW.MEMBER': 'MEMBER_ID', 'GW.CLAIM': 'CLAIM_ID', 'GW.RX': 'RX_ID' };

export async function loadGetwellSchema(pg: TestPostgres): Promise<void> {
  await pg.runSqlFile(new URL('../fixtures/db2-cdc/asn-control-tables.sql', import.meta.url));
  await pg.runSqlFile(new URL('../fixtures/db2-cdc/getwell-tables.sql', import.meta.url));
}

/** A seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Drives the simulator: `run(n)` commits n source transactions of 1-20 changes each, with up to
 * `concurrency` open at a time (each step adds a change to a random open one, or commits it), and
 * tracks each entity's current row so updates and deletes carry the right before images.
 */
export function createWorkload(sim: CaptureSimulator, random: () => number, concurrency = 4) {
  const live = new Map<string, Map<number, SimRow>>(GETWELL_TABLES.map((t) => [t.name, new Map()]));
  /** Entities an open transaction touches are locked to it, as row locks would (no two open transactions change one row). */
  const locked = new Set<string>();
  let nextId = 1;
  let committed = 0;
  let changes = 0;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

  const rowFor = (table: string, id: number, version: number): SimRow => {
    const ts = `2026-12-02 10:${String(version % 60).padStart(2, '0')}:00.${String((id * 7919 + version) % 1_000_000).padStart(6, '0')}`;
    switch (table) {
      case 'GW.MEMBER':
        return { MEMBER_ID: id, NAME: `MEMBER ${id} V${version}`, PLAN_CODE: pick(['GOLD', 'SILV', 'BRNZ']), BALANCE: `${id}.${String(version % 100).padStart(2, '0')}`, UPDATED_AT: ts };
      case 'GW.CLAIM': // BIGINT: exact, as decimal text
        return { CLAIM_ID: String(id), MEMBER_ID: id % 97, AMOUNT: `${(id * 13 + version) % 100000}.50`, STATUS: pick(['P', 'A', 'D']), FILED: '2026-11-30' };
      default:
        return { RX_ID: id, MEMBER_ID: id % 89, NDC: String(10000000000 + id).slice(0, 11), QTY: (version % 90) + 1, HDR: Buffer.from([id & 0xff, version & 0xff, 0xc1, 0x40]) };
    }
  };

  /** Live ids per table as an array too, for a random pick in O(1) (swap-remove on delete). */
  const ids = new Map<string, number[]>(GETWELL_TABLES.map((t) => [t.name, []]));
  const pickFree = (table: string): number | undefined => {
    const list = ids.get(table)!;
    for (let tries = 0; tries < 8 && list.length > 0; tries++) {
      const id = list[Math.floor(random() * list.length)]!;
      if (!locked.has(`${table}:${id}`)) return id;
    }
    return undefined;
  };
  const forget = (table: string, id: number) => {
    const list = ids.get(table)!;
    const i = list.indexOf(id);
    list[i] = list[list.length - 1]!;
    list.pop();
  };

  const addChange = (tx: SourceTransaction, touched: string[]) => {
    const table = pick(GETWELL_TABLES).name;
    const rows = live.get(table)!;
    const r = random();
    const existing = r < 0.45 ? undefined : pickFree(table);
    if (existing === undefined) {
      const id = nextId++;
      const row = rowFor(table, id, 0);
      tx.insert(table, row);
      rows.set(id, row);
      ids.get(table)!.push(id);
      locked.add(`${table}:${id}`);
      touched.push(`${table}:${id}`);
    } else {
      const id = existing;
      const before = rows.get(id)!;
      locked.add(`${table}:${id}`);
      touched.push(`${table}:${id}`);
      if (r < 0.85) {
        const after = rowFor(table, id, 1 + Math.floor(random() * 1000));
        tx.update(table, before, after);
        rows.set(id, after);
      } else {
        tx.delete(table, before);
        rows.delete(id);
        forget(table, id);
      }
    }
    changes++;
  };

  return {
    /** Commits `n` transactions; flushes (a Capture commit interval) every `flushEvery` commits. */
    async run(n: number, flushEvery = 50): Promise<void> {
      const open: Array<{ tx: SourceTransaction; left: number; touched: string[] }> = [];
      let started = 0;
      let done = 0;
      while (done < n) {
        if (open.length < concurrency && started < n && (open.length === 0 || random() < 0.5)) {
          open.push({ tx: sim.begin(), left: 1 + Math.floor(random() * 20), touched: [] });
          started++;
        }
        const i = Math.floor(random() * open.length);
        const o = open[i]!;
        if (o.left > 0) {
          addChange(o.tx, o.touched);
          o.left--;
        } else {
          o.tx.commit();
          for (const k of o.touched) locked.delete(k);
          open.splice(i, 1);
          done++;
          committed++;
          if (committed % flushEvery === 0) await sim.flush();
        }
      }
      await sim.flush();
    },
    stats: () => ({ committed, changes }),
    /** The current row of every live entity, `TABLE:id` -> row (the final state consumers must rebuild). */
    state: () => new Map([...live].flatMap(([table, rows]) => [...rows].map(([id, row]) => [`${table}:${id}`, row] as const))),
  };
}
