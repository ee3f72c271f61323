/**
 * Banyan's publisher next to a raw kafkajs producer: same broker (a local Kafka started here, in
 * its own temp data dir), same run, same records (keys, value size, batch size), sending one batch
 * at a time and waiting for each acknowledgement, as a bridge does before committing its source.
 *
 * Producers compared:
 * - banyan: createPublisher (idempotent, acks=all, one request in flight, Java-compatible keys).
 * - kafkajs, same guarantees: producer({ idempotent: true, maxInFlightRequests: 1 }), acks=-1.
 *   The ratio banyan / this one is the adapter's overhead (target >= 0.8, issue 2).
 * - kafkajs defaults: producer() with acks=-1 (kafkajs' default acks), not idempotent. Shown for
 *   context: what idempotence itself costs.
 * Many short rounds, each running every producer once with the starting producer rotated, so load
 * drift on a shared machine hits all of them alike; each producer's median round counts.
 *
 * Env: BENCH_KAFKA_MESSAGES (per round, default 20000), BENCH_KAFKA_VALUE_BYTES (default 512),
 * BENCH_KAFKA_BATCH (default 500), BENCH_KAFKA_ROUNDS (default 15); BANYAN_BENCH_QUICK=1 makes it
 * 2,000 records and 2 rounds.
 * Writes bench/results/kafka-publisher.json and .md. Run: npm run bench -- kafka-publisher
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { createKafkaClient, kafkajsConfigOf } from '../src/connectors/kafka/client.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { createPublisher, type PublishRecord } from '../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const MESSAGES = benchSize('BENCH_KAFKA_MESSAGES', 20_000, 2_000);
const VALUE_BYTES = benchSize('BENCH_KAFKA_VALUE_BYTES', 512, 512);
const BATCH = benchSize('BENCH_KAFKA_BATCH', 500, 500);
const ROUNDS = benchSize('BENCH_KAFKA_ROUNDS', 15, 2);
const KEYS = 10_000;
const PARTITIONS = 12;
const version = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;

type Contender = 'banyan' | 'kafkajs-same-guarantees' | 'kafkajs-defaults';
interface Round {
  readonly contender: Contender;
  readonly round: number;
  readonly seconds: number;
  readonly msgsPerSec: number;
  readonly mbPerSec: number;
  /** This process's CPU (user+system) per record: the client-side cost, insensitive to broker speed. */
  readonly clientCpuUsPerMsg: number;
}

