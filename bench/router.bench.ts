/**
 * The strangler router's cost: requests/s and p50/p99 added latency through Banyan, next to going
 * straight to the upstream and next to nginx `proxy_pass` with a keepalive upstream (Debian's nginx,
 * started here with its own temp config on 127.0.0.1), all measured in the same run with the same
 * load generator (Debian's `wrk`, one thread).
 *
 * 1. Peak: wrk -c50 for each target (closed loop, as fast as it answers).
 * 2. Latency at a fixed offered rate, half of Banyan's peak, for each target: wrk with a Lua
 *    `delay()` per connection (an open-ish loop well below saturation), percentiles from wrk's own
 *    histogram. Added latency = target - direct at the same rate.
 *    The pauses are random (exponential, mean PACE_MS), so arrivals are spread like independent
 *    clients'. A constant pause phase-locks wrk's connections: they all wake in the same
 *    millisecond and the whole set arrives as one burst, so p99 measured the time to drain a burst
 *    of ~30 requests (direct to the upstream: p50 ~1 ms instead of ~0.25), not a proxy's added latency.
 * Targets (issue 3): p99 added by Banyan under 1 ms at half its peak rate; Banyan's peak at least
 * 0.5x nginx's.
 *
 * Processes: the upstream (node:http) and Banyan (createRouter + the whole control plane: stats,
 * rollout controller, decommission tracker, as in production) each run in their own child process
 * (this file with --serve-upstream / --serve-banyan), so the load generator, proxy and upstream do
 * not share an event loop. Loopback only, bounded durations.
 *
 * Runtimes (bench/runtimes.ts): Banyan and the node floor run on Node 24 (type stripping, no loader)
 * and, when the machine has one, on Node 20 (tsx loader) as further targets of the same interleaved
 * rounds: the Node 20 Banyan in the peak and the fixed-rate runs (at the same offered rate), the
 * Node 20 floor at peak. Node 24 / Node 20 is the median over rounds of the within-round ratio of
 * proxy CPU per request (what a shared 2-core machine disturbs least), with the peak ratio beside
 * it. The targets' verdicts use the Node 24 figures; the upstream runs on Node 24 for every target.
 *
 * Sizes: BENCH_SECONDS (default 5) per run, BENCH_ROUNDS (3) peak rounds, BENCH_PACED_ROUNDS (5)
 * fixed-rate rounds; BANYAN_BENCH_QUICK=1 makes them 1, 1, 1.
 *
 * Writes bench/results/router.json and .md. Run: npm run bench -- router
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { findNodeRuntimes, type NodeRuntime, type NodeRuntimes } from './runtimes.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const SECONDS = benchSize('BENCH_SECONDS', 5, 1);
const PEAK_CONNECTIONS = 50;
/** Per-connection pause in the fixed-rate runs; connections = rate x pause. */
const PACE_MS = 5;
/** Interleaved rounds per measurement (BENCH_ROUNDS). */
const ROUNDS = benchSize('BENCH_ROUNDS', 3, 1);
/** Rounds of the fixed-rate latency runs (more: p99 is the figure most disturbed by other load). */
const PACED_ROUNDS = benchSize('BENCH_PACED_ROUNDS', 5, 1);
const resultsDir = new URL('./results/', import.meta.url);
const self = fileURLToPath(import.meta.url);

interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly errors: number;
  /** CPU time (user + system) the proxy process(es) / the upstream spent per request; peak runs only. */
  readonly proxyCpuUsPerRequest?: number;
  readonly upstreamCpuUsPerRequest?: number;
}

/**
 * Measured at peak only: `dataPlane` is Banyan without its control plane (what the control plane
 * costs); `nodeFloor` is a bare node:http server forwarding through undici `Pool.dispatch` with no
 * routing, breaker, headers or stats (what Node and undici alone cost per request on this machine).
 * `banyan`, `dataPlane` and `nodeFloor` run on Node 24; `banyanNode20` and `nodeFloorNode20` are
 * the same on Node 20, present only when the machine has one.
 */
