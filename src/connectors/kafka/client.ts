/**
 * Builds the kafkajs client from a validated connection config. kafkajs is unmaintained (last
 * release 2023, kafkajs#1603), so it stays behind this folder: the rest of Banyan uses the
 * publisher and topic admin interfaces, never kafkajs types.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { KafkaErrors } from './errors.ts';
import { kafkaConnectionSchema, type KafkaConnectionConfig, type KafkaConnectionInput } from './spec.ts';

export interface KafkaClientDeps {
  logger?: Logger;
  /**
   * kafkajs' client-level retries (connecting, metadata). They decide how long one publish() rides
   * out a broker outage before rejecting with a retriable error (kafkajs defaults: 5 retries,
   * 300 ms initial, 30 s cap). Readiness probes want few; a gateway wants the defaults.
   */
  retry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
}

/** The kafkajs client, opaque to callers outside src/connectors/kafka. */
export type KafkaClient = Kafka;

export function createKafkaClient(input: KafkaConnectionInput, deps: KafkaClientDeps = {}): KafkaClient {
  return new Kafka(kafkajsConfigOf(input, deps));
}

/** The kafkajs config createKafkaClient uses: validated input, PEM files read, retries and logging set. */
export function kafkajsConfigOf(input: KafkaConnectionInput, deps: KafkaClientDeps = {}): KafkaConfig {
  const parsed = kafkaConnectionSchema.safeParse(input);
  if (!parsed.success) {
    throw new KafkaErrors.BANYAN_ERR_KAFKA_CONFIG_INVALID(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const config = parsed.data;
  const logger = (deps.logger ?? pino({ level: 'silent' })).child({ component: 'kafkajs' });
  const kafkaConfig: KafkaConfig = {
    brokers: [...config.brokers],
    clientId: config.client_id,
    connectionTimeout: config.connection_timeout_ms,
    requestTimeout: config.request_timeout_ms,
    logLevel: logLevel.INFO,
    logCreator: () => (entry: LogEntry) => logKafkajsEntry(logger, entry),
  };
  if (deps.retry) {
    kafkaConfig.retry = {
      retries: deps.retry.retries,
      initialRetryTime: deps.retry.initialRetryTimeMs,
      maxRetryTime: deps.retry.maxRetryTimeMs,
    };
  }
  const ssl = tlsOptions(config);
  if (ssl !== undefined) kafkaConfig.ssl = ssl;
  if (config.sasl) kafkaConfig.sasl = { ...config.sasl } as SASLOptions;
  return kafkaConfig;
}

function tlsOptions(config: KafkaConnectionConfig): ConnectionOptions | boolean | undefined {
  if (config.ssl === undefined || typeof config.ssl === 'boolean') return config.ssl;
  const read = (file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new KafkaErrors.BANYAN_ERR_KAFKA_CONFIG_INVALID(`cannot read ${file}`, err as Error);
    }
  };
  return {
    ca: read(config.ssl.ca_file),
    cert: read(config.ssl.cert_file),
    key: read(config.ssl.key_file),
    rejectUnauthorized: config.ssl.reject_unauthorized,
  };
}

/** kafkajs log levels onto pino; kafkajs' `message` becomes pino's msg, the rest stays structured. */
function logKafkajsEntry(logger: Logger, { level, namespace, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _name, ...fields } = log as LogEntry['log'] & Record<string, unknown>;
  const obj = { namespace, ...fields };
  if (level === logLevel.ERROR) logger.error(obj, message);
  else if (level === logLevel.WARN) logger.warn(obj, message);
  else if (level === logLevel.INFO) logger.info(obj, message);
  else logger.debug(obj, message);
}
