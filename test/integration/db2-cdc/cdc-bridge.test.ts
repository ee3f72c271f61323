/**
 * Issue 14's must-shows, end to end: real PostgreSQL holding IBM's ASN tables, fed by the capture
 * simulator while the bridge runs as `banyan run` child processes, writing to the real Kafka the test
 * support started.
 *
 * 1. 10,000 source transactions of 1-20 changes over three tables, four open at a time so their
 *    changes interleave: every change in Kafka exactly once, in commit order per key; each
 *    transaction's BEGIN and END on the transaction topic with the right event counts per table;
 *    updates (D+I pairs) as one `u` event with both images; the final state per key is the source's.
 * 2. The same while the bridge is SIGKILLed three times at random moments during streaming and
 *    restarted: no change lost; every duplicate carries its original's event id and position and
 *    lies in the batch in flight at a kill (at most one batch per kill, contiguous in commit order);
 *    the count and the transactions they belong to are printed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ChangeEvent, TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { createCaptureSimulator, type SimCommitted, type SimRow } from '../../support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, KEY_OF, loadGetwellSchema, mulberry32 } from '../../support/getwell-cdc.ts';
import { oracleKafkajs, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const root = new URL('../../../', import.meta.url).pathname;
const MAX_RECORDS = 500;
const seed = Number(process.env.BANYAN_CDC_SEED ?? Date.now() % 1_000_000);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-cdc-bridge-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('10,000 interleaved transactions over three tables: every change once, commit order per key, BEGIN/END with counts, updates paired', async (t) => {
  t.diagnostic(`seed ${seed} (BANYAN_CDC_SEED=${seed} repeats the workload)`);
  const pg = await startPostgres();
  t.after(() => pg.stop());
  const project = await projectFor(pg, 'stream');
  const { committed, finalState, stats } = await withSimulator(pg, async (workload) => {
    const started = Date.now();
    const bridge = startBridge(project);
    t.after(() => bridge.process.kill('SIGKILL'));
    await workload.run(10_000, 25);
    t.diagnostic(`workload written in ${Date.now() - started} ms`);
    await waitForEnds(project, 10_000, bridge);
    t.diagnostic(`all 10,000 ENDs in Kafka after ${Date.now() - started} ms`);
    bridge.process.kill('SIGTERM');
    assert.equal((await bridge.exited).code, 0, `the bridge stops cleanly on SIGTERM: ${bridge.output()}`);
  });
  t.diagnostic(`${stats.committed} transactions, ${stats.changes} changes`);
  const seen = await readAll(project);
  const verdict = verify(seen, committed, finalState);
  assert.equal(verdict.duplicates.length, 0, 'no duplicates without a crash');
});

test('SIGKILLed three times while streaming and restarted: no change lost, duplicates only from the batch in flight at each kill', async (t) => {
  t.diagnostic(`seed ${seed} (BANYAN_CDC_SEED=${seed} repeats the workload and kill moments)`);
  const pg = await startPostgres();
  t.after(() => pg.stop());
  const project = await projectFor(pg, 'crash');
  const TRANSACTIONS = 6_000;
  const random = mulberry32(seed + 1);
  const { committed, finalState } = await withSimulator(pg, async (workload) => {
    const writing = workload.run(TRANSACTIONS, 25);
    const watch = await watchAppended(project.transactionTopic);
    t.after(() => watch.stop());
    for (let kill = 1; kill <= 3; kill++) {
      const bridge = startBridge(project);
      // A random point in this kill's third of the run, counted in transaction boundaries appended.
      const at = Math.round(2 * TRANSACTIONS * ((kill - 1 + 0.25 + random() * 0.5) / 3));
      const reached = await watch.until(at, bridge);
      bridge.process.kill('SIGKILL');
      assert.equal((await bridge.exited).signal, 'SIGKILL', `run ${kill} was killed, not finished on its own: ${bridge.output()}`);
      t.diagnostic(`kill ${kill}: SIGKILL once ${reached} transaction boundaries were appended (target ${at})`);
    }
    await writing;
    const last = startBridge(project);
    t.after(() => last.process.kill('SIGKILL'));
    await waitForEnds(project, TRANSACTIONS, last);
    last.process.kill('SIGTERM');
    assert.equal((await last.exited).code, 0, `the last run stops cleanly: ${last.output()}`);
  });
  const seen = await readAll(project);
  const verdict = verify(seen, committed, finalState);
  const runs = duplicateRuns(seen.changes, verdict.duplicates);
  const txs = new Set(verdict.duplicates.map((d) => d.commitLsn));
  t.diagnostic(
    `${verdict.duplicates.length} duplicate change events (${txs.size} transactions) in ${runs.length} runs of consecutive commit-order positions: ` +
      `${runs.map((r) => `${r.length} from commit_lsn ${r.from}`).join('; ') || 'none'}`,
  );
  assert.ok(runs.length <= 3, `duplicates from ${runs.length} separate places for 3 kills`);
  for (const r of runs) assert.ok(r.length <= MAX_RECORDS, `a duplicate run of ${r.length} is longer than one batch`);
});

interface Project {
  readonly dir: string;
  readonly bridgeFile: string;
  readonly prefix: string;
  readonly transactionTopic: string;
  readonly tableTopics: readonly string[];
}

async function projectFor(pg: TestPostgres, label: string): Promise<Project> {
  const project = await mkdtemp(join(dir, `${label}-`));
  const prefix = uniqueTopic(`gw-cdc-${label}`);
  await writeFile(
    join(project, 'banyan.yaml'),
    ['kafka:', `  brokers: ${testBrokers().join(',')}`, '  topics: { partitions: 3 }', 'http: { port: 0 }', 'ownership: { session_timeout_ms: 6000, heartbeat_interval_ms: 1000 }', ''].join('\n'),
  );
  await mkdir(join(project, 'bridges'));
  const bridgeFile = join(project, 'bridges', 'getwell-cdc.yaml');
  await writeFile(
    bridgeFile,
    [
      `name: ${prefix}`,
      'source:',
      '  db2_cdc:',
      '    driver: postgres',
      `    host: ${pg.host}`,
      `    port: ${pg.port}`,
      `    database: ${pg.database}`,
      `    user: ${pg.user}`,
      `    password: ${pg.password}`,
      `    tables: [${GETWELL_TABLES.map((x) => x.name).join(', ')}]`,
      '    poll_interval_ms: { min: 20, max: 200 }',
      'sink:',
      `  kafka: { topic: ${prefix} }`,
      `batch: { max_records: ${MAX_RECORDS}, max_wait_ms: 50 }`,
      `checkpoints: { topic: ${prefix}.checkpoints }`,
      '',
    ].join('\n'),
  );
  const tableTopics = GETWELL_TABLES.map((x) => `${prefix}.${x.name}`);
  const transactionTopic = `${prefix}.transaction`;
  // Created here (as the bridge would) so watchers can subscribe before the first run.
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [...tableTopics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })), { topic: transactionTopic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return { dir: project, bridgeFile, prefix, transactionTopic, tableTopics };
}

type Workload = ReturnType<typeof createWorkload>;

async function withSimulator(pg: TestPostgres, body: (w: Workload) => Promise<void>) {
  await loadGetwellSchema(pg);
  const client = await pg.client();
  try {
    const sim = createCaptureSimulator({ client, tables: GETWELL_TABLES });
    const committed: SimCommitted[] = [];
    const workload = createWorkload(
      {
        ...sim,
        flush: async () => {
          const b = await sim.flush();
          committed.push(...b);
          return b;
        },
      },
      mulberry32(seed),
    );
    await body(workload);
    return { committed, finalState: workload.state(), stats: workload.stats() };
  } finally {
    await client.end();
  }
}

interface BridgeProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startBridge(project: Project): BridgeProcess {
  const child = spawn(process.execPath, [join(root, 'bin/banyan.js'), 'run', '--config', join(project.dir, 'banyan.yaml'), project.bridgeFile], {
    cwd: project.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-6000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { process: child, exited, output: () => out };
}

/** Waits until the transaction topic holds `count` distinct ENDs. */
async function waitForEnds(project: Project, count: number, bridge: BridgeProcess): Promise<void> {
  const watch = await watchAppended(project.transactionTopic);
  try {
    await watch.untilEnds(count, bridge);
  } finally {
    await watch.stop();
  }
}

