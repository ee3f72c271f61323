/**
 * The Kafka side of a legacy -> Kafka bridge: a batch is durable once the idempotent publisher has
 * it acknowledged by all in-sync replicas (acks=all). A retried batch after a connection failure is
 * not duplicated while the producer survives (KIP-98); see publisher.ts.
 */
import type { Sink, SinkRecord } from '../../core/bridge-contracts.ts';
import type { Publisher, PublishRecord } from './publisher.ts';

export function createKafkaSink(publisher: Publisher): Sink {
  return {
    async write(records) {
      if (records.length > 0) await publisher.publish(records.map(toPublishRecord));
    },
    async close() {
      await publisher.close();
    },
  };
}

/** A pipeline record as the publisher takes it (headers and value as Buffers, no copies). */
export function toPublishRecord(r: SinkRecord): PublishRecord {
  const headers: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k] = typeof v === 'string' ? v : asBuffer(v);
  return { topic: r.topic, key: r.key, value: r.value === null || typeof r.value === 'string' ? r.value : asBuffer(r.value), headers };
}

/** A Buffer view of the same bytes (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
