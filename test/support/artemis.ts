/**
 * A real ActiveMQ Artemis broker (AMQP 1.0) for the AMQP transport's tests: Artemis's own
 * EmbeddedActiveMQ from Maven Central jars, started by a tiny Java main (artemis/BanyanArtemis.java)
 * on a broker.xml written here. No Docker, no distribution tarball (only package registries are
 * reachable), and Debian's ActiveMQ 5 has its AMQP module disabled.
 *
 * Install (scripts/setup.d/15-artemis.sh, or lazily on first start): Maven copy-dependencies of
 * artemis/pom.xml into ($XDG_CACHE_HOME or ~/.cache)/banyan/artemis/<version>/lib, javac of the
 * main into .../classes, then a marker so a half-done install is never used.
 *
 * Broker: one AMQP acceptor on 127.0.0.1:<port>, persistence (NIO journal) in the data dir given,
 * security off, queues auto-created as anycast, and max-delivery-attempts -1 so Artemis never
 * dead-letters by itself: the bridge's own backout-threshold logic is what acts, as on IBM MQ.
 * Readiness is an AMQP open that the broker answers, not a log line.
 *
 * The run's shared broker is started by test/support/global-setup.ts only when a selected
 * integration test needs it (its source names AMQP_PORT_ENV); its port is in BANYAN_TEST_AMQP_PORT.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import rhea from 'rhea';
import { freeLoopbackPorts } from '../../src/connectors/kafka/local/data-dir.ts';
import type { TestService, TestServices } from './global-setup.ts';

/** The Artemis release the tests run (Maven Central; Artemis 2.40 needs Java 17, which the machine has). */
export const ARTEMIS_VERSION = '2.40.0';

/** Environment variable carrying the shared test broker's AMQP port. */
export const AMQP_PORT_ENV = 'BANYAN_TEST_AMQP_PORT';

export interface LocalArtemis {
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** Orderly stop: SIGTERM (Artemis's shutdown hook), SIGKILL after 30 s. Resolves once the JVM exited. */
  stop(): Promise<void>;
  /** Crash: SIGKILL now. Resolves once the JVM exited. */
  kill(): Promise<void>;
}

export interface LocalArtemisOptions {
  /** Journal, bindings, broker.xml and the JVM's output live here. Created if missing; kept across restarts. */
  readonly dataDir: string;
  /** AMQP port; a free loopback port when omitted. */
  readonly port?: number;
  /** How long to wait for the broker to answer an AMQP open (default 120 s: a cold JVM on a busy 2-core box). */
  readonly startTimeoutMs?: number;
}

/** The run's shared broker port (global-setup started it); throws when the test was run some other way. */
export function testAmqpPort(): number {
  const port = Number(process.env[AMQP_PORT_ENV]);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`${AMQP_PORT_ENV} is not set: run AMQP tests through \`npm test\` (test/support/global-setup.ts starts Artemis)`);
  }
  return port;
}

/** Starts Artemis on dataDir (restarting on an existing journal keeps its messages). */
export async function startLocalArtemis(options: LocalArtemisOptions): Promise<LocalArtemis> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await freeLoopbackPorts(1))[0];
  const install = await ensureArtemisInstall();
  const brokerXml = join(dataDir, 'broker.xml');
  await writeFile(brokerXml, renderBrokerXml({ dataDir, port }));
  const outFile = join(dataDir, 'artemis.out');
  const child = await spawnJvm(install, brokerXml, outFile);
  const pid = child.pid as number;
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      done(signal ? `signal ${signal}` : `exit code ${code}`);
    }),
  );
  // A test runner that dies must not leave an orphan broker holding the port.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const ready = await waitUntilAmqpAnswers(port, exited, startTimeoutMs);
  if (ready !== true) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`Artemis on port ${port} did not start (${ready}); last output:\n${tail(outFile, 30)}`);
  }

  const terminate = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = new AbortController();
    const outcome = await Promise.race([exited, sleep(30_000, 'timeout' as const, { signal: timer.signal }).catch(() => 'aborted')]);
    timer.abort();
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { port, pid, dataDir, stop: () => terminate('SIGTERM'), kill: () => terminate('SIGKILL') };
}

