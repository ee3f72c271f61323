/**
 * `banyan start [--config banyan.yaml]`: loads the config and every bridge file (every issue printed
 * as file:line:col: rule: message, exit 1), starts the gateway with its bridges and router, and runs
 * until SIGINT or SIGTERM (each bridge finishes and commits its batch in flight), then
 * stops it cleanly (embedded Kafka included) and exits 0. A second signal exits at once.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../io.ts';
import { commandRootDir, loadCommandBridges, loadCommandConfig, loadCommandJmsMapping } from '../command-config.ts';
import { bridgeFilesIn } from '../../bridges/bridge-files.ts';
import { createBridgesComponent } from '../../bridges/bridges-component.ts';
import { buildGateway, type GatewayOptions } from '../../index.ts';
import { createRootLogger } from '../../observability/logger.ts';
import { createJmsAmqpComponent } from '../../jms/amqp/jms-amqp-component.ts';
import { createRouterComponent } from '../../router/admin/router-component.ts';

export async function run(argv: string[], io: CliIo): Promise<number> {
  return runStart(argv, io, { until: signalled(io) });
}

export interface StartDeps extends Pick<GatewayOptions, 'launchLocalKafka'> {
  /** Resolves when the gateway should stop (a signal in the real CLI, a test's trigger otherwise). */
  readonly until: Promise<unknown>;
  /** Called once the gateway runs, with its metrics/health address. */
  readonly onStarted?: (info: { httpAddress: string; brokers: readonly string[] }) => void;
}

export async function runStart(argv: string[], io: CliIo, deps: StartDeps): Promise<number> {
  let values: { config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    io.stderr.write(`banyan start: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }

  const config = loadCommandConfig(io, values.config);
  if (!config) return 1;

  // Every bridge file is checked before anything starts, like banyan.yaml itself.
  const loaded = loadCommandBridges(io, bridgeFilesIn(config.paths.bridges), commandRootDir(io, values.config));
  if (!loaded) return 1;
  const bridges = loaded.filter((b) => b.enabled);

  // mappings/jms.yaml is checked before anything starts too, when the endpoint is on.
  const jmsMapping = config.jms?.amqp ? loadCommandJmsMapping(io, config) : { source: 'defaults' };
  if (!jmsMapping) return 1;

  const logger = createRootLogger({ level: config.log.level, redact: config.log.redact, destination: io.stdout });
  // The router and the JMS AMQP endpoint do nothing unless banyan.yaml has a `router:` / `jms.amqp` section.
  const components = [createRouterComponent(), createJmsAmqpComponent(jmsMapping), createBridgesComponent({ bridges, rootDir: commandRootDir(io, values.config) })];
  for (const b of loaded.filter((x) => !x.enabled)) logger.info({ bridge: b.name }, 'bridge not started: enabled is false in its file');
  const gateway = buildGateway(config, { logger, launchLocalKafka: deps.launchLocalKafka, components });
  try {
    await gateway.start();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    logger.fatal({ err }, 'gateway failed to start');
    io.stderr.write(`banyan start: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return 1;
  }
  deps.onStarted?.({ httpAddress: gateway.httpAddress!, brokers: gateway.brokers ?? [] });
  await deps.until;
  await gateway.stop();
  logger.flush();
  return 0;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits immediately (stop is stuck). */
function signalled(io: CliIo): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      io.stderr.write(`banyan start: ${signal} received, stopping (send it again to exit now)\n`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

const USAGE = `usage: banyan start [--config banyan.yaml]

Starts the gateway: every bridge in paths.bridges (bridges/ next to banyan.yaml), each read by one
gateway instance at a time, the router when banyan.yaml has a router section, and the JMS AMQP
endpoint when it has jms.amqp. With no kafka.brokers in the config it runs its own local Kafka
with data under kafka.embedded.data_dir
(default .banyan/kafka next to banyan.yaml), kept across restarts.
Stops cleanly on SIGINT or SIGTERM.
`;
