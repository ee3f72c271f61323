/**
 * Decoder throughput per core, Banyan against Cobrix, on the same bytes.
 *
 * Three record shapes (the ones Cobrix's README "Performance Analysis" uses):
 *   - multisegment: 60-64-byte V records (IBM RDWs), two segments sharing a layout through REDEFINES,
 *     the segment id choosing the branch (Cobrix `redefine-segment-id-map`, Banyan a REDEFINES rule);
 *   - wide-fixed: 1,341-byte fixed records of 167 fields (text, zoned, packed, binary);
 *   - occurs-16k: 16,068-byte fixed records, a header and a 250-entry OCCURS table.
 * The copybooks and data are generated once per run (deterministic PRNG) into a temp dir; each
 * decoder then runs in its own process pinned to one CPU (`taskset -c 0` when available), framing is
 * done before timing on both sides, and each side decodes the whole file repeatedly for a fixed time
 * after a warm-up, in alternating rounds (best of each side reported). Peak RSS is the process's
 * high-water mark (VmHWM / maxRSS).
 *
 * Cobrix: za.co.absa.cobrix:cobol-parser_2.12 (RecordExtractors.extractRecord, what spark-cobol calls per
 * record) driven by bench/cobrix-harness without Spark; its jars come from Maven Central through mvn
 * into a cache dir (scripts/setup.d/30-cobrix-bench.sh pre-fetches them).
 *
 * Writes bench/results/codec.json and codec.md. Run: npm run bench -- codec.bench
 * (CODEC_BENCH_SECONDS=2 for a quick run; CODEC_BENCH_DIR=/tmp/x keeps the generated files).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCopybook } from '../src/codec/copybook/index.ts';
import { compileRecordCodec } from '../src/codec/compile/index.ts';
import type { DecodedRecord, DecodedValue } from '../src/codec/compile/types.ts';
import { getCodePage } from '../src/codec/codepages/index.ts';
import { readRecordsSync, writeRecordsSync, type FramingOptions } from '../src/codec/framing/index.ts';
import { openRecordCodec } from '../src/codec/index.ts';
import type { Field } from '../src/codec/layout.ts';

const SECONDS = Number(process.env.CODEC_BENCH_SECONDS ?? 3);
/** Alternating rounds per shape; the best of each side is reported (other work on a shared machine only ever slows a run down). */
const ROUNDS = Number(process.env.CODEC_BENCH_ROUNDS ?? 5);
const here = fileURLToPath(new URL('.', import.meta.url));

interface Shape {
  readonly name: string;
  readonly describe: string;
  readonly copybook: string;
  readonly records: number;
  readonly format: 'F' | 'V';
  /** Segment id -> REDEFINES branch (multisegment only). */
  readonly segments?: Readonly<Record<string, string>>;
}

