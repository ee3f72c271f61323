/**
 * Config schema of a Kafka connection (the `kafka:` block of banyan.yaml and of bridge sinks).
 * Single source for validation and docs: banyan.yaml is checked against it by src/config/load.ts,
 * so every mistake gets file:line:col. TLS material is given as PEM file paths, SASL secrets
 * usually as ${ENV} (redacted in logs by the config loader).
 */
import { z } from 'zod';

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
