/**
 * The HTTP delivery target next to a bare undici loop doing the same requests: same local service
 * (a node:http process of its own, answering 204, so its CPU is not the client's), same run, same
 * events, same concurrency (C lanes, each delivering one event at a time and awaiting it, as the
 * retry processor does per partition).
 *
 * - banyan: createHttpTarget with a URL template (`/v1/accounts/{after.ACCOUNT_ID}`), the event as
 *   body, the idempotency header, the opossum breaker and the instrumentation hook.
 * - undici-bare: the same requests by hand on an undici Pool of the same size: JSON.parse of the
 *   value, encodeURIComponent of the id, the same headers, body dumped. No breaker, no plan.
 * The ratio banyan / bare is the target's own overhead. Many short rounds, the starting contender
 * rotated, each contender's median round counts; ratios are within-round medians.
 *
 * Env: BENCH_HTTP_REQUESTS (per round, default 20000), BENCH_HTTP_LANES (default 16),
 * BENCH_HTTP_ROUNDS (default 9); BANYAN_BENCH_QUICK=1 makes it 2,000 requests and 2 rounds.
 * Writes bench/results/http-target.json and .md. Run: npm run bench -- http-target
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'undici';
import { createHttpTarget } from '../src/connectors/http/http-target.ts';
import type { DeliveryRecord } from '../src/retry/delivery-target.ts';
import { median } from './run-figures.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const REQUESTS = benchSize('BENCH_HTTP_REQUESTS', 20_000, 2_000);
const LANES = benchSize('BENCH_HTTP_LANES', 16, 16);
const ROUNDS = benchSize('BENCH_HTTP_ROUNDS', 9, 2);
const VALUE_BYTES = 512;

type Contender = 'banyan' | 'undici-bare';
interface Round {
  readonly contender: Contender;
  readonly round: number;
  readonly requestsPerSec: number;
  /** This process's CPU (user+system) per request: the client's cost, the service runs elsewhere. */
  readonly clientCpuUsPerRequest: number;
}

