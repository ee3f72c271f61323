/**
 * Issue 13's crash test on the amqp transport (real ActiveMQ Artemis, real Kafka): 100,000
 * copybook messages on a queue, moved to Kafka by the gateway (`banyan start` as a child process)
 * while it is killed with SIGKILL three times at random moments and restarted, then left to drain
 * the queue. Afterwards every message is in Kafka (counted by the record number each one carries)
 * and the queue is empty. at_least_once: duplicates come only from a batch in flight at a crash (in
 * Kafka, checkpoint not yet saved), counted and stated, at most one batch per crash. exactly_once:
 * events and checkpoint are one Kafka transaction, and messages back on the queue that the
 * checkpoint names are skipped, so a read_committed consumer sees each message once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import rhea from 'rhea';
import { drainQueue, sendRaw, uniqueQueue } from '../../support/amqp.ts';
import { testAmqpPort } from '../../support/artemis.ts';
import { oracleKafkajs, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';
import { SEQUENCE_RECORD_LENGTH, sequenceFile } from '../../support/sequence-file.ts';

const MESSAGES = 100_000;
const BATCH = 1_000;
const PARTITIONS = 6;
const CRASHES = 3;
const root = new URL('../../../', import.meta.url).pathname;
const fixtures = new URL('../../fixtures/bridges/crash/', import.meta.url).pathname;
const seed = Number(process.env.BANYAN_CRASH_SEED ?? Date.now() % 1_000_000);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-amqp-crash-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

for (const delivery of (process.env.AMQP_CRASH_MODES?.split(',') ?? ['at_least_once', 'exactly_once']) as Array<'at_least_once' | 'exactly_once'>) {
test(`amqp -> Kafka, ${delivery}: 100,000 messages, the gateway SIGKILLed three times at random moments: every message in Kafka, the queue empty, ${delivery === 'exactly_once' ? 'each once for read_committed' : 'duplicates at most one batch per crash'}`, async (t) => {
  const random = mulberry32(seed);
  t.diagnostic(`seed ${seed} (BANYAN_CRASH_SEED=${seed} repeats these kill moments)`);
  const port = testAmqpPort();
  const queue = uniqueQueue('orders.in');
  const topic = uniqueTopic('amqp-crash');
  const project = await projectFor(port, queue, topic, delivery);

  // A legacy sender puts 100,000 records, one per message (AMQP data sections: bytes, never converted).
  const records = sequenceFile(MESSAGES);
  // Each with a message-id, as every JMS client sets one (JMSMessageID): the id events are deduplicated on.
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({ durable: true, message_id: `ID:legacy-sender-${i + 1}`, body: rhea.message.data_section(records.subarray(i * SEQUENCE_RECORD_LENGTH, (i + 1) * SEQUENCE_RECORD_LENGTH)) }));
  await sendRaw(port, queue, messages as never);

  const kills = Array.from({ length: CRASHES }, (_, i) => Math.round(MESSAGES * ((i + 0.25 + random() * 0.5) / CRASHES)));
  const appended = await watchAppended(topic);
  t.after(() => appended.stop());
  for (const [i, at] of kills.entries()) {
    const gateway = startGateway(project);
    const reached = await appended.until(at, gateway);
    gateway.process.kill('SIGKILL');
    const exit = await gateway.exited;
    assert.equal(exit.signal, 'SIGKILL', `gateway ${i + 1} was killed, not finished on its own (${exit.code}): ${gateway.output()}`);
    t.diagnostic(`kill ${i + 1}: SIGKILL once ${at} records were appended (seen ${reached})`);
  }
  const last = startGateway(project);
  await appended.until(MESSAGES, last);
  // Drained: nothing more arrives for a while, then the gateway stops cleanly (committing what it holds).
  let before = -1;
  while (appended.seen() !== before) {
    before = appended.seen();
    await new Promise((r) => setTimeout(r, 3000));
  }
  last.process.kill('SIGTERM');
  const exit = await last.exited;
  assert.equal(exit.code, 0, `the last gateway stops cleanly: ${last.output()}`);

  const events = await readWholeTopic(topic, { isolation: 'read_committed', timeoutMs: 120_000 }, (r) => (JSON.parse(r.value!.toString()) as { recordNo: number }).recordNo);
  const counts = new Map<number, number>();
  for (const n of events) counts.set(n, (counts.get(n) ?? 0) + 1);
  const missing = Array.from({ length: MESSAGES }, (_, i) => i + 1).filter((n) => !counts.has(n));
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} messages missing from Kafka`);
  const duplicates = events.length - MESSAGES;
  t.diagnostic(`${delivery}: ${events.length} events for ${MESSAGES} messages: ${duplicates} duplicates (bound ${delivery === 'exactly_once' ? 0 : `${CRASHES} x ${BATCH} = ${CRASHES * BATCH}`})`);
  if (delivery === 'exactly_once') assert.equal(duplicates, 0, 'read_committed sees each message once');
  else assert.ok(duplicates <= CRASHES * BATCH, `${duplicates} duplicates, more than one batch per crash`);
  assert.equal((await drainQueue(port, queue, 1000)).length, 0, 'every message was settled at the broker: the queue is empty');
});
}

interface Project {
  readonly dir: string;
}

async function projectFor(port: number, queue: string, topic: string, delivery: 'at_least_once' | 'exactly_once'): Promise<Project> {
  const project = await mkdtemp(join(dir, 'p-'));
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
  await copyFile(join(fixtures, 'sequence.cpy'), join(project, 'mappings', 'sequence.cpy'));
  const mapping = (await readFile(join(fixtures, 'sequence.mapping.yaml'), 'utf8')).replace('topic: legacy.sequence.v1', `topic: ${topic}`);
  await writeFile(join(project, 'mappings', 'sequence.yaml'), mapping);
  await writeFile(
    join(project, 'bridges', 'orders-amqp.yaml'),
    [
      `name: ${uniqueTopic('amqp-crash').toLowerCase()}`,
      'source:',
      `  amqp: { host: 127.0.0.1, port: ${port}, address: ${queue}, wait_interval_ms: 200 }`,
      'mapping: mappings/sequence.yaml',
      'sink:',
      `  kafka: { topic: ${topic} }`,
      `batch: { max_records: ${BATCH}, max_wait_ms: 50 }`,
      `delivery: ${delivery}`,
      `checkpoints: { topic: ${uniqueTopic('amqp-crash-checkpoints')} }`,
      '',
    ].join('\n'),
  );
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return { dir: project };
}

interface GatewayProcess {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startGateway(project: Project): GatewayProcess {
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

/** Counts records appended to the topic, duplicates included, as they arrive. */
async function watchAppended(topic: string) {
  const consumer = oracleKafkajs().consumer({ groupId: uniqueTopic('banyan-test-amqp-watch'), maxWaitTimeInMs: 5, maxBytes: 50 << 20 });
  let seen = 0;
  let wake: (() => void) | undefined;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      wake?.();
    },
  });
  return {
    seen: () => seen,
    async until(count: number, gateway: GatewayProcess): Promise<number> {
      let exited = false;
      void gateway.exited.then(() => {
        exited = true;
        wake?.();
      });
      while (seen < count) {
        if (exited) throw new Error(`the gateway exited before ${count} records were appended: ${gateway.output()}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        });
      }
      return seen;
    },
    stop: () => consumer.disconnect(),
  };
}

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
