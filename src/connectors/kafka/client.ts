/**
 * Builds the client of one Kafka cluster from a validated connection config. kafkajs is
 * unmaintained (last release 2023, kafkajs#1603), so it stays behind this folder: the rest of Banyan
 * holds an opaque KafkaClient and uses the publisher, topic admin and probe made from it, never
 * kafkajs or its types. Swapping the client library touches only src/connectors/kafka.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { dropKafkajsNegativeTimeoutWarning } from './negative-timeout-warning.ts';
import { installKafkajsFastPath } from './kafkajs-fast-path.ts';
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

/**
 * A client of one Kafka cluster, made by createKafkaClient. Opaque: outside this folder it is only
 * handed to createPublisher and createTopicAdmin; what is inside (a kafkajs `Kafka`) is reached with
 * kafkajsOf, which only this folder's modules call.
 */
export type KafkaClient = KafkaClientHandle;

export function createKafkaClient(input: KafkaConnectionInput, deps: KafkaClientDeps = {}): KafkaClient {
  dropKafkajsNegativeTimeoutWarning();
  installKafkajsFastPath(deps.logger ? (message) => deps.logger!.warn(message) : undefined);
  return new KafkaClientHandle(new Kafka(kafkajsConfigOf(input, deps)));
}

/** The kafkajs client inside a KafkaClient: for the modules of src/connectors/kafka only. */
export function kafkajsOf(client: KafkaClient): Kafka {
  return unwrap(client);
}

let unwrap: (client: KafkaClientHandle) => Kafka;

// An ES private field, so the kafkajs client can be reached neither by property access nor by a
// structurally equal object: only createKafkaClient makes a KafkaClient.
class KafkaClientHandle {
  readonly #kafka: Kafka;

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  static {
    unwrap = (client) => client.#kafka;
  }
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
