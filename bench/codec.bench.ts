/**
 * Decoder throughput per core, Banyan against Cobrix, on the same bytes.
 *
 * Three record shapes (the ones Cobrix's README "Performance Analysis" uses; bench/codec-shapes.ts):
 * multisegment V records, wide fixed records, and a 16 KB record with an OCCURS table.
 * The copybooks and data are generated once per run (deterministic PRNG) into a temp dir; each
 * decoder then runs in its own process pinned to one CPU (`taskset -c 0` when available), framing is
 * done before timing on both sides, and each side decodes the whole file repeatedly for a fixed time
 * after a warm-up, in rounds that run every decoder on every runtime once, Java and Node alternating
 * (best round of each reported). Peak RSS is the process's high-water mark (VmHWM / maxRSS); CPU
 * time is the process's user + system time over the timed passes.
 *
 * Runtimes (bench/runtimes.ts): Banyan on Node 24 (type stripping, no loader) and, when the machine
 * has one, on Node 20 (tsx loader), interleaved in the same rounds; Node 24 / Node 20 is the median
 * over rounds of the within-round ratio of CPU time per record (the 2-core machine is shared, and
 * CPU time per record moves less with other load than records/s do). Cobrix on Java 17 and on the
 * newest JDK installed; Banyan / Cobrix is against the best of them, and the target's verdict uses
 * Banyan's Node 24 figures.
 *
 * Cobrix: za.co.absa.cobrix:cobol-parser_2.12 (RecordExtractors.extractRecord, what spark-cobol calls per
 * record) driven by bench/cobrix-harness without Spark, compiled by each JDK's own javac; its jars
 * come from Maven Central through mvn into a cache dir (scripts/setup.d/30-cobrix-bench.sh
 * pre-fetches them).
 *
 * Writes bench/results/codec.json and codec.md. Run: npm run bench -- codec.bench
 * (CODEC_BENCH_SECONDS, default 3, and CODEC_BENCH_ROUNDS, default 5; BANYAN_BENCH_QUICK=1 for 1 s
 * and one round; CODEC_BENCH_DIR=/tmp/x keeps the generated files).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCopybook } from '../src/codec/copybook/index.ts';
import { compileRecordCodec } from '../src/codec/compile/index.ts';
import { getCodePage } from '../src/codec/codepages/index.ts';
import { readRecordsSync, type FramingOptions } from '../src/codec/framing/index.ts';
import { openRecordCodec } from '../src/codec/index.ts';
import { generate, multisegmentShape, occursShape, wideFixedShape, writeMapping, type Shape } from './codec-shapes.ts';
import { cobrixDependencies, compileHarness } from './cobrix-classpath.ts';
import { findJavaRuntimes, findNodeRuntimes, type JavaRuntime, type NodeRuntime, type NodeRuntimes } from './runtimes.ts';
import { benchSize, quickRunNote } from './sizes.ts';

const SECONDS = benchSize('CODEC_BENCH_SECONDS', 3, 1);
/** Rounds per shape; the best of each decoder is reported (other work on a shared machine only ever slows a run down). */
const ROUNDS = benchSize('CODEC_BENCH_ROUNDS', 5, 1);
const here = fileURLToPath(new URL('.', import.meta.url));

interface RunResult {
  readonly decoder: string;
  readonly version?: string;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  /** The process's CPU time (user + system) over the timed passes. */
  readonly cpuSeconds: number;
  readonly peakRssKiB: number;
}

/** Banyan's runs on one Node, without and with a record mapping. */
interface BanyanRuns {
  readonly node: NodeRuntime;
  readonly plain: RunResult[];
  readonly mapped: RunResult[];
}

interface CobrixRuns {
  readonly jdk: JavaRuntime;
  readonly runs: RunResult[];
}

if (process.argv[2] === '--banyan-worker') {
  runBanyanWorker(process.argv.slice(3));
} else {
  main();
}

