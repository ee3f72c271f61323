import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalescingPublish } from '../../../src/retry/coalescing-publish.ts';
import type { PublishRecord, Publisher } from '../../../src/connectors/kafka/publisher.ts';

function fakePublisher(fail: (batch: readonly PublishRecord[]) => boolean = () => false) {
  const batches: string[][] = [];
  let release: (() => void) | undefined;
  const publisher: Publisher = {
    connect: async () => {},
    close: async () => {},
    forgetTopics: () => {},
    publish: (batch) =>
      new Promise((resolve, reject) => {
        batches.push(batch.map((r) => String(r.value)));
        release = () => (fail(batch) ? reject(new Error('broker away')) : resolve({ records: batch.length, partitions: [] }));
      }),
  };
  return { publisher, batches, release: () => release?.() };
}
const rec = (v: string): PublishRecord => ({ topic: 't', key: null, value: v });
const tick = () => new Promise((r) => setImmediate(r));

test('writes that arrive while a batch is in flight go out together in the next batch, each settled with its batch', async () => {
  const f = fakePublisher();
  const publish = coalescingPublish(f.publisher);
  const a = publish([rec('a')]);
  await tick();
  const b = publish([rec('b1'), rec('b2')]);
  const c = publish([rec('c')]);
  f.release();
  await a;
  await tick();
  assert.deepEqual(f.batches, [['a'], ['b1', 'b2', 'c']]);
  f.release();
  await Promise.all([b, c]);
});

test('a failed batch rejects every write in it, and the next batch goes on', async () => {
  const f = fakePublisher((batch) => batch.some((r) => r.value === 'bad'));
  const publish = coalescingPublish(f.publisher);
  const first = publish([rec('bad')]);
  await tick();
  const second = publish([rec('ok')]);
  f.release();
  await assert.rejects(first, /broker away/);
  await tick();
  f.release();
  await second;
  assert.deepEqual(f.batches, [['bad'], ['ok']]);
});
