/**
 * Kafka readiness: the gateway is ready when the cluster answers an admin describeCluster (a
 * Metadata request), the same probe the local launcher waits on. The probe needs its own client made
 * with no retries and a short connection timeout: kafkajs applies the *client's* `retry` when an
 * admin connects (admin({ retry }) only covers admin requests), so with the defaults a down broker
 * would answer after about 10 s.
 */
import type { Admin } from 'kafkajs';
import type { KafkaClient } from '../connectors/kafka/client.ts';
import type { ReadinessCheck } from './readiness.ts';

export interface KafkaProbe {
  readonly check: ReadinessCheck;
  close(): Promise<void>;
}

export function createKafkaProbe(kafka: KafkaClient): KafkaProbe {
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
