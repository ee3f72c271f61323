/**
 * Does the cluster answer? The one Kafka probe of Banyan: the gateway's /health/ready check and
 * the local launcher's wait for a started broker (local/launcher.ts). An answer is an admin
 * describeCluster (a Metadata request) naming at least one broker; "Kafka Server started" in a log
 * is only a hint.
 *
 * The probe makes its own client with no retries and a short connection timeout: kafkajs applies the
 * *client's* `retry` when an admin connects (admin({ retry }) only covers admin requests), so with
 * the defaults a down broker would answer after about 10 s. It gets no logger: its connection
 * errors while Kafka is down are expected, and check()'s rejection carries them.
 */
import type { Admin } from 'kafkajs';
import { createKafkaClient, kafkajsOf } from './client.ts';
import { connectOnce } from './connect-once.ts';
import type { KafkaConnectionInput } from './spec.ts';

export interface KafkaProbe {
  /**
   * Resolves when the cluster answered describeCluster with at least one broker. Rejects with the
   * reason otherwise (connection refused, timeout, no brokers); never retries itself: the caller
   * decides when to ask again, and the next check() reconnects if the connect failed.
   */
  check(): Promise<void>;
  /** Disconnects the probe's admin (waiting for a connect in flight). A later check() connects again. */
  close(): Promise<void>;
}

export interface KafkaProbeOptions {
  /** TCP connect timeout of the probe's client, replacing the connection's (default 1000 ms). */
  readonly connectionTimeoutMs?: number;
}

export function createKafkaProbe(connection: KafkaConnectionInput, options: KafkaProbeOptions = {}): KafkaProbe {
  const kafka = kafkajsOf(createKafkaClient({ ...connection, connection_timeout_ms: options.connectionTimeoutMs ?? 1000 }, { retry: { retries: 0 } }));
  const admin = connectOnce<Admin>(() => kafka.admin({ retry: { retries: 0 } }));
  return {
    async check() {
      const cluster = await (await admin.get()).describeCluster();
      if (cluster.brokers.length === 0) throw new Error('Kafka answered with no brokers');
    },
    close: () => admin.disconnect(),
  };
}
