/**
 * Persistent JMS messages through the API next to the raw kafkajs producer/consumer: same broker (a
 * local Kafka started here, in its own temp data dir), same run, interleaved rounds (the starting
 * contender alternates), same message count, body size and number of sends in flight.
 *
 * - jms: createJmsEngine().createContext() (AUTO_ACKNOWLEDGE), a queue consumer receiving in a
 *   loop, a producer sending PERSISTENT TextMessages with a completion listener (JMS 2.0 async
 *   send) and at most WINDOW sends outstanding; each send is acknowledged by Kafka (acks=all,
 *   idempotent), each receive acknowledged (offsets committed every commit_interval_ms).
 * - kafkajs: producer({ idempotent: true }) sending WINDOW messages per send() (acks=-1), one
 *   send at a time, and a consumer group with eachMessage and kafkajs' default auto-commit.
 * Throughput = messages / (first send .. last receive); latency = send call .. receive, per
 * message; CPU per message = this process's user+system CPU over the round / messages (producer
 * and consumer both live in this process). Each contender's median round is reported.
 *
 * Env: BENCH_JMS_MESSAGES (per round, default 20000), BENCH_JMS_WINDOW (default 200),
 * BENCH_JMS_ROUNDS (default 4); BANYAN_BENCH_QUICK=1 makes it 2,000 messages and 2 rounds.
 * Writes bench/results/jms.json and .md. Run: npm run bench -- jms
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaClient } from '../src/connectors/kafka/client.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import { createJmsEngine, queue, TextMessage } from '../src/jms/index.ts';
import { median } from './run-figures.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const MESSAGES = benchSize('BENCH_JMS_MESSAGES', 20_000, 2_000);
const WINDOW = benchSize('BENCH_JMS_WINDOW', 200, 200);
const ROUNDS = benchSize('BENCH_JMS_ROUNDS', 4, 2);
const BODY = 'x'.repeat(256);
const PARTITIONS = 3;
const version = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;

type Contender = 'jms' | 'kafkajs';
interface Round {
  readonly contender: Contender;
  readonly round: number;
  readonly msgsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuUsPerMsg: number;
}

/** Sends MESSAGES with at most WINDOW outstanding; `send(i)` resolves when Kafka acknowledged message i. */
async function windowed(send: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < MESSAGES) await send(next++);
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function figures(contender: Contender, round: number, sentAt: Float64Array, receivedAt: Float64Array, startedAt: number, cpu: NodeJS.CpuUsage): Round {
  const latencies = Array.from(receivedAt, (r, i) => r - sentAt[i]!).sort((a, b) => a - b);
  const seconds = (Math.max(...receivedAt) - startedAt) / 1000;
  return {
    contender,
    round,
    msgsPerSec: MESSAGES / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerMsg: (cpu.user + cpu.system) / MESSAGES,
  };
}

async function runJms(brokers: string[], round: number): Promise<Round> {
  const engine = createJmsEngine({ kafka: createKafkaClient({ brokers, client_id: 'bench-jms' }), mapping: { topics: { partitions: PARTITIONS } } });
  const name = `bench-${round}`;
  const ctx = await engine.createContext();
  const consumer = await ctx.createConsumer(queue(name));
  const producer = ctx.createProducer();
  await producer.send(queue(name), 'warm-up');
  await consumer.receive(30_000);
  const sentAt = new Float64Array(MESSAGES);
  const receivedAt = new Float64Array(MESSAGES);
  const cpu0 = process.cpuUsage();
  const startedAt = performance.now();
  const receiving = (async () => {
    for (let got = 0; got < MESSAGES; got++) {
      const m = await consumer.receive(30_000);
      if (m === null) throw new Error(`jms round ${round}: ${got} of ${MESSAGES} received`);
      receivedAt[m.getIntProperty('n')] = performance.now();
    }
  })();
  await windowed(
    (i) =>
      new Promise<void>((resolve, reject) => {
        const m = new TextMessage(BODY).setIntProperty('n', i);
        sentAt[i] = performance.now();
        void producer.setAsync({ onCompletion: () => resolve(), onException: (_m, err) => reject(err) }).send(queue(name), m);
      }),
  );
  await receiving;
  const result = figures('jms', round, sentAt, receivedAt, startedAt, process.cpuUsage(cpu0));
  await ctx.close();
  await engine.close();
  return result;
}