/** The shared broker of an `npm test` run, in a temp data dir removed at teardown. */
export const artemisService: TestService = {
  name: 'artemis',
  async start(): Promise<TestServices> {
    if (process.env[AMQP_PORT_ENV]) return { env: {}, teardown: async () => {} };
    const dataDir = await mkdtemp(join(tmpdir(), 'banyan-test-artemis-'));
    const started = Date.now();
    const artemis = await startLocalArtemis({ dataDir });
    console.error(`global-setup: Artemis ${ARTEMIS_VERSION} AMQP on 127.0.0.1:${artemis.port} (pid ${artemis.pid}, ${Date.now() - started} ms)`);
    return {
      env: { [AMQP_PORT_ENV]: String(artemis.port) },
      async teardown() {
        await artemis.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** True when a test file's source asks for the shared broker (it names AMQP_PORT_ENV or testAmqpPort). */
export function needsArtemis(testSource: string): boolean {
  return testSource.includes(AMQP_PORT_ENV) || testSource.includes('testAmqpPort');
}

interface ArtemisInstall {
  readonly libDir: string;
  readonly classesDir: string;
}

/** Resolves the jars and compiles the main once per version; returns where they are. */
export async function ensureArtemisInstall(version: string = ARTEMIS_VERSION): Promise<ArtemisInstall> {
  const versionDir = join(artemisCacheRoot(), version);
  const done: ArtemisInstall = { libDir: join(versionDir, 'lib'), classesDir: join(versionDir, 'classes') };
  if (existsSync(join(versionDir, COMPLETE_MARKER))) return done;

  await mkdir(versionDir, { recursive: true });
  const staging = join(versionDir, `tmp-${process.pid}-${Date.now()}`);
  const here = new URL('./artemis/', import.meta.url).pathname;
  try {
    await runBuildTool('mvn', [
      '-q', '-B', '-f', join(here, 'pom.xml'), `-Dartemis.version=${version}`,
      'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(staging, 'lib')}`,
    ]);
    const jars = await readdir(join(staging, 'lib'));
    if (!jars.includes(`artemis-amqp-protocol-${version}.jar`)) throw new Error(`artemis-amqp-protocol-${version}.jar missing from the resolved set`);
    await runBuildTool('javac', ['-cp', join(staging, 'lib', '*'), '-d', join(staging, 'classes'), join(here, 'BanyanArtemis.java')]);
    await rm(done.libDir, { recursive: true, force: true });
    await rm(done.classesDir, { recursive: true, force: true });
    await rename(join(staging, 'lib'), done.libDir);
    await rename(join(staging, 'classes'), done.classesDir);
    await writeFile(join(versionDir, COMPLETE_MARKER), `${jars.length} jars\n`);
  } catch (err) {
    // Another process may have finished the same install meanwhile: use theirs.
    if (existsSync(join(versionDir, COMPLETE_MARKER))) return done;
    throw new Error(`could not install Artemis ${version} into ${versionDir}: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return done;
}

/** ($XDG_CACHE_HOME or ~/.cache)/banyan/artemis, like the Kafka jars' cache. */
export function artemisCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'banyan', 'artemis');
}

/** broker.xml for one AMQP acceptor (Artemis user manual, "Configuration Reference", "Address Settings"). */
export function renderBrokerXml(layout: { readonly dataDir: string; readonly port: number }): string {
  const dir = (name: string) => escapeXml(join(layout.dataDir, name));
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration xmlns="urn:activemq" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <core xmlns="urn:activemq:core">
    <name>banyan-test</name>
    <persistence-enabled>true</persistence-enabled>
    <!-- NIO: the AIO journal needs libaio, which a fresh machine may not have. -->
    <journal-type>NIO</journal-type>
    <journal-pool-files>10</journal-pool-files>
    <journal-directory>${dir('journal')}</journal-directory>
    <bindings-directory>${dir('bindings')}</bindings-directory>
    <paging-directory>${dir('paging')}</paging-directory>
    <large-messages-directory>${dir('large-messages')}</large-messages-directory>
    <security-enabled>false</security-enabled>
    <!-- Artemis's HARDENBO: the delivery count (backoutCount) survives a broker crash. -->
    <persist-delivery-count-before-delivery>true</persist-delivery-count-before-delivery>
    <!-- A nearly full CI disk must not block producers (Artemis blocks at 90% by default). -->
    <max-disk-usage>100</max-disk-usage>
    <!-- A busy 2-core box stalls the JVM now and then; the analyzer would halt the broker. -->
    <critical-analyzer>false</critical-analyzer>
    <acceptors>
      <acceptor name="amqp">tcp://127.0.0.1:${layout.port}?protocols=AMQP;saslMechanisms=PLAIN,ANONYMOUS</acceptor>
    </acceptors>
    <address-settings>
      <address-setting match="#">
        <!-- Never dead-letter by itself: the bridge's backout threshold decides. -->
        <max-delivery-attempts>-1</max-delivery-attempts>
        <redelivery-delay>0</redelivery-delay>
        <auto-create-queues>true</auto-create-queues>
        <auto-create-addresses>true</auto-create-addresses>
        <auto-delete-queues>false</auto-delete-queues>
        <auto-delete-addresses>false</auto-delete-addresses>
        <default-address-routing-type>ANYCAST</default-address-routing-type>
        <default-queue-routing-type>ANYCAST</default-queue-routing-type>
      </address-setting>
    </address-settings>
  </core>
</configuration>
`;
}

const COMPLETE_MARKER = '.banyan-complete';
const execFileAsync = promisify(execFile);

// Small heap: the tests move thousands of small messages, not gigabytes.
const JVM_OPTIONS = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];

/** Runs a build tool (mvn, javac), failing with its last output lines; also used by jms-driver.ts. */
export async function runBuildTool(command: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${command} is not installed (scripts/setup.d/10-kafka.sh installs Java and Maven)`, { cause: err });
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} failed: ${`${e.stdout ?? ''}\n${e.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n') || e.message}`, { cause: err });
  }
}

async function spawnJvm(install: ArtemisInstall, brokerXml: string, outFile: string): Promise<ChildProcess> {
  const out = openSync(outFile, 'a');
  try {
    const classpath = `${install.classesDir}:${join(install.libDir, '*')}`;
    const child = spawn('java', [...JVM_OPTIONS, '-cp', classpath, 'BanyanArtemis', brokerXml], { stdio: ['ignore', out, out] });
    await new Promise<void>((ok, fail) => {
      child.once('spawn', () => ok());
      child.once('error', fail);
    });
    return child;
  } finally {
    closeSync(out);
  }
}

/** true once an AMQP open is answered; otherwise 'timeout' or how the JVM exited. */
async function waitUntilAmqpAnswers(port: number, exited: Promise<string>, timeoutMs: number): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | undefined;
  void exited.then((how) => (exit = how));
  while (Date.now() < deadline) {
    if (exit !== undefined) return `the JVM exited: ${exit}`;
    if (await amqpOpens(port)) return true;
    await sleep(250);
  }
  return 'timeout';
}

function amqpOpens(port: number): Promise<boolean> {
  return new Promise((done) => {
    const container = rhea.create_container({ id: 'banyan-test-artemis-probe' });
    const connection = container.connect({ host: '127.0.0.1', port, reconnect: false });
    const finish = (ok: boolean) => {
      connection.removeAllListeners();
      connection.on('error', () => {});
      connection.on('disconnected', () => {});
      if (ok) connection.close();
      else connection.socket?.destroy();
      done(ok);
    };
    connection.once('connection_open', () => finish(true));
    connection.once('disconnected', () => finish(false));
    connection.once('connection_error', () => finish(false));
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
