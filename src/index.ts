/**
 * Banyan's entry point as a library: `buildGateway(config)` returns a gateway that `start()`s its
 * Kafka (the configured cluster, or the embedded local broker when `kafka.brokers` is absent), its
 * metrics and health endpoints and its components, and `stop()`s them in reverse order.
 *
 * The embedded broker is started only when no brokers are configured, never as a fallback: a
 * gateway pointed at a real cluster must not silently write to a local one when that cluster is down.
 */
import { readFileSync } from 'node:fs';
import type { GatewayConfig } from './gateway-config.ts';
import { kafkaConnectionOf, topicDefaultsOf } from './connectors/kafka/settings.ts';
import { createKafkaClient, type KafkaClient } from './connectors/kafka/client.ts';
import { createTopicAdmin, type TopicAdmin } from './connectors/kafka/topic-admin.ts';
import { createKafkaProbe, type KafkaProbe } from './connectors/kafka/probe.ts';
import { componentLogger, createRootLogger, type Logger } from './observability/logger.ts';
import { createGatewayMetrics, type GatewayMetrics } from './observability/metrics.ts';
import { Readiness } from './observability/readiness.ts';
import { Reports } from './observability/reports.ts';
import { startObservabilityServer, type ObservabilityServer } from './observability/server.ts';
import type { GatewayComponent, GatewayContext } from './core/component.ts';
import { GatewayErrors } from './core/gateway-errors.ts';
import type { LocalKafka, LocalKafkaOptions } from './connectors/kafka/local/index.ts';

export type { GatewayConfig } from './gateway-config.ts';
export { loadGatewayConfig } from './gateway-config.ts';
export type { GatewayComponent, GatewayContext } from './core/component.ts';

/** The context this gateway hands its components (the contract is src/core/component.ts). */
export type BanyanContext = GatewayContext<GatewayConfig, BanyanKafka>;

/** The gateway's Kafka as components get it. */
export interface BanyanKafka {
  /** The connector's client: hand it to createPublisher, never use kafkajs directly. */
  readonly client: KafkaClient;
  /** Creates topics on demand with banyan.yaml's `kafka.topics` defaults; shared by all components. */
  readonly topics: TopicAdmin;
}

export interface GatewayOptions {
  /** Root logger; default: JSON on stdout at `config.log.level` with `config.log.redact`. */
  readonly logger?: Logger;
  /** Started in order after Kafka and the observability server, stopped in reverse. */
  readonly components?: readonly GatewayComponent<BanyanContext>[];
  /** The local broker launcher; injectable so unit tests never start a JVM. */
  readonly launchLocalKafka?: (options: LocalKafkaOptions) => Promise<LocalKafka>;
}

export interface Gateway {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly readiness: Readiness;
  /** Bootstrap brokers in use; undefined before start(). */
  readonly brokers: readonly string[] | undefined;
  /** True when start() launched the embedded broker. */
  readonly embeddedKafka: boolean;
  /** `http://host:port` of /metrics and /health; undefined before start(). */
  readonly httpAddress: string | undefined;
  /** Resolves once everything runs; calling it again returns the same promise. */
  start(): Promise<void>;
  /** Stops everything that was started, in reverse order. Idempotent; safe during start(). */
  stop(): Promise<void>;
}

