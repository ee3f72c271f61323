/**
 * Finds and loads the bridges a gateway runs: every `*.yaml` / `*.yml` in banyan.yaml's
 * `paths.bridges` (bridges/ by default), in name order, each checked against the bridge spec, and
 * their names unique across files (a name is a bridge's identity: its checkpoint and its ownership
 * group are keyed by it). All issues of all files are reported together, each at file:line:col.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBridgeFile, type BridgeConfig } from '../bridge-assembly.ts';
import { bridgeSpec } from '../config-catalog.ts';
import { ConfigError, type ConfigIssue } from '../config/issues.ts';

/** The bridge files under `dir`; none when it does not exist (a gateway that only routes). */
export function bridgeFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads every file; throws one ConfigError listing the issues of all of them. */
export function loadBridgeFiles(files: readonly string[], rootDir: string, env: NodeJS.ProcessEnv): BridgeConfig[] {
  const issues: ConfigIssue[] = [];
  const bridges: BridgeConfig[] = [];
  for (const file of files) {
    try {
      bridges.push(loadBridgeFile(file, rootDir, env));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues.push(...err.issues);
    }
  }
  issues.push(...bridgeSpec.checkNamesUnique(files.map((file) => ({ file, text: readFileSync(file, 'utf8') }))));
  if (issues.length > 0) throw new ConfigError(issues);
  return bridges;
}