function main(): void {
  // CODEC_BENCH_DIR keeps the generated copybooks and data (for profiling one side by hand).
  const keep = process.env.CODEC_BENCH_DIR;
  const work = keep ?? mkdtempSync(join(tmpdir(), 'banyan-codec-bench-'));
  mkdirSync(work, { recursive: true });
  try {
    const nodes = findNodeRuntimes();
    const jdks = findJavaRuntimes();
    const deps = cobrixDependencies();
    const classpaths = jdks.map((jdk) => compileHarness(jdk, deps, ['CobrixDecodeBench.java']));
    const shapes = [multisegmentShape(), wideFixedShape(), occursShape()];
    const rows = shapes.map((shape): Row => {
      const { copybookFile, dataFile, recordLength, fileBytes } = generate(work, shape);
      const segArgs = shape.segments ? ['0', '5', Object.entries(shape.segments).map(([id, b]) => `${id}=${b}`).join(',')] : [];
      const mappingFile = writeMapping(work, shape, copybookFile);
      const decodeArgs = [copybookFile, dataFile, shape.format, String(recordLength), String(SECONDS)];
      const cobrix: CobrixRuns[] = jdks.map((jdk) => ({ jdk, runs: [] }));
      const banyan: BanyanRuns[] = [nodes.node24, ...(nodes.node20 ? [nodes.node20] : [])].map((node) => ({ node, plain: [], mapped: [] }));
      const runCobrix = (c: CobrixRuns, i: number) =>
        c.runs.push(runPinned(c.jdk.java, ['-XX:+UseSerialGC', '-cp', classpaths[i]!, 'dev.banyan.bench.CobrixDecodeBench', ...decodeArgs, ...segArgs]));
      const runBanyan = (node: NodeRuntime, mapping: string) =>
        runPinned(node.execPath, [...node.loaderArgs, fileURLToPath(import.meta.url), '--banyan-worker', ...decodeArgs, mapping, ...segArgs]);
      for (let round = 0; round < ROUNDS; round++) {
        // Java and Node take turns (Java 17, Node 24, newest Java, Node 20, then the mapped runs), so
        // a burst of other load on the machine lands on both sides.
        for (let i = 0; i < Math.max(cobrix.length, banyan.length); i++) {
          if (cobrix[i]) runCobrix(cobrix[i]!, i);
          if (banyan[i]) banyan[i]!.plain.push(runBanyan(banyan[i]!.node, '-'));
        }
        for (const b of banyan) b.mapped.push(runBanyan(b.node, mappingFile));
      }
      return { shape, recordLength, fileBytes, banyan, cobrix };
    });
    report(rows, nodes, jdks);
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

// --- Banyan side (child process) ---------------------------------------------------------------

function runBanyanWorker(args: string[]): void {
  const [copybookFile, dataFile, format, recordLengthText, secondsText, mappingFile, segOffset, , segMap] = args as [
    string, string, string, string, string, string, string?, string?, string?,
  ];
  const layout = parseCopybook(readFileSync(copybookFile, 'latin1'));
  const record = layout.records[0]!;
  const when: Record<string, string> = {};
  for (const pair of segMap?.split(',') ?? []) {
    const [id, branch] = pair.split('=') as [string, string];
    when[id] = branch;
  }
  const first = Object.values(when)[0];
  const codec = compileRecordCodec(record, {
    codePage: getCodePage('cp037'),
    redefines: segOffset !== undefined && first ? [{ redefines: first, selector: 'SEGMENT-ID', when, otherwise: 'none' }] : [],
  });
  const bytes = new Uint8Array(readFileSync(dataFile));
  const framing: FramingOptions = format === 'F' ? { format: 'F', recordLength: Number(recordLengthText) } : { format: 'V' };
  const records = [...readRecordsSync(bytes, framing)].map((r) => r.bytes);
  const passBytes = records.reduce((n, r) => n + r.length, 0);
  let sink = 0;
  // With a mapping: the whole facade a bridge uses (segment id, names, key, topic) per record.
  const mapped = mappingFile === '-' ? undefined : openRecordCodec({ mapping: mappingFile });
  const pass = mapped
    ? () => {
        for (let i = 0; i < records.length; i++) if (mapped.decode(records[i]!, i + 1)?.kind === 'event') sink++;
      }
    : () => {
        for (let i = 0; i < records.length; i++) {
          const r = records[i]!;
          const v = codec.decode(r, 0, r.length, i + 1);
          if (v !== null) sink++;
        }
      };
  const seconds = Number(secondsText);
  // Warm-up: at least 1.5 s (the JIT compiling a wide record's generated functions on the one pinned
  // core took up to a second), or a third of the budget; the Cobrix harness waits the same.
  const warmEnd = performance.now() + Math.max(1500, seconds * 350);
  while (performance.now() < warmEnd) pass();
  let done = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  do {
    pass();
    done++;
    now = performance.now();
  } while (now < end);
  const cpu = process.cpuUsage(cpuStart);
  const result: RunResult = {
    decoder: mapped ? 'banyan+mapping' : 'banyan',
    records: done * records.length,
    bytes: done * passBytes,
    seconds: (now - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify({ ...result, checksum: sink & 0xffff })}\n`);
}

// --- running and reporting ---------------------------------------------------------------------

function runPinned(command: string, args: string[]): RunResult {
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', ['-c', '0', command, ...args]] : [command, args];
  const r = spawnSync(pin[0] as string, pin[1] as string[], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} failed (exit ${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as RunResult;
}

interface Row {
  readonly shape: Shape;
  readonly recordLength: number;
  readonly fileBytes: number;
  /** Node 24 first, then Node 20 when there is one. */
  readonly banyan: readonly BanyanRuns[];
  /** Oldest JDK first. */
  readonly cobrix: readonly CobrixRuns[];
}

interface Figures {
  /** Of the fastest round. */
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** The lowest of the rounds. */
  readonly cpuUsPerRecord: number;
  /** The highest of the rounds. */
  readonly peakRssMiB: number;
}

/** How much faster the newer runtime is than the older one on the same records. */
interface RuntimeRatio {
  readonly newer: string;
  readonly older: string;
  /** Median over rounds of the within-round ratio of CPU time per record, older / newer. */
  readonly cpuPerRecord: number;
  /** Best round / best round, records/s. */
  readonly recordsPerSecond: number;
}

function figures(runs: readonly RunResult[]): Figures {
  const fastest = runs.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  return {
    recordsPerSecond: Math.round(rate(fastest)),
    mbPerSecond: Number((fastest.bytes / fastest.seconds / 1e6).toFixed(1)),
    cpuUsPerRecord: Number(Math.min(...runs.map(cpuUsPerRecord)).toFixed(3)),
    peakRssMiB: Math.round(Math.max(...runs.map((r) => r.peakRssKiB)) / 1024),
  };
}

function runtimeRatio(newer: string, newerRuns: readonly RunResult[], older: string, olderRuns: readonly RunResult[]): RuntimeRatio {
  const withinRound = newerRuns.map((n, i) => cpuUsPerRecord(olderRuns[i]!) / cpuUsPerRecord(n));
  return {
    newer,
    older,
    cpuPerRecord: Number(median(withinRound).toFixed(2)),
    recordsPerSecond: Number((figures(newerRuns).recordsPerSecond / figures(olderRuns).recordsPerSecond).toFixed(2)),
  };
}

// Function declarations, not consts: main() runs while the module is still being evaluated.
function rate(r: RunResult): number {
  return r.records / r.seconds;
}

function cpuUsPerRecord(r: RunResult): number {
  return (r.cpuSeconds * 1e6) / r.records;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function report(rows: readonly Row[], nodes: NodeRuntimes, jdks: readonly JavaRuntime[]): void {
  const nodeLabel = (n: NodeRuntime) => `Node ${n.version.slice(1)}`;
  const results = rows.map((row) => {
    const [b24, b20] = row.banyan as [BanyanRuns, BanyanRuns?];
    const cobrixByJdk = row.cobrix.map((c) => ({ jdk: c.jdk.version, ...figures(c.runs), version: c.runs[0]?.version }));
    const bestCobrix = cobrixByJdk.reduce((a, b) => (b.recordsPerSecond > a.recordsPerSecond ? b : a));
    const vsCobrix = (runs: readonly RunResult[]) => Number((figures(runs).recordsPerSecond / bestCobrix.recordsPerSecond).toFixed(2));
    const [oldestJdk, newestJdk] = [row.cobrix[0]!, row.cobrix[row.cobrix.length - 1]!];
    const rounds = <T>(f: (r: RunResult) => T) => ({
      banyan: b24.plain.map(f),
      banyanWithMapping: b24.mapped.map(f),
      ...(b20 ? { banyanNode20: b20.plain.map(f), banyanWithMappingNode20: b20.mapped.map(f) } : {}),
      cobrix: Object.fromEntries(row.cobrix.map((c) => [c.jdk.version, c.runs.map(f)])),
    });
    return {
      shape: row.shape.name,
      describe: row.shape.describe,
      recordBytes: row.recordLength,
      fileBytes: row.fileBytes,
      /** Node 24: the figures the target is judged on. */
      banyan: figures(b24.plain),
      banyanWithMapping: figures(b24.mapped),
      banyanNode20: b20 ? figures(b20.plain) : undefined,
      banyanWithMappingNode20: b20 ? figures(b20.mapped) : undefined,
      /** The best Cobrix (highest records/s of any JDK), which every Banyan / Cobrix ratio uses. */
      cobrix: bestCobrix,
      cobrixByJdk,
      speedup: vsCobrix(b24.plain),
      speedupWithMapping: vsCobrix(b24.mapped),
      speedupNode20: b20 ? vsCobrix(b20.plain) : undefined,
      speedupWithMappingNode20: b20 ? vsCobrix(b20.mapped) : undefined,
      node24VsNode20: b20
        ? { plain: runtimeRatio(b24.node.version, b24.plain, b20.node.version, b20.plain), withMapping: runtimeRatio(b24.node.version, b24.mapped, b20.node.version, b20.mapped) }
        : undefined,
      cobrixNewestVsOldestJdk: row.cobrix.length > 1 ? runtimeRatio(newestJdk.jdk.version, newestJdk.runs, oldestJdk.jdk.version, oldestJdk.runs) : undefined,
      roundsRecordsPerSecond: rounds((r) => Math.round(rate(r))),
      roundsCpuUsPerRecord: rounds((r) => Number(cpuUsPerRecord(r).toFixed(3))),
    };
  });
  const env = {
    node24: nodes.node24.version,
    node20: nodes.node20?.version ?? null,
    node20Missing: nodes.node20Missing,
    java: jdks.map((j) => j.label),
    cpu: cpus()[0]?.model ?? 'unknown',
    pinnedToOneCpu: existsSync('/usr/bin/taskset'),
    secondsPerMeasurement: SECONDS,
    rounds: ROUNDS,
    quickRun: quickRunNote !== undefined,
    /** 1-minute load average when the run ended: other work on the machine skews both sides. */
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    cpus: cpus().length,
    date: new Date().toISOString(),
  };
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'codec.json'), `${JSON.stringify({ benchmark: 'codec', env, results }, null, 2)}\n`);

  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  const x = (n: number | undefined) => (n === undefined ? '–' : `${n.toFixed(2)}x`);
  const speedUp = (r: RuntimeRatio | undefined) => (r ? `${r.cpuPerRecord.toFixed(2)}x (${r.recordsPerSecond.toFixed(2)}x)` : '–');
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const tableRows = results.flatMap((r, i) => {
    const row = rows[i]!;
    const banyanRow = (node: NodeRuntime, f: Figures, vs: number, mapped: Figures, mappedVs: number, ratio: RuntimeRatio | undefined) =>
      line([r.shape, r.recordBytes, 'Banyan', nodeLabel(node), f.recordsPerSecond.toLocaleString('en'), f.mbPerSecond, f.cpuUsPerRecord.toFixed(2), `${f.peakRssMiB} MiB`, x(vs), speedUp(ratio), mapped.recordsPerSecond.toLocaleString('en'), x(mappedVs)]);
    const out = [banyanRow(row.banyan[0]!.node, r.banyan, r.speedup, r.banyanWithMapping, r.speedupWithMapping, r.node24VsNode20?.plain)];
    if (row.banyan[1] && r.banyanNode20 && r.banyanWithMappingNode20) {
      out.push(banyanRow(row.banyan[1].node, r.banyanNode20, r.speedupNode20!, r.banyanWithMappingNode20, r.speedupWithMappingNode20!, undefined));
    }
    r.cobrixByJdk.forEach((c, j) => {
      const ratio = j === r.cobrixByJdk.length - 1 ? r.cobrixNewestVsOldestJdk : undefined;
      out.push(line([r.shape, r.recordBytes, 'Cobrix', row.cobrix[j]!.jdk.label, c.recordsPerSecond.toLocaleString('en'), c.mbPerSecond, c.cpuUsPerRecord.toFixed(2), `${c.peakRssMiB} MiB`, x(c.recordsPerSecond / r.cobrix.recordsPerSecond), speedUp(ratio), '–', '–']));
    });
    return out;
  });
  const node20Text = nodes.node20 ? ` and on ${nodeLabel(nodes.node20)} (tsx loader)` : '';
  const lines = [
    '# Codec decode throughput per core: Banyan vs Cobrix',
    '',
    ...(quickRunNote ? [quickRunNote, ''] : []),
    `Single-threaded, each decoder in its own process pinned to one CPU; framing done before timing on both sides; ${SECONDS}s per measurement after a warm-up of at least 1.5 s; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, each running every row once (Java and Node taking turns); rec/s and MB/s of each row's best round, CPU per record its lowest, peak RSS its highest.`,
    `Cobrix: cobol-parser ${results[0]?.cobrix.version ?? '?'} (RecordExtractors.extractRecord, no Spark) on ${jdks.map((j) => j.label).join(' and ')}. Banyan: compiled codec on ${nodeLabel(nodes.node24)} (type stripping, no loader)${node20Text}. CPU: ${env.cpu} (${env.cpus} cores, 1-minute load average ${env.loadAverage1m} at the end of the run).`,
    ...(nodes.node20Missing ? ['', nodes.node20Missing] : []),
    '',
    '| shape | record bytes | decoder | runtime | rec/s | MB/s | CPU µs/record | peak RSS | ÷ best Cobrix | newer runtime\'s speed-up | with mapping rec/s | with mapping ÷ best Cobrix |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...tableRows,
    '',
    `÷ best Cobrix: records/s against the fastest Cobrix on the same shape (${results.map((r) => `${r.shape}: Java ${r.cobrix.jdk}`).join(', ')}).`,
    `Newer runtime's speed-up: ${nodes.node20 ? 'Node 24 over Node 20' : ''}${nodes.node20 && jdks.length > 1 ? ', and ' : ''}${jdks.length > 1 ? `Java ${jdks[jdks.length - 1]!.feature} over Java ${jdks[0]!.feature}` : ''}${!nodes.node20 && jdks.length < 2 ? 'no second runtime in this run' : ''}: the median over rounds of the within-round ratio of CPU time per record (older ÷ newer; above 1 the newer runtime spends less CPU on the same records); in brackets, best round ÷ best round in records/s.`,
    '"with mapping": the same bytes through openRecordCodec with a record mapping (segment id read first, camelCase names, entity key, topic), what a bridge runs per record.',
    '',
    ...results.map((r) => `- ${r.shape}: ${r.describe}`),
    '',
    // Every round, so a reader sees the spread behind "best of": the JVM's rounds vary more than Node's.
    'Each round, records/s (in the order run):',
    '',
    ...results.map((r, i) => {
      const row = rows[i]!;
      const list = (runs: readonly number[]) => runs.map(k).join(' · ');
      const parts = [
        `Banyan ${nodeLabel(row.banyan[0]!.node)} ${list(r.roundsRecordsPerSecond.banyan)}`,
        ...(row.banyan[1] && r.roundsRecordsPerSecond.banyanNode20 ? [`Banyan ${nodeLabel(row.banyan[1].node)} ${list(r.roundsRecordsPerSecond.banyanNode20)}`] : []),
        ...row.cobrix.map((c) => `Cobrix Java ${c.jdk.version} ${list(r.roundsRecordsPerSecond.cobrix[c.jdk.version]!)}`),
      ];
      return `- ${r.shape}: ${parts.join('; ')}`;
    }),
    '',
    `Target (issue 4): at least 2x Cobrix per core, Banyan on ${nodeLabel(nodes.node24)} against the best Cobrix: ${results.map((r) => `${r.shape} **${r.speedup >= 2 ? 'met' : 'NOT met'}** (${r.speedup.toFixed(2)}x)`).join(', ')}.`,
    '',
  ];
  writeFileSync(join(resultsDir, 'codec.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}
