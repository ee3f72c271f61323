/**
 * `banyan version` (also `--version`, `-v`): Banyan's version, the Node.js it runs on, and the Apache
 * Kafka version the embedded broker runs when banyan.yaml names none. Reads package.json and a
 * constant: it never starts the broker or resolves its jars.
 */
import { readFileSync } from 'node:fs';
import type { CliIo } from '../io.ts';
import { DEFAULT_KAFKA_VERSION } from '../../connectors/kafka/local/jars.ts';

export async function run(_argv: string[], io: CliIo): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  io.stdout.write(`banyan ${pkg.version} (node ${process.version}, embedded kafka ${DEFAULT_KAFKA_VERSION})\n`);
  return 0;
}