type Target = 'direct' | 'nginx' | 'banyan' | 'banyanNode20' | 'dataPlane' | 'nodeFloor' | 'nodeFloorNode20';
type Node20Target = 'banyanNode20' | 'nodeFloorNode20';
type PacedTarget = 'direct' | 'nginx' | 'banyan' | 'banyanNode20';

if (process.argv[2]?.startsWith('--serve-')) {
  // Exit normally on the parent's SIGTERM, so `node --cpu-prof` can write its profile.
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => process.exit(0));
}
if (process.argv[2] === '--serve-upstream') await serveUpstream();
else if (process.argv[2] === '--serve-banyan') await serveBanyan(process.argv[3]!, process.argv[4]!);
else if (process.argv[2] === '--serve-floor') await serveNodeFloor(process.argv[3]!);
else await main();

async function main(): Promise<void> {
  for (const tool of ['wrk', 'nginx']) {
    if (spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0) {
      throw new Error(`${tool} is missing: run scripts/setup.sh (scripts/setup.d/40-router.sh installs it)`);
    }
  }
  const runtimes = findNodeRuntimes();
  const { node24, node20 } = runtimes;
  const work = mkdtempSync(join(tmpdir(), 'banyan-router-bench-'));
  const children: ChildProcess[] = [];
  try {
    const upstream = await startChild(node24, ['--serve-upstream'], children);
    const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
    // Banyan logs to a file: a pipe to this process would fill while spawnSync(wrk) blocks it.
    const banyanLog = join(work, 'banyan.log');
    const banyan = await startChild(node24, ['--serve-banyan', upstreamUrl, banyanLog], children);
    const nginxPort = await freePort();
    const nginxPid = await startNginx(work, upstream.port, nginxPort, children);
    const dataPlane = await startChild(node24, ['--serve-banyan', upstreamUrl, join(work, 'data-plane.log')], children, { BENCH_DATA_PLANE_ONLY: '1' });
    const nodeFloor = await startChild(node24, ['--serve-floor', upstreamUrl], children);
    const onNode20: Partial<Record<Node20Target, Served>> = node20
      ? {
          banyanNode20: await startChild(node20, ['--serve-banyan', upstreamUrl, join(work, 'banyan-node20.log')], children),
          nodeFloorNode20: await startChild(node20, ['--serve-floor', upstreamUrl], children),
        }
      : {};
    const proxies: Partial<Record<Target, Served>> = { banyan, dataPlane, nodeFloor, ...onNode20 };
    const url = (port: number) => `http://127.0.0.1:${port}/bench/1`;
    const urls = {
      direct: `${upstreamUrl}/bench/1`,
      nginx: url(nginxPort),
      ...Object.fromEntries(Object.entries(proxies).map(([t, p]) => [t, url(p.port)])),
    } as Record<Target, string>;
    const luaFile = join(work, 'report.lua');
    writeFileSync(luaFile, luaScript());

    const loadBefore = loadavg()[0]!;
    const targets: Target[] = ['direct', 'nginx', 'banyan', ...(node20 ? (['banyanNode20'] as const) : []), 'dataPlane', 'nodeFloor', ...(node20 ? (['nodeFloorNode20'] as const) : [])];
    const pacedTargets: PacedTarget[] = ['direct', 'nginx', 'banyan', ...(node20 ? (['banyanNode20'] as const) : [])];
    for (const t of targets) wrk(urls[t], luaFile, 10, 1, 0); // warm-up: JIT, keep-alive pools
    // Interleaved rounds so a burst of other load on the machine hits every target alike; the
    // peak is each target's best round.
    const proxyPids = (t: Target): number[] => {
      if (t === 'direct') return [];
      if (t === 'nginx') return [nginxPid, ...childPids(nginxPid)];
      return [proxies[t]!.pid];
    };
    const upstreamPid = upstream.pid;
    const peakRuns: PerTarget<WrkResult[]> = rounds(targets, (t) => {
      const pids = proxyPids(t);
      const [proxyBefore, upBefore] = [cpuMs(pids), cpuMs([upstreamPid])];
      const r = wrk(urls[t], luaFile, PEAK_CONNECTIONS, SECONDS, 0);
      return {
        ...r,
        proxyCpuUsPerRequest: ((cpuMs(pids) - proxyBefore) * 1000) / r.requests,
        upstreamCpuUsPerRequest: ((cpuMs([upstreamPid]) - upBefore) * 1000) / r.requests,
      };
    });
    const peak: PerTarget<WrkResult> = mapTargets(targets, (t) => peakRuns[t]!.reduce((a, b) => (b.rps > a.rps ? b : a)));

    const rate = Math.max(100, Math.round(peak.banyan.rps / 2));
    const connections = Math.max(1, Math.round((rate * PACE_MS) / 1000));
    // Latency on a shared machine only ever gets worse from outside noise, so each target's least
    // disturbed round (lowest p99) is its figure, as for the peak.
    const pacedRuns: PerPacedTarget<WrkResult[]> = rounds(pacedTargets, (t) => wrk(urls[t], luaFile, connections, SECONDS, PACE_MS), PACED_ROUNDS);
    const paced: PerPacedTarget<WrkResult> = mapTargets(pacedTargets, (t) => pacedRuns[t]!.reduce((a, b) => (b.p99Us < a.p99Us ? b : a)));

    const banyanWarnings = readFileSync(banyanLog, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
    const result = {
      when: new Date().toISOString(),
      machine: `${cpus()[0]?.model.trim() ?? 'unknown'} · ${cpus().length} cores`,
      quickRun: quickRunNote !== undefined,
      /** Banyan, its data plane, the node floor and the upstream run on node24; the *Node20 targets on node20. */
      runtimes: { node24: node24.version, node20: node20?.version ?? null, node20Missing: runtimes.node20Missing },
      /** 1-minute load average before and after: other work on the machine shows up in the p99s. */
      loadAverage: { before: loadBefore, after: loadavg()[0]! },
      loadGenerator: 'wrk 1 thread',
      seconds: SECONDS,
      rounds: { peak: ROUNDS, halfRate: PACED_ROUNDS },
      peakConnections: PEAK_CONNECTIONS,
      allRuns: { peak: peakRuns, halfRate: pacedRuns },
      /** Log lines Banyan wrote at warn or above (requests wrk abandoned at the end of each run). */
      banyanWarnings,
      peak,
      halfRate: { offeredRps: rate, connections, paceMs: PACE_MS, results: paced },
      addedUs: {
        banyan: added(paced.banyan, paced.direct),
        nginx: added(paced.nginx, paced.direct),
        ...(paced.banyanNode20 ? { banyanNode20: added(paced.banyanNode20, paced.direct) } : {}),
      },
      /** Node 24 against Node 20, per proxy: proxy CPU per request (median within-round ratio, Node 20 / Node 24: above 1 Node 24 spends less) and peak req/s (best / best). */
      node24VsNode20:
        peakRuns.banyanNode20 && peakRuns.nodeFloorNode20
          ? { banyan: runtimeRatio(peakRuns.banyan, peakRuns.banyanNode20), nodeFloor: runtimeRatio(peakRuns.nodeFloor, peakRuns.nodeFloorNode20) }
          : null,
      targets: {
        p99AddedUnder1ms: paced.banyan.p99Us - paced.direct.p99Us < 1000,
        peakAtLeastHalfNginx: peak.banyan.rps >= 0.5 * peak.nginx.rps,
        banyanToNginxPeakRatio: peak.banyan.rps / peak.nginx.rps,
      },
      /** What a Node proxy with no router features reaches against nginx here: the room left for the features. */
      nodeFloorToNginxPeakRatio: peak.nodeFloor.rps / peak.nginx.rps,
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(new URL('router.json', resultsDir), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL('router.md', resultsDir), markdown(result, runtimes));
  } finally {
    for (const c of children) c.kill('SIGTERM');
    if (process.env.BENCH_KEEP === '1') console.error(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

interface Served {
  readonly port: number;
  readonly pid: number;
}

interface RuntimeRatio {
  /** Median over peak rounds of Node 20's proxy CPU per request / Node 24's in the same round. */
  readonly cpuPerRequest: number;
  /** Node 24's best peak / Node 20's. */
  readonly peak: number;
}

function runtimeRatio(node24: readonly WrkResult[], node20: readonly WrkResult[]): RuntimeRatio {
  const withinRound = node24.map((r, i) => (node20[i]!.proxyCpuUsPerRequest ?? 0) / (r.proxyCpuUsPerRequest ?? 1));
  const best = (runs: readonly WrkResult[]) => Math.max(...runs.map((r) => r.rps));
  return { cpuPerRequest: median(withinRound), peak: best(node24) / best(node20) };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Added {
  readonly p50: number;
  readonly p99: number;
}

function added(target: WrkResult, direct: WrkResult): Added {
  return { p50: target.p50Us - direct.p50Us, p99: target.p99Us - direct.p99Us };
}

function rounds<T extends string>(targets: T[], run: (t: T) => WrkResult, count = ROUNDS): Record<T, WrkResult[]> {
  const out = mapTargets(targets, () => [] as WrkResult[]);
  for (let i = 0; i < count; i++) for (const t of targets) out[t].push(run(t));
  return out;
}

/** utime + stime of the processes, in ms (Linux /proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => statFields(pid)?.[1] === String(parent));
}

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function mapTargets<K extends string, V>(targets: K[], f: (t: K) => V): Record<K, V> {
  return Object.fromEntries(targets.map((t) => [t, f(t)])) as Record<K, V>;
}

/** Runs wrk once; `paceMs` > 0 makes each connection wait that long on average between requests. */
function wrk(url: string, lua: string, connections: number, seconds: number, paceMs: number): WrkResult {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', lua, url, '--', String(paceMs)];
  const r = spawnSync('wrk', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk ${args.join(' ')} failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BANYAN_WRK '));
  if (!line) throw new Error(`wrk printed no report:\n${r.stdout}`);
  return JSON.parse(line.slice('BANYAN_WRK '.length)) as WrkResult;
}

/**
 * wrk script: optional per-request pause, exponential with mean `pace` ms (wrk rounds delays to
 * whole ms), and one JSON line with wrk's own percentiles (µs).
 */
function luaScript(): string {
  return `
local pace = 0
function init(args) pace = tonumber(args[1]) or 0; math.randomseed(os.time()) end
function delay()
  if pace <= 0 then return 0 end
  return math.floor(-pace * math.log(1 - math.random()) + 0.5)
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format('BANYAN_WRK {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"errors":%d}\\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, errors))
end
`;
}

/** Per target; the Node 20 targets only when the machine has a Node 20. */
type PerTarget<V> = Record<Exclude<Target, Node20Target>, V> & Partial<Record<Node20Target, V>>;
type PerPacedTarget<V> = Record<Exclude<PacedTarget, 'banyanNode20'>, V> & Partial<Record<'banyanNode20', V>>;

interface Report {
  when: string;
  machine: string;
  loadAverage: { before: number; after: number };
  seconds: number;
  peak: PerTarget<WrkResult>;
  halfRate: { offeredRps: number; connections: number; paceMs: number; results: PerPacedTarget<WrkResult> };
  addedUs: { banyan: Added; nginx: Added; banyanNode20?: Added };
  node24VsNode20: { banyan: RuntimeRatio; nodeFloor: RuntimeRatio } | null;
  targets: { p99AddedUnder1ms: boolean; peakAtLeastHalfNginx: boolean; banyanToNginxPeakRatio: number };
  nodeFloorToNginxPeakRatio: number;
  allRuns: { peak: PerTarget<WrkResult[]>; halfRate: PerPacedTarget<WrkResult[]> };
}

function markdown(r: Report, runtimes: NodeRuntimes): string {
  const ms = (us: number) => (us / 1000).toFixed(3);
  const k = (rps: number) => `${(rps / 1000).toFixed(1)}k`;
  const on = (n: NodeRuntime) => `Node ${n.version.slice(1)}${n.loaderArgs.length > 0 ? ', tsx, undici 7' : ''}`;
  const speedUp = (ratio: RuntimeRatio | undefined) => (ratio ? `${ratio.cpuPerRequest.toFixed(2)}x (${ratio.peak.toFixed(2)}x)` : '–');
  const { node24, node20 } = runtimes;
  const labels: Record<Target, string> = {
    direct: 'direct',
    nginx: 'nginx',
    banyan: `banyan (${on(node24)})`,
    banyanNode20: `banyan (${node20 ? on(node20) : 'Node 20'})`,
    dataPlane: `banyan, data plane only (${on(node24)})`,
    nodeFloor: `node:http + undici dispatch, no router features (${on(node24)})`,
    nodeFloorNode20: `node:http + undici dispatch, no router features (${node20 ? on(node20) : 'Node 20'})`,
  };
  const ratios: Partial<Record<Target, RuntimeRatio>> = { banyan: r.node24VsNode20?.banyan, nodeFloor: r.node24VsNode20?.nodeFloor };
  const order: Target[] = ['direct', 'nginx', 'banyan', 'banyanNode20', 'dataPlane', 'nodeFloor', 'nodeFloorNode20'];
  const rows = order.flatMap((t) => {
    const p = r.peak[t];
    if (!p) return [];
    const h = t === 'dataPlane' || t === 'nodeFloor' || t === 'nodeFloorNode20' ? undefined : r.halfRate.results[t];
    const a = t === 'nginx' || t === 'banyan' || t === 'banyanNode20' ? r.addedUs[t] : undefined;
    const cpu = t === 'direct' ? '–' : (p.proxyCpuUsPerRequest ?? 0).toFixed(0);
    const paced = h ? `${h.rps.toFixed(0)} | ${ms(h.p50Us)} / ${ms(h.p99Us)}` : '– | –';
    return [`| ${labels[t]} | ${p.rps.toFixed(0)} | ${p.errors} | ${cpu} | ${(p.upstreamCpuUsPerRequest ?? 0).toFixed(0)} | ${paced} | ${a ? `${ms(a.p50)} / ${ms(a.p99)}` : '–'} | ${speedUp(ratios[t])} |`];
  });
  // Every round, so a reader sees how far the noise of a shared machine moves the figures.
  const roundsLine = (banyan: WrkResult[], floor: WrkResult[] | undefined, pacedBanyan: WrkResult[] | undefined) => {
    const peaks = banyan
      .map((b, i) => {
        const n = r.allRuns.peak.nginx[i]!;
        return `${k(b.rps)} / ${k(n.rps)} (${(b.rps / n.rps).toFixed(2)}x${floor ? `; floor ${(floor[i]!.rps / n.rps).toFixed(2)}x` : ''})`;
      })
      .join(' · ');
    const p99s = (pacedBanyan ?? []).map((b, i) => ms(b.p99Us - r.allRuns.halfRate.direct[i]!.p99Us)).join(' · ');
    return `peak req/s Banyan / nginx ${peaks}; p99 added by Banyan vs direct in the same round (ms) ${p99s}`;
  };
  const runs = r.allRuns;
  const node20Lines =
    node20 && runs.peak.banyanNode20
      ? [
          `Each round on ${on(node20)}: ${roundsLine(runs.peak.banyanNode20, runs.peak.nodeFloorNode20, runs.halfRate.banyanNode20)}; Banyan's proxy CPU µs/req Node 24 / Node 20 ${runs.peak.banyan.map((b, i) => `${(b.proxyCpuUsPerRequest ?? 0).toFixed(0)} / ${(runs.peak.banyanNode20![i]!.proxyCpuUsPerRequest ?? 0).toFixed(0)}`).join(' · ')}.`,
        ]
      : [];
  return `# router

${quickRunNote ? `${quickRunNote}\n\n` : ''}${r.when} · ${r.machine} · Banyan and the node floor on ${on(node24)}${node20 ? ` and ${on(node20)}` : ''}, upstream on ${on(node24)} · load average ${r.loadAverage.before.toFixed(1)} before, ${r.loadAverage.after.toFixed(1)} after · wrk (1 thread) for every target · ${r.seconds} s per run, interleaved rounds (peak: best of ${ROUNDS}; latency: lowest-p99 of ${PACED_ROUNDS}) · loopback
${runtimes.node20Missing ? `\n${runtimes.node20Missing}\n` : ''}
| target | peak req/s (${PEAK_CONNECTIONS} conns) | errors | proxy CPU µs/req | upstream CPU µs/req | req/s at half Banyan's peak | p50 / p99 (ms) | added p50 / p99 vs direct (ms) | Node 24's speed-up over Node 20: CPU/req (peak) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Fixed-rate runs: ${r.halfRate.connections} connections, each pausing a random time (exponential, mean ${r.halfRate.paceMs} ms) between requests (offered ~${r.halfRate.offeredRps} req/s, half of Banyan's peak on Node 24, for every target). A constant pause would make wrk's connections wake together and send bursts of ${r.halfRate.connections}.
Node 24's speed-up over Node 20: the median over peak rounds of the within-round ratio of proxy CPU per request (Node 20 ÷ Node 24; above 1 Node 24 spends less CPU per request); in brackets, best peak ÷ best peak.

Targets, judged on Banyan's Node 24 figures:
- p99 added by Banyan under 1 ms at half its peak rate: **${r.targets.p99AddedUnder1ms ? 'met' : 'NOT met'}** (${ms(r.addedUs.banyan.p99)} ms${r.addedUs.banyanNode20 ? `; on Node 20 ${ms(r.addedUs.banyanNode20.p99)} ms` : ''})
- Banyan peak at least 0.5x nginx: **${r.targets.peakAtLeastHalfNginx ? 'met' : 'NOT met'}** (${r.targets.banyanToNginxPeakRatio.toFixed(2)}x; the featureless node floor below reaches ${r.nodeFloorToNginxPeakRatio.toFixed(2)}x${r.peak.banyanNode20 ? `; on Node 20 Banyan ${(r.peak.banyanNode20.rps / r.peak.nginx.rps).toFixed(2)}x` : ''}${r.peak.nodeFloorNode20 ? `, the floor ${(r.peak.nodeFloorNode20.rps / r.peak.nginx.rps).toFixed(2)}x` : ''})

Each round on ${on(node24)}: ${roundsLine(runs.peak.banyan, runs.peak.nodeFloor, runs.halfRate.banyan)}.
${node20Lines.join('\n')}

Banyan runs with its control plane attached (stats, rollout controller, decommission tracker), a canary route
with a path cohort key, breakers, trace context and the x-banyan-upstream header on. Upstream, Banyan, nginx
(1 worker) and wrk share the machine's cores, so the figures are relative to each other, not absolute;
the CPU time per request (from /proc, during the peak runs) does not depend on how busy the machine is.
The node:http + undici rows are the floor under any proxy built this way: the same node:http server and undici Pool with nothing
else (no routing, split, breaker, forwarding headers, request id or stats).
`;
}

/** Spawns this file in a role on `node`; resolves with the port it prints as `LISTENING <port>` and its pid. */
function startChild(node: NodeRuntime, args: string[], children: ChildProcess[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(node.execPath, [...node.loaderArgs, self, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pid: child.pid! });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} on ${node.execPath} exited with ${code} before listening`)));
  });
}

/** Starts nginx; resolves with its master's pid once it answers. */
async function startNginx(work: string, upstreamPort: number, port: number, children: ChildProcess[]): Promise<number> {
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(work, d), { recursive: true });
  const conf = join(work, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
master_process on;
pid ${work}/nginx.pid;
error_log ${work}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  upstream legacy { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://legacy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const nginx = spawn('nginx', ['-p', work, '-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(nginx);
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) return nginx.pid!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start listening');
}

async function canConnect(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/bench/0`);
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s: Server = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The upstream every target ends at: a small JSON answer on a keep-alive node:http server. */
async function serveUpstream(): Promise<void> {
  const body = JSON.stringify({ account: '0001234567', balance: '1024.50', currency: 'EUR', status: 'active' });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
}

/**
 * The floor under any Node proxy built like Banyan's data plane: node:http in, one undici Pool
 * (same settings as src/router/proxy/upstream.ts) out, the answer buffered and written with one
 * `res.end`. No routing, split, breaker, forwarding headers, request id or stats.
 */
async function serveNodeFloor(upstreamUrl: string): Promise<void> {
  const { Pool } = await import('undici');
  const pool = new Pool(upstreamUrl, { connections: 64, pipelining: 1, keepAliveTimeout: 4_000 });
  const server = createServer((req, res) => {
    req.resume(); // the bench sends GETs; a body would not be forwarded
    let status = 502;
    let headers: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    pool.dispatch(
      { method: (req.method ?? 'GET') as Dispatcher.HttpMethod, path: req.url ?? '/', headers: {}, body: null },
      {
        // Its presence marks the handler as undici 7's controller API.
        onRequestStart() {},
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          headers = h;
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          delete headers.connection;
          delete headers['keep-alive'];
          res.writeHead(status, headers);
          res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        },
        onResponseError() {
          res.writeHead(502).end();
        },
      },
    );
  });
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  });
}

/** Banyan as deployed: the data plane's router plus the control plane listening to its events. */
async function serveBanyan(upstreamUrl: string, logFile: string): Promise<void> {
  const { default: pino } = await import('pino');
  const { createRouter } = await import('../src/router/server.ts');
  const { createControlPlane } = await import('../src/router/admin/control-plane.ts');
  const { MemoryAuditSink } = await import('../src/router/audit/audit-trail.ts');
  const { MemoryRouteStateStore } = await import('../src/router/state/route-state.ts');
  const routes = mkdtempSync(join(tmpdir(), 'banyan-bench-routes-'));
  writeFileSync(
    join(routes, 'bench.yaml'),
    `routes:
  - id: bench
    match: { method: GET, path: /bench/:id }
    legacy: { url: ${upstreamUrl} }
    new: { url: ${upstreamUrl} }
    mode: canary
    weight: 10
    cohort: { key: { from: path, name: id } }
`,
  );
  const logger = pino({ level: 'warn' }, pino.destination({ dest: logFile, sync: false }));
  const router = createRouter({ routesDir: routes, watch: false, logger });
  // BENCH_DATA_PLANE_ONLY=1 measures the data plane without the control plane's listeners.
  if (process.env.BENCH_DATA_PLANE_ONLY !== '1') await startControlPlane();
  const { port } = await router.listen();
  process.stdout.write(`LISTENING ${port}\n`);

  async function startControlPlane(): Promise<void> {
    const control = createControlPlane({
      port: router.control,
      tokens: [{ name: 'bench', token: 'bench-token-0123456789' }],
      store: new MemoryRouteStateStore(),
      auditSink: new MemoryAuditSink(),
      registry: router.metrics,
      logger,
    });
    await control.start();
  }
}
