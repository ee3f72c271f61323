/**
 * A data dir written by Kafka 3.9.2 (the embedded default until 2026-12, so every existing
 * `.banyan/kafka`) taken over by the 4.x default through the launcher: records, their order per key
 * and a consumer group's committed offsets survive, and the upgraded broker keeps working.
 *
 * Kafka supports this in place (4.0 upgrade notes: KRaft clusters on metadata.version 3.3-IV3 or
 * later upgrade by restarting on the new software); the launcher must not re-format the dir, and its
 * static-voter config (controller.quorum.voters, kraft.version 0) is what 3.9.2 formatted with.
 * The dir keeps metadata.version 3.9-IV0 (the launcher never runs `kafka-features upgrade`), so
 * 3.9.2 can still open it afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createPublisher, type PublishRecord } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { DEFAULT_KAFKA_VERSION, PREVIOUS_DEFAULT_KAFKA_VERSION, kafkaMajorVersion } from '../../../src/connectors/kafka/local/jars.ts';
import { startLocalKafka, type LocalKafka } from '../../../src/connectors/kafka/local/index.ts';
import { consumeAll, oracleKafkajs, testKafkaClient, testKafkaVersion, uniqueTopic, type ConsumedRecord } from '../../support/kafka.ts';

const FROM = PREVIOUS_DEFAULT_KAFKA_VERSION;
// The 4.x line under test: the run's broker version when it is a 4.x one, else the default.
const TO = kafkaMajorVersion(testKafkaVersion() ?? DEFAULT_KAFKA_VERSION) >= 4 ? (testKafkaVersion() ?? DEFAULT_KAFKA_VERSION) : DEFAULT_KAFKA_VERSION;
const RECORDS = 3_000;
const KEYS = 300;
const PARTITIONS = 6;
const BATCH = 250;

let dataDir: string | undefined;
let broker: LocalKafka | undefined;

after(async () => {
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe(`a data dir written by Kafka ${FROM}, started with Kafka ${TO}`, () => {
  it('keeps every record (count, content, order per key) and the committed group offsets, takes new records, and can go back', { timeout: 300_000 }, async (t) => {
    dataDir = await mkdtemp(join(tmpdir(), 'banyan-test-kafka-upgrade-'));
    const topic = uniqueTopic('upgrade');
    const groupId = uniqueTopic('upgrade-group');

    // Kafka 3.9.2 on a fresh dir: a topic, RECORDS keyed records, a group that read them and
    // committed offsets part-way into every partition.
    broker = await startLocalKafka({ dataDir, version: FROM });
    const brokersBefore = broker.brokers;
    const kafka = testKafkaClient(broker.brokers);
    const clusterId = await describeClusterId(broker.brokers);
    const admin = createTopicAdmin({ kafka });
    await admin.ensureTopics([{ topic, partitions: PARTITIONS }]);
    await admin.close();
    await publish(broker.brokers, topic, 0, RECORDS);
    const before = byPartition(await consumeAll(topic, RECORDS, 120_000, broker.brokers));
    assert.equal(count(before), RECORDS, `${FROM} holds exactly the published records`);
    const committed = new Map([...before].map(([p, rs]) => [p, BigInt(rs[Math.floor(rs.length / 3)]!.offset)]));
    await commitGroupOffsets(broker.brokers, groupId, topic, committed);
    assert.deepEqual(await fetchGroupOffsets(broker.brokers, groupId, topic), committed, `${FROM} has the committed offsets`);
    const metaBefore = await readFile(join(dataDir, 'kraft-logs', 'meta.properties'), 'utf8');
    await broker.stop();
    // Leave the remembered state as launchers before 2026-12 wrote it (no formattedBy), like an
    // existing .banyan/kafka of `banyan start` on the old 3.9.2 default.
    const stateFile = join(dataDir, 'banyan-local-kafka.json');
    const { formattedBy, ...oldState } = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, unknown>;
    assert.equal(formattedBy, FROM);
    await writeFile(stateFile, JSON.stringify(oldState));

    // The same dir on the 4.x default: not re-formatted, same port, same cluster.
    broker = await startLocalKafka({ dataDir, version: TO });
    assert.deepEqual(broker.brokers, brokersBefore, 'the upgraded broker kept the port');
    assert.equal(await describeClusterId(broker.brokers), clusterId, 'same cluster id: the dir was not formatted again');
    assert.equal(await readFile(join(dataDir, 'kraft-logs', 'meta.properties'), 'utf8'), metaBefore, 'meta.properties untouched');

    const after = byPartition(await consumeAll(topic, RECORDS, 120_000, broker.brokers));
    assert.equal(count(after), RECORDS, `${TO} holds exactly the ${RECORDS} records ${FROM} wrote, no more`);
    for (const [p, rs] of before) {
      assert.deepEqual(after.get(p)?.map(fingerprint), rs.map(fingerprint), `partition ${p}: same records (offset, key, value, headers) in the same order`);
    }
    assertPublishedOnce(after, 0, RECORDS);
    assert.deepEqual(await fetchGroupOffsets(broker.brokers, groupId, topic), committed, `${TO} kept the offsets the group committed on ${FROM}`);

    // The upgraded broker takes new records, and the group resumes from its committed offsets:
    // it reads exactly what lies past them, old records and new, each once, in order.
    const MORE = 1_000;
    await publish(broker.brokers, topic, RECORDS, MORE);
    const all = byPartition(await consumeAll(topic, RECORDS + MORE, 120_000, broker.brokers));
    assert.equal(count(all), RECORDS + MORE);
    assertPublishedOnce(all, 0, RECORDS + MORE);
    const expectedResume = [...all].flatMap(([p, rs]) => rs.filter((r) => BigInt(r.offset) >= committed.get(p)!));
    const resumed = await readAsGroup(broker.brokers, groupId, topic, expectedResume.length);
    for (const [p, rs] of byPartition(resumed)) {
      assert.equal(BigInt(rs[0]!.offset), committed.get(p), `partition ${p}: the group resumed at its committed offset`);
    }
    assert.deepEqual(
      [...byPartition(resumed)].sort(([a], [b]) => a - b).flatMap(([, rs]) => rs.map(fingerprint)),
      [...byPartition(expectedResume)].sort(([a], [b]) => a - b).flatMap(([, rs]) => rs.map(fingerprint)),
      'the group read exactly the records past its committed offsets',
    );

    // The launcher does not raise metadata.version after the upgrade (VERSIONS.md), so the dir
    // still opens on the version that wrote it: going back is possible until an operator raises it.
    await broker.stop();
    broker = await startLocalKafka({ dataDir, version: FROM });
    const back = byPartition(await consumeAll(topic, RECORDS + MORE, 120_000, broker.brokers));
    assert.deepEqual(
      [...back].sort(([a], [b]) => a - b).flatMap(([, rs]) => rs.map(fingerprint)),
      [...all].sort(([a], [b]) => a - b).flatMap(([, rs]) => rs.map(fingerprint)),
      `${FROM} reads the dir ${TO} ran on, including what ${TO} wrote`,
    );
    t.diagnostic(
      `${FROM} -> ${TO} -> ${FROM}: ${RECORDS} records and ${PARTITIONS} committed offsets kept; ${MORE} more written on ${TO}; ` +
        `the group resumed with ${resumed.length} records`,
    );
  });
});

async function publish(brokers: string[], topic: string, from: number, n: number): Promise<void> {
  const publisher = createPublisher({ kafka: testKafkaClient(brokers) });
  try {
    for (let start = from; start < from + n; start += BATCH) {
      const batch: PublishRecord[] = [];
      for (let seq = start; seq < Math.min(start + BATCH, from + n); seq++) {
        const key = `acct-${String((seq * 7) % KEYS).padStart(4, '0')}`;
        batch.push({ topic, key, value: JSON.stringify({ key, seq }), headers: { 'banyan-seq': String(seq) } });
      }
      await publisher.publish(batch);
    }
  } finally {
    await publisher.close();
  }
}

/** Every seq in [from, to) exactly once, with its key, and per key in publish order on one partition. */
function assertPublishedOnce(records: Map<number, ConsumedRecord[]>, from: number, to: number): void {
  const seen = new Set<number>();
  const keyPartition = new Map<string, number>();
  const lastSeq = new Map<string, number>();
  for (const [p, rs] of records) {
    for (const r of rs) {
      const key = r.key?.toString('utf8') ?? '';
      const value = JSON.parse(r.value?.toString('utf8') ?? '{}') as { key: string; seq: number };
      assert.equal(value.key, key, 'value names its key');
      assert.equal(r.headers['banyan-seq']?.toString(), String(value.seq), 'header carries the seq');
      assert.ok(!seen.has(value.seq), `seq ${value.seq} read twice`);
      seen.add(value.seq);
      assert.equal(keyPartition.get(key) ?? p, p, `key ${key} on one partition`);
      keyPartition.set(key, p);
      assert.ok(value.seq > (lastSeq.get(key) ?? -1), `key ${key}: seq ${value.seq} after ${lastSeq.get(key)}`);
      lastSeq.set(key, value.seq);
    }
  }
  const missing = Array.from({ length: to - from }, (_, i) => from + i).filter((s) => !seen.has(s));
  assert.deepEqual(missing, [], 'no record lost');
}

