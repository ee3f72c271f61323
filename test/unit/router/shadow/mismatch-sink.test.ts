import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { PublishRecord } from '../../../../src/connectors/kafka/index.ts';
import { createKafkaMismatchSink } from '../../../../src/router/shadow/kafka-mismatch-sink.ts';
import { createSampleStore, type MismatchRecord } from '../../../../src/router/shadow/mismatch-sink.ts';

const record = (routeId: string, at: number): MismatchRecord => ({
  routeId,
  at,
  requestId: `r-${at}`,
  request: { method: 'GET', url: '/x' },
  legacy: { status: 200, headers: {}, body: '{"a":1}' },
  candidate: { status: 200, headers: {}, body: '{"a":2}' },
  fields: [{ path: 'body.a', legacy: 1, candidate: 2 }],
});

test('the sample store keeps the newest mismatches per route, capped, newest first', () => {
  const store = createSampleStore(3);
  for (let i = 1; i <= 5; i++) store.add(record('a', i));
  store.add(record('b', 10));
  assert.deepEqual(store.recent('a').map((s) => s.at), [5, 4, 3]);
  assert.deepEqual(store.recent(undefined, 2).map((s) => s.at), [10, 5]);
  assert.deepEqual(store.recent('a', 1)[0].fields, [{ path: 'body.a', legacy: '1', candidate: '2' }]);
  assert.deepEqual(store.recent('none'), []);
});

test('the Kafka sink batches records one publish at a time, keyed by route, and drops beyond its queue cap', async () => {
  const batches: PublishRecord[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const publisher = {
    async publish(batch: readonly PublishRecord[]) {
      batches.push([...batch]);
      if (batches.length === 1) await gate;
      return { records: batch.length, partitions: [] };
    },
  };
  const sink = createKafkaMismatchSink({ publisher, topic: 't', logger: pino({ level: 'silent' }), maxQueued: 3, maxBatch: 2 });
  await sink.publish(record('a', 1)); // sent at once, publish held open
  for (let i = 2; i <= 6; i++) await sink.publish(record('a', i)); // 3 queue, 2 dropped
  release();
  await sink.flush();
  assert.deepEqual(batches.map((b) => b.map((r) => r.timestamp)), [[1], [2, 3], [4]]);
  assert.equal(sink.dropped, 2);
  assert.equal(batches[0][0].key, 'a');
  assert.equal(batches[0][0].topic, 't');
  assert.deepEqual(JSON.parse(String(batches[0][0].value)).fields, [{ path: 'body.a', legacy: 1, candidate: 2 }]);
});

test('a failed publish counts its records as dropped and does not stop later ones', async () => {
  let calls = 0;
  const publisher = {
    async publish(batch: readonly PublishRecord[]) {
      if (calls++ === 0) throw new Error('broker down');
      return { records: batch.length, partitions: [] };
    },
  };
  const sink = createKafkaMismatchSink({ publisher, topic: 't', logger: pino({ level: 'silent' }) });
  await sink.publish(record('a', 1));
  await sink.flush();
  await sink.publish(record('a', 2));
  await sink.flush();
  assert.equal(sink.dropped, 1);
  assert.equal(calls, 2);
});

test('the sink creates its topic once before the first publish, and tries again after a failure', async () => {
  let ensured = 0;
  const published: number[] = [];
  const publisher = {
    async publish(batch: readonly PublishRecord[]) {
      published.push(batch.length);
      return { records: batch.length, partitions: [] };
    },
  };
  const ensureTopic = async () => {
    if (ensured++ === 0) throw new Error('controller not ready');
  };
  const sink = createKafkaMismatchSink({ publisher, topic: 't', logger: pino({ level: 'silent' }), ensureTopic });
  await sink.publish(record('a', 1));
  await sink.flush();
  await sink.publish(record('a', 2));
  await sink.flush();
  await sink.publish(record('a', 3));
  await sink.flush();
  assert.equal(ensured, 2);
  assert.deepEqual(published, [1, 1]);
  assert.equal(sink.dropped, 1);
});
