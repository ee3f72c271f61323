/**
 * What the commands that talk to Kafka share: banyan.yaml loaded the way `banyan start` loads it
 * (without --config a missing ./banyan.yaml means all defaults, the embedded Kafka), every issue
 * printed as file:line:col: rule: message; and a stop signal for SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CliIo } from './io.ts';
import { ConfigError, formatIssue } from '../config/issues.ts';
import { loadGatewayConfig, type GatewayConfig } from '../gateway-config.ts';
import type { BridgeConfig } from '../bridge-assembly.ts';
import { loadBridgeFiles } from '../bridges/bridge-files.ts';
import { loadJmsMapping } from '../jms/config/check.ts';
import type { JmsMapping } from '../jms/config/spec.ts';

/** banyan.yaml (or `--config`), or undefined after printing its issues. */
export function loadCommandConfig(io: CliIo, configFlag: string | undefined): GatewayConfig | undefined {
  return printingIssues(io, () => loadGatewayConfig(resolve(io.cwd, configFlag ?? 'banyan.yaml'), { env: io.env, ifMissing: configFlag === undefined ? 'defaults' : 'error' }));
}

/** The directory of banyan.yaml (or `--config`): paths in bridge files are relative to it. */
export function commandRootDir(io: CliIo, configFlag: string | undefined): string {
  return dirname(resolve(io.cwd, configFlag ?? 'banyan.yaml'));
}

/** Loads and checks bridge files, or returns undefined after printing every issue at file:line:col. */
export function loadCommandBridges(io: CliIo, files: readonly string[], rootDir: string): BridgeConfig[] | undefined {
  return printingIssues(io, () => loadBridgeFiles(files, rootDir, io.env));
}

/**
 * mappings/jms.yaml in paths.mappings when it exists (`mapping` undefined: the defaults apply), or
 * undefined after printing its issues at file:line:col.
 */
export function loadCommandJmsMapping(io: CliIo, config: GatewayConfig): { mapping?: JmsMapping; source: string } | undefined {
  const file = join(config.paths.mappings, 'jms.yaml');
  if (!existsSync(file)) return { source: 'defaults' };
  return printingIssues(io, () => ({ mapping: loadJmsMapping(file, { env: io.env }), source: file }));
}

/** `load()`'s value, or undefined after printing each issue of its ConfigError at file:line:col. */
function printingIssues<T>(io: CliIo, load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    return undefined;
  }
}

/** Runs `command` with a signal that SIGINT or SIGTERM aborts (the command finishes what is in flight). */
export async function untilSignalled<T>(command: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await command(stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
