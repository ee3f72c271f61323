/**
 * Sends from every producer of an engine share one idempotent publisher; records that arrive while
 * a publish is in flight go together in the next one (group commit), so many concurrent or async
 * sends cost one round trip each batch instead of one each, and each send still resolves only once
 * Kafka acknowledged its record (acks=all). Order per key holds: batches go one after another.
 */
import type { Publisher, PublishRecord } from '../../connectors/kafka/index.ts';

export interface SendBatcher {
  /** Resolves once Kafka acknowledged the record; rejects with the publisher's error. */
  send(record: PublishRecord): Promise<void>;
  /** Waits for everything queued. */
  drain(): Promise<void>;
}

export function createSendBatcher(publisher: Publisher, maxBatch = 500): SendBatcher {
  let queue: Array<{ record: PublishRecord; resolve: () => void; reject: (err: unknown) => void }> = [];
  let running: Promise<void> | undefined;

  const run = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        await publisher.publish(batch.map((b) => b.record));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    running = undefined;
  };

  return {
    send(record) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        running ??= Promise.resolve().then(run);
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}
