/**
 * Unmodified JMS applications (Qpid JMS over AMQP 1.0), persistent send + receive, through Banyan
 * (the AMQP endpoint + the JMS engine + a local Kafka, acks=all) and through ActiveMQ Artemis (NIO
 * journal) on the same machine, in the same run, in interleaved rounds (the starting contender
 * alternates); one warm-up round per contender first, discarded.
 *
 * Load: the Java driver (test/java/jms-interop/JmsDriver.java `bench`) in its own JVM: PRODUCERS
 * connections each sending PERSISTENT 1 KiB BytesMessages synchronously (a send returns once the
 * broker settled it: for Banyan, once Kafka acknowledged it with acks=all), CONSUMERS connections
 * with AUTO_ACKNOWLEDGE listeners, one queue per round. Throughput = messages / (first send .. last
 * receive); latency = System.nanoTime() in a message property at send .. receive (same JVM).
 * Server CPU per message: Banyan = this process (endpoint + engine) + the Kafka JVM; Artemis = its
 * JVM (from /proc/<pid>/stat). Each contender's median round is reported, with the spread (min..max).
 *
 * Env: BENCH_JMS_AMQP_MESSAGES (per round, default 5000), BENCH_JMS_AMQP_PRODUCERS (default 8),
 * BENCH_JMS_AMQP_CONSUMERS (default 2), BENCH_JMS_AMQP_ROUNDS (default 3); BANYAN_BENCH_QUICK=1
 * makes it 500 messages. Writes bench/results/jms-amqp.json and .md. Run: npm run bench -- jms-amqp
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient } from '../src/connectors/kafka/client.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { createJmsAmqpEndpoint } from '../src/jms/amqp/endpoint.ts';
import { jmsAmqpSettingsSchema } from '../src/jms/amqp/spec.ts';
import { createJmsEngine } from '../src/jms/index.ts';
import { ARTEMIS_VERSION, startLocalArtemis } from '../test/support/artemis.ts';
import type { JmsBroker } from '../test/support/jms-conformance.ts';
import { runJmsDriver } from '../test/support/jms-driver.ts';
import { median } from './run-figures.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const MESSAGES = benchSize('BENCH_JMS_AMQP_MESSAGES', 5_000, 500);
const PRODUCERS = benchSize('BENCH_JMS_AMQP_PRODUCERS', 8, 4);
const CONSUMERS = benchSize('BENCH_JMS_AMQP_CONSUMERS', 2, 2);
const ROUNDS = benchSize('BENCH_JMS_AMQP_ROUNDS', 3, 3);
const BODY_BYTES = 1024;
const PARTITIONS = 4;
const version = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

type Contender = 'banyan' | 'artemis';
interface Round {
  readonly contender: Contender;
  readonly round: number;
  readonly msgsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server side (broker processes) CPU per message. */
  readonly serverCpuUsPerMsg: number;
  /** The Java client's CPU per message. */
  readonly clientCpuUsPerMsg: number;
  /** Redeliveries the consumers saw on top of the distinct messages (at-least-once: a consumer joining the queue's group rebalances it). */
  readonly duplicates: number;
}

