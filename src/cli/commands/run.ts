/**
 * `banyan run [--config F] BRIDGE.yaml... [--until-idle]`: runs those bridges in the foreground with
 * banyan.yaml's Kafka (the embedded one when no brokers are configured). Paths in a bridge file are
 * relative to the directory of banyan.yaml. With --until-idle it exits 0 once every source is
 * drained and all it read is committed; a bridge that stops on an error makes the exit code 1 (a
 * record that reached neither its topic nor its dead-letter topic stops its bridge, so it is never
 * counted as done). SIGINT/SIGTERM finish the batch in flight and exit.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { ConfigError, formatIssue } from '../../config/issues.ts';
import { assembleBridge, loadBridgeFile, type AssembledBridge, type BridgeConfig } from '../../bridge-assembly.ts';
import { runBridgePipeline } from '../../core/bridge-pipeline.ts';
import { createTopicAdmin } from '../../connectors/kafka/topic-admin.ts';
import { topicDefaultsOf } from '../../connectors/kafka/settings.ts';
import { loadCommandConfig, untilSignalled } from '../command-config.ts';
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
  const rootDir = dirname(resolve(io.cwd, values.config ?? 'banyan.yaml'));
  let bridges: BridgeConfig[];
  try {
    bridges = files.map((f) => loadBridgeFile(resolve(io.cwd, f), rootDir, io.env));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    return 1;
  }

  const kafka = await openCommandKafka(config);
  const topics = createTopicAdmin({ kafka: kafka.client, defaults: topicDefaultsOf(config.kafka) });
  const assembled: AssembledBridge[] = [];
  let failed = 0;
  try {
    for (const b of bridges) {
      const directoryCreated = (e: { dir: string }) => io.stderr.write(`banyan run: ${b.name}: created the drop directory ${e.dir} (it did not exist)\n`);
      assembled.push(await assembleBridge(b, rootDir, kafka.client, topics, { directoryCreated }));
    }
    const outcomes = await Promise.allSettled(
      assembled.map((b) => runBridgePipeline({ ...b.options, untilIdle: values['until-idle'] ?? false }, signal)),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const name = assembled[i]!.name;
      if (outcome.status === 'fulfilled') {
        const s = outcome.value;
        io.stderr.write(`banyan run: ${name}: ${s.records} records read, ${s.published} published, ${s.deadLettered} dead-lettered, ${s.skipped} skipped\n`);
      } else {
        failed++;
        const e = outcome.reason as { code?: string; message?: string };
        io.stderr.write(`banyan run: ${name} stopped: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(outcome.reason)}\n`);
      }
    }
  } finally {
    for (const b of assembled) await b.close().catch(() => {});
    await topics.close();
    await kafka.close();
  }
  return failed > 0 ? 1 : 0;
}
