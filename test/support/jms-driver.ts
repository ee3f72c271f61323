/**
 * The Java JMS driver (test/java/jms-interop/JmsDriver.java: plain JMS 2.0 on Qpid JMS) that the
 * interop test and the jms-amqp bench run as a separate JVM against a broker URL.
 *
 * Install (scripts/setup.d/55-jms-driver.sh, or lazily on first use): Maven copy-dependencies of
 * test/java/jms-interop/pom.xml into ($XDG_CACHE_HOME or ~/.cache)/banyan/jms-driver/<hash>/lib,
 * javac of the driver into .../classes, then a marker; the hash covers the pom and the source, so an
 * edit reinstalls. Later runs need only `java`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { runBuildTool } from './artemis.ts';
import type { JmsBroker } from './jms-conformance.ts';

const HERE = new URL('../java/jms-interop/', import.meta.url).pathname;
const POM = join(HERE, 'pom.xml');
const SOURCE = join(HERE, 'JmsDriver.java');
const COMPLETE_MARKER = '.banyan-complete';
const JVM_OPTIONS = ['-Xms64m', '-Xmx512m', '-Djava.awt.headless=true', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];

/** One JSON object the driver printed. */
export type DriverLine = Record<string, unknown>;

/** A running driver: its lines as they come, and its end. */
export interface DriverProcess {
  readonly pid: number;
  /** Resolves with the first line `match` accepts; rejects when the JVM ends first. */
  waitFor(match: (line: DriverLine) => boolean): Promise<DriverLine>;
  /** Resolves with every line once the JVM exited 0; rejects with its stderr tail otherwise. */
  readonly done: Promise<DriverLine[]>;
}

/** Resolves the jars and compiles the driver once; returns the java classpath. */
export async function ensureJmsDriver(): Promise<string> {
  const dir = join(cacheRoot(), installHash());
  const classpath = `${join(dir, 'classes')}:${join(dir, 'lib', '*')}`;
  if (existsSync(join(dir, COMPLETE_MARKER))) return classpath;
  await mkdir(dir, { recursive: true });
  const staging = join(dir, `tmp-${process.pid}-${Date.now()}`);
  try {
    await runBuildTool('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(staging, 'lib')}`]);
    await runBuildTool('javac', ['-cp', join(staging, 'lib', '*'), '-d', join(staging, 'classes'), SOURCE]);
    await rm(join(dir, 'lib'), { recursive: true, force: true });
    await rm(join(dir, 'classes'), { recursive: true, force: true });
    await rename(join(staging, 'lib'), join(dir, 'lib'));
    await rename(join(staging, 'classes'), join(dir, 'classes'));
    await writeFile(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  } catch (err) {
    if (existsSync(join(dir, COMPLETE_MARKER))) return classpath;
    throw new Error(`could not install the JMS driver into ${dir}: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return classpath;
}

/** Starts `java JmsDriver <args>` against the broker. */
export async function startJmsDriver(broker: JmsBroker, args: readonly string[]): Promise<DriverProcess> {
  const classpath = await ensureJmsDriver();
  const child = spawn('java', [...JVM_OPTIONS, '-cp', classpath, 'JmsDriver', ...args], {
    env: { ...process.env, BANYAN_JMS_URL: broker.url, BANYAN_JMS_USER: broker.user ?? '', BANYAN_JMS_PASSWORD: broker.password ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const lines: DriverLine[] = [];
  const waiters: { match: (l: DriverLine) => boolean; ok: (l: DriverLine) => void; fail: (e: Error) => void }[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8000)));
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as DriverLine;
    lines.push(line);
    for (const w of waiters.splice(0)) (w.match(line) ? w.ok(line) : waiters.push(w));
  });
  const done = new Promise<DriverLine[]>((ok, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => {
      process.removeListener('exit', killOnExit);
      const error = new Error(`JmsDriver ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}:\n${stderr.trim().split('\n').slice(-20).join('\n')}`);
      for (const w of waiters.splice(0)) w.fail(error);
      if (code === 0) ok(lines);
      else fail(error);
    });
  });
  done.catch(() => {}); // observed through waitFor/done by the caller
  return {
    pid: child.pid as number,
    done,
    waitFor(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null) return Promise.reject(new Error(`JmsDriver ${args.join(' ')} already ended`));
      return new Promise((ok, fail) => waiters.push({ match, ok, fail }));
    },
  };
}

/** Runs the driver to its end and returns its lines. */
export async function runJmsDriver(broker: JmsBroker, args: readonly string[]): Promise<DriverLine[]> {
  return (await startJmsDriver(broker, args)).done;
}

function installHash(): string {
  return createHash('sha256').update(readFileSync(POM)).update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
}

/** ($XDG_CACHE_HOME or ~/.cache)/banyan/jms-driver, like Artemis's cache. */
function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'banyan', 'jms-driver');
}

