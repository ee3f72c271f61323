import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Publisher, PublishRecord } from '../../../src/connectors/kafka/index.ts';
import { createSendBatcher } from '../../../src/jms/engine/send-batcher.ts';

/** A publisher that records each batch and settles it when told. */
function fakePublisher() {
  const batches: Array<{ records: readonly PublishRecord[]; settle: (err?: Error) => void }> = [];
  let arrived: (() => void) | undefined;
  const publisher: Publisher = {
    connect: async () => {},
    close: async () => {},
    forgetTopics: () => {},
    publish: (records) =>
      new Promise((resolve, reject) => {
        batches.push({ records, settle: (err) => (err ? reject(err) : resolve({ records: records.length, partitions: [] })) });
        arrived?.();
      }),
  };
  const nextBatch = () => new Promise<void>((r) => (arrived = r));
  return { publisher, batches, nextBatch };
}

const record = (n: number): PublishRecord => ({ topic: 't', key: null, value: Buffer.from(String(n)) });

describe('send batcher (group commit of sends)', () => {
  it('sends what arrives while a publish is in flight as the next batch, in order', async () => {
    const { publisher, batches, nextBatch } = fakePublisher();
    const b = createSendBatcher(publisher);
    const first = nextBatch();
    const s0 = b.send(record(0));
    await first;
    const s1 = b.send(record(1));
    const s2 = b.send(record(2));
    assert.equal(batches.length, 1, 'one publish at a time');
    const second = nextBatch();
    batches[0]!.settle();
    await s0;
    await second;
    assert.deepEqual(batches[1]!.records.map((r) => String(r.value)), ['1', '2']);
    batches[1]!.settle();
    await Promise.all([s1, s2]);
    await b.drain();
  });

  it('rejects every send of a failed batch, and carries on with the next', async () => {
    const { publisher, batches, nextBatch } = fakePublisher();
    const b = createSendBatcher(publisher);
    const first = nextBatch();
    const s0 = b.send(record(0));
    await first;
    const s1 = b.send(record(1));
    const second = nextBatch();
    batches[0]!.settle(new Error('broker gone'));
    await assert.rejects(s0, /broker gone/);
    await second;
    batches[1]!.settle();
    await s1;
  });

  it('caps a batch at its maximum size', async () => {
    const { publisher, batches, nextBatch } = fakePublisher();
    const b = createSendBatcher(publisher, 2);
    const first = nextBatch();
    const sends = [0, 1, 2].map((n) => b.send(record(n)));
    await first;
    assert.equal(batches[0]!.records.length, 2);
    const second = nextBatch();
    batches[0]!.settle();
    await second;
    assert.equal(batches[1]!.records.length, 1);
    batches[1]!.settle();
    await Promise.all(sends);
  });
});
