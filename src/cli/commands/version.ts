import { readFileSync } from 'node:fs';
import type { CliIo } from '../io.ts';

export async function run(_argv: string[], io: CliIo): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  io.stdout.write(`banyan ${pkg.version} (node ${process.version})\n`);
  return 0;
}