/** Follows the transaction topic as a read_uncommitted consumer: boundaries appended, distinct ENDs. */
async function watchAppended(topic: string) {
  const consumer = oracleKafkajs().consumer({ groupId: uniqueTopic('banyan-test-cdc-watch'), readUncommitted: true, maxWaitTimeInMs: 5, maxBytes: 50 << 20 });
  let seen = 0;
  const ends = new Set<string>();
  let wake: (() => void) | undefined;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      for (const m of batch.messages) {
        const v = m.value!.toString();
        if (v.includes('"status":"END"')) ends.add((JSON.parse(v) as TransactionBoundary).id);
      }
      wake?.();
    },
  });
  const wait = async (done: () => boolean, what: string, child: BridgeProcess) => {
    let exited = false;
    void child.exited.then(() => {
      exited = true;
      wake?.();
    });
    const timer = setTimeout(() => {
      exited = true;
      wake?.();
    }, 300_000);
    try {
      while (!done()) {
        if (exited) throw new Error(`the bridge exited (or 300 s passed) before ${what} (${seen} boundaries, ${ends.size} ENDs): ${child.output()}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async until(count: number, child: BridgeProcess) {
      await wait(() => seen >= count, `${count} boundaries were appended`, child);
      return seen;
    },
    untilEnds: (count: number, child: BridgeProcess) => wait(() => ends.size >= count, `${count} ENDs`, child),
    stop: () => consumer.disconnect(),
  };
}

interface SeenChange {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly eventId: string;
  readonly commitLsn: string;
  readonly changeLsn: string;
  readonly event: ChangeEvent;
}

async function readAll(project: Project) {
  const changes: SeenChange[] = [];
  for (const topic of project.tableTopics) {
    changes.push(
      ...(await readWholeTopic(topic, { isolation: 'read_uncommitted', timeoutMs: 120_000 }, (r) => {
        const event = JSON.parse(r.value!.toString()) as ChangeEvent;
        return {
          topic,
          partition: r.partition,
          offset: BigInt(r.offset),
          key: r.key!.toString(),
          eventId: r.headers['banyan-event-id']!.toString(),
          commitLsn: event.source.commit_lsn,
          changeLsn: event.source.change_lsn!,
          event,
        };
      })),
    );
  }
  const boundaries = await readWholeTopic(project.transactionTopic, { isolation: 'read_uncommitted', timeoutMs: 120_000 }, (r) => ({
    eventId: r.headers['banyan-event-id']!.toString(),
    value: JSON.parse(r.value!.toString()) as TransactionBoundary,
  }));
  return { changes, boundaries };
}

/** Everything the must-show asserts of what reached Kafka; returns the duplicate change events. */
function verify(seen: Awaited<ReturnType<typeof readAll>>, committed: readonly SimCommitted[], finalState: ReadonlyMap<string, SimRow>) {
  // Duplicates: the same event id again, a copy of its original (ts_ms, the producer time, aside).
  const first = new Map<string, SeenChange>();
  const duplicates: SeenChange[] = [];
  for (const c of seen.changes) {
    const o = first.get(c.eventId);
    if (!o) first.set(c.eventId, c);
    else {
      assert.deepEqual({ ...c.event, ts_ms: 0 }, { ...o.event, ts_ms: 0 }, `duplicate ${c.eventId} is a copy of its original`);
      assert.equal(c.eventId, `${c.event.source.name}/${c.commitLsn}:${c.changeLsn}`, 'the event id is the position');
      duplicates.push(c);
    }
  }
  // Every change, nothing else.
  const expected = new Map<string, { tx: SimCommitted; e: SimCommitted['events'][number] }>(committed.flatMap((tx) => tx.events.map((e) => [`${tx.commitseq}:${e.intentseq}`, { tx, e }] as const)));
  const byPosition = new Map([...first.values()].map((c) => [`${c.commitLsn}:${c.changeLsn}`, c]));
  const missing = [...expected.keys()].filter((k) => !byPosition.has(k));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} of ${expected.size} changes missing`);
  assert.equal(byPosition.size, expected.size, 'no change that was not made');
  let updates = 0;
  for (const [k, c] of byPosition) {
    const { tx, e } = expected.get(k)!;
    const table = `${c.event.source.schema}.${c.event.source.table}`;
    assert.equal(table, e.table);
    assert.equal(c.event.op, e.op, `${k}: op`);
    assert.equal(c.event.transaction!.id, tx.commitseq);
    const keyColumn = KEY_OF[table]!;
    assert.equal(c.key, JSON.stringify({ [keyColumn]: e.row[keyColumn] }), `${k}: keyed by the entity key`);
    if (e.op === 'u') {
      updates++;
      assert.ok(c.event.before && c.event.after, `${k}: an update has before and after`);
      assert.equal(c.event.before[keyColumn], c.event.after[keyColumn]);
    }
  }
  assert.ok(updates > 1000, `updates paired (${updates})`);
  // Commit order per key, within each partition (first occurrences; a duplicate repeats an older one).
  const perKey = new Map<string, SeenChange[]>();
  for (const c of [...first.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition || Number(a.offset - b.offset) : a.topic < b.topic ? -1 : 1))) {
    const k = `${c.topic}|${c.key}`;
    const list = perKey.get(k) ?? [];
    list.push(c);
    perKey.set(k, list);
  }
  for (const [k, list] of perKey) {
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      assert.ok(a.commitLsn < b.commitLsn || (a.commitLsn === b.commitLsn && a.changeLsn < b.changeLsn), `${k}: ${a.commitLsn}:${a.changeLsn} before ${b.commitLsn}:${b.changeLsn}`);
    }
  }
  // The final state per key is the source's.
  const state = new Map<string, ChangeEvent>();
  for (const list of perKey.values()) {
    const last = list.at(-1)!;
    const table = `${last.event.source.schema}.${last.event.source.table}`;
    if (last.event.op !== 'd') state.set(`${table}:${(last.event.after as Record<string, unknown>)[KEY_OF[table]!]}`, last.event);
  }
  assert.equal(state.size, finalState.size, 'as many live entities as the source has');
  for (const [k, row] of finalState) {
    const e = state.get(k);
    assert.ok(e, `${k} is live in Kafka`);
    // FOR BIT DATA as base64, TIMESTAMP as ISO text (column-values.ts), everything else as written.
    for (const [col, v] of Object.entries(row)) assert.equal(e.after![col], Buffer.isBuffer(v) ? v.toString('base64') : col === 'UPDATED_AT' ? String(v).replace(' ', 'T') : v, `${k}.${col}`);
  }
  // Transaction boundaries: one BEGIN and one END per transaction, END counting its events per table.
  const ends = new Map<string, TransactionBoundary>();
  const begins = new Set<string>();
  for (const b of seen.boundaries) (b.value.status === 'END' ? ends.set(b.value.id, b.value) : begins.add(b.value.id));
  assert.equal(begins.size, committed.length);
  assert.equal(ends.size, committed.length);
  for (const tx of committed) {
    const end = ends.get(tx.commitseq);
    assert.ok(end && begins.has(tx.commitseq), `${tx.commitseq}: BEGIN and END`);
    assert.equal(end.event_count, tx.changes);
    const perTable = new Map<string, number>();
    for (const e of tx.events) perTable.set(e.table, (perTable.get(e.table) ?? 0) + 1);
    assert.deepEqual(new Map(end.data_collections!.map((d) => [d.data_collection, d.event_count])), perTable);
  }
  return { duplicates };
}

/** Duplicates as runs of consecutive positions in the global commit order. */
function duplicateRuns(all: readonly SeenChange[], duplicates: readonly SeenChange[]): Array<{ from: string; length: number }> {
  const order = [...new Set(all.map((c) => `${c.commitLsn}:${c.changeLsn}`))].sort();
  const index = new Map(order.map((p, i) => [p, i]));
  const dup = [...new Set(duplicates.map((d) => index.get(`${d.commitLsn}:${d.changeLsn}`)!))].sort((a, b) => a - b);
  const runs: Array<{ from: string; length: number; last: number }> = [];
  for (const i of dup) {
    const r = runs.at(-1);
    if (r && r.last === i - 1) {
      r.last = i;
      r.length++;
    } else runs.push({ from: order[i]!.split(':')[0]!, length: 1, last: i });
  }
  return runs.map(({ from, length }) => ({ from, length }));
}
