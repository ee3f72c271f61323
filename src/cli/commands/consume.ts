/**
 * `banyan consume [--config F] TOPIC [--from-beginning] [--max N] [--idle-ms N] [--group G]`:
 * prints one JSON object per record, `{topic, partition, offset, timestamp, key, headers, value}`,
 * so a migration team can look at what a bridge wrote. A value whose bytes are JSON is printed as
 * that JSON, other bytes as `{"base64": "..."}`; a key as its UTF-8 text; a header as its text when
 * it is printable UTF-8 (Kafka headers are text by convention: Connect's and Spring's error headers,
 * Banyan's own), else as `{"base64": "..."}`. Exits 0 after
 * N records, after N ms without one, or on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { tailTopic } from '../../connectors/kafka/topic-tail.ts';
import type { TopicRecord } from '../../connectors/kafka/topic-reader.ts';
import { loadCommandConfig, untilSignalled } from '../command-config.ts';
import { openCommandKafka } from '../command-kafka.ts';

const USAGE = 'usage: banyan consume [--config banyan.yaml] TOPIC [--from-beginning] [--max N] [--idle-ms N] [--group G]\n';

export function run(argv: string[], io: CliIo): Promise<number> {
  return untilSignalled((signal) => runConsume(argv, io, signal));
}

export async function runConsume(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr.write(`banyan consume: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const config = loadCommandConfig(io, parsed.config);
  if (!config) return 1;
  const kafka = await openCommandKafka(config);
  try {
    await tailTopic(
      kafka.client,
      {
        topic: parsed.topic,
        fromBeginning: parsed.fromBeginning,
        ...(parsed.group !== undefined ? { groupId: parsed.group } : {}),
        ...(parsed.max !== undefined ? { max: parsed.max } : {}),
        ...(parsed.idleMs !== undefined ? { idleMs: parsed.idleMs } : {}),
        ...(signal ? { signal } : {}),
      },
      (record) => io.stdout.write(`${JSON.stringify(recordJson(record))}\n`),
    );
  } finally {
    await kafka.close();
  }
  return 0;
}

/** The printed form of one record. */
export function recordJson(r: TopicRecord): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(r.headers)) headers[name] = value === undefined ? null : headerJson(value);
  return {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.offset),
    timestamp: Number(r.timestamp),
    key: r.key === null ? null : r.key.toString('utf8'),
    headers,
    value: r.value === null ? null : bytesJson(r.value),
  };
}

/** A header's text when it is printable UTF-8 (tabs and line breaks allowed), anything else as base64. */
function headerJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  // Decoding replaced no invalid sequence (same byte length back) and no control character is in it.
  if (Buffer.byteLength(text) === bytes.length && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return text;
  return { base64: bytes.toString('base64') };
}

/** JSON bytes as the JSON they hold, anything else as base64. */
function bytesJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (Buffer.byteLength(text) === bytes.length) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: base64 below
    }
  }
  return { base64: bytes.toString('base64') };
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      'from-beginning': { type: 'boolean' },
      max: { type: 'string' },
      'idle-ms': { type: 'string' },
      group: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'TOPIC is required' : `one TOPIC, got ${positionals.join(' ')}`);
  return {
    topic: positionals[0]!,
    config: values.config,
    fromBeginning: values['from-beginning'] ?? false,
    group: values.group,
    max: count('--max', values.max),
    idleMs: count('--idle-ms', values['idle-ms']),
  };
}

function count(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new Error(`${flag} needs a positive whole number, got "${text}"`);
  return Number(text);
}
