/**
 * Delivery and retry (issue 15): events/s and CPU per event of the retry processor delivering to a
 * fast local HTTP service, next to a bare consume-and-POST loop in the same run, and the retry
 * path's cost: every event failing once (503) and delivered from tier 1.
 *
 * Contenders, each on a fresh topic of N events (6 partitions, ~120-byte JSON values, a key and a
 * banyan-event-id each), measured from start until the service accepted all N:
 *   - processor: src/retry's processor with the product HTTP target (src/connectors/http: undici
 *     Pool, opossum breaker), `ordering: key`, offsets committed past delivered events;
 *   - bare: a kafkajs consumer (eachBatch, the same 6 partitions consumed concurrently) POSTing each
 *     event with an undici Pool of the same size and committing after each batch: the floor of what
 *     "consume and POST" costs with these libraries;
 *   - one-tier: the processor again, the service answering 503 to each event's first attempt, tier 1
 *     with a 1 ms delay: each event is attempted, written to `<topic>.retry.1`, read back and delivered.
 * The service runs in a child process (its CPU is not counted); the bench process's CPU (user + system)
 * is, from the service's first accepted event to its last (a new consumer group's join takes seconds
 * and is not delivery). Rounds interleave the contenders, the first one rotated; medians over rounds, ratios within rounds.
 *
 * Writes bench/results/retry.json and retry.md. Run: npm run bench -- retry
 * Env: RETRY_BENCH_EVENTS (20,000), RETRY_BENCH_TIER_EVENTS (2,000, the one-tier job), RETRY_BENCH_ROUNDS (3);
 * BANYAN_BENCH_QUICK=1 for one small round.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'undici';
import { createKafkaClient, kafkajsConfigOf } from '../src/connectors/kafka/client.ts';
import { createHttpTarget } from '../src/connectors/http/http-target.ts';
import { DEFAULT_KAFKA_VERSION, startLocalKafka } from '../src/connectors/kafka/local/index.ts';
import { createPublisher } from '../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../src/connectors/kafka/topic-admin.ts';
import { createRetryProcessor } from '../src/retry/retry-processor.ts';
import { cpuUs, median, rate } from './run-figures.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const EVENTS = benchSize('RETRY_BENCH_EVENTS', 20_000, 2_000);
const ROUNDS = benchSize('RETRY_BENCH_ROUNDS', 3, 1);
/** Fewer for the one-tier job: each event costs two produces (tier record, key backlog) on one serial producer. */
const TIER_EVENTS = benchSize('RETRY_BENCH_TIER_EVENTS', 2_000, 400);
const PARTITIONS = 6;
const CONNECTIONS = 10;
const kafkaVersion = process.env.BANYAN_TEST_KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
const here = fileURLToPath(new URL('.', import.meta.url));

type Contender = 'processor' | 'bare' | 'one-tier';
const CONTENDERS: readonly Contender[] = process.env.RETRY_BENCH_ONLY ? [process.env.RETRY_BENCH_ONLY as Contender] : ['processor', 'bare', 'one-tier'];

interface Run {
  readonly contender: Contender;
  readonly round: number;
  readonly records: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** Requests the service answered in the timed window (one-tier: two per event). */
  readonly requests: number;
}

const work = await mkdtemp(join(tmpdir(), 'banyan-retry-bench-'));
const broker = await startLocalKafka({ dataDir: join(work, 'kafka'), version: kafkaVersion });
const client = createKafkaClient({ brokers: broker.brokers, client_id: 'banyan-retry-bench' });
const topics = createTopicAdmin({ kafka: client, defaults: { partitions: PARTITIONS } });
const publisher = createPublisher({ kafka: client });
const service = await startService();
try {
  console.log(`retry: ${EVENTS.toLocaleString('en')} events per job, ${ROUNDS} round(s), ${PARTITIONS} partitions, service in a child process`);
  const runs: Run[] = [];
  // A warm-up of each contender (JIT, connections), not counted.
  const sizeOf = (c: Contender) => (c === 'one-tier' ? TIER_EVENTS : EVENTS);
  for (const c of CONTENDERS) await runJob(c, 'warm', Math.min(sizeOf(c), 1_000));
  for (let round = 1; round <= ROUNDS; round++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + round - 1) % CONTENDERS.length]!);
    for (const c of order) {
      const r = { ...(await runJob(c, `r${round}`, sizeOf(c))), round };
      runs.push(r);
      console.log(`round ${round} ${c}: ${Math.round(rate(r)).toLocaleString('en')} events/s, ${cpuUs(r).toFixed(1)} µs CPU/event, ${r.requests.toLocaleString('en')} requests`);
    }
  }
  report(runs);
} finally {
  await publisher.close().catch(() => {});
  await topics.close().catch(() => {});
  service.child.kill('SIGTERM');
  await broker.stop();
  await rm(work, { recursive: true, force: true });
}

