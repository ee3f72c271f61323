/**
 * MQ bridges end to end (issue 13): messages/s and CPU per message of the real bridge path, both
 * directions, on the AMQP 1.0 transport against a real ActiveMQ Artemis and a real local Kafka:
 *   - MQ -> Kafka: a queue filled with N copybook records (bench/codec-shapes.ts wide-fixed: 1,341
 *     bytes, 167 fields), the bridge (`source: { amqp }`, mapping decode, keyed by the entity field)
 *     run until the queue is drained and Kafka acknowledged every event;
 *   - Kafka -> MQ: the events that bridge published, encoded back into their copybook records and
 *     put on a queue (`sink: { amqp }`);
 * each next to a passthrough baseline in the same run: the same bridge with `payload: bytes` (no
 * decoding or encoding, same brokers, same batches, same headers). The passthrough Kafka -> MQ
 * bridge reads the passthrough MQ -> Kafka bridge's topic (raw records).
 *
 * IBM MQ is not in the figures: there is no queue manager here (the `ibm_mq` transport is tested on
 * a fake of the ibmmq driver only, which says nothing about IBM MQ's speed).
 *
 * Method as bench/bridge.bench.ts: each job in its own process pinned to one CPU (`taskset -c 0`,
 * MQ_BENCH_CPU), a warm-up run (its own queue/topic, 20% of N) then the timed one; wall and CPU
 * (user + system of that process) from the source's first read to the last batch committed; rounds
 * interleave the contenders (starting one rotated); medians with the spread across rounds. After
 * each job the parent counts what arrived: the topic's end offsets (MQ -> Kafka) or the output
 * queue drained by an independent rhea client, every body checked against the records sent
 * (Kafka -> MQ), and that the input queue is empty. Where the time goes: one more profiled run per
 * job kind (V8 CPU profile, self time grouped by module).
 *
 * Writes bench/results/mq.json and mq.md. Run: npm run bench -- mq
 * Env: MQ_BENCH_ROUNDS (3), MQ_BENCH_MESSAGES (50,000), MQ_BENCH_CPU (0), MQ_BENCH_PROFILE=0 skips
 * the profiles; BANYAN_BENCH_QUICK=1 for one small round.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka } from 'kafkajs';
import rhea from 'rhea';
import { kafkajsConfigOf, createKafkaClient } from '../src/connectors/kafka/client.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { drainQueue, sendRaw } from '../test/support/amqp.ts';
import { ARTEMIS_VERSION, startLocalArtemis } from '../test/support/artemis.ts';
import { generate, wideFixedShape, writeMapping } from './codec-shapes.ts';
import type { MqBenchJob, MqWorkerResult } from './mq-bench-worker.ts';
import { findNodeRuntimes } from './runtimes.ts';
import { benchSize, quickRunNote } from './sizes.ts';
import { cpuUs, median, rate } from './run-figures.ts';

const ROUNDS = benchSize('MQ_BENCH_ROUNDS', 3, 1);
const MESSAGES = benchSize('MQ_BENCH_MESSAGES', 50_000, 3_000);
const WARM = Math.max(1000, Math.round(MESSAGES * 0.2));
const PARTITIONS = 12;
const BATCH = { records: 500, bytes: 1 << 20 };
const CPU = process.env.MQ_BENCH_CPU ?? '0';
const PROFILE = process.env.MQ_BENCH_PROFILE !== '0';
const kafkaVersion = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
const here = fileURLToPath(new URL('.', import.meta.url));
const workerScript = join(here, 'mq-bench-worker.ts');
const repoUrl = new URL('..', import.meta.url).href;

type Direction = MqBenchJob['direction'];
type Contender = MqBenchJob['contender'];
const DIRECTIONS: readonly Direction[] = ['mq-to-kafka', 'kafka-to-mq'];
const CONTENDERS: readonly Contender[] = ['decoded', 'passthrough'];

interface Run extends MqWorkerResult {
  readonly direction: Direction;
  readonly contender: Contender;
  readonly round: number;
  /** What the parent counted where the messages went. */
  readonly arrived: number;
}

interface Profile {
  readonly direction: Direction;
  readonly contender: Contender;
  /** Share of the sampled CPU time (idle left out) per module group, percent. */
  readonly shares: Readonly<Record<string, number>>;
  readonly sampledMs: number;
  /** The functions with the most self time. */
  readonly top: ReadonlyArray<{ readonly function: string; readonly percent: number }>;
}

