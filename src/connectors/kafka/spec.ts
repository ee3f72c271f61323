/**
 * Config specs of the Kafka connector, the single source for validation and docs (README.md here):
 * a connection (`kafkaConnectionSchema`, what createKafkaClient takes), topic settings, a bridge's
 * Kafka sink, and banyan.yaml's `kafka:` section, which is the connection plus topic defaults and the
 * embedded broker. banyan.yaml's schema embeds that section (src/gateway-config.ts), so every rule here
 * (broker syntax, the cert/key pairing, ...) is checked by `banyan validate` with file:line:col, and
 * again, identically, when a client is created. Keys are snake_case like every file a team writes.
 * TLS material is given as PEM file paths, SASL secrets usually as ${ENV}.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, port, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

/**
 * Partitions of a topic Banyan creates when nothing says otherwise: banyan.yaml's `kafka.topics`
 * default, which is what the running gateway has always used, and the topic admin's own default.
 */
export const DEFAULT_TOPIC_PARTITIONS = 3;

/** Default place of the embedded Kafka's data, relative to the directory holding banyan.yaml. */
export const DEFAULT_EMBEDDED_DATA_DIR = '.banyan/kafka';

/**
 * Kafka's bootstrap.servers syntax: `host:port`, or `[address]:port` for an IPv6 literal (RFC 3986
 * brackets, as the Java client reads it). Host names: letters, digits, `.`, `-`, and `_` (container
 * service names).
 */
const brokerAddress = z
  .string()
  .regex(/^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, 'expected host:port or [IPv6]:port, e.g. 127.0.0.1:9092 or [::1]:9092');

/** A list of brokers, or one comma-separated string (what an environment variable can carry). */
const brokerList = z.array(brokerAddress).min(1);

/** An empty string means "none", so `brokers: ${BANYAN_KAFKA_BROKERS:-}` can leave them unset. */
function splitBrokers(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const list = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length === 0 ? undefined : list;
}

// kafkajs `ssl` takes tls.connect options; the connector reads the files at start, so certificates
// are never inlined in YAML nor logged.
const tlsFiles = z
  .strictObject({
    /** PEM file with the CA certificates that signed the brokers' certificates. */
    ca_file: nonEmpty.optional(),
    /** PEM client certificate and its private key, for mutual TLS: one needs the other. */
    cert_file: nonEmpty.optional(),
    key_file: nonEmpty.optional(),
    /** Only for test brokers with self-signed certificates. */
    reject_unauthorized: boolean.default(true),
  })
  .superRefine((t, ctx) => {
    const [given, missing] = t.cert_file !== undefined ? ['cert_file', 'key_file'] : ['key_file', 'cert_file'];
    if ((t.cert_file === undefined) !== (t.key_file === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [given],
        message: `${given} needs ${missing}: mutual TLS takes the client certificate and its private key together`,
        params: { rule: 'requires' },
      });
    }
  });

// kafkajs SASL mechanisms that need only a username and password (kafkajs docs, "SASL").
const sasl = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: nonEmpty,
  password: secret(z.string()),
});

/** A connection to a Kafka cluster: what createKafkaClient takes, and the core of banyan.yaml's `kafka:`. */
export const kafkaConnectionSchema = z.strictObject({
  /** Bootstrap brokers. */
  brokers: z.preprocess(splitBrokers, brokerList),
  /** kafkajs client id (broker logs, quotas). */
  client_id: nonEmpty.default('banyan'),
  /** `true` for TLS with the system CAs, or PEM files. */
  ssl: z.union([boolean, tlsFiles]).optional(),
  sasl: sasl.optional(),
  connection_timeout_ms: positiveInt.default(3000),
  request_timeout_ms: positiveInt.default(30000),
});

export type KafkaConnectionConfig = z.output<typeof kafkaConnectionSchema>;
export type KafkaConnectionInput = z.input<typeof kafkaConnectionSchema>;

const partitionCount = intBetween(1, 10000);
// Kafka stores the replication factor as a 16-bit signed int (CreateTopics request).
const replicationFactor = intBetween(1, 32767);

/** How the topic admin creates one topic that does not exist yet (code, camelCase: `ensureTopics`). */
export const topicSettingsSchema = z.strictObject({
  partitions: partitionCount.default(DEFAULT_TOPIC_PARTITIONS),
  replicationFactor: replicationFactor.default(1),
  /** Extra topic configs, e.g. { 'cleanup.policy': 'compact', 'min.insync.replicas': '2' }. */
  configs: z.record(z.string(), z.string()).default({}),
});

export type TopicSettings = z.output<typeof topicSettingsSchema>;

/** `sink: { kafka: ... }` in bridges/*.yaml: where a bridge publishes its events. */
export const kafkaSinkSchema = z.strictObject({
  // Kafka topic names: [a-zA-Z0-9._-], at most 249 characters (Kafka's Topic.validate).
  topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249),
});

export type KafkaSinkConfig = z.output<typeof kafkaSinkSchema>;

const topicName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249);

/**
 * `source: { kafka: ... }` in bridges/*.yaml: the way back, events read by a consumer group (the
 * group shares the topics' partitions among gateway instances) and encoded into legacy records.
 */
export const kafkaSourceSchema = z.strictObject({
  topics: z.array(topicName).min(1),
  /** Consumer group; default `banyan-bridge-<bridge name>`. Offsets are committed only after the sink is durable. */
  group: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"').max(249).optional(),
  /** Where a group without committed offsets starts on a partition. */
  start: z.enum(['earliest', 'latest']).default('earliest'),
});

export type KafkaSourceConfig = z.output<typeof kafkaSourceSchema>;

// --- banyan.yaml's `kafka:` section --------------------------------------------------------------

/** `kafka.topics`: used when Banyan creates a topic it publishes to. */
const topicDefaults = z.strictObject({
  partitions: partitionCount.default(DEFAULT_TOPIC_PARTITIONS),
  replication: replicationFactor.default(1),
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

/** banyan.yaml's `kafka:` section: the connection (brokers optional), topic defaults, the embedded broker. */
export const kafkaSettingsSchema = kafkaConnectionSchema.extend({
  /** Absent: Banyan starts its embedded Kafka. Present: it never does. */
  brokers: z.preprocess(splitBrokers, brokerList.optional()),
  topics: topicDefaults.prefault({}),
  embedded: embedded.prefault({}),
});

export type KafkaSettings = z.output<typeof kafkaSettingsSchema>;
