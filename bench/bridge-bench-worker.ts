/**
 * The Node side of bench/bridge.bench.ts, one job per child process (so each reports its own CPU
 * time and peak RSS):
 *
 * - `banyan`: the real bridge path. The bridge files are loaded and assembled exactly as
 *   `banyan run` does (loadBridgeFile + assembleBridge: file source -> codec -> Kafka sink, idempotent
 *   publisher with acks=all, checkpoint topic) and run with runBridgePipeline until idle.
 * - `banyan-stock-kafkajs`: the same bridge with kafkajs as shipped (BANYAN_KAFKAJS_FAST_PATH=off:
 *   src/connectors/kafka/kafkajs-fast-path.ts not installed), to measure that patch side by side.
 * - `banyan-id-only`: the same, each event's headers cut to its event id before the sink (a what-if
 *   measuring the header contract's cost in kafkajs; not what a bridge sends).
 * - `raw`: the same assembled bridge with the decoder swapped for a pass-through that publishes each
 *   framed record's bytes undecoded, keyed by the entity field's raw bytes: same file source and
 *   framer, same publisher, same headers and checkpoints. Banyan minus this = decode + JSON.
 * - `stages`: where Banyan's CPU goes, each stage run alone over the same records in this process
 *   (read + frame through the file source; decode; JSON.stringify as the bridge's decoder does it;
 *   event headers; produce of the prepared records through the Kafka sink and the same publisher).
 *
 * Each of `banyan` and `raw` first runs a warm-up bridge (a smaller file, its own topic) so V8 has
 * compiled the hot paths, then the timed bridge; the time and CPU cover the timed bridge from the
 * source's first read (producer connected on the first batch) to the last batch committed.
 *
 * Prints one JSON line (WorkerResult or StageResult) on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assembleBridge, loadBridgeFile } from '../src/bridge-assembly.ts';
import { openRecordCodec } from '../src/codec/index.ts';
import { readRecordsSync } from '../src/codec/framing/index.ts';
import { codecProvenance, eventJson } from '../src/codec/record-decisions.ts';
import type { Sink, SinkRecord, Source, SourceRecord } from '../src/core/bridge-contracts.ts';
import { BRIDGE_HEADERS, eventHeaders } from '../src/core/bridge-headers.ts';
import { runBridgePipeline, type RecordDecoder } from '../src/core/bridge-pipeline.ts';
import { createFileSource } from '../src/connectors/file/file-source.ts';
import { createKafkaClient } from '../src/connectors/kafka/client.ts';
import { createKafkaSink } from '../src/connectors/kafka/kafka-sink.ts';
import { createPublisher } from '../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import type { Field } from '../src/codec/layout.ts';

export interface BridgeJob {
  readonly contender: 'banyan' | 'banyan-stock-kafkajs' | 'banyan-id-only' | 'raw';
  readonly brokers: readonly string[];
  readonly rootDir: string;
  readonly warmBridge: string;
  readonly bridge: string;
  readonly partitions: number;
  /** The copybook field the events are keyed by (the raw job keys by its bytes). */
  readonly keyField: string;
}

export interface StagesJob {
  readonly contender: 'stages';
  readonly brokers: readonly string[];
  readonly mapping: string;
  readonly inbox: string;
  readonly produceTopic: string;
  /** The decode, JSON, headers and produce stages run over the file's first records up to this many bytes (memory). */
  readonly sampleBytes: number;
  readonly batchRecords: number;
  readonly batchBytes: number;
}

export interface WorkerResult {
  readonly contender: BridgeJob['contender'];
  readonly records: number;
  readonly published: number;
  readonly bytes: number;
  readonly seconds: number;
  /** This process's user + system CPU time from the source's first read to the last commit. */
  readonly cpuSeconds: number;
  /** Assembly (topics checked) and checkpoint load before the first read, wall seconds. */
  readonly startSeconds: number;
  readonly peakRssKiB: number;
}

/** CPU µs per record of each stage run alone. */
export interface StageResult {
  readonly contender: 'stages';
  readonly records: number;
  readonly readFrameUs: number;
  readonly decodeUs: number;
  readonly jsonUs: number;
  readonly headersUs: number;
  readonly produceUs: number;
  /** Produce again with only the event-id header on each event. */
  readonly produceEventIdOnlyUs: number;
  readonly headersPerEvent: number;
  /** Mean JSON event size in bytes. */
  readonly jsonBytes: number;
}

const job = JSON.parse(process.argv[2]!) as BridgeJob | StagesJob;
// Read once, when createKafkaClient first runs (below).
if (job.contender === 'banyan-stock-kafkajs') process.env.BANYAN_KAFKAJS_FAST_PATH = 'off';
const result = job.contender === 'stages' ? await measureStages(job) : await runBridgeJob(job);
process.stdout.write(`${JSON.stringify(result)}\n`);

