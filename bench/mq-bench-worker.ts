/**
 * One job of the MQ bridge benchmark (bench/mq.bench.ts), in a process of its own: a warm-up
 * bridge file, then the timed one, each through the real bridge path (loadBridgeFile +
 * assembleBridge + runBridgePipeline until idle) as `banyan run --until-idle` runs it. Prints one
 * JSON line: what it moved, wall and CPU seconds from the source's first read to the last non-empty
 * batch committed (the idle check after it, a get or fetch that waits for nothing, is left out),
 * and the process's peak RSS.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { assembleBridge, loadBridgeFile } from '../src/bridge-assembly.ts';
import type { Source } from '../src/core/bridge-contracts.ts';
import { runBridgePipeline } from '../src/core/bridge-pipeline.ts';
import { createKafkaClient } from '../src/connectors/kafka/client.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';

export interface MqBenchJob {
  readonly direction: 'mq-to-kafka' | 'kafka-to-mq';
  readonly contender: 'decoded' | 'passthrough';
  readonly brokers: readonly string[];
  readonly rootDir: string;
  readonly partitions: number;
  readonly warmBridge: string;
  readonly bridge: string;
  /** Write a V8 CPU profile of the timed run (not the warm-up) to this file. */
  readonly profileFile?: string;
}

export interface MqWorkerResult {
  readonly records: number;
  readonly published: number;
  readonly deadLettered: number;
  /** Source bytes of the timed run (message bodies or Kafka values). */
  readonly bytes: number;
  readonly seconds: number;
  /** This process's user + system CPU from the first read to the last non-empty commit. */
  readonly cpuSeconds: number;
  /** Assembly and checkpoint load before the first read (not in `seconds`). */
  readonly startSeconds: number;
  readonly peakRssKiB: number;
}

const job = JSON.parse(process.argv[2]!) as MqBenchJob;
process.stdout.write(`${JSON.stringify(await run(job))}\n`);

async function run(j: MqBenchJob): Promise<MqWorkerResult> {
  const kafka = createKafkaClient({ brokers: [...j.brokers], client_id: `banyan-mq-bench-${j.contender}` });
  const topics = createTopicAdmin({ kafka, defaults: { partitions: j.partitions } });
  let bytes = 0;
  let firstRead: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  let lastCommit: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  const runOne = async (file: string) => {
    const config = loadBridgeFile(file, j.rootDir, process.env);
    const bridge = await assembleBridge(config, j.rootDir, kafka, topics);
    const source = bridge.options.source;
    const timedSource: Source = {
      open: (from) => source.open(from),
      read: (limits, signal) => {
        firstRead ??= { at: performance.now(), cpu: process.cpuUsage() };
        return source.read(limits, signal);
      },
      commit: (position) => source.commit(position),
      close: () => source.close(),
    };
    const events = {
      batchWritten: (e: { bytes: number; records: number }) => {
        bytes += e.bytes;
        // The pipeline reports a batch once its source commit is done.
        if (e.records > 0) lastCommit = { at: performance.now(), cpu: process.cpuUsage() };
      },
    };
    try {
      return await runBridgePipeline({ ...bridge.options, source: timedSource, untilIdle: true, events }, new AbortController().signal);
    } finally {
      await bridge.close();
    }
  };
  await runOne(j.warmBridge);
  globalThis.gc?.();
  bytes = 0;
  firstRead = undefined;
  lastCommit = undefined;
  const profiler = j.profileFile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const t0 = performance.now();
  const summary = await runOne(j.bridge);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(j.profileFile!, JSON.stringify(profile));
    profiler.disconnect();
  }
  await topics.close();
  const started = firstRead!;
  const end = lastCommit ?? { at: performance.now(), cpu: process.cpuUsage() };
  return {
    records: summary.records,
    published: summary.published,
    deadLettered: summary.deadLettered,
    bytes,
    seconds: (end.at - started.at) / 1000,
    cpuSeconds: (end.cpu.user + end.cpu.system - started.cpu.user - started.cpu.system) / 1e6,
    startSeconds: (started.at - t0) / 1000,
    peakRssKiB: process.resourceUsage().maxRSS,
  };
}
