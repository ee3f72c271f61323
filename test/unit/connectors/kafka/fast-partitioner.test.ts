import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { defaultPartitioner, murmur2 } from '../../../../src/connectors/kafka/kafkajs-fast-path.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: unknown) => number;

const key = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);

describe('the fast default partitioner', () => {
  it('hashes 5,000 random string and Buffer keys (every length mod 4) exactly as kafkajs murmur2', () => {
    const lengths = new Set<number>();
    fc.assert(
      fc.property(key, (k) => {
        lengths.add(Buffer.byteLength(k) % 4);
        assert.equal(murmur2(k), kafkajsMurmur2(k));
      }),
      { numRuns: 5_000, seed: 12 },
    );
    assert.equal(lengths.size, 4);
  });

  it('picks the partition kafkajs DefaultPartitioner picks for keyed messages and for an explicit partition, over 1..120 partitions', () => {
    const fast = defaultPartitioner()();
    assert.notEqual(defaultPartitioner(), Partitioners.DefaultPartitioner, 'the fast path is installed on kafkajs 2.2.4');
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(key, fc.integer({ min: 1, max: 120 }), fc.option(fc.nat({ max: 119 }), { nil: undefined, freq: 4 }), (k, n, partition) => {
        const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
        const message = { key: k, value: null, partition };
        assert.equal(fast({ topic: 't', partitionMetadata, message }), kafkajs({ topic: 't', partitionMetadata, message }));
      }),
      { numRuns: 3_000, seed: 13 },
    );
  });
});