async function runKafkajs(brokers: string[], round: number): Promise<Round> {
  const kafka = new Kafka({ brokers, clientId: 'bench-kafkajs', logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${round}`;
  const admin = createTopicAdmin({ kafka: createKafkaClient({ brokers, client_id: 'bench-admin' }), defaults: { partitions: PARTITIONS } });
  await admin.ensureTopics([{ topic }]);
  await admin.close();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-raw-${round}`, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const sentAt = new Float64Array(MESSAGES);
  const receivedAt = new Float64Array(MESSAGES);
  let got = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const n = Number(message.headers!['n']!.toString());
      if (n < 0) return; // warm-up
      receivedAt[n] = performance.now();
      if (++got === MESSAGES) done();
    },
  });
  await producer.send({ topic, acks: -1, messages: [{ value: 'warm-up', headers: { n: '-1' } }] });
  const cpu0 = process.cpuUsage();
  const startedAt = performance.now();
  // kafkajs' idempotent producer has one request in flight: one message per send() would serialise
  // round trips, so the baseline batches by hand, WINDOW messages per send(), as a kafkajs user would.
  for (let start = 0; start < MESSAGES; start += WINDOW) {
    const messages = [];
    for (let i = start; i < Math.min(start + WINDOW, MESSAGES); i++) {
      sentAt[i] = performance.now();
      messages.push({ value: BODY, headers: { n: String(i) } });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await all;
  const result = figures('kafkajs', round, sentAt, receivedAt, startedAt, process.cpuUsage(cpu0));
  await consumer.disconnect();
  await producer.disconnect();
  return result;
}

const dataDir = await mkdtemp(join(tmpdir(), 'banyan-bench-jms-'));
const broker = await startLocalKafka({ dataDir, version });
try {
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Contender[] = round % 2 === 0 ? ['jms', 'kafkajs'] : ['kafkajs', 'jms'];
    for (const c of order) {
      const r = c === 'jms' ? await runJms(broker.brokers, round) : await runKafkajs(broker.brokers, round);
      rounds.push(r);
      console.log(`round ${round} ${c}: ${r.msgsPerSec.toFixed(0)} msg/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, ${r.cpuUsPerMsg.toFixed(0)} us CPU/msg`);
    }
  }
  const summary = (c: Contender) => {
    const rs = rounds.filter((r) => r.contender === c);
    return {
      msgsPerSec: median(rs.map((r) => r.msgsPerSec)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      cpuUsPerMsg: median(rs.map((r) => r.cpuUsPerMsg)),
    };
  };
  const jms = summary('jms');
  const raw = summary('kafkajs');
  const ratio = jms.msgsPerSec / raw.msgsPerSec;
  const result = {
    benchmark: 'jms',
    kafka: version,
    messages: MESSAGES,
    window: WINDOW,
    bodyBytes: BODY.length,
    partitions: PARTITIONS,
    rounds: ROUNDS,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    jms,
    kafkajs: raw,
    throughputRatio: ratio,
    cpuRatio: jms.cpuUsPerMsg / raw.cpuUsPerMsg,
    all: rounds,
  };
  const dir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'jms.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, s: typeof jms) => `| ${name} | ${s.msgsPerSec.toFixed(0)} | ${s.p50Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} | ${s.cpuUsPerMsg.toFixed(0)} |`;
  const md = [
    '# JMS on Kafka: persistent send + receive',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `Kafka ${version}, ${MESSAGES} messages of ${BODY.length} bytes per round, ${WINDOW} sends in flight, ${PARTITIONS} partitions, median of ${ROUNDS} interleaved rounds; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}.`,
    '',
    '| contender | msg/s | p50 ms | p99 ms | CPU us/msg |',
    '|---|---|---|---|---|',
    row('JMS API (AUTO_ACKNOWLEDGE, async send)', jms),
    row(`raw kafkajs (idempotent producer, ${WINDOW} messages per send, eachMessage)`, raw),
    '',
    `Throughput ratio JMS / kafkajs: **${ratio.toFixed(2)}x**; CPU per message ratio: ${(jms.cpuUsPerMsg / raw.cpuUsPerMsg).toFixed(2)}x.`,
    '',
    'Run: `npm run bench -- jms` (bench/jms.bench.ts).',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'jms.md'), md);
} finally {
  await broker.stop();
  await rm(dataDir, { recursive: true, force: true });
}
