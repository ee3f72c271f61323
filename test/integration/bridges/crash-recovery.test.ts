/**
 * Issue 12's crash test: a file bridge moving 200,000 records into Kafka, run by the gateway
 * (`banyan start` as a child process) and killed with SIGKILL three times at random moments while it
 * publishes, restarted each time, then left to finish. Afterwards every record is counted by its
 * record number and event id:
 *
 * - at_least_once: every record is there; duplicates come only from the batch in flight at each
 *   crash (published, checkpoint not yet saved), so at most one batch per crash: at most 3 runs of
 *   consecutive record numbers, each at most `max_records` long, each duplicate an exact copy with
 *   its original's event id. The count is printed.
 * - exactly_once: a read_committed consumer sees each record exactly once; a read_uncommitted one
 *   also sees the aborted transactions' records (printed).
 *
 * The kill moments are random (seed printed): each is a random point in its third of the run,
 * measured in records appended to the topic as a read_uncommitted consumer sees them, so a kill
 * lands soon after some batch's records reached the broker: somewhere in that batch's
 * write -> checkpoint/commit cycle or in the read of the next. Each restarted gateway waits for the
 * killed one's ownership session to expire (6 s here) before it owns the bridge again.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { oracleKafkajs, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';
import { sequenceFile } from '../../support/sequence-file.ts';

const RECORDS = 200_000;
const MAX_RECORDS = 1_000;
const PARTITIONS = 6;
const CRASHES = 3;
const root = new URL('../../../', import.meta.url).pathname;
const fixtures = new URL('../../fixtures/bridges/crash/', import.meta.url).pathname;
const seed = Number(process.env.BANYAN_CRASH_SEED ?? Date.now() % 1_000_000);
const random = mulberry32(seed);
let dir: string;
let file: Buffer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-crash-'));
  file = sequenceFile(RECORDS);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const delivery of ['at_least_once', 'exactly_once'] as const) {
  test(`${delivery}: 200,000 records, SIGKILL three times at random moments, restarted: every record in Kafka, ${delivery === 'exactly_once' ? 'each exactly once for read_committed' : 'duplicates at most one batch per crash, each with its event id'}`, async (t) => {
    const project = await projectFor(delivery);
    t.diagnostic(`seed ${seed} (BANYAN_CRASH_SEED=${seed} repeats these kill moments)`);

    // Three kills, each at a random point in its third of the run (by published offsets), then a run to the end.
    const kills = Array.from({ length: CRASHES }, (_, i) => Math.round(RECORDS * ((i + 0.25 + random() * 0.5) / CRASHES)));
    const appended = await watchAppended(project.topic);
    t.after(() => appended.stop());
    for (const [i, at] of kills.entries()) {
      const child = startBridge(project);
      const reached = await appended.until(at, child);
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      assert.equal(exit.signal, 'SIGKILL', `run ${i + 1} was killed, not finished on its own (${exit.code}): ${child.output()}`);
      t.diagnostic(`kill ${i + 1}: SIGKILL once ${at} records were appended (seen ${reached}, duplicates and aborted ones included)`);
    }
    const last = startBridge(project);
    await waitForArchive(project, last);
    last.process.kill('SIGTERM');
    const exit = await last.exited;
    assert.equal(exit.code, 0, `the final gateway finishes the file and stops cleanly: ${last.output()}`);

    const committed = await readWholeTopic(project.topic, { isolation: 'read_committed', timeoutMs: 120_000 }, summary);
    const counts = countByRecord(committed);
    const missing = [...Array(RECORDS).keys()].map((i) => i + 1).filter((n) => !counts.has(n));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} records missing`);
    assert.equal(counts.size, RECORDS, 'every record number, nothing else');

    // The same record always carries the same event id and value: a duplicate is recognisable.
    const byEventId = new Map<string, string>();
    for (const r of committed) {
      const seen = byEventId.get(r.eventId);
      if (seen !== undefined) assert.equal(r.value, seen, `duplicate ${r.eventId} is a copy of its original`);
      else byEventId.set(r.eventId, r.value);
    }
    assert.equal(byEventId.size, RECORDS, 'one event id per record');
    const duplicates = committed.length - RECORDS;

    if (delivery === 'at_least_once') {
      const runs = duplicateRuns(counts);
      t.diagnostic(`at_least_once: ${committed.length} records read, ${duplicates} duplicates (bound ${CRASHES} x ${MAX_RECORDS} = ${CRASHES * MAX_RECORDS}), in ${runs.length} runs: ${runs.map((r) => `${r.from}-${r.to}`).join(', ') || 'none'}`);
      assert.ok(duplicates <= CRASHES * MAX_RECORDS, `${duplicates} duplicates, more than one batch per crash`);
      assert.ok(runs.length <= CRASHES, `duplicates from ${runs.length} separate batches for ${CRASHES} crashes`);
      for (const r of runs) assert.ok(r.to - r.from + 1 <= MAX_RECORDS, `duplicate run ${r.from}-${r.to} is longer than a batch`);
      assert.ok([...counts.values()].every((c) => c <= 2), 'no record more than twice');
    } else {
      assert.equal(duplicates, 0, 'read_committed sees each record exactly once');
      const uncommitted = await readWholeTopic(project.topic, { isolation: 'read_uncommitted', timeoutMs: 120_000 }, summary);
      const extra = uncommitted.length - RECORDS;
      t.diagnostic(`exactly_once: read_committed ${committed.length} records, 0 duplicates; read_uncommitted ${uncommitted.length} (${extra} from aborted transactions)`);
      assert.equal(countByRecord(uncommitted).size, RECORDS);
      assert.ok(extra <= CRASHES * MAX_RECORDS, `${extra} aborted records, more than one transaction per crash`);
    }
  });
}

interface Project {
  readonly dir: string;
  readonly topic: string;
  readonly bridgeFile: string;
}

/** A project directory as a migration team has it: banyan.yaml, the mapping, a bridge file, the inbox with the file. */
async function projectFor(delivery: 'at_least_once' | 'exactly_once'): Promise<Project> {
  const project = await mkdtemp(join(dir, `${delivery}-`));
  const topic = uniqueTopic(`crash-${delivery}`);
  await writeFile(
    join(project, 'banyan.yaml'),
    [
      'kafka:',
      `  brokers: ${testBrokers().join(',')}`,
      `  topics: { partitions: ${PARTITIONS} }`,
      'http: { port: 0 }',
      'ownership: { session_timeout_ms: 6000, heartbeat_interval_ms: 1000 }',
      '',
    ].join('\n'),
  );
  await mkdir(join(project, 'mappings'));
  await mkdir(join(project, 'bridges'));
  await mkdir(join(project, 'inbox'));
  await copyFile(join(fixtures, 'sequence.cpy'), join(project, 'mappings', 'sequence.cpy'));
  const mapping = (await readFile(join(fixtures, 'sequence.mapping.yaml'), 'utf8')).replace('topic: legacy.sequence.v1', `topic: ${topic}`);
  await writeFile(join(project, 'mappings', 'sequence.yaml'), mapping);
  const bridgeFile = join(project, 'bridges', 'sequence.yaml');
  await writeFile(
    bridgeFile,
    [
      `name: ${uniqueTopic(`crash-${delivery}`)}`,
      'source:',
      '  file: { dir: inbox }',
      'mapping: mappings/sequence.yaml',
      'sink:',
      `  kafka: { topic: ${topic} }`,
      `batch: { max_records: ${MAX_RECORDS}, max_wait_ms: 50 }`,
      `delivery: ${delivery}`,
      `checkpoints: { topic: ${uniqueTopic('crash-checkpoints')} }`,
      '',
    ].join('\n'),
  );
  await writeFile(join(project, 'inbox', 'SEQUENCE.DAT'), file);
  // Created here (as the bridge would) so the watching consumer can subscribe before the first run.
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return { dir: project, topic, bridgeFile };
}

