/**
 * The DB2 CDC bridge on the PostgreSQL stand-in (IBM's ASN tables, fed by the capture simulator)
 * with a local Kafka started here, both in temp dirs:
 *
 * 1. Throughput, changes/s from CD tables to Kafka, in the same run:
 *    - banyan: the real bridge (assembleBridge + runBridgePipeline, at_least_once, checkpoints)
 *      reading every change of the workload: register poll, block-fetched windows merged into commit
 *      order, D+I pairing, Debezium envelopes, BEGIN/END, positions;
 *    - raw: the baseline a hand-written job would be: one `SELECT *` per CD table in
 *      (COMMITSEQ, INTENTSEQ) order, each row as JSON keyed by its primary key, produced with the
 *      same publisher in batches of the same size; no commit order across tables, no pairing, no
 *      transactions, no checkpoints.
 *    Rounds alternate the two (starting contender rotated); each contender's median round counts.
 * 2. Latency at a steady 1,000 changes/s: a writer in its own thread (cdc-writer.worker.ts, own
 *    connection) commits ~100 changes every 100 ms by schedule (ASN Capture with a 100 ms commit
 *    interval) while the bridge runs with its default poll interval (min 200 ms) and with 50 ms;
 *    commit-to-Kafka latency per change = the Kafka record's timestamp (the producer's clock when it
 *    sent the batch) - the change's commit time (IBMSNAP_LOGMARKER, `source.ts_ms`). Achieved rate,
 *    p50 / p95 / p99 / max, and the bridge thread's CPU per change.
 *
 * Env: BENCH_CDC_TRANSACTIONS (workload, default 4,000 transactions of 1-20 changes),
 * BENCH_CDC_ROUNDS (default 5), BENCH_CDC_LATENCY_SECONDS (default 20); BANYAN_BENCH_QUICK=1 shrinks
 * them. Writes bench/results/cdc.json and .md. Run: npm run bench -- cdc
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Kafka, logLevel } from 'kafkajs';
import { assembleBridge, type BridgeConfig } from '../src/bridge-assembly.ts';
import { bridgeSpec } from '../src/config-catalog.ts';
import { runBridgePipeline } from '../src/core/bridge-pipeline.ts';
import { createKafkaClient } from '../src/connectors/kafka/client.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { createPublisher, type PublishRecord } from '../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import { createPostgresDriver } from '../src/connectors/db2-cdc/pg-driver.ts';
import { createCaptureSimulator } from '../test/support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, KEY_OF, loadGetwellSchema, mulberry32 } from '../test/support/getwell-cdc.ts';
import { startPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { benchSize, quickRunNote } from './sizes.ts';
import type { WriterJob, WriterReport } from './cdc-writer.worker.ts';

const TRANSACTIONS = benchSize('BENCH_CDC_TRANSACTIONS', 4_000, 300);
const ROUNDS = benchSize('BENCH_CDC_ROUNDS', 5, 1);
const LATENCY_SECONDS = benchSize('BENCH_CDC_LATENCY_SECONDS', 20, 4);
const BATCH = 500;
const version = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;

type Contender = 'banyan' | 'raw';
interface Round {
  readonly contender: Contender;
  readonly round: number;
  readonly changes: number;
  readonly records: number;
  readonly seconds: number;
  readonly changesPerSec: number;
  /** This thread's CPU (the bridge or the raw job, with its Kafka client) per change. */
  readonly cpuMicrosPerChange: number;
}

interface LatencyRun {
  readonly written: number;
  readonly achievedPerSec: number;
  readonly lateIntervals: number;
  readonly samples: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly bridgeCpuMicrosPerChange: number;
}

