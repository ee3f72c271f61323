/**
 * Kafka readiness: the gateway is ready when the cluster answers an admin describeCluster (a
 * Metadata request), the same probe the local launcher waits on. The probe has its own client with
 * no retries: kafkajs applies the *client's* `retry` when an admin connects (admin({ retry }) only
 * covers admin requests), so with the defaults a down broker would answer after about 10 s.
 */
import { Kafka, type Admin, type KafkaConfig } from 'kafkajs';
import type { ReadinessCheck } from './readiness.ts';

export interface KafkaProbe {
  readonly check: ReadinessCheck;
  close(): Promise<void>;
}

export function createKafkaProbe(config: KafkaConfig): KafkaProbe {
  const kafka = new Kafka({ ...config, retry: { retries: 0 }, connectionTimeout: config.connectionTimeout ?? 1000 });
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;

  const connected = (): Promise<Admin> => {
    if (admin) return Promise.resolve(admin);
    connecting ??= (async () => {
      const a = kafka.admin({ retry: { retries: 0 } });
      try {
        await a.connect();
      } catch (err) {
        connecting = undefined;
        await a.disconnect().catch(() => {});
        throw err;
      }
      admin = a;
      return a;
    })();
    return connecting;
  };

  return {
    async check() {
      const a = await connected();
      const cluster = await a.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('Kafka answered with no brokers');
    },
    async close() {
      const a = admin ?? (await connecting?.catch(() => undefined));
      admin = undefined;
      connecting = undefined;
      await a?.disconnect();
    },
  };
}
