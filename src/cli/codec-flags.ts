/**
 * The flags `banyan decode` and `banyan encode` share, parsed once (node:util parseArgs) and turned
 * into an `openRecordCodec` spec. Flags win over the mapping file: `--codepage`, `--format` and
 * `--record-length` override what the mapping says.
 */
import { resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { CliIo } from './io.ts';
import { formatIssue } from '../config/issues.ts';
import { loadCopybook, loadRecordMapping, openRecordCodec, type FramingOptions, type OpenedRecordCodec } from '../codec/index.ts';
import { framingOptionsOf } from '../codec/mapping/framing.ts';

export interface CodecFlags {
  readonly copybook?: string;
  readonly codepage?: string;
  readonly format?: 'F' | 'FB' | 'V' | 'VB';
  readonly recordLength?: number;
  readonly mapping?: string;
  readonly onError: 'dlq' | 'fail' | 'null';
  readonly dlq?: string;
  readonly record?: string;
}

/** Parsed flags and the optional INPUT, or an exit code after printing usage. */
export function codecFlags(argv: string[], io: CliIo, usage: string): { flags: CodecFlags; input?: string } | number {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        copybook: { type: 'string' },
        codepage: { type: 'string' },
        format: { type: 'string' },
        'record-length': { type: 'string' },
        mapping: { type: 'string' },
        'on-error': { type: 'string' },
        dlq: { type: 'string' },
        record: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const bad = (message: string) => {
    io.stderr.write(`${message}\n${usage}`);
    return 2;
  };
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  if (!str('copybook') && !str('mapping')) return bad('--copybook (or --mapping) is required');
  const format = str('format')?.toUpperCase();
  if (format !== undefined && !['F', 'FB', 'V', 'VB'].includes(format)) return bad(`--format must be F, FB, V or VB, not ${str('format')}`);
  const rl = str('record-length');
  if (rl !== undefined && !/^[1-9]\d*$/.test(rl)) return bad(`--record-length must be a positive integer, not ${rl}`);
  const onError = str('on-error') ?? 'dlq';
  if (!['dlq', 'fail', 'null'].includes(onError)) return bad(`--on-error must be dlq, fail or null, not ${onError}`);
  if (positionals.length > 1) return bad(`expected at most one INPUT, got ${positionals.join(' ')}`);
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(io.cwd, p));
  return {
    flags: {
      copybook: at(str('copybook')),
      codepage: str('codepage'),
      format: format as CodecFlags['format'],
      recordLength: rl === undefined ? undefined : Number(rl),
      mapping: at(str('mapping')),
      onError: onError as CodecFlags['onError'],
      dlq: at(str('dlq')),
      record: str('record'),
    },
    input: at(positionals[0]),
  };
}

/** Opens the codec the flags describe. Throws ConfigError / coded errors for bad inputs. */
export function openFromFlags(flags: CodecFlags): OpenedRecordCodec {
  const codec = { onError: flags.onError === 'null' ? ('null' as const) : ('fail' as const) };
  if (flags.mapping) {
    const mapping = loadRecordMapping(flags.mapping);
    const framing = flagFraming(flags, mapping.record.length, framingOptionsOf(mapping.config.framing, mapping.record.length));
    return openRecordCodec({ mapping, codePage: flags.codepage, codec, framing });
  }
  // Open once with the default framing to learn the record's length, then apply the flags.
  const copybook = loadCopybook(flags.copybook!);
  const opened = openRecordCodec({ copybook, record: flags.record, codePage: flags.codepage, codec });
  if (!flags.format && !flags.recordLength) return opened;
  const framing = flagFraming(flags, opened.record.length, opened.framing);
  return openRecordCodec({ copybook, record: flags.record, codePage: flags.codepage, codec, framing });
}

/** --format / --record-length over the mapping's (or default) framing. */
function flagFraming(flags: CodecFlags, recordLength: number, base: FramingOptions): FramingOptions {
  if (!flags.format && !flags.recordLength) return base;
  const format = flags.format ?? base.format;
  const length = flags.recordLength ?? ('recordLength' in base && typeof base.recordLength === 'number' ? base.recordLength : recordLength);
  const common = { fileStartOffset: base.fileStartOffset, fileEndOffset: base.fileEndOffset };
  if (format === 'F' || format === 'FB') return { ...common, format, recordLength: length };
  if (format === 'V' || format === 'VB') return { ...common, format, rdw: 'rdw' in base ? base.rdw : undefined };
  return base;
}

/** Writes one line, waiting for the stream to drain when its buffer is full (constant memory). */
export async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

export async function endStream(out: Writable): Promise<void> {
  await new Promise<void>((resolveEnd) => out.end(resolveEnd));
}

/** Message for an error that stops a command: config issues one per line, coded errors with their code. */
export function describeFailure(err: unknown): string {
  const e = err as { code?: string; message?: string; issues?: readonly Parameters<typeof formatIssue>[0][] };
  if (e.issues) return e.issues.map(formatIssue).join('\n');
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
}
