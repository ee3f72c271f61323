/**
 * `banyan replay [--config F] --from TOPIC.dlq [--key K] [--since T] [--error E] [--to original|TOPIC] [--dry-run]`:
 * puts parked records back, by default on the topic each was first published to (its
 * kafka_dlt-original-topic header), with the attempt count reset, the replay recorded in headers
 * and the event id kept (src/retry/replay.ts), so the bridge's retry processor delivers them again
 * and the target recognises each event by its idempotency key. The flags are a public contract.
 *
 * The dead-letter topic is not changed (Kafka cannot delete one record): `banyan dlq list` shows
 * how often each record was replayed. `--dry-run` prints what would be replayed and writes nothing.
 * Prints one JSON line per record (`{from, to, eventId, key}`) and a total on stderr.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { createPublisher } from '../../connectors/kafka/publisher.ts';
import { matchesFilter, replayRecordOf, summarizeParked, type ReplayDestination } from '../../retry/replay.ts';
import { loadCommandConfig } from '../command-config.ts';
import { openCommandKafka } from '../command-kafka.ts';
import { filterOf, readParked } from './dlq.ts';

const USAGE = 'usage: banyan replay [--config banyan.yaml] --from TOPIC.dlq [--key K] [--since T] [--error E] [--to original|TOPIC] [--dry-run]\n';

/** Records per publish: a large dead-letter topic goes back in acknowledged batches. */
const BATCH = 500;

export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    io.stderr.write(`banyan replay: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const config = loadCommandConfig(io, parsed.config);
  if (!config) return 1;
  const kafka = await openCommandKafka(config);
  const publisher = parsed.dryRun ? undefined : createPublisher({ kafka: kafka.client });
  try {
    const picked = (await readParked(kafka.client, parsed.from)).filter((r) => matchesFilter(r, parsed.filter));
    const now = Date.now();
    const replayed = picked.map((r) => ({ parked: r, record: replayRecordOf(r, parsed.to, now) }));
    for (let i = 0; i < replayed.length; i += BATCH) {
      const batch = replayed.slice(i, i + BATCH);
      await publisher?.publish(batch.map((x) => x.record));
      for (const { parked, record } of batch) {
        io.stdout.write(`${JSON.stringify({ from: `${parked.topic}/${parked.partition}/${parked.offset}`, to: record.topic, eventId: summarizeParked(parked).eventId, key: parked.key?.toString('utf8') ?? null })}\n`);
      }
    }
    io.stderr.write(`banyan replay: ${replayed.length} record(s) ${parsed.dryRun ? 'would be replayed (dry run: nothing written)' : 'replayed'}\n`);
    return 0;
  } finally {
    await publisher?.close();
    await kafka.close();
  }
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      from: { type: 'string' },
      key: { type: 'string' },
      since: { type: 'string' },
      error: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  if (values.from === undefined) throw new Error('--from TOPIC.dlq is required');
  const to: ReplayDestination = values.to === undefined || values.to === 'original' ? { kind: 'original' } : { kind: 'topic', topic: values.to };
  if (to.kind === 'topic' && !/^[A-Za-z0-9._-]{1,249}$/.test(to.topic)) throw new Error(`--to "${to.topic}" is not a valid Kafka topic name`);
  return { from: values.from, to, config: values.config, filter: filterOf(values), dryRun: values['dry-run'] ?? false };
}