const service = fork(new URL('./http-target-server.mjs', import.meta.url).pathname, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const port = await new Promise<number>((resolve, reject) => {
  service.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  service.once('exit', (code) => reject(new Error(`bench service exited (${code})`)));
});
const origin = `http://127.0.0.1:${port}`;

try {
  // CDC-shaped events padded to VALUE_BYTES, 10,000 accounts.
  const records: DeliveryRecord[] = Array.from({ length: REQUESTS }, (_, i) => {
    const base = { op: 'u', after: { ACCOUNT_ID: `ACC-${String(i % 10_000).padStart(8, '0')}`, BALANCE: '1234.50', PAD: '' } };
    base.after.PAD = 'x'.repeat(Math.max(0, VALUE_BYTES - JSON.stringify(base).length));
    return {
      originalTopic: 'legacy.accounts.v1',
      originalPartition: i % 12,
      originalOffset: String(i),
      key: Buffer.from(base.after.ACCOUNT_ID),
      value: Buffer.from(JSON.stringify(base)),
      headers: {},
      timestamp: 0,
      eventId: `legacy.accounts.v1/${i % 12}/${i}`,
      attempt: 1,
    };
  });

  let delivered = 0;
  const target = createHttpTarget(
    { name: 'bench', url: `${origin}/v1/accounts/{after.ACCOUNT_ID}`, connections: LANES, breaker: { volume_threshold: 1_000_000 } },
    { events: { delivered: () => void delivered++ } },
  );
  const pool = new Pool(origin, { connections: LANES });
  const signal = new AbortController().signal;

  const lanes = async (one: (r: DeliveryRecord) => Promise<unknown>) => {
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        while (next < records.length) await one(records[next++]!);
      }),
    );
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const runners: Record<Contender, () => Promise<number>> = {
    banyan: () =>
      lanes(async (r) => {
        const outcome = await target.deliver(r, signal);
        if (outcome.kind !== 'delivered') throw new Error(`banyan: ${JSON.stringify(outcome)}`);
      }),
    'undici-bare': () =>
      lanes(async (r) => {
        const id = (JSON.parse(r.value!.toString('utf8')) as { after: { ACCOUNT_ID: string } }).after.ACCOUNT_ID;
        const res = await pool.request({
          path: `/v1/accounts/${encodeURIComponent(id)}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': r.eventId },
          body: r.value!,
        });
        await res.body.dump();
        if (res.statusCode !== 204) throw new Error(`bare: ${res.statusCode}`);
      }),
  };
  const contenders = Object.keys(runners) as Contender[];

  for (const c of contenders) await runners[c](); // warm-up: JIT, keep-alive connections
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    for (const c of contenders.map((_, i) => contenders[(i + r) % contenders.length]!)) {
      globalThis.gc?.();
      const cpu0 = process.cpuUsage();
      const seconds = await runners[c]();
      const cpu = process.cpuUsage(cpu0);
      rounds.push({ contender: c, round: r, requestsPerSec: REQUESTS / seconds, clientCpuUsPerRequest: (cpu.user + cpu.system) / REQUESTS });
      console.log(`${c} round ${r}: ${Math.round(REQUESTS / seconds)} req/s`);
    }
  }
  await target.close();
  await pool.close();
  const served = await new Promise<number>((resolve) => {
    service.once('message', (m) => resolve(m as number));
    service.send('count');
  });
  const expected = REQUESTS * (ROUNDS + 1) * contenders.length;
  if (served !== expected) throw new Error(`the service counted ${served} requests, expected ${expected}`);
  if (delivered !== REQUESTS * (ROUNDS + 1)) throw new Error(`the target reported ${delivered} deliveries`);

  const of = (c: Contender, field: 'requestsPerSec' | 'clientCpuUsPerRequest') => median(rounds.filter((x) => x.contender === c).map((x) => x[field]));
  const summary = Object.fromEntries(contenders.map((c) => [c, { requestsPerSec: of(c, 'requestsPerSec'), clientCpuUsPerRequest: of(c, 'clientCpuUsPerRequest') }])) as Record<
    Contender,
    { requestsPerSec: number; clientCpuUsPerRequest: number }
  >;
  const ratio = median(
    Array.from({ length: ROUNDS }, (_, i) => {
      const at = (c: Contender) => rounds.find((x) => x.contender === c && x.round === i + 1)!.requestsPerSec;
      return at('banyan') / at('undici-bare');
    }),
  );
  const result = {
    name: 'http-target',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    setup: { requestsPerRound: REQUESTS, lanes: LANES, connections: LANES, rounds: ROUNDS, valueBytes: VALUE_BYTES },
    summary,
    ratio,
    servedRequests: served,
    rounds,
  };
  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(new URL('http-target.json', resultsDir), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    '# http-target',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `${result.date} · ${result.machine.cpu} · ${result.machine.cores} cores · Node ${process.version} · local node:http service in its own process, loopback`,
    '',
    `${REQUESTS} POSTs per round of ${VALUE_BYTES}-byte CDC-shaped events, ${LANES} lanes each awaiting one delivery at a time, a keep-alive pool of ${LANES} connections, the service answering 204. Median of ${ROUNDS} rounds (starting contender rotated) after a warm-up; the service counted every request (${served}).`,
    '',
    '| contender | requests/s | client CPU µs/request |',
    '|---|---:|---:|',
    ...contenders.map((c) => `| ${c} | ${summary[c].requestsPerSec.toFixed(0)} | ${summary[c].clientCpuUsPerRequest.toFixed(1)} |`),
    '',
    `**Ratio banyan target / bare undici loop: ${ratio.toFixed(2)}** (median of within-round ratios): the cost of the request plan, the breaker and the instrumentation hook.`,
    `Client CPU per request, banyan / bare: ${(summary.banyan.clientCpuUsPerRequest / summary['undici-bare'].clientCpuUsPerRequest).toFixed(2)}.`,
    `Machine load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (other processes share the box: throughput figures move with it).`,
    '',
  ].join('\n');
  writeFileSync(new URL('http-target.md', resultsDir), md);
} finally {
  service.kill('SIGTERM');
}
