/**
 * Resolves Apache Kafka's broker classpath from Maven Central with Maven and caches it per version
 * in the user's cache directory ($XDG_CACHE_HOME or ~/.cache)/banyan/kafka/<version>/lib.
 *
 * Why Maven and not the release tarball: only package registries are reachable from CI and user
 * machines behind proxies, and `kafka_2.13`'s POM already names every broker module (the OpenZipkin
 * Kafka test image resolves the broker the same way). The POMs live next to this file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaErrors } from '../errors.ts';

/**
 * The broker version Banyan runs by default: the newest Apache Kafka release Maven Central serves
 * that passed the whole test suite (kafkajs 2.2.4 negotiates above every KIP-896 floor of 4.x).
 * 3.9.2 stays supported and tested (scripts/test.sh runs the Kafka suites on it too), and data dirs
 * it wrote upgrade in place. See VERSIONS.md. docker-compose.yml pins the same apache/kafka tag.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/**
 * The 3.x release Banyan still supports: the default until 2026-12, so existing data dirs
 * (.banyan/kafka) were written by it and upgrade in place to the default. scripts/test.sh runs the
 * Kafka suites on it as a second leg, and scripts/setup.d/10-kafka.sh pre-fetches its jars.
 */
export const PREVIOUS_DEFAULT_KAFKA_VERSION = '3.9.2';

/** Returns the lib directory holding every jar the broker needs, downloading them on first use. */
export async function ensureKafkaJars(version: string = DEFAULT_KAFKA_VERSION): Promise<string> {
  const major = kafkaMajorVersion(version);
  const versionDir = join(kafkaCacheRoot(), version);
  const libDir = join(versionDir, 'lib');
  // The marker is written after the atomic rename, so a half-copied directory is never used.
  if (existsSync(join(libDir, COMPLETE_MARKER))) return libDir;

  await mkdir(versionDir, { recursive: true });
  const staging = join(versionDir, `lib.tmp-${process.pid}-${Date.now()}`);
  const pom = new URL(major >= 4 ? './pom-kafka4.xml' : './pom-kafka3.xml', import.meta.url).pathname;
  try {
    await execFileAsync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        pom,
        `-Dkafka.version=${version}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new KafkaErrors.BANYAN_ERR_KAFKA_TOOL_MISSING('mvn', err as Error);
    const e = err as { stdout?: string; stderr?: string; message: string };
    const detail = lastLines(`${e.stdout ?? ''}\n${e.stderr ?? ''}`, 15) || e.message;
    throw new KafkaErrors.BANYAN_ERR_KAFKA_JARS_UNAVAILABLE(version, detail, err as Error);
  }
  const jars = (await readdir(staging)).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${version}`))) {
    await rm(staging, { recursive: true, force: true });
    throw new KafkaErrors.BANYAN_ERR_KAFKA_JARS_UNAVAILABLE(version, `kafka_2.13-${version}.jar missing from the resolved set`);
  }
  await writeFile(join(staging, COMPLETE_MARKER), `${jars.length} jars\n`);
  try {
    await rename(staging, libDir);
  } catch {
    // Another process finished first (rename onto a non-empty directory fails): use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(libDir, COMPLETE_MARKER))) {
      throw new KafkaErrors.BANYAN_ERR_KAFKA_JARS_UNAVAILABLE(version, `could not move the resolved jars into ${libDir}`);
    }
  }
  return libDir;
}

/** ($XDG_CACHE_HOME or ~/.cache)/banyan/kafka, per the XDG Base Directory specification. */
export function kafkaCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'banyan', 'kafka');
}

/** 3 for "3.9.2", 4 for "4.4.0"; Kafka's logging and config keys differ between the two lines. */
export function kafkaMajorVersion(version: string): number {
  return parseKafkaVersion(version)[0];
}

/** [major, minor, patch] of an Apache Kafka release version; throws CONFIG_INVALID for anything else. */
export function parseKafkaVersion(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new KafkaErrors.BANYAN_ERR_KAFKA_CONFIG_INVALID(`Kafka version "${version}" is not of the form X.Y.Z`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const COMPLETE_MARKER = '.banyan-complete';
const execFileAsync = promisify(execFile);

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
