/**
 * The Kafka a one-off CLI command (`banyan consume`, `banyan run`) talks to: banyan.yaml's brokers,
 * or with none configured the embedded broker, joined when a `banyan start` already runs it on the
 * same data dir, started for the command's lifetime otherwise.
 */
import type { GatewayConfig } from '../gateway-config.ts';
import { createKafkaClient, type KafkaClient } from '../connectors/kafka/client.ts';
import { kafkaConnectionOf } from '../connectors/kafka/settings.ts';
import type { LocalKafka } from '../connectors/kafka/local/index.ts';

export interface CommandKafka {
  readonly client: KafkaClient;
  readonly brokers: readonly string[];
  /** Stops the embedded broker when this command started it. */
  close(): Promise<void>;
}

export async function openCommandKafka(config: GatewayConfig): Promise<CommandKafka> {
  if (config.kafka.brokers) {
    return { client: createKafkaClient(kafkaConnectionOf(config.kafka, config.kafka.brokers)), brokers: config.kafka.brokers, close: async () => {} };
  }
  const local = await import('../connectors/kafka/local/index.ts');
  const embedded = config.kafka.embedded;
  const running = local.runningLocalKafkaBrokers(embedded.data_dir);
  let started: LocalKafka | undefined;
  const brokers =
    running ??
    (started = await local.startLocalKafka({
      dataDir: embedded.data_dir,
      version: embedded.version,
      port: embedded.port,
      controllerPort: embedded.controller_port,
      startTimeoutMs: embedded.start_timeout_ms,
    })).brokers;
  return {
    client: createKafkaClient(kafkaConnectionOf(config.kafka, brokers)),
    brokers,
    close: async () => {
      await started?.stop();
    },
  };
}
