/**
 * The Java JMS conformance suite (test/java/jms-conformance: plain JMS 2.0 on Qpid JMS, JUnit 5 on
 * Surefire), run against a broker URL and read back test by test from Surefire's JUnit XML.
 *
 * Install (scripts/setup.d/50-jms-conformance.sh, or lazily on first run): one online Maven run
 * that resolves the dependencies, the plugins and Surefire's JUnit Platform provider into the local
 * repository, then a marker keyed by the pom's hash. Every later run is `mvn -o` (offline).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const SUITE_DIR = new URL('../java/jms-conformance/', import.meta.url).pathname;
const POM = join(SUITE_DIR, 'pom.xml');

export interface JmsBroker {
  /** A Qpid JMS connection URI, e.g. amqp://127.0.0.1:5672. */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
}

export interface JavaTestResult {
  /** Class simple name + method, e.g. `SelectorTest.invalidSelectorIsRefused`. */
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  /** Failure or error text (message and the first stack lines). */
  readonly detail: string;
}

/** Resolves the suite's Maven artifacts once (online), so that later runs work offline. */
export async function ensureConformanceSuite(): Promise<void> {
  const marker = join(cacheDir(), `resolved-${pomHash()}`);
  if (existsSync(marker)) return;
  await mkdir(cacheDir(), { recursive: true });
  const target = await mkdtemp(join(tmpdir(), 'banyan-jms-conformance-resolve-'));
  try {
    // dependency:go-offline misses Surefire's JUnit Platform provider (chosen at run time, and
    // only when tests run): run the real suite with no broker, each test failing at once
    // (BANYAN_JMS_URL is not set), which resolves exactly what a real run needs.
    await mvn(['dependency:go-offline', 'test'], target, { BANYAN_JMS_URL: '' }, false);
    await writeFile(marker, `${new Date().toISOString()}\n`);
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

/** Runs every Java test against the broker; resolves with one result per test case Surefire ran. */
export async function runConformanceSuite(broker: JmsBroker): Promise<JavaTestResult[]> {
  await ensureConformanceSuite();
  const target = await mkdtemp(join(tmpdir(), 'banyan-jms-conformance-'));
  try {
    const env = { BANYAN_JMS_URL: broker.url, BANYAN_JMS_USER: broker.user ?? '', BANYAN_JMS_PASSWORD: broker.password ?? '' };
    await mvn(['test'], target, env, true);
    const reports = join(target, 'surefire-reports');
    const files = (await readdir(reports)).filter((f) => f.startsWith('TEST-') && f.endsWith('.xml'));
    const results: JavaTestResult[] = [];
    for (const file of files) results.push(...parseJUnitXml(await readFile(join(reports, file), 'utf8')));
    return results;
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

/** The `Class.method` names of every @Test in the suite's sources: what a run must have counted. */
export function declaredJavaTests(): string[] {
  const dir = join(SUITE_DIR, 'src/test/java/dev/banyan/jms/conformance');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('Test.java'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/@Test\s+(?:public\s+)?void\s+(\w+)\s*\(/g)) names.push(`${file.replace(/\.java$/, '')}.${m[1]}`);
  }
  return names.sort();
}

/** Surefire's TEST-*.xml (JUnit XML): one result per <testcase>. */
export function parseJUnitXml(xml: string): JavaTestResult[] {
  const out: JavaTestResult[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = m[1];
    const body = m[3] ?? '';
    const name = attr(attrs, 'name');
    const className = attr(attrs, 'classname').split('.').pop() ?? '';
    const failure = /<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>|<(failure|error)\b([^>]*)\/>/.exec(body);
    const skipped = /<skipped\b/.test(body);
    const status = failure ? ((failure[1] ?? failure[4]) === 'failure' ? 'failed' : 'error') : skipped ? 'skipped' : 'passed';
    const detail = failure ? unescapeXml(`${attr(failure[2] ?? failure[5] ?? '', 'message')}\n${(failure[3] ?? '').split('\n').slice(0, 8).join('\n')}`) : '';
    out.push({ name: `${className}.${name.replace(/\(\)$/, '')}`, status, detail });
  }
  return out;
}

function attr(attrs: string, name: string): string {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]) : '';
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');
}

function pomHash(): string {
  return createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 16);
}

/** ($XDG_CACHE_HOME or ~/.cache)/banyan/jms-conformance: markers only; artifacts live in Maven's local repository. */
function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'banyan', 'jms-conformance');
}

function mvn(goals: string[], target: string, env: Record<string, string>, offline: boolean): Promise<void> {
  const args = ['-B', '-q', ...(offline ? ['-o'] : []), '-f', POM, `-Dbanyan.target=${target}`, ...goals];
  return new Promise((resolve, reject) => {
    execFile('mvn', args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 }, (err, stdout, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('mvn is not installed (scripts/setup.d/10-kafka.sh installs Java and Maven)'));
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
      reject(new Error(`mvn ${goals.join(' ')} failed: ${tail || err.message}`, { cause: err }));
    });
  });
}
