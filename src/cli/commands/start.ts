import type { CliIo } from '../io.ts';

// Placeholder until the command lands; kept so the command table type-checks.
export async function run(_argv: string[], io: CliIo): Promise<number> {
  io.stderr.write('banyan start: not available in this build yet\n');
  return 1;
}
