/**
 * banyan.yaml's `kafka` section as the connector's inputs. The section is the connection spec plus
 * topic defaults and the embedded broker (spec.ts), so the connection is the section without those.
 * createKafkaClient reads the certificates named in `ssl` at start, so they never sit in the YAML or
 * in a log line.
 */
import type { KafkaConnectionConfig, KafkaSettings, TopicSettings } from './spec.ts';

/** createKafkaClient's input for the brokers in use (configured, or the embedded broker's). */
export function kafkaConnectionOf(settings: KafkaSettings, brokers: readonly string[]): KafkaConnectionConfig {
  const { brokers: _configured, topics: _topics, embedded: _embedded, ...connection } = settings;
  return { ...connection, brokers: [...brokers] };
}

/** banyan.yaml's `kafka.topics` as the topic admin's defaults. */
export function topicDefaultsOf(settings: KafkaSettings): Partial<TopicSettings> {
  return { partitions: settings.topics.partitions, replicationFactor: settings.topics.replication };
}