async function runJob(contender: Contender, tag: string, events: number): Promise<Omit<Run, 'round'>> {
  const topic = `retrybench-${contender}-${tag}`;
  await topics.ensureTopics([{ topic }]);
  for (let i = 0; i < events; i += 1_000) {
    await publisher.publish(
      Array.from({ length: Math.min(1_000, events - i) }, (_, j) => {
        const n = i + j;
        return { topic, key: `acct-${n % 997}`, value: JSON.stringify({ id: `${tag}-${n}`, amount: '12.50', currency: 'EUR', note: 'x'.repeat(48) }), headers: { 'banyan-event-id': `${topic}/${n}` } };
      }),
    );
  }
  await service.reset(contender === 'one-tier' ? 1 : 0, events);
  const stop = new AbortController();
  let running: Promise<unknown>;
  if (contender === 'bare') running = bareLoop(topic, stop.signal);
  else {
    const target = createHttpTarget({ name: 'bench-service', url: service.url, connections: CONNECTIONS, breaker: { volume_threshold: 1_000_000 } });
    running = createRetryProcessor({
      bridge: topic,
      kafka: client,
      topics,
      publisher,
      sourceTopics: [topic],
      groupId: `${topic}-group`,
      target,
      policy: { tierDelaysMs: [1, 1, 1], jitter: 0, ordering: 'key' },
      backlogTopic: `${topic}.keys`,
    })
      .run(stop.signal)
      .finally(() => target.close());
  }
  // Timed from the first accepted event to the last: a new consumer group's join (seconds) is not delivery.
  const first = await service.first();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const last = await service.done();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const requests = last.requests - first.requests;
  const timed = last.accepted - first.accepted;
  stop.abort();
  await running;
  return { contender, records: timed, seconds, cpuSeconds: (used.user + used.system) / 1e6, requests };
}

