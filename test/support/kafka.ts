/**
 * What Kafka-backed tests share: the broker started by global-setup.ts, unique topic names, and a
 * reader that returns everything in a topic (including duplicates) once enough has arrived.
 *
 * Tests use Banyan's Kafka through the connector's API (testKafkaClient). The reader and
 * oracleKafkajs are a plain kafkajs client of their own instead: an oracle independent of the
 * connector under test, and the only way to what the connector has no API for (consumer groups,
 * topic configs, the cluster id).
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaClient, type KafkaClient } from '../../src/connectors/kafka/client.ts';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | undefined>;
}

/** Bootstrap brokers of the run's shared Kafka; throws if global-setup did not start one. */
export function testBrokers(): string[] {
  const brokers = process.env.BANYAN_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'BANYAN_TEST_KAFKA_BROKERS is not set: run Kafka-backed tests through `npm test` (test/support/global-setup.ts starts the broker)',
    );
  }
  return brokers.split(',');
}

/** The Kafka version the run uses (tests that start their own broker use the same one). */
export function testKafkaVersion(): string | undefined {
  return process.env.BANYAN_TEST_KAFKA_VERSION || undefined;
}

/** The connector's client on the shared test broker (or `brokers`), quiet unless it errors. */
export function testKafkaClient(brokers: string[] = testBrokers()): KafkaClient {
  return createKafkaClient({ brokers, client_id: 'banyan-test' });
}

/** A plain kafkajs client on the shared test broker (or `brokers`): the tests' oracle, not Banyan's code. */
export function oracleKafkajs(brokers: readonly string[] = testBrokers()): Kafka {
  return new Kafka({ brokers: [...brokers], clientId: 'banyan-test-oracle', logLevel: logLevel.NOTHING });
}

/** A topic name no other test (or earlier run on the same broker) uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix.replace(/[^A-Za-z0-9._-]/g, '-')}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Reads `topic` from the beginning until at least `count` records arrived, then on to the end
 * offsets seen at that moment, so duplicates beyond `count` are returned too. Rejects after
 * `timeoutMs` with how many records did arrive. Records come in partition order per partition.
 */
export async function consumeAll(topic: string, count: number, timeoutMs: number, brokers?: string[]): Promise<ConsumedRecord[]> {
  const kafka = oracleKafkajs(brokers);
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: uniqueTopic('banyan-test-reader'), maxWaitTimeInMs: 200 });
  const records: ConsumedRecord[] = [];
  const next = new Map<number, bigint>(); // partition -> next offset to read
  let target: Map<number, bigint> | undefined;
  let settle: (() => void) | undefined;
  let fail: ((err: Error) => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const reachedTarget = () => target !== undefined && [...target].every(([p, end]) => (next.get(p) ?? 0n) >= end);
  // eachBatch runs for several partitions at once: a check that arrives while another is
  // awaiting the end offsets marks itself pending, and the running check goes round again.
  let checking = false;
  let pending = false;
  const check = async () => {
    pending = true;
    if (checking) return;
    checking = true;
    try {
      while (pending) {
        pending = false;
        if (records.length < count) continue;
        if (target === undefined) {
          const ends = await admin.fetchTopicOffsets(topic);
          target = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
        }
        if (reachedTarget()) settle?.();
      }
    } finally {
      checking = false;
    }
  };

  const timer = setTimeout(
    () => fail?.(new Error(`consumeAll(${topic}): ${records.length} of ${count} records after ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await admin.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          records.push({ topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: { ...m.headers } as Record<string, Buffer | undefined> });
          next.set(batch.partition, BigInt(m.offset) + 1n);
        }
        await check().catch((err: unknown) => fail?.(err as Error));
      },
    });
    await check();
    await done;
    return records;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