/** user + system CPU seconds of another process so far. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14, 15)
}

async function runRound(contender: Contender, round: number, broker: JmsBroker, serverCpu: () => number): Promise<Round> {
  const cpu0 = serverCpu();
  const [out] = await runJmsDriver(broker, ['bench', `bench.${contender}.${round}`, String(PRODUCERS), String(CONSUMERS), String(MESSAGES), String(BODY_BYTES)]);
  const cpu = serverCpu() - cpu0;
  if (!out || out.received !== MESSAGES) throw new Error(`${contender} round ${round}: the driver reported ${JSON.stringify(out)}`);
  const seconds = (out.elapsedNanos as number) / 1e9;
  return {
    contender,
    round,
    msgsPerSec: MESSAGES / seconds,
    p50Ms: (out.p50Nanos as number) / 1e6,
    p99Ms: (out.p99Nanos as number) / 1e6,
    serverCpuUsPerMsg: (cpu * 1e6) / MESSAGES,
    clientCpuUsPerMsg: (out.clientCpuNanos as number) / 1e3 / MESSAGES,
    duplicates: (out.duplicates as number | undefined) ?? 0,
  };
}

const kafkaDir = await mkdtemp(join(tmpdir(), 'banyan-bench-jms-amqp-kafka-'));
const artemisDir = await mkdtemp(join(tmpdir(), 'banyan-bench-jms-amqp-artemis-'));
const kafka = await startLocalKafka({ dataDir: kafkaDir, version });
const artemis = await startLocalArtemis({ dataDir: artemisDir });
const engine = createJmsEngine({ kafka: createKafkaClient({ brokers: kafka.brokers, client_id: 'bench-jms-amqp' }), mapping: { topics: { partitions: PARTITIONS } } });
const user = { username: 'bench', password: 'bench-secret' };
const endpoint = createJmsAmqpEndpoint({
  settings: jmsAmqpSettingsSchema.parse({ host: '127.0.0.1', port: 0, users: [user] }),
  engine,
  kafka: createKafkaClient({ brokers: kafka.brokers, client_id: 'bench-jms-amqp-endpoint' }),
  events: { error: (e) => console.error(`endpoint error at ${e.where}: ${e.error.message}`) },
});
try {
  const banyanPort = (await endpoint.start()).port;
  const brokers: Record<Contender, { broker: JmsBroker; cpu: () => number }> = {
    banyan: {
      broker: { url: `amqp://127.0.0.1:${banyanPort}`, user: user.username, password: user.password },
      cpu: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 + processCpuSeconds(kafka.pid); },
    },
    artemis: { broker: { url: `amqp://127.0.0.1:${artemis.port}` }, cpu: () => processCpuSeconds(artemis.pid) },
  };
  for (const c of ['banyan', 'artemis'] as const) {
    const r = await runRound(c, -1, brokers[c].broker, brokers[c].cpu);
    console.log(`warm-up ${c} (discarded): ${r.msgsPerSec.toFixed(0)} msg/s, p99 ${r.p99Ms.toFixed(1)} ms`);
  }
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Contender[] = round % 2 === 0 ? ['banyan', 'artemis'] : ['artemis', 'banyan'];
    for (const c of order) {
      const r = await runRound(c, round, brokers[c].broker, brokers[c].cpu);
      rounds.push(r);
      console.log(`round ${round} ${c}: ${r.msgsPerSec.toFixed(0)} msg/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, server ${r.serverCpuUsPerMsg.toFixed(0)} us CPU/msg`);
    }
  }
  const summary = (c: Contender) => {
    const rs = rounds.filter((r) => r.contender === c);
    const spread = (f: (r: Round) => number) => ({ min: Math.min(...rs.map(f)), max: Math.max(...rs.map(f)) });
    return {
      msgsPerSec: median(rs.map((r) => r.msgsPerSec)),
      msgsPerSecSpread: spread((r) => r.msgsPerSec),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      p99MsSpread: spread((r) => r.p99Ms),
      serverCpuUsPerMsg: median(rs.map((r) => r.serverCpuUsPerMsg)),
      clientCpuUsPerMsg: median(rs.map((r) => r.clientCpuUsPerMsg)),
      duplicates: rs.reduce((n, r) => n + r.duplicates, 0),
    };
  };
  const banyan = summary('banyan');
  const art = summary('artemis');
  const ratio = banyan.msgsPerSec / art.msgsPerSec;
  const result = {
    benchmark: 'jms-amqp',
    kafka: version,
    artemis: ARTEMIS_VERSION,
    messages: MESSAGES,
    producers: PRODUCERS,
    consumers: CONSUMERS,
    bodyBytes: BODY_BYTES,
    partitions: PARTITIONS,
    rounds: ROUNDS,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    banyan,
    artemisBroker: art,
    throughputRatio: ratio,
    serverCpuRatio: banyan.serverCpuUsPerMsg / art.serverCpuUsPerMsg,
    all: rounds,
  };
  const dir = new URL('./results/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'jms-amqp.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, s: typeof banyan) =>
    `| ${name} | ${s.msgsPerSec.toFixed(0)} (${s.msgsPerSecSpread.min.toFixed(0)}..${s.msgsPerSecSpread.max.toFixed(0)}) | ${s.p50Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} (${s.p99MsSpread.min.toFixed(1)}..${s.p99MsSpread.max.toFixed(1)}) | ${s.serverCpuUsPerMsg.toFixed(0)} | ${s.clientCpuUsPerMsg.toFixed(0)} |`;
  const md = [
    '# JMS over AMQP 1.0 (Qpid JMS): Banyan vs ActiveMQ Artemis, persistent send + receive',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `Kafka ${version} (acks=all, ${PARTITIONS} partitions per queue), Artemis ${ARTEMIS_VERSION} (NIO journal); ${MESSAGES} PERSISTENT ${BODY_BYTES}-byte BytesMessages per round, ${PRODUCERS} producers (synchronous sends), ${CONSUMERS} consumers (AUTO_ACKNOWLEDGE); median of ${ROUNDS} interleaved rounds after one discarded warm-up round each, spread min..max in brackets; ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}.`,
    '',
    '| contender | msg/s | p50 ms | p99 ms | server CPU us/msg | client CPU us/msg |',
    '|---|---|---|---|---|---|',
    row('Banyan (AMQP endpoint + JMS engine + Kafka)', banyan),
    row('ActiveMQ Artemis', art),
    '',
    `Throughput ratio Banyan / Artemis: **${ratio.toFixed(2)}x** (target >= 0.5x); server CPU per message ratio: ${(banyan.serverCpuUsPerMsg / art.serverCpuUsPerMsg).toFixed(2)}x.`,
    'Server CPU: Banyan = the Node process (endpoint + engine) + the Kafka JVM; Artemis = its JVM.',
    `Duplicates (redeliveries on top of the ${MESSAGES} distinct messages, all rounds): Banyan ${banyan.duplicates}, Artemis ${art.duplicates}; every round received every message.`,
    '',
    'Run: `npm run bench -- jms-amqp` (bench/jms-amqp.bench.ts).',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'jms-amqp.md'), md);
} finally {
  await endpoint.stop();
  await engine.close();
  await artemis.stop();
  await kafka.stop();
  await rm(kafkaDir, { recursive: true, force: true });
  await rm(artemisDir, { recursive: true, force: true });
}
