/**
 * `banyan cdc snapshot --table SCHEMA.TABLE [--bridge NAME|FILE] [--config banyan.yaml]`: asks a
 * running Db2 CDC bridge for an incremental snapshot of a table it captures
 * (src/connectors/db2-cdc/incremental-snapshot.ts). The request is a signal record on the bridge's
 * signal topic; the bridge (under `banyan start` or `banyan run`) picks it up within
 * `incremental_snapshot.signal_poll_ms` and reports progress on its notification topic.
 *
 * The bridge is found among banyan.yaml's bridges (paths.bridges) by name, or read from the file
 * given; without --bridge the only db2_cdc bridge there is taken. The table repeats as often as
 * needed (several tables: one snapshot after the other).
 * Exit codes: 0 the signal was written (its id printed), 1 the config or Kafka failed, 2 a usage
 * error or a bridge/table that does not fit.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BridgeConfig } from '../../bridge-assembly.ts';
import { bridgeFilesIn } from '../../bridges/bridge-files.ts';
import { snapshotSignalValue } from '../../connectors/db2-cdc/snapshot-signals.ts';
import { createPublisher } from '../../connectors/kafka/publisher.ts';
import type { CliIo } from '../io.ts';
import { commandRootDir, loadCommandBridges, loadCommandConfig } from '../command-config.ts';
import { openCommandKafka } from '../command-kafka.ts';

const USAGE = 'usage: banyan cdc snapshot --table SCHEMA.TABLE [--table ...] [--bridge NAME|BRIDGE.yaml] [--config banyan.yaml]\n';

export async function run(argv: string[], io: CliIo): Promise<number> {
  let values: { table?: string[]; bridge?: string; config?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { table: { type: 'string', multiple: true }, bridge: { type: 'string' }, config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.stderr.write(`banyan cdc: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const usage = (message: string) => {
    io.stderr.write(`banyan cdc: ${message}\n${USAGE}`);
    return 2;
  };
  if (positionals[0] !== 'snapshot' || positionals.length > 1) return usage(positionals[0] === undefined ? 'say snapshot' : `unknown cdc command "${positionals.join(' ')}"`);
  const tables = values.table ?? [];
  if (tables.length === 0) return usage('--table SCHEMA.TABLE is required');
  const badName = tables.find((t) => !/^[^.\s]+\.[^.\s]+$/.test(t));
  if (badName) return usage(`--table ${badName}: expected SCHEMA.TABLE`);

  const config = loadCommandConfig(io, values.config);
  if (!config) return 1;
  const rootDir = commandRootDir(io, values.config);
  const byFile = values.bridge !== undefined && /\.ya?ml$/.test(values.bridge);
  const bridges = loadCommandBridges(io, byFile ? [resolve(io.cwd, values.bridge!)] : bridgeFilesIn(config.paths.bridges), rootDir);
  if (!bridges) return 1;
  const picked = pickBridge(bridges, byFile ? undefined : values.bridge);
  if ('problem' in picked) return usage(picked.problem);
  const { bridge, cdc } = picked;
  const uncaptured = tables.filter((t) => !cdc.tables.includes(t));
  if (uncaptured.length > 0) return usage(`bridge ${bridge.name} does not capture ${uncaptured.join(', ')} (it captures ${cdc.tables.join(', ')})`);

  const prefix = bridge.sink.kafka!.topic;
  const topic = cdc.signal_topic.replaceAll('{prefix}', prefix).replaceAll('{schema}', '').replaceAll('{table}', '');
  const signal = snapshotSignalValue(tables);
  const kafka = await openCommandKafka(config);
  const publisher = createPublisher({ kafka: kafka.client });
  try {
    await publisher.publish([{ topic, key: bridge.name, value: JSON.stringify(signal) }]);
    io.stdout.write(`${JSON.stringify({ signal_id: signal.id, bridge: bridge.name, tables, signal_topic: topic, notification_topic: cdc.notification_topic.replaceAll('{prefix}', prefix) })}\n`);
    return 0;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    io.stderr.write(`banyan cdc snapshot: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return 1;
  } finally {
    await publisher.close().catch(() => {});
    await kafka.close();
  }
}

type CdcBridge = { bridge: BridgeConfig; cdc: NonNullable<BridgeConfig['source']['db2_cdc']> };

function pickBridge(bridges: readonly BridgeConfig[], name: string | undefined): CdcBridge | { problem: string } {
  const cdc = bridges.filter((b) => b.source.db2_cdc !== undefined);
  const names = cdc.map((b) => b.name).join(', ') || 'none';
  if (name !== undefined) {
    const b = bridges.find((x) => x.name === name);
    if (!b) return { problem: `no bridge named ${name} (db2_cdc bridges: ${names})` };
    if (!b.source.db2_cdc) return { problem: `bridge ${name} is not a db2_cdc bridge (db2_cdc bridges: ${names})` };
    return { bridge: b, cdc: b.source.db2_cdc };
  }
  if (cdc.length !== 1) return { problem: cdc.length === 0 ? 'no db2_cdc bridge found: name its file with --bridge BRIDGE.yaml' : `several db2_cdc bridges (${names}): say which with --bridge` };
  return { bridge: cdc[0]!, cdc: cdc[0]!.source.db2_cdc! };
}
