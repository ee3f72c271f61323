/**
 * `banyan <command> [options]`. Each command lives in src/cli/commands/<name>.ts and exports
 * `run(argv, io): Promise<number>` (the exit code). Commands are loaded lazily so `banyan decode`
 * never pays for fastify or kafkajs.
 */
import { pathToFileURL } from 'node:url';
import type { CliIo } from './cli/io.ts';
import { processIo } from './cli/io.ts';

export interface CliCommand {
  readonly summary: string;
  load(): Promise<{ run(argv: string[], io: CliIo): Promise<number> }>;
}

export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  start: { summary: 'start the gateway (embedded Kafka when no brokers are configured)', load: () => import('./cli/commands/start.ts') },
  validate: { summary: 'validate banyan.yaml, bridges/ and mappings/; lists every error', load: () => import('./cli/commands/validate.ts') },
  version: { summary: 'print the Banyan, Node.js and embedded Kafka versions', load: () => import('./cli/commands/version.ts') },
  layout: { summary: 'print a copybook layout (offsets, lengths, types)', load: () => import('./cli/commands/layout.ts') },
  decode: { summary: 'decode EBCDIC records to JSON Lines', load: () => import('./cli/commands/decode.ts') },
  encode: { summary: 'encode JSON Lines to EBCDIC records', load: () => import('./cli/commands/encode.ts') },
  run: { summary: 'run bridges in the foreground (--until-idle: until every source is drained and committed)', load: () => import('./cli/commands/run.ts') },
  dlq: { summary: 'list or show what a dead-letter topic holds (dlq list|show TOPIC.dlq)', load: () => import('./cli/commands/dlq.ts') },
  replay: { summary: 'put parked records back from a dead-letter topic (--from TOPIC.dlq [--key] [--since] [--error] [--to] [--dry-run])', load: () => import('./cli/commands/replay.ts') },
  cdc: { summary: 'ask a running Db2 CDC bridge for an incremental snapshot (cdc snapshot --table SCHEMA.TABLE [--bridge NAME])', load: () => import('./cli/commands/cdc.ts') },
  consume: { summary: 'print what a Kafka topic holds, one JSON object per record', load: () => import('./cli/commands/consume.ts') },
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') return main(['version'], io);
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`banyan: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest, io);
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`);
  return `usage: banyan <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      process.stderr.write(`banyan: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
