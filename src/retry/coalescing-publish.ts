/**
 * Group commit for the processor's writes: the lanes (one per partition) each wait for their own
 * write (a tier record, a dead letter, a key backlog) before they go on, and the publisher sends
 * one batch at a time (its idempotent producer keeps one request in flight). Writes that arrive
 * while a batch is in flight go together in the next batch, so N lanes retrying at once cost one
 * acknowledged round trip, not N. Each caller's promise settles with its batch (a failed batch
 * rejects every write in it); a lane's own writes keep their order, as it waits for each.
 */
import type { PublishRecord, Publisher } from '../connectors/kafka/publisher.ts';

export type Publish = (records: readonly PublishRecord[]) => Promise<void>;

export function coalescingPublish(publisher: Publisher): Publish {
  let queued: Array<{ records: readonly PublishRecord[]; settle: (err?: unknown) => void }> = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        await publisher.publish(batch.flatMap((w) => w.records));
        for (const w of batch) w.settle();
      } catch (err) {
        for (const w of batch) w.settle(err);
      }
    }
    flushing = false;
  };
  return (records) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ records, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!flushing) void flush();
    });
}
