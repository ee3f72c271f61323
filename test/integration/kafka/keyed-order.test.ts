/**
 * 10,000 keyed events over 1,000 entity keys through Banyan's publisher into the shared test
 * broker and back: each key's events must sit on one partition, in publish order, and that
 * partition must be the one Kafka's Java client picks for the key (computed by Kafka's own
 * Utils.murmur2 through test/fixtures/kafka/Murmur2Vectors.java).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPublisher, type PublishRecord } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { javaPartitions, kafkaClientsClasspath } from '../../fixtures/kafka/java-partitioner.ts';
import { consumeAll, testKafkaClient, testKafkaVersion, uniqueTopic } from '../../support/kafka.ts';

const EVENTS = 10_000;
const KEYS = 1_000;
const PARTITIONS = 12;
const BATCH = 500;

// Entity keys shaped like the real ones: zero-padded account numbers, plus some non-ASCII keys
// (branch names) so the UTF-8 hashing path is exercised on the broker too.
const keyOf = (k: number) => (k % 10 === 9 ? `Zürich-Filiale-${k}-€` : String(100_000_000 + k * 7919).padStart(12, '0'));

describe('entity-keyed publishing', () => {
  it('puts every key on one partition, in publish order, on the partition the Java client picks (10,000 events, 1,000 keys)', async (t) => {
    const kafka = testKafkaClient();
    const topic = uniqueTopic('keyed-order');
    const admin = createTopicAdmin({ kafka });
    await admin.ensureTopics([{ topic, partitions: PARTITIONS }]);
    await admin.close();

    const publisher = createPublisher({ kafka });
    let acknowledged = 0;
    for (let start = 0; start < EVENTS; start += BATCH) {
      const batch: PublishRecord[] = [];
      for (let seq = start; seq < start + BATCH; seq++) {
        // Interleave keys so each batch carries many keys and each key spans many batches.
        const key = keyOf((seq * 7) % KEYS);
        batch.push({ topic, key, value: JSON.stringify({ key, seq }), headers: { 'banyan-seq': String(seq) } });
      }
      const receipt = await publisher.publish(batch);
      acknowledged += receipt.records;
    }
    await publisher.close();
    assert.equal(acknowledged, EVENTS);

    const records = await consumeAll(topic, EVENTS, 120_000);
    assert.equal(records.length, EVENTS, 'exactly the published events, no duplicates');

    const keys = Array.from({ length: KEYS }, (_, k) => keyOf(k));
    const java = javaPartitions(await kafkaClientsClasspath(testKafkaVersion()), keys.map((k) => Buffer.from(k, 'utf8')), [PARTITIONS]);
    const javaPartition = new Map(keys.map((k, i) => [k, java[i].partitions[0]]));

    const partitionOfKey = new Map<string, number>();
    const lastSeq = new Map<string, number>();
    const perKeyCount = new Map<string, number>();
    const ordered = [...records].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    for (const r of ordered) {
      const key = r.key?.toString('utf8') ?? '';
      const { seq } = JSON.parse(r.value?.toString('utf8') ?? '{}') as { seq: number };
      const p = partitionOfKey.get(key);
      if (p === undefined) partitionOfKey.set(key, r.partition);
      else assert.equal(r.partition, p, `key ${key} seen on partitions ${p} and ${r.partition}`);
      assert.equal(r.partition, javaPartition.get(key), `key ${key}: broker partition vs Java client's`);
      assert.ok(seq > (lastSeq.get(key) ?? -1), `key ${key}: seq ${seq} stored after ${lastSeq.get(key)}`);
      lastSeq.set(key, seq);
      perKeyCount.set(key, (perKeyCount.get(key) ?? 0) + 1);
    }
    assert.equal(partitionOfKey.size, KEYS);
    assert.ok([...perKeyCount.values()].every((n) => n === EVENTS / KEYS));
    const used = new Set(partitionOfKey.values());
    t.diagnostic(`${KEYS} keys spread over ${used.size} of ${PARTITIONS} partitions`);
    assert.equal(used.size, PARTITIONS, '1,000 keys reach every partition');
  });
});
