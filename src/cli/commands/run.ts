/**
 * `banyan run [--config F] BRIDGE.yaml... [--until-idle]`: runs those bridges in the foreground with
 * banyan.yaml's Kafka (the embedded one when no brokers are configured). Paths in a bridge file are
 * relative to the directory of banyan.yaml. With --until-idle it exits 0 once every source is
 * drained and all it read is committed; a bridge that stops on an error makes the exit code 1 (a
 * record that reached neither its topic nor its dead-letter topic stops its bridge, so it is never
 * counted as done). SIGINT/SIGTERM finish the batch in flight and exit.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { createBridgeSet } from '../../bridges/bridge-set.ts';
import { createTopicAdmin } from '../../connectors/kafka/topic-admin.ts';
import { topicDefaultsOf } from '../../connectors/kafka/settings.ts';
import { createRootLogger } from '../../observability/logger.ts';
import { commandRootDir, loadCommandBridges, loadCommandConfig, untilSignalled } from '../command-config.ts';
import { openCommandKafka } from '../command-kafka.ts';

const USAGE = 'usage: banyan run [--config banyan.yaml] BRIDGE.yaml... [--until-idle]\n';

export function run(argv: string[], io: CliIo): Promise<number> {
  return untilSignalled((signal) => runBridges(argv, io, signal));
}

export async function runBridges(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  let values: { config?: string; 'until-idle'?: boolean; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { config: { type: 'string', short: 'c' }, 'until-idle': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (err) {
    io.stderr.write(`banyan run: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (files.length === 0) {
    io.stderr.write(`banyan run: name at least one bridge file\n${USAGE}`);
    return 2;
  }
  const config = loadCommandConfig(io, values.config);
  if (!config) return 1;
  const rootDir = commandRootDir(io, values.config);
  const bridges = loadCommandBridges(io, files.map((f) => resolve(io.cwd, f)), rootDir);
  if (!bridges) return 1;

  // Log lines go to stderr: a foreground run's stdout stays free for whoever pipes it.
  const logger = createRootLogger({ level: config.log.level, redact: config.log.redact, destination: io.stderr });
  const kafka = await openCommandKafka(config);
  const topics = createTopicAdmin({ kafka: kafka.client, defaults: topicDefaultsOf(config.kafka), logger });
  // The same ownership groups as `banyan start`: a bridge a gateway is running is not read twice.
  const set = createBridgeSet({
    bridges,
    rootDir,
    kafka: kafka.client,
    topics,
    ownership: config.ownership,
    untilIdle: values['until-idle'] ?? false,
    logger: logger.child({ component: 'bridge' }),
    sourceEvents: (name) => ({
      directoryCreated: (e) => io.stderr.write(`banyan run: ${name}: created the drop directory ${e.dir} (it did not exist)\n`),
    }),
  });
  let failed = 0;
  try {
    set.start();
    const onStop = () => void set.stop();
    signal.addEventListener('abort', onStop, { once: true });
    const outcomes = await set.settled();
    signal.removeEventListener('abort', onStop);
    for (const outcome of outcomes) {
      const s = outcome.totals;
      if (!outcome.error) {
        io.stderr.write(`banyan run: ${outcome.name}: ${s.records} records read, ${s.published} published, ${s.deadLettered} dead-lettered, ${s.skipped} skipped\n`);
      } else {
        failed++;
        const e = outcome.error as { code?: string; message?: string };
        io.stderr.write(`banyan run: ${outcome.name} stopped: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(outcome.error)}\n`);
      }
    }
  } finally {
    await set.stop();
    await topics.close();
    await kafka.close();
    logger.flush();
  }
  return failed > 0 ? 1 : 0;
}
