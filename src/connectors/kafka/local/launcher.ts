/**
 * Starts a real single-node Apache Kafka (KRaft broker+controller) on 127.0.0.1 from the jars
 * resolved by jars.ts: the embedded default of `banyan start` and the broker of the test suite.
 *
 * Sequence (Kafka operations manual, "KRaft"): format storage once with a cluster id
 * (kafka.tools.StorageTool format), then run kafka.Kafka with the server properties. Readiness is
 * an admin describeCluster that answers, not a log line. An existing dir is never formatted again:
 * a newer Kafka runs on a dir an older one wrote (3.9.x -> 4.x included), one older than the
 * version that formatted it is refused before it starts (version-change.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { KafkaErrors } from '../errors.ts';
import { createKafkaProbe } from '../probe.ts';
import { brokerPaths, logConfigProperty, renderLogConfig, renderServerProperties, type BrokerLayout } from './broker-config.ts';
import {
  assertDataDirFree,
  freeLoopbackPorts,
  newClusterId,
  readDataDirState,
  removePidFile,
  writeDataDirState,
  writePidFile,
} from './data-dir.ts';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars, kafkaMajorVersion } from './jars.ts';
import { decideVersionChange } from './version-change.ts';

export { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from './jars.ts';

export interface LocalKafkaOptions {
  /** Where storage, config, Kafka's own log and the remembered ports live. Created if missing. */
  dataDir: string;
  /** Apache Kafka version to run; DEFAULT_KAFKA_VERSION when omitted. */
  version?: string;
  /** Client (PLAINTEXT) port; defaults to the one remembered in dataDir, else a free one. */
  port?: number;
  /** KRaft controller port; same defaulting as `port`. */
  controllerPort?: number;
  /** How long to wait for describeCluster to answer (default 120 s: a cold JVM on a busy 2-core CI box took 44 s). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 30 s). */
  stopTimeoutMs?: number;
  logger?: Logger;
}

export interface LocalKafka {
  /** Bootstrap addresses, e.g. ['127.0.0.1:41234']. */
  readonly brokers: string[];
  readonly dataDir: string;
  readonly pid: number;
  /** Controlled shutdown: SIGTERM, then SIGKILL after stopTimeoutMs. Resolves once the JVM exited. */
  stop(): Promise<void>;
  /** Crash: SIGKILL now (for crash tests). Resolves once the JVM exited. */
  kill(): Promise<void>;
}