interface RunResult {
  readonly decoder: string;
  readonly version?: string;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly peakRssKiB: number;
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
    const classpath = cobrixClasspath();
    const shapes = [multisegmentShape(), wideFixedShape(), occursShape()];
    const rows = shapes.map((shape) => {
      const { copybookFile, dataFile, recordLength, fileBytes } = generate(work, shape);
      const segArgs = shape.segments ? ['0', '5', Object.entries(shape.segments).map(([id, b]) => `${id}=${b}`).join(',')] : [];
      const mappingFile = writeMapping(work, shape, copybookFile);
      const cobrixRuns: RunResult[] = [];
      const banyanRuns: RunResult[] = [];
      const mappedRuns: RunResult[] = [];
      const worker = (mapping: string) => [
        '--import', 'tsx', fileURLToPath(import.meta.url), '--banyan-worker', copybookFile, dataFile, shape.format, String(recordLength), String(SECONDS), mapping, ...segArgs,
      ];
      for (let round = 0; round < ROUNDS; round++) {
        cobrixRuns.push(runPinned('java', ['-XX:+UseSerialGC', '-cp', classpath, 'dev.banyan.bench.CobrixDecodeBench', copybookFile, dataFile, shape.format, String(recordLength), String(SECONDS), ...segArgs]));
        banyanRuns.push(runPinned(process.execPath, worker('-')));
        mappedRuns.push(runPinned(process.execPath, worker(mappingFile)));
      }
      return {
        shape,
        recordLength,
        fileBytes,
        banyan: best(banyanRuns),
        mapped: best(mappedRuns),
        cobrix: best(cobrixRuns),
        rounds: { banyan: banyanRuns, mapped: mappedRuns, cobrix: cobrixRuns },
      };
    });
    report(rows);
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
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  do {
    pass();
    done++;
    now = performance.now();
  } while (now < end);
  const result: RunResult = {
    decoder: mapped ? 'banyan+mapping' : 'banyan',
    records: done * records.length,
    bytes: done * passBytes,
    seconds: (now - start) / 1000,
    peakRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify({ ...result, checksum: sink & 0xffff })}\n`);
}

// --- running and reporting ---------------------------------------------------------------------

/** The fastest run, with the highest peak RSS seen in any run. */
function best(runs: readonly RunResult[]): RunResult {
  const fastest = runs.reduce((a, b) => (b.records / b.seconds > a.records / a.seconds ? b : a));
  return { ...fastest, peakRssKiB: Math.max(...runs.map((r) => r.peakRssKiB)) };
}

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
  readonly banyan: RunResult;
  readonly mapped: RunResult;
  readonly cobrix: RunResult;
  readonly rounds: { readonly banyan: readonly RunResult[]; readonly mapped: readonly RunResult[]; readonly cobrix: readonly RunResult[] };
}

function report(rows: readonly Row[]): void {
  const MB = 1e6;
  const fig = (r: RunResult) => ({
    recordsPerSecond: Math.round(r.records / r.seconds),
    mbPerSecond: Number((r.bytes / r.seconds / MB).toFixed(1)),
    peakRssMiB: Math.round(r.peakRssKiB / 1024),
  });
  const results = rows.map((row) => {
    const b = fig(row.banyan);
    const m = fig(row.mapped);
    const c = fig(row.cobrix);
    return {
      shape: row.shape.name,
      describe: row.shape.describe,
      recordBytes: row.recordLength,
      fileBytes: row.fileBytes,
      banyan: b,
      banyanWithMapping: m,
      cobrix: { ...c, version: row.cobrix.version },
      speedup: Number((b.recordsPerSecond / c.recordsPerSecond).toFixed(2)),
      speedupWithMapping: Number((m.recordsPerSecond / c.recordsPerSecond).toFixed(2)),
      roundsRecordsPerSecond: {
        banyan: row.rounds.banyan.map((r) => Math.round(r.records / r.seconds)),
        banyanWithMapping: row.rounds.mapped.map((r) => Math.round(r.records / r.seconds)),
        cobrix: row.rounds.cobrix.map((r) => Math.round(r.records / r.seconds)),
      },
    };
  });
  const env = {
    node: process.version,
    java: javaVersion(),
    cpu: cpus()[0]?.model ?? 'unknown',
    pinnedToOneCpu: existsSync('/usr/bin/taskset'),
    secondsPerMeasurement: SECONDS,
    rounds: ROUNDS,
    /** 1-minute load average when the run ended: other work on the machine skews both sides. */
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    cpus: cpus().length,
    date: new Date().toISOString(),
  };
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'codec.json'), `${JSON.stringify({ benchmark: 'codec', env, results }, null, 2)}\n`);
  const lines = [
    '# Codec decode throughput per core: Banyan vs Cobrix',
    '',
    `Single-threaded, each decoder in its own process pinned to one CPU; framing done before timing on both sides; ${SECONDS}s per measurement after a warm-up of at least 1.5 s; best of ${ROUNDS} alternating rounds per side (peak RSS: highest of the rounds).`,
    `Cobrix: cobol-parser ${results[0]?.cobrix.version ?? '?'} (RecordExtractors.extractRecord, no Spark), ${env.java}. Banyan: compiled codec, Node ${env.node}. CPU: ${env.cpu} (${env.cpus} cores, 1-minute load average ${env.loadAverage1m} at the end of the run).`,
    '',
    '| shape | record bytes | Banyan rec/s | Banyan MB/s | Banyan peak RSS | Cobrix rec/s | Cobrix MB/s | Cobrix peak RSS | Banyan / Cobrix | with mapping rec/s | with mapping / Cobrix |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.shape} | ${r.recordBytes} | ${r.banyan.recordsPerSecond.toLocaleString('en')} | ${r.banyan.mbPerSecond} | ${r.banyan.peakRssMiB} MiB | ${r.cobrix.recordsPerSecond.toLocaleString('en')} | ${r.cobrix.mbPerSecond} | ${r.cobrix.peakRssMiB} MiB | ${r.speedup}x | ${r.banyanWithMapping.recordsPerSecond.toLocaleString('en')} | ${r.speedupWithMapping}x |`,
    ),
    '',
    '"with mapping": the same bytes through openRecordCodec with a record mapping (segment id read first, camelCase names, entity key, topic), what a bridge runs per record.',
    '',
    ...results.map((r) => `- ${r.shape}: ${r.describe}`),
    '',
    // Every round, so a reader sees the spread behind "best of": the JVM's rounds vary more than Node's.
    'Each round, records/s (Banyan / Cobrix, in the order run):',
    '',
    ...results.map((r) => {
      const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
      const pairs = r.roundsRecordsPerSecond.banyan.map((b, i) => `${k(b)} / ${k(r.roundsRecordsPerSecond.cobrix[i]!)}`);
      return `- ${r.shape}: ${pairs.join(' · ')}`;
    }),
    '',
    'Target (issue 4): at least 2x Cobrix per core.',
    '',
  ];
  writeFileSync(join(resultsDir, 'codec.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (r.stderr.split('\n')[0] ?? 'java').trim();
}

/** Resolves cobol-parser and its dependencies with mvn into a cache dir and compiles the harness. */
function cobrixClasspath(): string {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'banyan', 'cobrix-bench');
  const repo = join(cache, 'm2');
  const classes = join(cache, 'classes');
  const cpFile = join(cache, 'classpath.txt');
  const harness = join(here, 'cobrix-harness');
  mkdirSync(cache, { recursive: true });
  if (!existsSync(cpFile)) {
    execFileSync('mvn', ['-q', '-B', `-Dmaven.repo.local=${repo}`, 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: harness, stdio: 'inherit' });
  }
  const deps = readFileSync(cpFile, 'utf8').trim();
  execFileSync('javac', ['-d', classes, '-cp', deps, join(harness, 'src/main/java/dev/banyan/bench/CobrixDecodeBench.java')], { stdio: 'inherit' });
  return `${classes}:${deps}`;
}

