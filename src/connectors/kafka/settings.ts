/**
 * banyan.yaml's `kafka` section (snake_case, like the rest of banyan.yaml) as the connector's
 * connection input (camelCase). createKafkaClient reads the certificates named in `ssl` at start, so
 * they never sit in the YAML or in a log line.
 */
import type { KafkaConnectionInput, KafkaSettings, TopicSettings } from './spec.ts';

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
