import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { partitionForKey } from '../../../../src/connectors/kafka/partitioner.ts';
import { javaPartitions, kafkaClientsClasspath } from '../../../fixtures/kafka/java-partitioner.ts';

interface Vector {
  key: string;
  keyHex: string;
  murmur2: number;
  partitions: Record<string, number>;
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/kafka/murmur2-vectors.json', import.meta.url), 'utf8')) as {
  partitionCounts: number[];
  vectors: Vector[];
};

describe('partitionForKey', () => {
  it('matches the partitions recorded from Kafka Utils.murmur2 for every fixture key and partition count', () => {
    assert.ok(fixture.vectors.length >= 30);
    for (const v of fixture.vectors) {
      for (const p of fixture.partitionCounts) {
        assert.equal(partitionForKey(v.key, p), v.partitions[String(p)], `key ${JSON.stringify(v.key)} over ${p} partitions`);
      }
    }
  });

  it('hashes a string key as its UTF-8 bytes, like Java StringSerializer', () => {
    for (const v of fixture.vectors) {
      assert.equal(Buffer.from(v.key, 'utf8').toString('hex'), v.keyHex);
      for (const p of fixture.partitionCounts) {
        assert.equal(partitionForKey(Buffer.from(v.keyHex, 'hex'), p), partitionForKey(v.key, p));
      }
    }
  });

  it('agrees with Kafka Java code run now on the fixture keys and 2,000 generated keys', async () => {
    const generated = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.uint8Array({ maxLength: 300 })), {
      seed: 20260223,
      numRuns: 2000,
    });
    const keys = [
      ...fixture.vectors.map((v) => Buffer.from(v.keyHex, 'hex')),
      ...generated.map((k) => (typeof k === 'string' ? Buffer.from(k, 'utf8') : Buffer.from(k))),
    ];
    const counts = [1, 2, 3, 7, 12, 32, 100, 1000];
    // The kafka-clients of the broker version under test (BANYAN_TEST_KAFKA_VERSION), else the default.
    const java = javaPartitions(await kafkaClientsClasspath(process.env.BANYAN_TEST_KAFKA_VERSION || undefined), keys, counts);
    assert.equal(java.length, keys.length);
    for (const [i, key] of keys.entries()) {
      for (const [j, p] of counts.entries()) {
        assert.equal(partitionForKey(key, p), java[i].partitions[j], `key hex ${key.toString('hex')} over ${p} partitions`);
      }
    }
  });

  it('rejects a partition count that is not a positive integer', () => {
    assert.throws(() => partitionForKey('k', 0), RangeError);
    assert.throws(() => partitionForKey('k', 2.5), RangeError);
  });
});