// --- shapes and data -------------------------------------------------------------------------------

function multisegmentShape(): Shape {
  return {
    name: 'multisegment',
    describe: '60-64-byte V records with IBM RDWs, segments C (company) and P (contact) sharing 49 bytes through REDEFINES; 300,000 records',
    format: 'V',
    records: 300_000,
    segments: { C: 'STATIC-DETAILS', P: 'CONTACTS' },
    copybook: [
      '       01  COMPANY-DETAILS.',
      '           05  SEGMENT-ID           PIC X(5).',
      '           05  COMPANY-ID           PIC X(10).',
      '           05  STATIC-DETAILS.',
      '               10  COMPANY-NAME     PIC X(15).',
      '               10  ADDRESS          PIC X(25).',
      '               10  TAXPAYER.',
      '                   15  TAXPAYER-TYPE  PIC X(1).',
      '                   15  TAXPAYER-NUM   PIC 9(8) COMP.',
      '                   15  FILLER         PIC X(4).',
      '           05  CONTACTS REDEFINES STATIC-DETAILS.',
      '               10  PHONE-NUMBER     PIC X(17).',
      '               10  CONTACT-PERSON   PIC X(28).',
      '',
    ].join('\n'),
  };
}

/** 167 fields, 1,341 bytes: the shape of Cobrix's "fixed record length" benchmark. */
function wideFixedShape(): Shape {
  const lines = ['       01  WIDE-RECORD.'];
  const kinds = [
    ['PIC X(12).', 12],
    ['PIC 9(7).', 7],
    ['PIC S9(9)V99 COMP-3.', 6],
    ['PIC S9(9) COMP.', 4],
    ['PIC X(8).', 8],
    ['PIC S9(5)V99.', 7],
    ['PIC 9(4) COMP.', 2],
  ] as const;
  let bytes = 0;
  for (let i = 1; i <= 166; i++) {
    const [pic, size] = kinds[i % kinds.length]!;
    lines.push(`           05  FIELD-${String(i).padStart(3, '0')}  ${pic}`);
    bytes += size;
  }
  lines.push(`           05  FIELD-167  PIC X(${1341 - bytes}).`, '');
  return { name: 'wide-fixed', describe: '1,341-byte fixed records, 167 fields (text, zoned, packed, binary); 60,000 records', format: 'F', records: 60_000, copybook: lines.join('\n') };
}

/** 16,068 bytes: a 68-byte header and a 250-entry table of 64-byte items (Cobrix's "wide" benchmark size). */
function occursShape(): Shape {
  return {
    name: 'occurs-16k',
    describe: '16,068-byte fixed records: 68-byte header + OCCURS 250 TIMES of a 64-byte item (6 fields); 5,000 records',
    format: 'F',
    records: 5_000,
    copybook: [
      '       01  STATEMENT.',
      '           05  ACCOUNT-ID           PIC X(20).',
      '           05  STATEMENT-DATE       PIC 9(8).',
      '           05  OPENING-BALANCE      PIC S9(13)V99 COMP-3.',
      '           05  CLOSING-BALANCE      PIC S9(13)V99 COMP-3.',
      '           05  ENTRY-COUNT          PIC 9(4) COMP.',
      '           05  FILLER               PIC X(22).',
      '           05  ENTRY OCCURS 250 TIMES.',
      '               10  ENTRY-DATE       PIC 9(8).',
      '               10  ENTRY-TEXT       PIC X(30).',
      '               10  AMOUNT           PIC S9(11)V99 COMP-3.',
      '               10  ENTRY-TYPE       PIC X(2).',
      '               10  REFERENCE        PIC S9(9) COMP.',
      '               10  BRANCH           PIC 9(5)V99.',
      '               10  FILLER           PIC X(6).',
      '',
    ].join('\n'),
  };
}

