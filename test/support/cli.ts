/** Runs a `banyan` command in-process through the CLI entry, with captured output. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.ts';
import type { CliIo } from '../../src/cli/io.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runBanyan(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: options.env ?? {}, cwd: options.cwd };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}
