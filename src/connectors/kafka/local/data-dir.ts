/**
 * What the launcher remembers in a data dir between starts: cluster id, ports, the version that ran
 * last and the one that formatted the storage (banyan-local-kafka.json), and the pid of a running
 * broker (kafka.pid). Clients configured with
 * the broker address keep working across a restart because the ports are reused.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { KafkaErrors } from '../errors.ts';
import { brokerPaths } from './broker-config.ts';

export interface DataDirState {
  /** The Kafka version that ran on the dir last. */
  readonly version: string;
  /** The Kafka version that formatted the storage; absent in dirs formatted before it was recorded. */
  readonly formattedBy?: string;
  readonly clusterId: string;
  readonly port: number;
  readonly controllerPort: number;
}

/** The remembered state, or undefined for a fresh data dir. */
export function readDataDirState(dataDir: string): DataDirState | undefined {
  const file = brokerPaths(dataDir).state;
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KafkaErrors.BANYAN_ERR_KAFKA_DATA_DIR_INVALID(dataDir, `${file} is not JSON`, err as Error);
  }
  const s = parsed as Partial<DataDirState>;
  if (typeof s.version !== 'string' || typeof s.clusterId !== 'string' || !isPort(s.port) || !isPort(s.controllerPort)) {
    throw new KafkaErrors.BANYAN_ERR_KAFKA_DATA_DIR_INVALID(dataDir, `${file} lacks version, clusterId, port or controllerPort`);
  }
  if (s.formattedBy !== undefined && typeof s.formattedBy !== 'string') {
    throw new KafkaErrors.BANYAN_ERR_KAFKA_DATA_DIR_INVALID(dataDir, `${file}: formattedBy is not a version string`);
  }
  const state = { version: s.version, clusterId: s.clusterId, port: s.port, controllerPort: s.controllerPort };
  return s.formattedBy === undefined ? state : { ...state, formattedBy: s.formattedBy };
}

export async function writeDataDirState(dataDir: string, state: DataDirState): Promise<void> {
  await writeFile(brokerPaths(dataDir).state, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Throws if a broker started from this data dir is still running. A leftover pid file from a
 * crash is ignored when that pid is gone or is now some other program.
 */
export function assertDataDirFree(dataDir: string): void {
  const pid = runningBrokerPid(dataDir);
  if (pid !== undefined) throw new KafkaErrors.BANYAN_ERR_KAFKA_DATA_DIR_IN_USE(dataDir, pid);
}

/** The pid of the broker running on this data dir, if one is. */
export function runningBrokerPid(dataDir: string): number | undefined {
  const paths = brokerPaths(dataDir);
  let pid: number;
  try {
    pid = Number(readFileSync(paths.pid, 'utf8').trim());
  } catch (err) {
    // No pid file: no broker. (Checking existence first would race the removal by a broker exiting.)
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined; // gone
  }
  return cmdline.includes(paths.serverProperties) ? pid : undefined;
}

/**
 * The bootstrap address of the broker already running on this data dir (a `banyan start` in
 * another terminal), so a CLI command can join it instead of starting a second one.
 */
export function runningLocalKafkaBrokers(dataDir: string): string[] | undefined {
  if (runningBrokerPid(dataDir) === undefined) return undefined;
  const state = readDataDirState(dataDir);
  return state ? [`127.0.0.1:${state.port}`] : undefined;
}

export async function writePidFile(dataDir: string, pid: number): Promise<void> {
  await writeFile(brokerPaths(dataDir).pid, `${pid}\n`);
}

export async function removePidFile(dataDir: string): Promise<void> {
  await rm(brokerPaths(dataDir).pid, { force: true });
}

/** Asks the kernel for `count` distinct free loopback ports (held open together so they differ). */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => {
      const address = s.address();
      if (address === null || typeof address === 'string') throw new Error('unexpected server address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/**
 * A KRaft cluster id as Kafka's `Uuid.randomUuid().toString()` makes it: 16 random bytes in
 * URL-safe base64 without padding; Kafka re-draws ids starting with '-' so CLI tools can parse them.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function isPort(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0 && x < 65536;
}
