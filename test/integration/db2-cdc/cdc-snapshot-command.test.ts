/**
 * `banyan cdc snapshot --table` end to end (issue 14): a Db2 CDC bridge running as a `banyan run`
 * child process (real Kafka, the PostgreSQL stand-in fed by the capture simulator), started at the
 * current end (`snapshot: no_data`), so the GW.MEMBER rows written before it are known only to the
 * table. While the simulator keeps committing inserts, updates and deletes, the command writes the
 * signal; the bridge is SIGKILLed once the snapshot has written a few chunks and started again.
 *
 * Shown: the snapshot completes (STARTED .. COMPLETED for the command's signal id); the GW.MEMBER
 * topic replayed per key (last event wins, deletes remove) equals the table; the snapshot resumed
 * after the last checkpointed chunk: no key of the first chunk was read twice, and the keys read
 * twice are at most one chunk (`chunk_rows`): the batch in flight at the kill, written but not
 * checkpointed, is read again after the restart (at-least-once: one batch is written while the next
 * is read, and a batch holds one chunk).
 *
 * Plus the command's errors: an uncaptured table, an unknown bridge, no --table.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ChangeEvent, TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { createCaptureSimulator, type SimCommitted } from '../../support/asn-capture-simulator.ts';
import { runBanyan } from '../../support/cli.ts';
import { createWorkload, GETWELL_TABLES, KEY_OF, loadGetwellSchema, mulberry32 } from '../../support/getwell-cdc.ts';
import { oracleKafkajs, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { startPostgres, type TestPostgres } from '../../support/postgres.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const root = new URL('../../../', import.meta.url).pathname;
const CHUNK_ROWS = 50;
const seed = Number(process.env.BANYAN_CDC_SEED ?? Date.now() % 1_000_000);
let dir: string;
let pg: TestPostgres;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-cdc-snapshot-'));
  pg = await startPostgres();
  await loadGetwellSchema(pg);
});
after(async () => {
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Project {
  readonly dir: string;
  readonly config: string;
  readonly bridgeFile: string;
  readonly prefix: string;
}

async function projectFor(label: string): Promise<Project> {
  const project = await mkdtemp(join(dir, `${label}-`));
  const prefix = uniqueTopic(`gw-cdc-${label}`);
  const config = join(project, 'banyan.yaml');
  await writeFile(config, ['kafka:', `  brokers: ${testBrokers().join(',')}`, '  topics: { partitions: 3 }', 'http: { port: 0 }', 'ownership: { session_timeout_ms: 6000, heartbeat_interval_ms: 1000 }', ''].join('\n'));
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
      '    snapshot: no_data',
      '    poll_interval_ms: { min: 20, max: 200 }',
      `    incremental_snapshot: { chunk_rows: ${CHUNK_ROWS}, signal_poll_ms: 200 }`,
      'sink:',
      `  kafka: { topic: ${prefix} }`,
      'batch: { max_records: 500, max_wait_ms: 50 }',
      `checkpoints: { topic: ${prefix}.checkpoints }`,
      '',
    ].join('\n'),
  );
  // Created here (as the bridge would) so the watchers can subscribe before the first run.
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        ...GETWELL_TABLES.map((x) => ({ topic: `${prefix}.${x.name}`, numPartitions: 3, replicationFactor: 1 })),
        { topic: `${prefix}.notifications`, numPartitions: 3, replicationFactor: 1 },
        ...['transaction', 'signals'].map((s) => ({ topic: `${prefix}.${s}`, numPartitions: 1, replicationFactor: 1 })),
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return { dir: project, config, bridgeFile, prefix };
}

interface BridgeProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startBridge(project: Project): BridgeProcess {
  const child = spawn(process.execPath, [join(root, 'bin/banyan.js'), 'run', '--config', project.config, project.bridgeFile], {
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

interface Notice {
  readonly type: string;
  readonly additional_data: Record<string, string>;
}

/** Follows a topic (read_committed: what the bridge acknowledged) and waits for a condition on what it holds. */
async function follow<T>(topic: string, parse: (value: string) => T) {
  const consumer = oracleKafkajs().consumer({ groupId: uniqueTopic('banyan-test-cdc-follow'), maxWaitTimeInMs: 50 });
  const seen: T[] = [];
  let wake: (() => void) | undefined;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(parse(message.value!.toString()));
      wake?.();
    },
  });
  return {
    seen,
    async until(done: (seen: readonly T[]) => boolean, what: string, child: BridgeProcess) {
      let exited = false;
      void child.exited.then(() => {
        exited = true;
        wake?.();
      });
      const timer = setTimeout(() => {
        exited = true;
        wake?.();
      }, 600_000);
      try {
        while (!done(seen)) {
          if (exited) throw new Error(`the bridge exited (or 600 s passed) before ${what} (${seen.length} records on ${topic}): ${child.output()}`);
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        clearTimeout(timer);
      }
    },
    stop: () => consumer.disconnect(),
  };
}

