/**
 * The tests' oracle for transactional topics: reads a whole topic as a consumer with the given
 * isolation level sees it, up to the end offsets it has when the read starts. Unlike consumeAll it
 * needs no expected count, and it ends on partitions whose last offsets are commit/abort markers or
 * aborted records (which never reach `messages`): progress comes from kafkajs' END_BATCH_PROCESS
 * event, whose lastOffset counts them. Call it once the writers are done (no open transactions).
 */
import { oracleKafkajs, uniqueTopic, type ConsumedRecord } from './kafka.ts';

export interface ReadTopicOptions {
  readonly isolation: 'read_committed' | 'read_uncommitted';
  readonly timeoutMs?: number;
  readonly brokers?: string[];
}

/** `pick` keeps only what the test needs of each record (the crash test reads hundreds of thousands). */
export async function readWholeTopic<T = ConsumedRecord>(topic: string, options: ReadTopicOptions, pick: (r: ConsumedRecord) => T = (r) => r as T): Promise<T[]> {
  const kafka = oracleKafkajs(options.brokers);
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: uniqueTopic('banyan-test-whole'), maxWaitTimeInMs: 100, readUncommitted: options.isolation === 'read_uncommitted', maxBytes: 50 << 20 });
  const out: T[] = [];
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    await admin.connect();
    const end = new Map<number, bigint>();
    for (const p of await admin.fetchTopicOffsets(topic)) if (BigInt(p.high) > BigInt(p.low)) end.set(p.partition, BigInt(p.high));
    if (end.size === 0) return out;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`readWholeTopic(${topic}): end not reached after ${timeoutMs} ms (${out.length} records read)`)), timeoutMs);
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const stop = end.get(payload.partition);
        if (stop !== undefined && BigInt(payload.lastOffset) + 1n >= stop) end.delete(payload.partition);
        if (end.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          partitionsConsumedConcurrently: 4,
          eachBatch: async ({ batch }) => {
            const stop = end.get(batch.partition);
            if (stop === undefined) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= stop) break;
              out.push(pick({ topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers as Record<string, Buffer | undefined> }));
            }
          },
        })
        .catch(reject);
    });
    return out;
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