const dataDir = await mkdtemp(join(tmpdir(), 'banyan-bench-cdc-kafka-'));
const broker = await startLocalKafka({ dataDir, version });
const pg = await startPostgres();
try {
  const kafka = createKafkaClient({ brokers: broker.brokers, client_id: 'banyan-bench-cdc' });
  const topics = createTopicAdmin({ kafka, defaults: { partitions: 6 } });
  await loadGetwellSchema(pg);
  const client = await pg.client();
  const sim = createCaptureSimulator({ client, tables: GETWELL_TABLES });
  const workload = createWorkload(sim, mulberry32(42));
  await workload.run(TRANSACTIONS, 25);
  const { changes } = workload.stats();
  console.log(`cdc bench: ${TRANSACTIONS} transactions, ${changes} changes in the CD tables`);

  let bridgeNo = 0;
  const bridgeConfig = (prefix: string, pollMin: number, snapshot: 'change_data' | 'no_data' = 'change_data'): BridgeConfig =>
    bridgeSpec.schema.parse(
      parseYaml(
        [
          `name: ${prefix}`,
          'source:',
          '  db2_cdc:',
          `    { driver: postgres, host: ${pg.host}, port: ${pg.port}, database: ${pg.database}, user: ${pg.user}, password: x,`,
          `      tables: [${GETWELL_TABLES.map((t) => t.name).join(', ')}], poll_interval_ms: { min: ${pollMin}, max: ${Math.max(pollMin, 200)} }, snapshot: ${snapshot} }`,
          'sink:',
          `  kafka: { topic: ${prefix} }`,
          `batch: { max_records: ${BATCH}, max_wait_ms: 50 }`,
          `checkpoints: { topic: ${prefix}.checkpoints }`,
        ].join('\n'),
      ),
    ) as BridgeConfig;

  const banyanRound = async (): Promise<{ records: number }> => {
    const config = bridgeConfig(`bench-cdc-${++bridgeNo}`, 20);
    const bridge = await assembleBridge(config, process.cwd(), kafka, topics);
    try {
      const summary = await runBridgePipeline({ ...bridge.options, untilIdle: true }, new AbortController().signal);
      return { records: summary.published };
    } finally {
      await bridge.close();
    }
  };

  const rawRound = async (): Promise<{ records: number }> => {
    const prefix = `bench-cdc-raw-${++bridgeNo}`;
    await topics.ensureTopics(GETWELL_TABLES.map((t) => ({ topic: `${prefix}.${t.name}` })));
    const publisher = createPublisher({ kafka });
    const conn = await createPostgresDriver().connect(pg);
    let records = 0;
    try {
      for (const t of GETWELL_TABLES) {
        const topic = `${prefix}.${t.name}`;
        const key = KEY_OF[t.name]!;
        const sql = `SELECT * FROM asncdc.${t.cdTable.toLowerCase()} ORDER BY ibmsnap_commitseq, ibmsnap_intentseq`;
        for await (const block of conn.fetchBlocks(sql, [], BATCH)) {
          const names = block.columns.map((c) => c.name.toUpperCase());
          const keyAt = names.indexOf(key);
          const batch: PublishRecord[] = block.rows.map((row) => {
            const value: Record<string, unknown> = {};
            row.forEach((v, i) => (value[names[i]!] = Buffer.isBuffer(v) ? v.toString('base64') : v));
            return { topic, key: JSON.stringify({ [key]: row[keyAt] }), value: JSON.stringify(value) };
          });
          await publisher.publish(batch);
          records += batch.length;
        }
      }
    } finally {
      await conn.close();
      await publisher.close();
    }
    return { records };
  };

  // --- 1. throughput rounds ---
  const rounds: Round[] = [];
  const contenders: Contender[] = ['banyan', 'raw'];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const order = r % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const started = performance.now();
      const cpu0 = process.threadCpuUsage();
      const { records } = contender === 'banyan' ? await banyanRound() : await rawRound();
      const cpu = process.threadCpuUsage(cpu0);
      const seconds = (performance.now() - started) / 1000;
      const cpuMicrosPerChange = (cpu.user + cpu.system) / changes;
      // Round 0 warms both up (JIT, topic creation paths, PostgreSQL's caches): not counted.
      if (r > 0) rounds.push({ contender, round: r, changes, records, seconds, changesPerSec: changes / seconds, cpuMicrosPerChange });
      console.log(`  round ${r}${r === 0 ? ' (warm-up)' : ''} ${contender}: ${records} records in ${seconds.toFixed(2)} s = ${Math.round(changes / seconds)} changes/s, ${cpuMicrosPerChange.toFixed(0)} us CPU/change`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const throughput = Object.fromEntries(contenders.map((c) => [c, median(rounds.filter((x) => x.contender === c).map((x) => x.changesPerSec))])) as Record<Contender, number>;
  const spread = Object.fromEntries(contenders.map((c) => {
    const xs = rounds.filter((x) => x.contender === c);
    const rates = xs.map((x) => x.changesPerSec);
    return [c, { min: Math.min(...rates), max: Math.max(...rates), cpuMicrosPerChange: median(xs.map((x) => x.cpuMicrosPerChange)) }];
  })) as Record<Contender, { min: number; max: number; cpuMicrosPerChange: number }>;

  // --- 2. latency at a steady 1,000 changes/s ---
  const latency: Record<string, LatencyRun> = {};
  let lastLsn = sim.lsnHex();
  for (const pollMin of [200, 50]) {
    // snapshot: no_data: streaming starts at the current end, so only the steady changes count.
    const config = bridgeConfig(`bench-cdc-latency-${pollMin}-${++bridgeNo}`, pollMin, 'no_data');
    const bridge = await assembleBridge(config, process.cwd(), kafka, topics);
    const controller = new AbortController();
    const running = runBridgePipeline({ ...bridge.options }, controller.signal);
    await new Promise((r) => setTimeout(r, 1000)); // the bridge has opened and polled once
    // The writer runs in its own thread (bench/cdc-writer.worker.ts): Capture commit intervals of
    // 100 ms paced by schedule, ~100 changes each. This thread's CPU is the bridge's.
    const cpu0 = process.threadCpuUsage();
    const job: WriterJob = { connect: { host: pg.host, port: pg.port, database: pg.database, user: pg.user }, startLsn: lastLsn, changesPerSec: 1_000, seconds: LATENCY_SECONDS, intervalMs: 100, seed: pollMin };
    const worker = new Worker(new URL('./cdc-writer.worker.ts', import.meta.url), { workerData: job });
    const report = await new Promise<WriterReport>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`cdc writer exited with ${code}`)));
    });
    await worker.terminate();
    lastLsn = report.lastLsn;
    // Let the bridge catch up with every change written (no crash: each change once), then stop it.
    const latencyTopics = GETWELL_TABLES.map((t) => `${config.sink.kafka!.topic}.${t.name}`);
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      if ((await appended(broker.brokers, latencyTopics)) >= report.changes) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const cpu = process.threadCpuUsage(cpu0);
    controller.abort();
    await running.catch(() => {});
    await bridge.close();
    const samples = await latencies(broker.brokers, latencyTopics);
    const sorted = samples.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const run: LatencyRun = {
      written: report.changes,
      achievedPerSec: report.changes / report.seconds,
      lateIntervals: report.lateIntervals,
      samples: sorted.length,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      max: sorted.at(-1)!,
      bridgeCpuMicrosPerChange: (cpu.user + cpu.system) / report.changes,
    };
    latency[`poll min ${pollMin} ms`] = run;
    console.log(`  latency, poll min ${pollMin} ms: ${report.changes} changes in ${report.seconds.toFixed(1)} s (${Math.round(run.achievedPerSec)}/s, ${report.lateIntervals} late intervals), p50 ${run.p50} ms, p95 ${run.p95} ms, p99 ${run.p99} ms, bridge CPU ${run.bridgeCpuMicrosPerChange.toFixed(0)} us/change`);
  }
  await client.end();
  await topics.close();

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    kafka: version,
    cpus: cpus().length,
    loadavg: loadavg(),
    transactions: TRANSACTIONS,
    changes,
    rounds,
    throughputChangesPerSec: throughput,
    throughputSpread: spread,
    ratio: throughput.banyan / throughput.raw,
    latencyMs: latency,
  };
  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(new URL('cdc.json', resultsDir), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    '# DB2 CDC bridge: CD tables -> Kafka (PostgreSQL stand-in)',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `${result.date}, Node ${result.node}, Kafka ${version} (local, single node), ${result.cpus} CPUs shared with other work (load ${result.loadavg.map((l) => l.toFixed(1)).join(' ')}).`,
    `Workload: ${TRANSACTIONS} interleaved transactions of 1-20 changes over 3 tables = ${changes} changes; medians of ${ROUNDS} rounds after a warm-up.`,
    '',
    '| contender | changes/s (median) | min-max over rounds | CPU us/change (median) | records written per run |',
    '|---|---|---|---|---|',
    `| banyan bridge (commit order, D+I pairing, envelopes, BEGIN/END, checkpoints) | ${Math.round(throughput.banyan)} | ${Math.round(spread.banyan.min)}-${Math.round(spread.banyan.max)} | ${spread.banyan.cpuMicrosPerChange.toFixed(0)} | ${rounds.find((r) => r.contender === 'banyan')?.records} |`,
    `| raw select-and-produce (one SELECT per CD table, row as JSON) | ${Math.round(throughput.raw)} | ${Math.round(spread.raw.min)}-${Math.round(spread.raw.max)} | ${spread.raw.cpuMicrosPerChange.toFixed(0)} | ${rounds.find((r) => r.contender === 'raw')?.records} |`,
    '',
    `banyan / raw = ${result.ratio.toFixed(2)}`,
    '',
    `Commit-to-Kafka latency at a steady 1,000 changes/s asked for ${LATENCY_SECONDS} s (writer in its own thread, Capture commit interval 100 ms paced by schedule; Kafka record timestamp - IBMSNAP_LOGMARKER):`,
    '',
    '| bridge poll interval | changes/s achieved | late intervals | samples | p50 ms | p95 ms | p99 ms | max ms | bridge CPU us/change |',
    '|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(latency).map(([k, v]) => `| ${k} | ${Math.round(v.achievedPerSec)} | ${v.lateIntervals} | ${v.samples} | ${v.p50} | ${v.p95} | ${v.p99} | ${v.max} | ${v.bridgeCpuMicrosPerChange.toFixed(0)} |`),
    '',
    'Run: `npm run bench -- cdc`',
    '',
  ].join('\n');
  writeFileSync(new URL('cdc.md', resultsDir), md);
  console.log(md);
} finally {
  await pg.stop();
  await broker.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** Records appended to the topics so far (sum of their partitions' end offsets). */
async function appended(brokers: readonly string[], topicNames: readonly string[]): Promise<number> {
  const admin = new Kafka({ brokers: [...brokers], clientId: 'banyan-bench-cdc-offsets', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let n = 0;
    for (const topic of topicNames) for (const p of await admin.fetchTopicOffsets(topic)) n += Number(p.high);
    return n;
  } finally {
    await admin.disconnect();
  }
}

/** Kafka timestamp - source.ts_ms of every change event in the topics (each latency run has its own). */
async function latencies(brokers: readonly string[], topicNames: readonly string[]): Promise<number[]> {
  const k = new Kafka({ brokers: [...brokers], clientId: 'banyan-bench-cdc-reader', logLevel: logLevel.NOTHING });
  const admin = k.admin();
  await admin.connect();
  const end = new Map<string, bigint>();
  for (const topic of topicNames) for (const p of await admin.fetchTopicOffsets(topic)) if (BigInt(p.high) > 0n) end.set(`${topic}/${p.partition}`, BigInt(p.high));
  await admin.disconnect();
  const consumer = k.consumer({ groupId: `banyan-bench-cdc-${Date.now()}`, maxWaitTimeInMs: 100 });
  const out: number[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topicNames], fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const e = JSON.parse(m.value!.toString()) as { source: { ts_ms: number } };
          out.push(Number(m.timestamp) - e.source.ts_ms);
        }
        const id = `${batch.topic}/${batch.partition}`;
        if (BigInt(batch.lastOffset()) + 1n >= (end.get(id) ?? 0n)) end.delete(id);
        if (end.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}