export function buildGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createRootLogger({ level: config.log.level, redact: config.log.redact });
  const log = componentLogger(logger, 'gateway');
  const metrics = createGatewayMetrics({ version: packageVersion() });
  const readiness = new Readiness();
  const reports = new Reports();
  const components = [...(options.components ?? [])];

  let localKafka: LocalKafka | undefined;
  let embeddedKafka = false;
  let probe: KafkaProbe | undefined;
  let topics: TopicAdmin | undefined;
  let server: ObservabilityServer | undefined;
  let brokers: string[] | undefined;
  const started: GatewayComponent<BanyanContext>[] = [];
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const teardown = async () => {
    for (const c of started.reverse()) {
      await c.stop().catch((err: unknown) => log.error({ err, componentName: c.name }, 'component failed to stop'));
    }
    started.length = 0;
    // Each resource is forgotten once closed, so a failed start's cleanup and a later stop() never
    // close the same thing twice.
    const [s, p, t, k] = [server, probe, topics, localKafka];
    server = undefined;
    probe = undefined;
    topics = undefined;
    localKafka = undefined;
    await t?.close().catch((err: unknown) => log.warn({ err }, 'topic admin failed to disconnect'));
    await s?.close().catch((err: unknown) => log.error({ err }, 'observability server failed to close'));
    await p?.close().catch((err: unknown) => log.warn({ err }, 'Kafka admin failed to disconnect'));
    if (k) {
      log.info({ dataDir: k.dataDir }, 'stopping embedded Kafka');
      await k.stop().catch((err: unknown) => log.error({ err }, 'embedded Kafka failed to stop'));
    }
  };

  const doStart = async () => {
    log.info({ config }, 'starting gateway');
    if (config.kafka.brokers) {
      brokers = [...config.kafka.brokers];
    } else {
      const embedded = config.kafka.embedded;
      log.info({ dataDir: embedded.data_dir }, 'no kafka.brokers configured: starting the embedded Kafka');
      const launch = options.launchLocalKafka ?? (await import('./connectors/kafka/local/index.ts')).startLocalKafka;
      localKafka = await launch({
        dataDir: embedded.data_dir,
        version: embedded.version,
        port: embedded.port,
        controllerPort: embedded.controller_port,
        startTimeoutMs: embedded.start_timeout_ms,
        logger,
      });
      embeddedKafka = true;
      brokers = [...localKafka.brokers];
      // `pid` on every line is this process's (the root logger's base); the JVM's is `brokerPid`.
      log.info({ brokers, dataDir: localKafka.dataDir, brokerPid: localKafka.pid }, 'embedded Kafka is up');
    }

    const kafka = createKafkaClient(kafkaConnectionOf(config.kafka, brokers), { logger });
    topics = createTopicAdmin({ kafka, defaults: topicDefaultsOf(config.kafka), logger });
    // /health/ready is the connector's probe: its own client, no retries, a 1 s connection timeout.
    probe = createKafkaProbe(kafkaConnectionOf(config.kafka, brokers));
    readiness.register('kafka', probe.check);
    server = await startObservabilityServer({ host: config.http.host, port: config.http.port, metrics, readiness, reports, logger: componentLogger(logger, 'http') });

    // A configured cluster that is down does not stop the gateway: it runs, reports not-ready on
    // /health/ready, and components retry through the Kafka connector as the cluster comes back.
    await probe.check().catch((err: unknown) => log.warn({ err, brokers }, 'Kafka does not answer yet; /health/ready reports 503 until it does'));

    const context: BanyanContext = {
      config,
      kafka: { client: kafka, topics },
      logger,
      metrics: metrics.registry,
      health: { register: (name, check) => readiness.register(name, check) },
      reports: { register: (path, report) => reports.register(path, report) },
    };
    for (const component of components) {
      started.push(component);
      await component.start(context);
    }
    log.info({ brokers, http: server.address, embeddedKafka }, 'gateway started');
  };

  const gateway: Gateway = {
    config,
    logger,
    metrics,
    readiness,
    get brokers() {
      return brokers;
    },
    get embeddedKafka() {
      return embeddedKafka;
    },
    get httpAddress() {
      return server?.address;
    },
    start() {
      if (stopping) return Promise.reject(new GatewayErrors.BANYAN_ERR_GATEWAY_STOPPED());
      starting ??= doStart().catch(async (err: unknown) => {
        await teardown();
        throw new GatewayErrors.BANYAN_ERR_GATEWAY_START_FAILED((err as Error).message ?? String(err), err as Error);
      });
      return starting;
    },
    stop() {
      stopping ??= (async () => {
        await starting?.catch(() => {});
        await teardown();
        log.info('gateway stopped');
      })();
      return stopping;
    },
  };
  return gateway;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