export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'local-kafka' });
  const dataDir = resolve(options.dataDir);
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  const major = kafkaMajorVersion(version);

  // Everything that can refuse the start is checked before the jars are resolved (a download).
  await mkdir(dataDir, { recursive: true });
  assertDataDirFree(dataDir);
  const paths = brokerPaths(dataDir);
  const remembered = readDataDirState(dataDir);
  const change = decideVersionChange({
    version,
    formatted: existsSync(join(paths.logDirs, 'meta.properties')),
    lastRun: remembered?.version,
    formattedBy: remembered?.formattedBy,
  });
  if (change.kind === 'refuse') throw new KafkaErrors.BANYAN_ERR_KAFKA_DATA_DIR_TOO_NEW(dataDir, change.formattedBy, version, change.formattedBy);
  if (change.kind === 'upgrade') {
    logger.info({ from: change.from, to: version }, 'data dir was last run by an older Kafka; keeping its data and metadata.version');
  } else if (change.kind === 'downgrade') {
    logger.warn({ from: change.from, to: version }, 'data dir was last run by a newer Kafka');
  }
  const [freeA, freeB] = remembered ? [remembered.port, remembered.controllerPort] : await freeLoopbackPorts(2);
  const formattedBy = change.kind === 'format' ? version : remembered?.formattedBy;
  const state = {
    version,
    ...(formattedBy === undefined ? {} : { formattedBy }),
    clusterId: remembered?.clusterId ?? newClusterId(),
    port: options.port ?? remembered?.port ?? freeA,
    controllerPort: options.controllerPort ?? remembered?.controllerPort ?? freeB,
  };
  if (state.port === state.controllerPort) {
    throw new KafkaErrors.BANYAN_ERR_KAFKA_CONFIG_INVALID(`port and controllerPort are both ${state.port}; the broker needs two ports`);
  }
  const libDir = await ensureKafkaJars(version);
  const layout: BrokerLayout = { dataDir, port: state.port, controllerPort: state.controllerPort, major };
  await writeFile(paths.serverProperties, renderServerProperties(layout));
  await writeFile(paths.logConfig, renderLogConfig(layout));
  await writeDataDirState(dataDir, state);

  const jvmBase = [logConfigProperty(layout), '-cp', join(libDir, '*')];
  if (change.kind === 'format') {
    await formatStorage(jvmBase, state.clusterId, paths.serverProperties, dataDir);
  }

  const child = await spawnBroker(jvmBase, paths.serverProperties, paths.stdout);
  const pid = child.pid as number;
  await writePidFile(dataDir, pid);
  // Resolves after the pid file is gone, so a start right after stop() never sees the old one.
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      void removePidFile(dataDir)
        .catch(() => {})
        .then(() => done(signal ? `signal ${signal}` : `exit code ${code}`));
    }),
  );
  // A test runner or gateway that dies must not leave an orphan broker holding the ports.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const brokers = [`127.0.0.1:${state.port}`];
  // `pid` is already this Node process's (the root logger's base): the JVM's is `brokerPid`.
  logger.info({ brokerPid: pid, brokers, version, dataDir }, 'local Kafka starting');
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const ready = await waitUntilReady(brokers, exited, startTimeoutMs);
  if (ready !== true) {
    child.kill('SIGKILL');
    await exited;
    if (ready === 'timeout') throw new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_START_TIMEOUT(startTimeoutMs, paths.kafkaLog);
    throw new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_EXITED(ready.exit, tailOf([paths.stdout, paths.kafkaLog], 30));
  }
  logger.info({ brokerPid: pid, brokers }, 'local Kafka ready');

  const terminate = async (signal: 'SIGTERM' | 'SIGKILL', timeoutMs: number): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    // Cancel the timer once the JVM exited, or it would hold the caller's event loop open.
    const timer = new AbortController();
    const outcome = await Promise.race([
      exited,
      sleep(timeoutMs, 'timeout' as const, { signal: timer.signal }).catch(() => 'aborted' as const),
    ]);
    timer.abort();
    if (outcome === 'timeout') {
      logger.warn({ brokerPid: pid, timeoutMs }, 'local Kafka ignored SIGTERM; sending SIGKILL');
      child.kill('SIGKILL');
      await exited;
    }
    logger.info({ brokerPid: pid, signal }, 'local Kafka stopped');
  };
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  return {
    brokers,
    dataDir,
    pid,
    stop: () => terminate('SIGTERM', stopTimeoutMs),
    kill: () => terminate('SIGKILL', stopTimeoutMs),
  };
}

const execFileAsync = promisify(execFile);

// Kafka's own kafka-server-start.sh defaults are -Xmx1G -Xms1G with G1; a smaller floor keeps a
// test broker light while the ceiling matches the production script.
const JVM_OPTIONS = ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'];

async function formatStorage(jvmBase: string[], clusterId: string, serverProperties: string, dataDir: string): Promise<void> {
  try {
    await execFileAsync('java', [...jvmBase, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', serverProperties]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new KafkaErrors.BANYAN_ERR_KAFKA_TOOL_MISSING('java', err as Error);
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new KafkaErrors.BANYAN_ERR_KAFKA_STORAGE_FORMAT_FAILED(dataDir, `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message, err as Error);
  }
}

async function spawnBroker(jvmBase: string[], serverProperties: string, stdoutFile: string): Promise<ChildProcess> {
  // The JVM's stdout/stderr go to a file (append): Kafka logs to kafka.log itself, this only
  // catches JVM crashes and early errors before logging is configured.
  const out = openSync(stdoutFile, 'a');
  try {
    const child = spawn('java', [...JVM_OPTIONS, ...jvmBase, 'kafka.Kafka', serverProperties], {
      stdio: ['ignore', out, out],
    });
    await new Promise<void>((ok, fail) => {
      child.once('spawn', () => ok());
      child.once('error', (err: NodeJS.ErrnoException) =>
        fail(err.code === 'ENOENT' ? new KafkaErrors.BANYAN_ERR_KAFKA_TOOL_MISSING('java', err) : err),
      );
    });
    return child;
  } finally {
    closeSync(out);
  }
}

/** true when the probe (describeCluster) answered; otherwise why it never did. */
async function waitUntilReady(
  brokers: string[],
  exited: Promise<string>,
  timeoutMs: number,
): Promise<true | 'timeout' | { exit: string }> {
  let exit: string | undefined;
  void exited.then((e) => (exit = e));
  const probe = createKafkaProbe({ brokers, client_id: 'banyan-local-kafka-probe', request_timeout_ms: 3000 });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (exit !== undefined) return { exit };
      try {
        await probe.check();
        return true;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    return exit !== undefined ? { exit } : 'timeout';
  } finally {
    await probe.close().catch(() => {});
  }
}

function tailOf(files: string[], lines: number): string {
  return files
    .filter((f) => existsSync(f))
    .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}