/** Consume and POST, nothing else: kafkajs eachBatch, one POST per message in partition order, commit per batch. */
async function bareLoop(topic: string, signal: AbortSignal): Promise<void> {
  const kafka = new Kafka({ ...kafkajsConfigOf({ brokers: broker.brokers, client_id: 'banyan-retry-bench-bare' }), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}-bare`, maxWaitTimeInMs: 250 });
  const pool = new Pool(new URL(service.url).origin, { connections: CONNECTIONS });
  const path = new URL(service.url).pathname;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const m of batch.messages) {
        const res = await pool.request({ method: 'POST', path, body: m.value ?? '', headers: { 'content-type': 'application/json', 'idempotency-key': String(m.headers?.['banyan-event-id'] ?? '') } });
        await res.body.dump();
        resolveOffset(m.offset);
      }
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
      await heartbeat();
    },
  });
  await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
  await consumer.disconnect();
  await pool.close();
}

/**
 * The fast local service: 200 at once (or 503 for each key's first `failFirst` requests). It tells
 * the bench on stdout when it accepted the first event and when it accepted `want` (no polling: a
 * poll loop in the bench process would count as the contenders' CPU).
 */
async function startService(): Promise<{ child: ChildProcess; url: string; reset(failFirst: number, want: number): Promise<void>; first(): Promise<Counts>; done(): Promise<Counts> }> {
  const script = `
    const http = require('node:http');
    let failFirst = 0, want = 0, seen = new Map(), accepted = new Set(), requests = 0;
    const tell = (what) => process.stdout.write(what + ' ' + accepted.size + ' ' + requests + '\\n');
    const server = http.createServer((req, res) => {
      if (req.url.startsWith('/reset/')) {
        [failFirst, want] = req.url.slice(7).split('/').map(Number); seen = new Map(); accepted = new Set(); requests = 0;
        req.resume(); req.on('end', () => res.end()); return;
      }
      req.resume();
      req.on('end', () => {
        requests++;
        const id = String(req.headers['idempotency-key']);
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        if (n < failFirst) { res.writeHead(503); res.end(); return; }
        if (!accepted.has(id)) {
          accepted.add(id);
          if (accepted.size === 1) tell('first');
          if (accepted.size === want) tell('done');
        }
        res.writeHead(200); res.end();
      });
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const waiting = new Map<string, (c: Counts) => void>();
  const arrived = new Map<string, Counts>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [what, a, b] = line.split(' ');
    const counts = { accepted: Number(a), requests: Number(b) };
    const w = waiting.get(what!);
    if (w) {
      waiting.delete(what!);
      w(counts);
    } else arrived.set(what!, counts);
  });
  const next = (what: string) =>
    new Promise<Counts>((resolve) => {
      const got = arrived.get(what);
      if (got) {
        arrived.delete(what);
        resolve(got);
      } else waiting.set(what, resolve);
    });
  const port = (await next('port')).accepted;
  const base = `http://127.0.0.1:${port}`;
  return {
    child,
    url: `${base}/events`,
    async reset(failFirst, want) {
      arrived.clear();
      await (await fetch(`${base}/reset/${failFirst}/${want}`, { method: 'POST' })).text();
    },
    first: () => next('first'),
    done: () => next('done'),
  };
}

interface Counts {
  readonly accepted: number;
  readonly requests: number;
}

function report(runs: readonly Run[]): void {
  const of = (c: Contender) => {
    const rs = runs.filter((r) => r.contender === c);
    return { eventsPerSecond: Math.round(median(rs.map(rate))), cpuUsPerEvent: Number(median(rs.map(cpuUs)).toFixed(1)), spread: [Math.round(Math.min(...rs.map(rate))), Math.round(Math.max(...rs.map(rate)))] };
  };
  const ratio = (a: Contender, b: Contender, f: (r: Run) => number) =>
    Number(median(Array.from({ length: ROUNDS }, (_, i) => f(runs.find((r) => r.contender === a && r.round === i + 1)!) / f(runs.find((r) => r.contender === b && r.round === i + 1)!))).toFixed(2));
  const results = {
    processor: of('processor'),
    bare: of('bare'),
    oneTier: of('one-tier'),
    /** processor ÷ bare events/s, median of within-round ratios. */
    processorToBareRate: ratio('processor', 'bare', rate),
    processorToBareCpu: ratio('processor', 'bare', cpuUs),
    /** one-tier ÷ processor events/s: what sending every event through one tier costs. */
    oneTierToProcessorRate: ratio('one-tier', 'processor', rate),
    oneTierToProcessorCpu: ratio('one-tier', 'processor', cpuUs),
  };
  const env = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    node: process.version,
    kafka: `Apache Kafka ${kafkaVersion} (local KRaft, one node, loopback), ${PARTITIONS} partitions per topic`,
    events: EVENTS,
    oneTierEvents: TIER_EVENTS,
    rounds: ROUNDS,
    httpConnections: CONNECTIONS,
    quickRun: quickRunNote !== undefined,
  };
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'retry.json'), `${JSON.stringify({ benchmark: 'retry', env, results, rounds: runs }, null, 2)}\n`);
  const n = (x: number) => x.toLocaleString('en');
  const row = (name: string, f: ReturnType<typeof of>) => `| ${name} | ${n(f.eventsPerSecond)} | ${n(f.spread[0]!)}-${n(f.spread[1]!)} | ${f.cpuUsPerEvent} |`;
  const md = [
    '# Delivery and retry benchmark',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `${env.date}, ${env.cpu} (${env.cores} cores, load ${env.loadAverage1m}), Node ${env.node}, ${env.kafka}; ${n(EVENTS)} events per job (${n(TIER_EVENTS)} for the one-tier job), ${ROUNDS} round(s), median over rounds. The service runs in a child process; CPU is the bench process's.`,
    '',
    '| contender | events/s | spread | µs CPU/event |',
    '|---|---:|---:|---:|',
    row('retry processor -> HTTP target', results.processor),
    row('bare consume-and-POST loop', results.bare),
    row('through one retry tier (503 once)', results.oneTier),
    '',
    `Processor ÷ bare: ${results.processorToBareRate}x the events/s, ${results.processorToBareCpu}x the CPU per event.`,
    `One tier ÷ processor: ${results.oneTierToProcessorRate}x the events/s, ${results.oneTierToProcessorCpu}x the CPU per event (each event attempted twice, written to and read back from the tier).`,
    '',
    'Run: `npm run bench -- retry` (RETRY_BENCH_EVENTS, RETRY_BENCH_ROUNDS).',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'retry.md'), md);
  console.log(md);
}