async function runBridgeJob(j: BridgeJob): Promise<WorkerResult> {
  const kafka = createKafkaClient({ brokers: [...j.brokers], client_id: `banyan-bench-${j.contender}` });
  // The benchmark created the topics with this many partitions; the bridge checks they match.
  const topics = createTopicAdmin({ kafka, defaults: { partitions: j.partitions } });
  let bytes = 0;
  // The clock starts at the source's first read: assembly and the checkpoint load before it (a
  // consumer reading the checkpoint topic to its end) happen once per bridge start, reported apart.
  let firstRead: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  const runOne = async (file: string) => {
    const config = loadBridgeFile(file, j.rootDir, process.env);
    const bridge = await assembleBridge(config, j.rootDir, kafka, topics);
    const decode = j.contender === 'raw' ? passThrough(resolve(j.rootDir, config.mapping!), j.keyField, config.sink.kafka!.topic) : bridge.options.decode;
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
    const sink = j.contender === 'banyan-id-only' ? eventIdOnly(bridge.options.sink) : bridge.options.sink;
    try {
      const events = { batchWritten: (e: { bytes: number }) => void (bytes += e.bytes) };
      return await runBridgePipeline({ ...bridge.options, source: timedSource, sink, decode, untilIdle: true, events }, new AbortController().signal);
    } finally {
      await bridge.close();
    }
  };
  await runOne(j.warmBridge);
  globalThis.gc?.();
  bytes = 0;
  firstRead = undefined;
  const t0 = performance.now();
  const summary = await runOne(j.bridge);
  const end = { at: performance.now(), cpu: process.cpuUsage() };
  await topics.close();
  const started = firstRead!;
  return {
    contender: j.contender,
    records: summary.records,
    published: summary.published,
    bytes,
    seconds: (end.at - started.at) / 1000,
    cpuSeconds: (end.cpu.user + end.cpu.system - started.cpu.user - started.cpu.system) / 1e6,
    startSeconds: (started.at - t0) / 1000,
    peakRssKiB: process.resourceUsage().maxRSS,
  };
}

/** A what-if, not the header contract: the sink gets each event with its event id as the only header. */
function eventIdOnly(sink: Sink): Sink {
  return {
    write: (records, position) =>
      sink.write(
        records.map((r) => ({ ...r, headers: { [BRIDGE_HEADERS.eventId]: r.headers[BRIDGE_HEADERS.eventId]! } })),
        position,
      ),
    close: () => sink.close(),
  };
}

/** The raw baseline's decoder: the framed bytes as they are, keyed by the key field's bytes read as latin1 (no code page). */
function passThrough(mapping: string, keyField: string, topic: string): RecordDecoder {
  const codec = openRecordCodec({ mapping });
  const field = findField(codec.record.root, keyField);
  if (!field || field.kind === 'group') throw new Error(`key field ${keyField} not found in ${mapping}`);
  const { offset, length } = field as Field & { length: number };
  return (record) => {
    const b = record.bytes;
    return { kind: 'event', topic, key: Buffer.from(b.buffer, b.byteOffset + offset, length).toString('latin1'), value: b };
  };
}

function findField(field: Field, name: string): Field | undefined {
  if (field.name === name) return field;
  if (field.kind !== 'group') return undefined;
  for (const c of field.children) {
    const found = findField(c, name);
    if (found) return found;
  }
  return undefined;
}