const work = await mkdtemp(join(tmpdir(), 'banyan-mq-bench-'));
const broker = await startLocalKafka({ dataDir: join(work, 'kafka'), version: kafkaVersion });
const artemis = await startLocalArtemis({ dataDir: join(work, 'artemis') });
const admin = new Kafka(kafkajsConfigOf({ brokers: broker.brokers, client_id: 'banyan-mq-bench-admin' })).admin();
const topicAdmin = createTopicAdmin({ kafka: createKafkaClient({ brokers: broker.brokers, client_id: 'banyan-mq-bench-topics' }), defaults: { partitions: PARTITIONS } });
try {
  await admin.connect();
  const node = findNodeRuntimes().node24;
  const shape = wideFixedShape();
  const data = generate(work, shape, MESSAGES);
  const file = readFileSync(data.dataFile);
  const records = Array.from({ length: MESSAGES }, (_, i) => file.subarray(i * data.recordLength, (i + 1) * data.recordLength));
  // The generator repeats 200 distinct records: every body put back must be one of them.
  const distinct = new Set(records.slice(0, 200).map((r) => r.toString('hex')));
  console.log(`mq: ${MESSAGES.toLocaleString('en')} messages of ${data.recordLength} bytes per job (warm-up ${WARM.toLocaleString('en')}), ${ROUNDS} rounds`);

  const runs: Run[] = [];
  const profiles: Profile[] = [];
  const bridgeFile = (name: string, lines: readonly string[]) => {
    const f = join(work, `${name}.bridge.yaml`);
    writeFileSync(f, [`name: ${name}`, ...lines, `checkpoints: { topic: ${name}.checkpoints }`, `batch: { max_records: ${BATCH.records}, max_bytes: ${BATCH.bytes} }`, ''].join('\n'));
    return f;
  };
  // The topics the MQ -> Kafka jobs filled, by round and contender: the Kafka -> MQ jobs' input.
  const published = new Map<string, { topic: string; warmTopic: string }>();

  const mqToKafka = async (contender: Contender, tag: string, profileDir?: string): Promise<Run> => {
    const name = `mqbench-in-${contender}-${tag}`;
    const [queue, warmQueue, topic, warmTopic] = [`${name}.q`, `${name}.warm.q`, `${name}.events`, `${name}.warm.events`];
    await topicAdmin.ensureTopics([topic, warmTopic, `${name}.dlq`, `${name}.warm.dlq`].map((t) => ({ topic: t })));
    await fill(warmQueue, records.slice(0, WARM));
    await fill(queue, records);
    const bridge = (n: string, q: string, t: string) =>
      bridgeFile(n, [
        `source: { amqp: { host: 127.0.0.1, port: ${artemis.port}, address: ${q}, wait_interval_ms: 200${contender === 'passthrough' ? ', payload: bytes' : ''} } }`,
        `mapping: ${writeMapping(work, shape, data.copybookFile, t, n)}`,
        `sink: { kafka: { topic: ${t} } }`,
      ]);
    const r = runJob({ direction: 'mq-to-kafka', contender, brokers: broker.brokers, rootDir: work, partitions: PARTITIONS, warmBridge: bridge(`${name}.warm`, warmQueue, warmTopic), bridge: bridge(name, queue, topic) }, profileDir);
    const arrived = await recordsOn(topic);
    const left = (await drainQueue(artemis.port, queue, 300)).length;
    if (r.records !== MESSAGES || r.published !== MESSAGES || arrived !== MESSAGES || left !== 0) {
      throw new Error(`${name}: ${MESSAGES} put, the bridge read ${r.records} and published ${r.published}, the topic holds ${arrived}, ${left} left on the queue`);
    }
    published.set(`${contender}-${tag}`, { topic, warmTopic });
    return { ...r, direction: 'mq-to-kafka', contender, round: 0, arrived };
  };

  const kafkaToMq = async (contender: Contender, tag: string, profileDir?: string): Promise<Run> => {
    const input = published.get(`${contender}-${tag}`)!;
    const name = `mqbench-out-${contender}-${tag}`;
    const [queue, warmQueue] = [`${name}.q`, `${name}.warm.q`];
    await topicAdmin.ensureTopics([`${name}.dlq`, `${name}.warm.dlq`].map((t) => ({ topic: t })));
    const bridge = (n: string, t: string, q: string) =>
      bridgeFile(n, [
        `source: { kafka: { topics: [${t}] } }`,
        `mapping: ${writeMapping(work, shape, data.copybookFile, t, n)}`,
        `sink: { amqp: { host: 127.0.0.1, port: ${artemis.port}, address: ${q}${contender === 'passthrough' ? ', payload: bytes' : ''} } }`,
      ]);
    const r = runJob({ direction: 'kafka-to-mq', contender, brokers: broker.brokers, rootDir: work, partitions: PARTITIONS, warmBridge: bridge(`${name}.warm`, input.warmTopic, warmQueue), bridge: bridge(name, input.topic, queue) }, profileDir);
    const back = await drainQueue(artemis.port, queue, 1000);
    const warmBack = (await drainQueue(artemis.port, warmQueue, 300)).length;
    const wrong = back.filter((m) => !distinct.has(Buffer.from((m.body as { content: Buffer }).content).toString('hex'))).length;
    if (r.records !== MESSAGES || r.published !== MESSAGES || back.length !== MESSAGES || wrong !== 0 || warmBack !== WARM) {
      throw new Error(`${name}: ${MESSAGES} events, the bridge read ${r.records} and put ${r.published}, the queue held ${back.length} (${wrong} not byte-identical to a record sent), the warm-up queue ${warmBack} of ${WARM}`);
    }
    return { ...r, direction: 'kafka-to-mq', contender, round: 0, arrived: back.length };
  };

  for (let round = 1; round <= ROUNDS; round++) {
    for (const direction of DIRECTIONS) {
      const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round - 1) % CONTENDERS.length]!);
      for (const contender of order) {
        const r = { ...(await (direction === 'mq-to-kafka' ? mqToKafka : kafkaToMq)(contender, `r${round}`)), round };
        runs.push(r);
        console.log(`round ${round} ${direction} ${contender}: ${Math.round(rate(r)).toLocaleString('en')} msg/s, ${cpuUs(r).toFixed(2)} µs CPU/msg, ${Math.round(r.peakRssKiB / 1024)} MiB`);
      }
    }
  }
  if (PROFILE) {
    for (const direction of DIRECTIONS) {
      for (const contender of CONTENDERS) {
        const dir = join(work, `profile-${direction}-${contender}`);
        mkdirSync(dir, { recursive: true });
        await (direction === 'mq-to-kafka' ? mqToKafka : kafkaToMq)(contender, 'profile', dir);
        profiles.push({ direction, contender, ...summarizeProfile(dir) });
      }
    }
  }
  report(runs, profiles, { node: node.version, recordBytes: data.recordLength });

  /** Runs one job pinned; its last stdout line is its JSON result. */
  function runJob(job: MqBenchJob, profileDir?: string): MqWorkerResult {
    const args = ['--expose-gc', workerScript, JSON.stringify(profileDir ? { ...job, profileFile: join(profileDir, 'timed.cpuprofile') } : job)];
    const cmd = existsSync('/usr/bin/taskset') ? ['taskset', '-c', CPU, node.execPath, ...args] : [node.execPath, ...args];
    const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${job.direction} ${job.contender} failed (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as MqWorkerResult;
  }
} finally {
  await admin.disconnect().catch(() => {});
  await topicAdmin.close().catch(() => {});
  await artemis.stop();
  await broker.stop();
  await rm(work, { recursive: true, force: true });
}

