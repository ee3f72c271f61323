/**
 * `banyan dlq list|show [--config F] TOPIC.dlq ...`: what a dead-letter topic holds.
 *
 * - `list TOPIC.dlq [--key K] [--since T] [--error E]`: one JSON object per parked record:
 *   partition, offset, key, event id, original topic, reason, attempts, error class and message,
 *   HTTP status, when it was parked and how often it was replayed (src/retry/replay.ts).
 * - `show TOPIC.dlq PARTITION:OFFSET`: that record whole, as `banyan consume` prints records.
 * Exit codes: 0 done, 1 the config or Kafka failed, 2 a usage error, 3 `show` found no such record.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { readTopicToEnd, type TopicRecord } from '../../connectors/kafka/topic-reader.ts';
import { matchesFilter, parseSince, summarizeParked, type ParkedRecord, type ReplayFilter } from '../../retry/replay.ts';
import { loadCommandConfig } from '../command-config.ts';
import { openCommandKafka } from '../command-kafka.ts';
import { recordJson } from './consume.ts';

const USAGE =
  'usage: banyan dlq list [--config banyan.yaml] TOPIC.dlq [--key K] [--since T] [--error E]\n' +
  '       banyan dlq show [--config banyan.yaml] TOPIC.dlq PARTITION:OFFSET\n';

export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr.write(`banyan dlq: ${(err as Error).message}\n${USAGE}`);
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
    const records = await readParked(kafka.client, parsed.topic);
    if (parsed.command === 'list') {
      for (const r of records.filter((r) => matchesFilter(r, parsed.filter))) io.stdout.write(`${JSON.stringify(summarizeParked(r))}\n`);
      return 0;
    }
    const found = records.find((r) => r.partition === parsed.partition && r.offset === parsed.offset);
    if (!found) {
      io.stderr.write(`banyan dlq show: no record at ${parsed.topic} partition ${parsed.partition} offset ${parsed.offset}\n`);
      return 3;
    }
    io.stdout.write(`${JSON.stringify(recordJson({ ...found, timestamp: String(found.timestamp) }), null, 2)}\n`);
    return 0;
  } finally {
    await kafka.close();
  }
}

/** Every record of a dead-letter topic, as the replay module takes them. */
export async function readParked(client: Parameters<typeof readTopicToEnd>[0], topic: string): Promise<ParkedRecord[]> {
  const out: ParkedRecord[] = [];
  await readTopicToEnd(client, topic, (r: TopicRecord) => out.push(parkedOf(r)), { isolation: 'read_uncommitted' });
  return out;
}

function parkedOf(r: TopicRecord): ParkedRecord {
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers[k] = v;
  return { topic: r.topic, partition: r.partition, offset: r.offset, timestamp: Number(r.timestamp), key: r.key, value: r.value, headers };
}

/** --key / --since / --error, shared with `banyan replay`. */
export function filterOf(values: { key?: string | undefined; since?: string | undefined; error?: string | undefined }): ReplayFilter {
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) throw new Error(`--since needs an ISO 8601 time or ms since the epoch, got "${values.since}"`);
  return { ...(values.key !== undefined ? { key: values.key } : {}), ...(since !== undefined ? { since } : {}), ...(values.error !== undefined ? { error: values.error } : {}) };
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      key: { type: 'string' },
      since: { type: 'string' },
      error: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  const [command, topic, at] = positionals;
  if (command !== 'list' && command !== 'show') throw new Error(command === undefined ? 'say list or show' : `unknown dlq command "${command}"`);
  if (topic === undefined) throw new Error('TOPIC.dlq is required');
  if (command === 'list') {
    if (at !== undefined) throw new Error(`list takes one topic, got also "${at}"`);
    return { command, topic, config: values.config, filter: filterOf(values) };
  }
  const m = at === undefined ? null : /^(\d+):(\d+)$/.exec(at);
  if (!m) throw new Error('show needs PARTITION:OFFSET, e.g. 0:42');
  return { command, topic, config: values.config, partition: Number(m[1]), offset: m[2]!, filter: {} };
}