/** Records per partition, in offset order. */
function byPartition(records: readonly ConsumedRecord[]): Map<number, ConsumedRecord[]> {
  const out = new Map<number, ConsumedRecord[]>();
  for (const r of records) out.set(r.partition, [...(out.get(r.partition) ?? []), r]);
  for (const rs of out.values()) rs.sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
  return out;
}

function count(records: Map<number, ConsumedRecord[]>): number {
  return [...records.values()].reduce((n, rs) => n + rs.length, 0);
}

function fingerprint(r: ConsumedRecord): string {
  return `${r.partition}@${r.offset} ${r.key?.toString('hex')} ${r.value?.toString('hex')} ${r.headers['banyan-seq']?.toString()}`;
}

async function describeClusterId(brokers: string[]): Promise<string> {
  const admin = oracleKafkajs(brokers).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).clusterId;
  } finally {
    await admin.disconnect();
  }
}

/** Commits through a group member (JoinGroup, SyncGroup, OffsetCommit), as a Banyan consumer does. */
async function commitGroupOffsets(brokers: string[], groupId: string, topic: string, offsets: Map<number, bigint>): Promise<void> {
  const consumer = oracleKafkajs(brokers).consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    let assigned!: () => void;
    const joined = new Promise<void>((resolve) => (assigned = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => assigned());
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // Nothing is processed or auto-committed: the member only needs its assignment to commit.
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    await joined;
    await consumer.commitOffsets([...offsets].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })));
  } finally {
    await consumer.disconnect();
  }
}

async function fetchGroupOffsets(brokers: string[], groupId: string, topic: string): Promise<Map<number, bigint>> {
  const admin = oracleKafkajs(brokers).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(offsets!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Reads as a member of `groupId` from its committed offsets until `n` records arrived. */
async function readAsGroup(brokers: string[], groupId: string, topic: string, n: number): Promise<ConsumedRecord[]> {
  const consumer = oracleKafkajs(brokers).consumer({ groupId, maxWaitTimeInMs: 200 });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  try {
    let enough!: () => void;
    const done = new Promise<void>((resolve) => (enough = resolve));
    const timer = setTimeout(() => enough(), 120_000);
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachMessage: async ({ partition, message: m }) => {
        records.push({ topic, partition, offset: m.offset, key: m.key, value: m.value, headers: { ...m.headers } as Record<string, Buffer | undefined> });
        if (records.length >= n) enough();
      },
    });
    await done;
    clearTimeout(timer);
    return records;
  } finally {
    await consumer.disconnect();
  }
}