/** Sends the records as BytesMessages (durable, as a JMS application's persistent puts), in chunks the broker accepted. */
async function fill(queue: string, bodies: readonly Buffer[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10_000) {
    await sendRaw(artemis.port, queue, bodies.slice(i, i + 10_000).map((b) => ({ durable: true, message_annotations: { 'x-opt-jms-msg-type': 3 }, body: rhea.message.data_section(b) })) as never);
  }
}

async function recordsOn(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

/** Self time of a V8 CPU profile grouped by where the code lives. */
function summarizeProfile(dir: string): Omit<Profile, 'direction' | 'contender'> {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${dir}`);
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const us = new Map<string, number>();
  const perFunction = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const frame = byId.get(p.samples[i]!)!;
    const g = groupOf(frame.functionName, frame.url);
    if (g === 'idle') continue;
    const t = p.timeDeltas[i] ?? 0;
    us.set(g, (us.get(g) ?? 0) + t);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.replace(repoUrl, '')}`;
    perFunction.set(fn, (perFunction.get(fn) ?? 0) + t);
  }
  const total = [...us.values()].reduce((a, b) => a + b, 0);
  const pct = (t: number) => Number(((100 * t) / total).toFixed(1));
  const shares = Object.fromEntries([...us.entries()].sort((a, b) => b[1] - a[1]).map(([g, t]) => [g, pct(t)]));
  const top = [...perFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([f, t]) => ({ function: f, percent: pct(t) }));
  console.log(`profile ${dir}:\n${top.map((x) => `  ${x.percent.toFixed(1)}% ${x.function}`).join('\n')}`);
  return { shares, sampledMs: Math.round(total / 1000), top };
}