/** A record mapping for the shape: camelCase names, a key, a topic, and the segment cases when it has segments. */
function writeMapping(dir: string, shape: Shape, copybookFile: string): string {
  const record = parseCopybook(shape.copybook).records[0]!;
  const firstText = record.root.kind === 'group' ? record.root.children.find((c) => c.kind === 'alphanumeric' && !c.isFiller) : undefined;
  const lines = [`copybook: ${copybookFile}`, `topic: bench.${shape.name}.v1`, 'names: camelCase'];
  if (firstText && !shape.segments) lines.push(`key: ${firstText.name}`);
  if (shape.segments) {
    lines.push('key: COMPANY-ID', 'segments:', '  field: SEGMENT-ID', '  cases:');
    for (const [id, branch] of Object.entries(shape.segments)) lines.push(`    - { ids: [${id}], branch: ${branch} }`);
  }
  const file = join(dir, `${shape.name}.mapping.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Writes the copybook and `shape.records` records of random valid values (encoded by Banyan's encoder). */
function generate(dir: string, shape: Shape): { copybookFile: string; dataFile: string; recordLength: number; fileBytes: number } {
  const copybookFile = join(dir, `${shape.name}.cpy`);
  writeFileSync(copybookFile, shape.copybook, 'latin1');
  const record = parseCopybook(shape.copybook).records[0]!;
  const codec = compileRecordCodec(record, { codePage: getCodePage('cp037') });
  const random = prng(0x5eed + shape.records);
  const distinct = Array.from({ length: 200 }, (_, i) => {
    const value = randomValue(record.root, random) as DecodedRecord;
    if (shape.segments) {
      // Alternate company and contact segments; a contact fills only its own branch.
      const isContact = i % 2 === 1;
      value['SEGMENT-ID'] = isContact ? 'P' : 'C';
      if (isContact) delete value['STATIC-DETAILS'];
      else delete value.CONTACTS;
    }
    const bytes = codec.encode(value);
    return shape.segments && i % 2 === 1 ? bytes.subarray(0, 60) : bytes;
  });
  const records = Array.from({ length: shape.records }, (_, i) => distinct[i % distinct.length]!);
  const framing: FramingOptions = shape.format === 'F' ? { format: 'F', recordLength: record.length } : { format: 'V' };
  const data = writeRecordsSync(records, framing);
  const dataFile = join(dir, `${shape.name}.dat`);
  writeFileSync(dataFile, data);
  return { copybookFile, dataFile, recordLength: record.length, fileBytes: data.length };
}

function randomValue(field: Field, random: () => number): DecodedValue {
  const one = (): DecodedValue => {
    switch (field.kind) {
      case 'group': {
        const out: DecodedRecord = {};
        for (const child of field.children) if (!child.isFiller && !child.redefines) out[child.name] = randomValue(child, random);
        for (const child of field.children) if (child.redefines && field.children.some((c) => c.name === child.redefines)) out[child.name] = randomValue(child, random);
        return out;
      }
      case 'alphanumeric': {
        const words = ['ACME', 'Joan Q & Z', 'Sandton', 'Johannesburg', 'Park ave.', '10', 'Pear GMBH', 'Toronto'];
        let s = '';
        while (s.length < field.length) s += `${words[Math.floor(random() * words.length)]} `;
        return s.slice(0, Math.max(1, field.length - 1 - Math.floor(random() * 3))).trim() || 'X';
      }
      case 'zoned':
      case 'packed':
      case 'binary': {
        const digits = Math.min(field.digits, field.kind === 'binary' ? 9 : field.digits);
        let d = '';
        for (let i = 0; i < digits; i++) d += String(Math.floor(random() * 10));
        d = d.replace(/^0+(?=\d)/, '');
        const sign = field.signed && random() < 0.3 ? '-' : '';
        if (field.scale > 0) {
          const padded = d.padStart(field.scale + 1, '0');
          return `${sign}${padded.slice(0, padded.length - field.scale)}.${padded.slice(padded.length - field.scale)}`;
        }
        return field.kind === 'binary' || digits <= 15 ? Number(`${sign}${d}`) : `${sign}${d}`;
      }
      default:
        return null;
    }
  };
  if (!field.occurs) return one();
  return Array.from({ length: field.occurs.max }, one);
}

/** mulberry32: a small deterministic PRNG so every run decodes the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