const dataDir = await mkdtemp(join(tmpdir(), 'banyan-bench-kafka-'));
const broker = await startLocalKafka({ dataDir, version });
try {
  const kafka = createKafkaClient({ brokers: broker.brokers, client_id: 'banyan-bench' });
  const admin = createTopicAdmin({ kafka, defaults: { partitions: PARTITIONS } });
  const topics: Record<Contender, string> = {
    banyan: 'bench-banyan',
    'kafkajs-same-guarantees': 'bench-kafkajs-idempotent',
    'kafkajs-defaults': 'bench-kafkajs-defaults',
  };
  await admin.ensureTopics(Object.values(topics).map((topic) => ({ topic })));
  await admin.close();

  // The same keys and values for everyone; only the topic differs.
  const value = Buffer.alloc(VALUE_BYTES, 0x5a);
  const keys = Array.from({ length: KEYS }, (_, k) => String(4_000_000_000 + k * 7919).padStart(12, '0'));
  const batchesFor = (topic: string): PublishRecord[][] => {
    const batches: PublishRecord[][] = [];
    for (let start = 0; start < MESSAGES; start += BATCH) {
      const batch: PublishRecord[] = [];
      for (let i = start; i < Math.min(start + BATCH, MESSAGES); i++) batch.push({ topic, key: keys[i % KEYS], value, headers: { 'banyan-event-id': String(i) } });
      batches.push(batch);
    }
    return batches;
  };
  // What a caller of raw kafkajs does per batch: build kafkajs messages from its records (timed,
  // as Banyan's conversion is).
  const toKafkajs = (batch: PublishRecord[]): TopicMessages[] => [
    { topic: batch[0].topic, messages: batch.map((r) => ({ key: r.key, value: r.value, headers: r.headers as Record<string, string | Buffer> })) },
  ];

  const publisher = createPublisher({ kafka });
  await publisher.connect();
  // The raw contenders get a kafkajs client of their own, configured as the connector configures its.
  const raw = new Kafka(kafkajsConfigOf({ brokers: broker.brokers, client_id: 'banyan-bench' }));
  const idempotent = raw.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const plain = raw.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await idempotent.connect();
  await plain.connect();

  const runners: Record<Contender, () => Promise<number>> = {
    banyan: async () => {
      const batches = batchesFor(topics.banyan);
      const t0 = process.hrtime.bigint();
      for (const b of batches) await publisher.publish(b);
      return Number(process.hrtime.bigint() - t0) / 1e9;
    },
    'kafkajs-same-guarantees': () => runRaw(idempotent, batchesFor(topics['kafkajs-same-guarantees']), toKafkajs),
    'kafkajs-defaults': () => runRaw(plain, batchesFor(topics['kafkajs-defaults']), toKafkajs),
  };
  const contenders = Object.keys(runners) as Contender[];

  // Warm-up: JIT, connections, partition leaders' metadata.
  for (const c of contenders) await runners[c]();
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) {
      globalThis.gc?.();
      const cpu0 = process.cpuUsage();
      const seconds = await runners[c]();
      const cpu = process.cpuUsage(cpu0);
      const msgsPerSec = MESSAGES / seconds;
      const clientCpuUsPerMsg = (cpu.user + cpu.system) / MESSAGES;
      rounds.push({ contender: c, round: r, seconds, msgsPerSec, mbPerSec: (msgsPerSec * VALUE_BYTES) / 1e6, clientCpuUsPerMsg });
      console.log(`${c} round ${r}: ${Math.round(msgsPerSec)} msg/s`);
    }
  }
  await publisher.close();
  await idempotent.disconnect();
  await plain.disconnect();

  const median = (c: Contender) => {
    const sorted = rounds.filter((x) => x.contender === c).sort((a, b) => a.msgsPerSec - b.msgsPerSec);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const medianCpu = (c: Contender) => {
    const sorted = rounds.filter((x) => x.contender === c).map((x) => x.clientCpuUsPerMsg).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const summary = Object.fromEntries(
    contenders.map((c) => [c, { msgsPerSec: median(c).msgsPerSec, mbPerSec: median(c).mbPerSec, clientCpuUsPerMsg: medianCpu(c) }]),
  ) as Record<Contender, { msgsPerSec: number; mbPerSec: number; clientCpuUsPerMsg: number }>;
  // The ratio is taken within each round (producers ran back to back, under the same machine
  // load), then the median over rounds: far steadier on a shared box than a ratio of medians.
  const roundRatio = (other: Contender) => {
    const ratios = Array.from({ length: ROUNDS }, (_, i) => {
      const of = (c: Contender) => rounds.find((x) => x.contender === c && x.round === i + 1)!.msgsPerSec;
      return of('banyan') / of(other);
    }).sort((a, b) => a - b);
    return ratios[Math.floor(ratios.length / 2)];
  };
  const ratio = roundRatio('kafkajs-same-guarantees');
  const ratioVsDefaults = roundRatio('kafkajs-defaults');
  const result = {
    name: 'kafka-publisher',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    kafkaVersion: version,
    setup: { messagesPerRound: MESSAGES, valueBytes: VALUE_BYTES, batchSize: BATCH, rounds: ROUNDS, keys: KEYS, partitions: PARTITIONS, acks: 'all' },
    summary,
    ratio,
    ratioVsKafkajsDefaults: ratioVsDefaults,
    target: 0.8,
    meetsTarget: ratio >= 0.8,
    rounds,
  };
  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(new URL('kafka-publisher.json', resultsDir), `${JSON.stringify(result, null, 2)}\n`);
  const fmt = (n: number, d = 0) => n.toFixed(d);
  const md = [
    '# kafka-publisher',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `${result.date} · ${result.machine.cpu} · ${result.machine.cores} cores · Node ${process.version} · Apache Kafka ${version} (local KRaft, one node, loopback)`,
    '',
    `${MESSAGES} records per round, ${VALUE_BYTES}-byte values, 12-digit account-number keys (${KEYS} distinct), ${PARTITIONS} partitions, batches of ${BATCH} sent one at a time, each awaited (acks=all). Median of ${ROUNDS} rounds (each runs every producer once, starting producer rotated) after a warm-up.`,
    '',
    '| producer | msgs/s | MB/s (values) | client CPU µs/msg |',
    '|---|---:|---:|---:|',
    ...contenders.map((c) => `| ${c} | ${fmt(summary[c].msgsPerSec)} | ${fmt(summary[c].mbPerSec, 1)} | ${fmt(summary[c].clientCpuUsPerMsg, 1)} |`),
    '',
    `**Ratio banyan / kafkajs with the same guarantees (idempotent, acks=all, 1 in flight): ${ratio.toFixed(2)}** (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'NOT met'}).`,
    `Ratio banyan / kafkajs defaults (acks=all, not idempotent): ${ratioVsDefaults.toFixed(2)}.`,
    'Ratios are the median over rounds of the within-round ratio (producers run back to back in each round).',
    `Client CPU per record, banyan / kafkajs same guarantees: ${(summary.banyan.clientCpuUsPerMsg / summary['kafkajs-same-guarantees'].clientCpuUsPerMsg).toFixed(2)} (the adapter's own cost; broker and machine load do not enter it).`,
    `Machine load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (other processes share the box: throughput figures move with it).`,
    '',
  ].join('\n');
  writeFileSync(new URL('kafka-publisher.md', resultsDir), md);
} finally {
  await broker.stop();
  await rm(dataDir, { recursive: true, force: true });
}

async function runRaw(producer: Producer, batches: PublishRecord[][], convert: (b: PublishRecord[]) => TopicMessages[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (const batch of batches) await producer.sendBatch({ topicMessages: convert(batch), acks: -1 });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
