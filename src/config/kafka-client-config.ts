/**
 * banyan.yaml's `kafka` section (snake_case, like the rest of banyan.yaml) as the Kafka connector's
 * connection input (src/connectors/kafka/spec.ts, camelCase), and as a raw kafkajs config for the
 * readiness probe, which needs `retry` settings the connector's factory does not expose.
 * Certificates are read from the files named in `ssl` at start, so they never sit in the YAML or
 * in a log line.
 */
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaConnectionInput, TopicSettings } from '../connectors/kafka/spec.ts';
import type { KafkaSettings } from './gateway-schema.ts';

/** Input of the connector's createKafkaClient (which validates it again and reads the PEM files). */
export function kafkaConnectionOf(settings: KafkaSettings, brokers: readonly string[]): KafkaConnectionInput {
  const ssl = settings.ssl;
  return {
    brokers: [...brokers],
    clientId: settings.client_id,
    ssl:
      typeof ssl === 'object'
        ? { caFile: ssl.ca_file, certFile: ssl.cert_file, keyFile: ssl.key_file, rejectUnauthorized: ssl.reject_unauthorized }
        : ssl,
    sasl: settings.sasl && { ...settings.sasl },
  };
}

/** banyan.yaml's `kafka.topics` as the topic admin's defaults. */
export function topicDefaultsOf(settings: KafkaSettings): Partial<TopicSettings> {
  return { partitions: settings.topics.partitions, replicationFactor: settings.topics.replication };
}

/** A kafkajs config for clients outside the connector's factory (the readiness probe). */
export function kafkaClientConfig(settings: KafkaSettings, brokers: readonly string[]): KafkaConfig {
  const config: KafkaConfig = { clientId: settings.client_id, brokers: [...brokers] };
  const ssl = settings.ssl;
  if (ssl === true) config.ssl = true;
  else if (typeof ssl === 'object') {
    config.ssl = {
      rejectUnauthorized: ssl.reject_unauthorized,
      ca: ssl.ca_file ? [readFileSync(ssl.ca_file, 'utf8')] : undefined,
      cert: ssl.cert_file ? readFileSync(ssl.cert_file, 'utf8') : undefined,
      key: ssl.key_file ? readFileSync(ssl.key_file, 'utf8') : undefined,
    };
  }
  if (settings.sasl) config.sasl = saslOptions(settings.sasl);
  return config;
}

function saslOptions(sasl: NonNullable<KafkaSettings['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}