async function measureStages(j: StagesJob): Promise<StageResult> {
  const codec = openRecordCodec({ mapping: j.mapping });
  const limits = { maxRecords: j.batchRecords, maxBytes: j.batchBytes, maxWaitMs: 0 };

  // Read + frame: the file source drained batch by batch, as the pipeline reads it (page cache warm after the first pass).
  const readPass = async () => {
    const source = createFileSource({ dir: j.inbox, framing: codec.framing, finished: 'keep' });
    await source.open(undefined);
    let n = 0;
    for (;;) {
      const b = await source.read(limits, new AbortController().signal);
      if ('idle' in b) break;
      n += b.records.length;
    }
    await source.close();
    return n;
  };
  await readPass();
  const readCpu = await cpuPerRecord(readPass);

  // The same records, framed once, for the in-memory stages: the file's first records, up to a
  // budget of bytes, so a heap full of decoded values does not make GC cost what a bridge never pays.
  const fileName = readdirFirst(j.inbox);
  const all = readRecordsSync(new Uint8Array(readFileSync(join(j.inbox, fileName))), codec.framing)[Symbol.iterator]();
  const records: SourceRecord[] = [];
  for (let budget = j.sampleBytes; records.length === 0 || budget > 0; ) {
    const next = all.next();
    if (next.done) break;
    const f = next.value;
    records.push({ bytes: f.bytes, recordNumber: f.recordNumber, positionId: `bench@${f.byteOffset}`, metadata: { 'banyan-file': fileName } });
    budget -= f.bytes.length;
  }
  const decodePass = () => {
    let n = 0;
    for (const r of records) if (codec.decode(r.bytes, r.recordNumber)?.kind === 'event') n++;
    return n;
  };
  // Decode is measured before the decoded values are kept for the JSON stage: a heap holding them
  // made the same decoder cost several times more than in the codec benchmark.
  const decodeCpu = await cpuPerRecord(repeat(decodePass));
  let values = records.map((r) => {
    const out = codec.decode(r.bytes, r.recordNumber);
    if (out?.kind !== 'event') throw new Error(`record ${r.recordNumber} did not decode: ${out?.kind === 'dlq' ? out.reason : 'skipped'}`);
    return out;
  });
  // What recordDecoder (src/codec/record-decisions.ts) does per event.
  const toJson = eventJson();
  let jsonBytes = 0;
  const jsonPass = () => {
    jsonBytes = 0;
    for (const v of values) jsonBytes += toJson(v.value).length;
    return values.length;
  };
  const provenance = codecProvenance('bench', codec, 'bench', 'sha256:000000000000');
  const headersPass = () => {
    let n = 0;
    for (const r of records) n += Object.keys(eventHeaders(provenance, r)).length > 0 ? 1 : 0;
    return n;
  };
  const jsonCpu = await cpuPerRecord(repeat(jsonPass));
  const headersCpu = await cpuPerRecord(repeat(headersPass));

  // Produce: the prepared events through the Kafka sink in the bridge's batch sizes, each batch
  // awaited, passes repeated for at least 2 s; the decoded values are dropped first (see above).
  const prepared: SinkRecord[] = values.map((v, i) => ({ topic: j.produceTopic, key: v.key, value: toJson(v.value), headers: eventHeaders(provenance, records[i]!) }));
  values = [];
  const batches: SinkRecord[][] = [];
  for (let i = 0, bytes = 0, batch: SinkRecord[] = []; i < prepared.length; i++) {
    batch.push(prepared[i]!);
    bytes += records[i]!.bytes.length;
    if (batch.length >= j.batchRecords || bytes >= j.batchBytes || i === prepared.length - 1) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
  }
  const kafka = createKafkaClient({ brokers: [...j.brokers], client_id: 'banyan-bench-stages' });
  const sink = createKafkaSink(createPublisher({ kafka }));
  const producePass = (of: SinkRecord[][]) => async () => {
    let n = 0;
    const end = performance.now() + 2000;
    do {
      for (const b of of) await sink.write(b, {});
      n += prepared.length;
    } while (performance.now() < end);
    return n;
  };
  for (const b of batches) await sink.write(b, {}); // warm-up: connection, producer id, partition metadata, JIT
  const produceCpu = await cpuPerRecord(producePass(batches));
  // The same events with the event id as their only header: what the other seven headers cost in the client.
  const idOnly = batches.map((b) => b.map((r) => ({ ...r, headers: { [BRIDGE_HEADERS.eventId]: r.headers[BRIDGE_HEADERS.eventId]! } })));
  const produceIdOnlyCpu = await cpuPerRecord(producePass(idOnly));
  await sink.close();

  return {
    contender: 'stages',
    records: records.length,
    readFrameUs: readCpu,
    decodeUs: decodeCpu,
    jsonUs: jsonCpu,
    headersUs: headersCpu,
    produceUs: produceCpu,
    produceEventIdOnlyUs: produceIdOnlyCpu,
    headersPerEvent: Object.keys(prepared[0]!.headers).length,
    jsonBytes: Math.round(jsonBytes / records.length),
  };
}

/** Runs `pass` once and returns this process's CPU µs per record it handled (callers warm it up first). */
async function cpuPerRecord(pass: () => number | Promise<number>): Promise<number> {
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const n = await pass();
  const cpu = process.cpuUsage(cpu0);
  return Number(((cpu.user + cpu.system) / n).toFixed(3));
}

/** A synchronous stage repeated for at least a second, after a warm-up of as long (the codec benchmark's generated decoders needed that on one core). */
function repeat(pass: () => number): () => number {
  const warmEnd = performance.now() + 1000;
  do pass();
  while (performance.now() < warmEnd);
  return () => {
    let n = 0;
    const end = performance.now() + 1000;
    do n += pass();
    while (performance.now() < end);
    return n;
  };
}

function readdirFirst(dir: string): string {
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  if (names.length === 0) throw new Error(`no file in ${dir}`);
  return names[0]!;
}