function groupOf(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/native (program)';
  if (url.includes('/node_modules/rhea/')) return 'AMQP: rhea';
  if (url.includes('/src/connectors/amqp/')) return 'AMQP: Banyan transport';
  if (url.includes('/src/connectors/ibm-mq/') || url.includes('/src/core/queue-')) return 'queue source/sink, MQ headers';
  if (url.includes('/src/codec/')) return 'codec (decode/encode, JSON)';
  if (url.includes('/node_modules/kafkajs/') || url.includes('/src/connectors/kafka/')) return 'Kafka (kafkajs, Banyan Kafka)';
  if (url.includes('/src/')) return 'pipeline, assembly';
  if (url.startsWith('node:')) return 'Node core (sockets, buffers, timers)';
  if (url === '') return 'built-ins (JSON, Buffer natives)';
  return 'other';
}

interface Figures {
  readonly messagesPerSecond: number;
  readonly messagesPerSecondRange: readonly [number, number];
  readonly cpuUsPerMessage: number;
  readonly cpuUsPerMessageRange: readonly [number, number];
  readonly messagesPerCpuSecond: number;
  readonly peakRssMiB: number;
}

function figures(runs: readonly Run[]): Figures {
  const rates = runs.map(rate);
  const cpu = runs.map(cpuUs);
  const cpuMedian = median(cpu);
  return {
    messagesPerSecond: Math.round(median(rates)),
    messagesPerSecondRange: [Math.round(Math.min(...rates)), Math.round(Math.max(...rates))],
    cpuUsPerMessage: Number(cpuMedian.toFixed(2)),
    cpuUsPerMessageRange: [Number(Math.min(...cpu).toFixed(2)), Number(Math.max(...cpu).toFixed(2))],
    messagesPerCpuSecond: Math.round(1e6 / cpuMedian),
    peakRssMiB: Math.round(Math.max(...runs.map((r) => r.peakRssKiB)) / 1024),
  };
}

