/**
 * The JVM side of the benchmarks: bench/cobrix-harness's dependencies (Cobrix's cobol-parser, and
 * for the bridge benchmark kafka-clients and Jackson), resolved by mvn into a cache dir, and its
 * classes compiled per JDK. scripts/setup.d/30-cobrix-bench.sh does the same resolution ahead of
 * time; both key the cached classpath on the pom's hash, so a pom change resolves it again.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JavaRuntime } from './runtimes.ts';

const harness = fileURLToPath(new URL('./cobrix-harness/', import.meta.url));

/** The harness's dependency classpath (jars only), resolved once per pom version. */
export function cobrixDependencies(): string {
  const cache = cobrixCache();
  const cpFile = join(cache, 'classpath.txt');
  const hashFile = join(cache, 'classpath.pom-sha256');
  const pomHash = createHash('sha256').update(readFileSync(join(harness, 'pom.xml'))).digest('hex');
  const cachedHash = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : '';
  if (!existsSync(cpFile) || cachedHash !== pomHash) {
    const repo = join(cache, 'm2');
    execFileSync('mvn', ['-q', '-B', `-Dmaven.repo.local=${repo}`, 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { cwd: harness, stdio: 'inherit' });
    writeFileSync(hashFile, `${pomHash}\n`);
  }
  return readFileSync(cpFile, 'utf8').trim();
}

/** Compiles the harness's classes with the JDK's own javac (each JDK runs classes its compiler wrote); returns the classpath to run them with. */
export function compileHarness(jdk: JavaRuntime, deps: string, sources: readonly string[]): string {
  const classes = join(cobrixCache(), 'classes', jdk.version);
  const files = sources.map((s) => join(harness, 'src/main/java/dev/banyan/bench', s));
  execFileSync(jdk.javac, ['-d', classes, '-cp', deps, ...files], { stdio: 'inherit' });
  return `${classes}:${deps}`;
}

function cobrixCache(): string {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'banyan', 'cobrix-bench');
  mkdirSync(cache, { recursive: true });
  return cache;
}
