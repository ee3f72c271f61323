/**
 * Schema of `banyan.yaml`, the gateway's own settings. Strict objects everywhere, so a typo such as
 * `kafka.broker` is an `unknown-key` error instead of a silently ignored setting.
 *
 * Keys are snake_case like the bridge files (DESIGN.md's `queue_manager`). Values interpolated from
 * `${ENV}` arrive as strings, so numeric and list settings also accept their string form: that is how
 * docker-compose passes `BANYAN_HTTP_PORT=9464` or `BANYAN_KAFKA_BROKERS=kafka:9092`.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, port, portOrZero, positiveInt } from './schema-helpers.ts';
import { routerAdminSchema } from '../router/admin/config.ts';

/** Default place of the embedded Kafka's data, relative to the directory holding banyan.yaml. */
export const DEFAULT_EMBEDDED_DATA_DIR = '.banyan/kafka';

/** `host:port`; Kafka's bootstrap.servers syntax. */
const broker = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');

/**
 * A list of brokers, or one comma-separated string (what an environment variable can carry).
 * An empty string means "none", so `brokers: ${BANYAN_KAFKA_BROKERS:-}` keeps the embedded default
 * when the variable is unset.
 */
const brokers = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const list = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length === 0 ? undefined : list;
}, z.array(broker).min(1).optional());

// kafkajs `ssl` accepts tls.connect options; files are read at start so certificates are not inlined.
const ssl = z.union([
  boolean,
  z.strictObject({
    ca_file: nonEmpty.optional(),
    cert_file: nonEmpty.optional(),
    key_file: nonEmpty.optional(),
    reject_unauthorized: boolean.default(true),
  }),
]);

// kafkajs SASL mechanisms that need only a username and password (kafkajs docs, "SASL").
const sasl = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: nonEmpty,
  password: z.string(),
});

const embedded = z.strictObject({
  /** Where the local KRaft broker keeps its logs and metadata; survives restarts. */
  data_dir: nonEmpty.default(DEFAULT_EMBEDDED_DATA_DIR),
  /** Apache Kafka version of the broker jars; the launcher's default when absent. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version like 4.4.0').optional(),
  /** Client port; absent: the one remembered in data_dir, else a free one (printed at start). */
  port: port.optional(),
  controller_port: port.optional(),
  start_timeout_ms: positiveInt.optional(),
});

const kafka = z.strictObject({
  /** Absent: Banyan starts its embedded Kafka. Present: it never does. */
  brokers,
  client_id: nonEmpty.default('banyan'),
  ssl: ssl.optional(),
  sasl: sasl.optional(),
  /** Used when Banyan creates a topic on demand. */
  topics: z
    .strictObject({
      partitions: intBetween(1, 10000).default(3),
      replication: intBetween(1, 32).default(1),
    })
    .prefault({}),
  embedded: embedded.prefault({}),
});

const http = z.strictObject({
  // Loopback by default: the container image overrides it through BANYAN_HTTP_HOST.
  host: nonEmpty.default('127.0.0.1'),
  port: portOrZero.default(9464),
});

const log = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Extra pino redact paths (https://getpino.io/#/docs/redaction), added to the derived secret paths. */
  redact: z.array(nonEmpty).default([]),
});

/** Minimal on purpose: the router owns its settings and extends this object. */
const router = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: portOrZero.default(8080),
  routes_dir: nonEmpty.default('mappings/routes'),
  /** Kafka topic for shadow-comparison mismatches (request, both responses, differing fields); created on first use. */
  mismatch_topic: nonEmpty.default('banyan.router.mismatches'),
  /** `x-banyan-upstream: legacy|new` on every proxied response. */
  expose_upstream_header: z.boolean().default(true),
  /** Take the client address and scheme from X-Forwarded-For/-Proto (only behind a proxy you control). */
  trust_proxy: z.boolean().default(false),
  /** Also send RFC 7239 `Forwarded` upstream, next to X-Forwarded-For/-Proto/-Host. */
  forwarded_header: z.boolean().default(false),
  /** Admin API, console, rollout state and audit (src/router/admin/config.ts). */
  admin: routerAdminSchema.optional(),
});

const paths = z.strictObject({
  bridges: nonEmpty.default('bridges'),
  mappings: nonEmpty.default('mappings'),
});

export const gatewaySchema = z.strictObject({
  kafka: kafka.prefault({}),
  http: http.prefault({}),
  log: log.prefault({}),
  router: router.optional(),
  paths: paths.prefault({}),
});

/** What a valid banyan.yaml becomes; relative paths are still relative to the file's directory. */
export type GatewayConfig = z.output<typeof gatewaySchema>;
export type KafkaSettings = GatewayConfig['kafka'];