/** The file source moves the file to archive/ once all of it is committed. */
async function waitForArchive(project: Project, gateway: BridgeProcess): Promise<void> {
  let exited = false;
  void gateway.exited.then(() => (exited = true));
  for (const deadline = Date.now() + 240_000; Date.now() < deadline; ) {
    if (await stat(join(project.dir, 'inbox', 'archive', 'SEQUENCE.DAT')).then(() => true, () => false)) return;
    if (exited) throw new Error(`the gateway exited before finishing the file: ${gateway.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the file was not finished within 240 s: ${gateway.output()}`);
}

interface BridgeProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startBridge(project: Project): BridgeProcess {
  const child = spawn(process.execPath, [join(root, 'bin/banyan.js'), 'start', '--config', join(project.dir, 'banyan.yaml')], {
    cwd: project.dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { process: child, exited, output: () => out };
}

/**
 * Counts what lands in the topic as a read_uncommitted consumer sees it: records of open
 * transactions too, the moment they are appended (the admin's end offsets are read_committed, so
 * in exactly_once they would only move after a commit, and every kill would land between batches).
 */
async function watchAppended(topic: string): Promise<{ until(count: number, child: BridgeProcess): Promise<number>; stop(): Promise<void> }> {
  const consumer = oracleKafkajs().consumer({ groupId: uniqueTopic('banyan-test-crash-watch'), readUncommitted: true, maxWaitTimeInMs: 5, maxBytes: 50 << 20 });
  let seen = 0;
  let wake: (() => void) | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        wake?.();
      },
    });
  } catch (err) {
    await consumer.disconnect().catch(() => {});
    throw err;
  }
  return {
    async until(count, child) {
      let exited = false;
      void child.exited.then(() => {
        exited = true;
        wake?.();
      });
      while (seen < count) {
        if (exited) throw new Error(`the bridge exited before ${count} records were appended: ${child.output()}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return seen;
    },
    stop: () => consumer.disconnect(),
  };
}

interface Seen {
  readonly recordNo: number;
  readonly eventId: string;
  readonly value: string;
}

function summary(r: { value: Buffer | null; headers: Record<string, Buffer | undefined> }): Seen {
  const value = r.value!.toString();
  return { recordNo: (JSON.parse(value) as { recordNo: number }).recordNo, eventId: r.headers['banyan-event-id']!.toString(), value };
}

function countByRecord(records: readonly Seen[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.recordNo, (counts.get(r.recordNo) ?? 0) + 1);
  return counts;
}

/** Record numbers seen more than once, as runs of consecutive numbers (a batch is consecutive records). */
function duplicateRuns(counts: Map<number, number>): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  for (let n = 1; n <= RECORDS; n++) {
    if ((counts.get(n) ?? 0) < 2) continue;
    const last = runs.at(-1);
    if (last && last.to === n - 1) last.to = n;
    else runs.push({ from: n, to: n });
  }
  return runs;
}

/** A small seeded PRNG (mulberry32), so a failing run's kill moments can be repeated. */
function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
