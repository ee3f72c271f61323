/**
 * Config specs of the Kafka connector: a connection, topic settings, a bridge's Kafka sink, and
 * banyan.yaml's `kafka:` section (the gateway's cluster or the embedded one, topic defaults).
 * banyan.yaml's schema embeds the section (src/gateway-config.ts), so every mistake gets
 * file:line:col from src/config/load.ts. TLS material is given as PEM file paths, SASL secrets
 * usually as ${ENV}.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, port, positiveInt } from '../../config/schema-helpers.ts';

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9._-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9092');

const tls = z
  .object({
    /** PEM file with the CA certificates that signed the brokers' certificates. */
    caFile: z.string().min(1).optional(),
    /** PEM client certificate and key for mutual TLS. */
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    /** Only for test brokers with self-signed certificates. */
    rejectUnauthorized: z.boolean().default(true),
  })
  .strict()
  .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), 'certFile and keyFile go together');

const sasl = z.discriminatedUnion('mechanism', [
  z.object({ mechanism: z.literal('plain'), username: z.string().min(1), password: z.string() }).strict(),
  z.object({ mechanism: z.literal('scram-sha-256'), username: z.string().min(1), password: z.string() }).strict(),
  z.object({ mechanism: z.literal('scram-sha-512'), username: z.string().min(1), password: z.string() }).strict(),
]);

export const kafkaConnectionSchema = z
  .object({
    /** Bootstrap brokers. Omitted in banyan.yaml means: run the embedded local Kafka. */
    brokers: z.array(hostPort).min(1),
    clientId: z.string().min(1).default('banyan'),
    /** `true` for TLS with the system CAs, or an object with PEM files. */
    ssl: z.union([z.boolean(), tls]).optional(),
    sasl: sasl.optional(),
    connectionTimeoutMs: z.number().int().positive().default(3000),
    requestTimeoutMs: z.number().int().positive().default(30000),
  })
  .strict();

export type KafkaConnectionConfig = z.output<typeof kafkaConnectionSchema>;
export type KafkaConnectionInput = z.input<typeof kafkaConnectionSchema>;

/** How Banyan creates a topic it publishes to when it does not exist yet. */
export const topicSettingsSchema = z
  .object({
    partitions: z.number().int().min(1).max(10000).default(12),
    replicationFactor: z.number().int().min(1).max(32767).default(1),
    /** Extra topic configs, e.g. { 'cleanup.policy': 'compact', 'min.insync.replicas': '2' }. */
    configs: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export type TopicSettings = z.output<typeof topicSettingsSchema>;

/** `sink: { kafka: ... }` in bridges/*.yaml: where a bridge publishes its events. */
export const kafkaSinkSchema = z.strictObject({
  // Kafka topic names: [a-zA-Z0-9._-], at most 249 characters (Kafka's Topic.validate).
  topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249),
});

export type KafkaSinkConfig = z.output<typeof kafkaSinkSchema>;

// --- banyan.yaml's `kafka:` section --------------------------------------------------------------

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
const saslSettings = z.strictObject({
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

/** banyan.yaml's `kafka:` section: the gateway's cluster (or the embedded one) and topic defaults. */
export const kafkaSettingsSchema = z.strictObject({
  /** Absent: Banyan starts its embedded Kafka. Present: it never does. */
  brokers,
  client_id: nonEmpty.default('banyan'),
  ssl: ssl.optional(),
  sasl: saslSettings.optional(),
  /** Used when Banyan creates a topic on demand. */
  topics: z
    .strictObject({
      partitions: intBetween(1, 10000).default(3),
      replication: intBetween(1, 32).default(1),
    })
    .prefault({}),
  embedded: embedded.prefault({}),
});

export type KafkaSettings = z.output<typeof kafkaSettingsSchema>;