test('banyan cdc snapshot --table while writes go on, the bridge SIGKILLed mid-snapshot and restarted: completes, resumes after the last chunk, every row once in the final state', async (t) => {
  t.diagnostic(`seed ${seed} (BANYAN_CDC_SEED=${seed} repeats the workload)`);
  const project = await projectFor('command');
  const client = await pg.client();
  t.after(() => client.end());
  const sim = createCaptureSimulator({ client, tables: GETWELL_TABLES, sourceTables: { keyOf: KEY_OF } });
  const committed: SimCommitted[] = [];
  const workload = createWorkload({ ...sim, flush: async () => {
    const b = await sim.flush();
    committed.push(...b);
    return b;
  } }, mulberry32(seed));
  // Rows the bridge never streams: written before it starts at the current end.
  await workload.run(1_500, 50);
  const before = [...workload.state().keys()].filter((k) => k.startsWith('GW.MEMBER:')).length;
  t.diagnostic(`${before} GW.MEMBER rows before the bridge started`);

  const notices = await follow<Notice>(`${project.prefix}.notifications`, (v) => JSON.parse(v) as Notice);
  const ends = await follow<string>(`${project.prefix}.transaction`, (v) => (JSON.parse(v) as TransactionBoundary).status === 'END' ? (JSON.parse(v) as TransactionBoundary).id : '');
  t.after(() => notices.stop());
  t.after(() => ends.stop());

  let first = startBridge(project);
  t.after(() => first.process.kill('SIGKILL'));
  // Writes go on the whole time, a few transactions per Capture commit interval.
  let writing = true;
  const writer = (async () => {
    while (writing) {
      await workload.run(3, 3);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  // The bridge streams (an END of a transaction committed after it started) before the signal is sent.
  const startedAt = committed.length;
  await ends.until((s) => s.some((id) => committed.slice(startedAt).some((c) => c.commitseq === id)), 'the bridge streamed a change', first);

  const cli = await runBanyan(['cdc', 'snapshot', '--table', 'GW.MEMBER', '--bridge', project.bridgeFile, '--config', project.config], { cwd: project.dir });
  assert.equal(cli.code, 0, cli.stderr);
  const reply = JSON.parse(cli.stdout) as { signal_id: string; signal_topic: string; notification_topic: string };
  assert.equal(reply.signal_topic, `${project.prefix}.signals`);
  assert.equal(reply.notification_topic, `${project.prefix}.notifications`);
  const ours = (s: readonly Notice[]) => s.filter((n) => n.additional_data.signal_id === reply.signal_id);

  await notices.until((s) => ours(s).filter((n) => n.type === 'IN_PROGRESS').length >= 3, 'three chunks were written', first);
  first.process.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL', `the first run was killed, not finished: ${first.output()}`);
  const chunksBeforeKill = ours(notices.seen).filter((n) => n.type === 'IN_PROGRESS').length;
  t.diagnostic(`SIGKILL after ${chunksBeforeKill} IN_PROGRESS notifications`);

  const second = startBridge(project);
  first = second;
  await notices.until((s) => ours(s).some((n) => n.type === 'COMPLETED'), 'the snapshot completed', second);
  writing = false;
  await writer;
  // Everything committed is streamed: the END of the last transaction.
  const last = committed.at(-1)!.commitseq;
  await ends.until((s) => s.includes(last), `the END of the last transaction ${last}`, second);
  second.process.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, `the bridge stops cleanly: ${second.output()}`);

  const kinds = ours(notices.seen).map((n) => n.type);
  assert.equal(kinds[0], 'STARTED');
  assert.equal(kinds.at(-1), 'COMPLETED');
  assert.ok(!kinds.includes('ABORTED'), kinds.join(','));
  assert.equal(kinds.filter((k) => k === 'STARTED').length, 1, 'the signal was executed once (its offset is in the checkpoint)');

  const events = await readWholeTopic(`${project.prefix}.GW.MEMBER`, { isolation: 'read_uncommitted', timeoutMs: 120_000 }, (r) => JSON.parse(r.value!.toString()) as ChangeEvent);
  const idOf = (e: ChangeEvent) => Number((e.after ?? e.before)!.MEMBER_ID);
  const reads = events.filter((e) => e.op === 'r');
  assert.ok(reads.every((e) => e.source.snapshot === 'incremental'));
  const readsPerKey = new Map<number, number>();
  for (const e of reads) readsPerKey.set(idOf(e), (readsPerKey.get(idOf(e)) ?? 0) + 1);
  const twice = [...readsPerKey].filter(([, n]) => n > 1);
  const firstChunk = [...readsPerKey.keys()].sort((a, b) => a - b).slice(0, CHUNK_ROWS);
  t.diagnostic(`${reads.length} snapshot reads of ${readsPerKey.size} keys, ${twice.length} keys read twice (bound: one chunk, ${CHUNK_ROWS}), ${events.length - reads.length} streamed changes`);
  assert.ok(twice.every(([, n]) => n === 2), 'no key read more than twice');
  assert.ok(twice.length <= CHUNK_ROWS, `${twice.length} keys read twice: more than the chunk in flight at the kill`);
  assert.deepEqual(firstChunk.filter((k) => readsPerKey.get(k)! > 1), [], 'the snapshot did not start over: the first chunk was read once');

  // Replayed per key in topic order (one key is one partition), the topic equals the table.
  const state = new Map<number, ChangeEvent>();
  for (const e of events) (e.op === 'd' ? state.delete(idOf(e)) : state.set(idOf(e), e));
  const expected = new Map([...workload.state()].filter(([k]) => k.startsWith('GW.MEMBER:')).map(([k, row]) => [Number(k.slice('GW.MEMBER:'.length)), row]));
  const rows = await client.query<{ member_id: number }>('SELECT member_id FROM gw.member');
  assert.equal(rows.rows.length, expected.size, 'the simulator\'s state is the table\'s');
  assert.deepEqual([...state.keys()].filter((k) => !expected.has(k)), [], 'no deleted row comes back');
  assert.deepEqual([...expected.keys()].filter((k) => !state.has(k)), [], 'no row is missing');
  for (const [k, row] of expected) {
    const e = state.get(k)!;
    for (const [col, v] of Object.entries(row)) assert.equal(e.after![col], col === 'UPDATED_AT' ? String(v).replace(' ', 'T') : v, `GW.MEMBER:${k}.${col}`);
  }
});

test('banyan cdc snapshot: an uncaptured table, an unknown bridge and no --table are usage errors (exit 2) that say what is wrong', async () => {
  const project = await projectFor('errors');
  const base = ['--config', project.config];
  const table = await runBanyan(['cdc', 'snapshot', '--table', 'GW.NOPE', ...base], { cwd: project.dir });
  assert.equal(table.code, 2);
  assert.match(table.stderr, new RegExp(`bridge ${project.prefix} does not capture GW\\.NOPE \\(it captures GW\\.MEMBER, GW\\.CLAIM, GW\\.RX\\)`));
  const bridge = await runBanyan(['cdc', 'snapshot', '--table', 'GW.MEMBER', '--bridge', 'no-such-bridge', ...base], { cwd: project.dir });
  assert.equal(bridge.code, 2);
  assert.match(bridge.stderr, new RegExp(`no bridge named no-such-bridge \\(db2_cdc bridges: ${project.prefix}\\)`));
  const none = await runBanyan(['cdc', 'snapshot', ...base], { cwd: project.dir });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--table SCHEMA\.TABLE is required/);
  assert.match(none.stderr, /usage: banyan cdc snapshot --table SCHEMA\.TABLE/);
  // Nothing was written to the signal topic by the failed commands.
  assert.deepEqual(await readWholeTopic(`${project.prefix}.signals`, { isolation: 'read_uncommitted' }), []);
});
