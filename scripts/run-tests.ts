/**
 * `npm test [-- <filter>...]`: runs every test/**\/*.test.ts on node's built-in runner.
 * Services the integration suites need (a real Kafka, ...) are started once for the whole run by
 * test/support/global-setup.ts and handed to the tests through environment variables; they are
 * stopped whatever happens. Unit and conformance files run in parallel, integration files one at a
 * time (they share the broker and measure things).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { globalSetup } from '../test/support/global-setup.ts';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out.sort();
}

const all = findTests(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const parallel = all.filter((f) => !f.startsWith('test/integration/'));
const serial = all.filter((f) => f.startsWith('test/integration/'));

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
}

const countsDir = mkdtempSync(join(tmpdir(), 'banyan-test-counts-'));
const totals: Counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };

function runNodeTest(files: string[], concurrency: number, env: NodeJS.ProcessEnv, label: string): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  const countsFile = join(countsDir, `${label}.json`);
  const args = [
    '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/count-reporter.mjs')}`, `--test-reporter-destination=${countsFile}`,
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      try {
        const c = JSON.parse(readFileSync(countsFile, 'utf8')) as Counts;
        for (const k of Object.keys(totals) as Array<keyof Counts>) totals[k] += c[k];
      } catch {
        totals.failed++; // the runner died before reporting: count it as a failure
      }
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main(): Promise<number> {
  if (all.length === 0) {
    console.error('no test files matched');
    return 1;
  }
  const needsServices = serial.length > 0;
  const services = needsServices ? await globalSetup(serial.map((f) => join(root, f))) : { env: {}, teardown: async () => {} };
  const stop = async () => {
    await services.teardown().catch((err: unknown) => console.error('teardown failed:', err));
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
  try {
    const env = { ...process.env, ...services.env };
    const a = await runNodeTest(parallel, 2, env, 'parallel');
    const b = await runNodeTest(serial, 1, env, 'integration');
    return a !== 0 || b !== 0 || totals.failed > 0 ? 1 : 0;
  } finally {
    await stop();
    rmSync(countsDir, { recursive: true, force: true });
    // One closing line over every suite (unit, conformance, integration) for CI to read.
    // todo tests did not run, so they are reported with the skipped ones.
    console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped + totals.todo} skipped`);
  }
}

process.exitCode = await main();