function report(runs: readonly Run[], profiles: readonly Profile[], versions: { node: string; recordBytes: number }): void {
  const rows = DIRECTIONS.map((direction) => {
    const of = (c: Contender) => figures(runs.filter((r) => r.direction === direction && r.contender === c));
    // Within-round ratios (the two ran back to back), median over rounds.
    const ratio = (f: (r: Run) => number) =>
      Number(
        median(
          Array.from({ length: ROUNDS }, (_, i) => {
            const get = (c: Contender) => f(runs.find((r) => r.direction === direction && r.contender === c && r.round === i + 1)!);
            return get('decoded') / get('passthrough');
          }),
        ).toFixed(2),
      );
    return {
      direction,
      decoded: of('decoded'),
      passthrough: of('passthrough'),
      /** Decoded ÷ passthrough messages/s (wall), median of within-round ratios. */
      wallRatio: ratio(rate),
      /** Decoded ÷ passthrough CPU µs per message, median of within-round ratios. */
      cpuRatio: ratio(cpuUs),
      startSeconds: Number(median(runs.filter((r) => r.direction === direction).map((r) => r.startSeconds)).toFixed(2)),
    };
  });
  const env = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    pinnedToCpu: existsSync('/usr/bin/taskset') ? CPU : null,
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    node: versions.node,
    kafka: `Apache Kafka ${kafkaVersion} (local KRaft, one node, loopback), ${PARTITIONS} partitions per topic`,
    artemis: `ActiveMQ Artemis ${ARTEMIS_VERSION} (embedded, NIO journal, persistence on, loopback, AMQP 1.0)`,
    messages: MESSAGES,
    warmUpMessages: WARM,
    recordBytes: versions.recordBytes,
    batch: BATCH,
    rounds: ROUNDS,
    quickRun: quickRunNote !== undefined,
    ibmMq: 'not measured: no queue manager here',
  };
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'mq.json'), `${JSON.stringify({ benchmark: 'mq', env, results: rows, profiles, rounds: runs }, null, 2)}\n`);

  const n = (x: number) => x.toLocaleString('en');
  const range = (r: readonly [number, number], d = 0) => `${r[0].toLocaleString('en', { maximumFractionDigits: d })}–${r[1].toLocaleString('en', { maximumFractionDigits: d })}`;
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const label: Record<Direction, string> = { 'mq-to-kafka': 'MQ -> Kafka (AMQP source)', 'kafka-to-mq': 'Kafka -> MQ (AMQP sink)' };
  const what: Record<Direction, Record<Contender, string>> = {
    'mq-to-kafka': { decoded: 'decoded + keyed (copybook -> JSON, entity key)', passthrough: 'passthrough (`payload: bytes`)' },
    'kafka-to-mq': { decoded: 'encoded (JSON -> copybook record)', passthrough: 'passthrough (`payload: bytes`)' },
  };
  const row = (d: Direction, c: Contender, f: Figures, ratio: string) =>
    line([label[d], what[d][c], n(f.messagesPerSecond), range(f.messagesPerSecondRange), `${f.cpuUsPerMessage.toFixed(2)} (${range(f.cpuUsPerMessageRange, 2)})`, n(f.messagesPerCpuSecond), `${f.peakRssMiB} MiB`, ratio]);
  const groups = [...new Set(profiles.flatMap((p) => Object.keys(p.shares)))];
  const md = [
    '# MQ bridges end to end: AMQP 1.0 (ActiveMQ Artemis) <-> Kafka, decoded vs passthrough',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    '**IBM MQ is not in these figures**: there is no queue manager on this machine. The `ibm_mq` transport runs the same queue source and sink, but is only tested against a fake of the ibmmq driver, whose speed says nothing about IBM MQ. Every figure here is the `amqp` transport against a real broker.',
    '',
    `${env.date} · ${env.cpu} · ${env.cores} cores (1-minute load average ${env.loadAverage1m} at the end) · each bridge job pinned to CPU ${env.pinnedToCpu ?? '(no taskset: not pinned)'}; the brokers unpinned on the same machine · ${env.kafka} · ${env.artemis} · Node ${versions.node}.`,
    `The real bridge path (loadBridgeFile + assembleBridge + runBridgePipeline until idle), batches of up to ${BATCH.records} messages / 1 MiB (one AMQP unit of work each, committed after Kafka acknowledged it; Kafka -> MQ: Kafka offsets committed after the broker accepted every put), idempotent producer, acks=all, a checkpoint per batch. ${n(MESSAGES)} messages of ${versions.recordBytes} bytes (bench/codec-shapes.ts wide-fixed: 167 fields, text, zoned, packed, binary) per job, after a warm-up of ${n(WARM)}; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, contenders interleaved. Every job counted afterwards: all ${n(MESSAGES)} events on the topic and the input queue empty (MQ -> Kafka); all ${n(MESSAGES)} messages on the output queue, each byte-identical to a record sent (Kafka -> MQ).`,
    'Figures: median over rounds (lowest–highest in brackets); wall and CPU (user + system of the bridge process, all threads) from the first read to the last batch committed.',
    '',
    '| direction | bridge | msg/s (wall) | spread | CPU µs/msg (spread) | msg per CPU-s | peak RSS | decoded ÷ passthrough (msg/s; CPU/msg) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap((r) => [
      row(r.direction, 'decoded', r.decoded, `**${r.wallRatio.toFixed(2)}x; ${r.cpuRatio.toFixed(2)}x**`),
      row(r.direction, 'passthrough', r.passthrough, '1.00x'),
    ]),
    '',
    `Not in the figures: bridge start before its first read (assembly, topics checked, checkpoints loaded; Kafka -> MQ also the consumer group join): median ${rows.map((r) => `${label[r.direction]} ${r.startSeconds.toFixed(2)} s`).join(', ')}. Ratios: median of within-round ratios.`,
    '',
    ...(profiles.length > 0
      ? [
          '## Where the bridge process\'s CPU goes',
          '',
          'One more run per job with V8\'s CPU profiler on during the timed run (started through node:inspector after the warm-up; the bridge\'s assembly is in it; the profiler costs a little): self time by where the code lives, percent of the sampled CPU time (idle left out).',
          '',
          line(['job', 'sampled ms', ...groups]),
          line(['---', '---:', ...groups.map(() => '---:')]),
          ...profiles.map((p) => line([`${label[p.direction]}, ${p.contender}`, n(p.sampledMs), ...groups.map((g) => (p.shares[g] === undefined ? '–' : `${p.shares[g]!.toFixed(1)}%`))])),
          '',
          'Top functions by self time:',
          '',
          ...profiles.map((p) => `- ${label[p.direction]}, ${p.contender}: ${p.top.slice(0, 8).map((t) => `${t.function.trim()} ${t.percent.toFixed(1)}%`).join('; ')}`),
          '',
        ]
      : []),
    'Run: `npm run bench -- mq` (MQ_BENCH_ROUNDS, MQ_BENCH_MESSAGES, MQ_BENCH_CPU, MQ_BENCH_PROFILE=0).',
    '',
  ];
  writeFileSync(join(resultsDir, 'mq.md'), md.join('\n'));
}
