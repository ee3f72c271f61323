/**
 * The exactly-once bridge output on the real broker: events, dead letters and the checkpoint of a
 * batch in one transaction; a failed batch invisible to read_committed readers (checkpoint
 * included), the checkpoint read ending on a topic that holds nothing but an aborted transaction,
 * and a second owner of the same bridge fencing the first.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { SinkRecord } from '../../../src/core/bridge-contracts.ts';
import type { BanyanError } from '../../../src/core/errors.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { createTransactionalBridgeOutput, transactionalIdOf } from '../../../src/connectors/kafka/transactional-sink.ts';
import { testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const kafka = testKafkaClient();
const admin = createTopicAdmin({ kafka, defaults: { partitions: 3 } });
const outputs: Array<{ sink: { close(): Promise<void> } }> = [];
after(async () => {
  for (const o of outputs) await o.sink.close().catch(() => {});
  await admin.close();
});

function output(bridge: string, checkpointTopic: string) {
  const o = createTransactionalBridgeOutput({ kafka, admin, bridge, checkpointTopic });
  outputs.push(o);
  return o;
}

function events(topic: string, from: number, count: number): SinkRecord[] {
  return Array.from({ length: count }, (_, i) => ({ topic, key: `acct-${(from + i) % 7}`, value: `event ${from + i}`, headers: { 'banyan-event-id': `b/${from + i}` } }));
}

const values = async (topic: string, isolation: 'read_committed' | 'read_uncommitted') =>
  (await readWholeTopic(topic, { isolation }, (r) => r.value?.toString() ?? null)).sort();

test('events, dead letters and checkpoint commit together; a failed batch is invisible to read_committed, checkpoint included, and the restart resumes from the committed one', async () => {
  const bridge = uniqueTopic('txn-abort');
  const [topic, dlq, checkpoints, tiny] = [uniqueTopic('txn-events'), uniqueTopic('txn-dlq'), uniqueTopic('txn-checkpoints'), uniqueTopic('txn-tiny')];
  await admin.ensureTopics([{ topic }, { topic: dlq, partitions: 1 }, { topic: tiny, partitions: 1, configs: { 'max.message.bytes': '1024' } }]);

  const first = output(bridge, checkpoints);
  assert.equal(await first.checkpoints.load(), undefined, 'a new bridge has no checkpoint');
  const dead: SinkRecord = { topic: dlq, key: null, value: Uint8Array.from([0xc1, 0xff]), headers: { 'banyan-error-code': 'BANYAN_ERR_DECODE_X' } };
  await first.sink.write([...events(topic, 0, 10), dead], { offset: 10 });
  // The second batch has a record the broker refuses (over max.message.bytes): the other
  // partitions' records were appended, inside the transaction that is then aborted.
  await assert.rejects(first.sink.write([...events(topic, 10, 10), { topic: tiny, key: 'k', value: 'x'.repeat(4096), headers: {} }], { offset: 20 }), (e: BanyanError) => {
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_RECORD_REJECTED', e.message);
    assert.equal(e.retriable, false);
    return true;
  });

  // A restart (new output, same bridge): its InitProducerId aborts what the failed batch left open.
  const restarted = output(bridge, checkpoints);
  assert.deepEqual(await restarted.checkpoints.load(), { offset: 10 }, 'the checkpoint of the committed batch, not of the failed one');
  await restarted.sink.write(events(topic, 10, 10), { offset: 20 });
  assert.deepEqual(await restarted.checkpoints.load(), { offset: 20 });

  const committed = await values(topic, 'read_committed');
  assert.deepEqual(committed, events(topic, 0, 20).map((e) => e.value).sort(), 'each event once');
  const uncommitted = await values(topic, 'read_uncommitted');
  assert.equal(uncommitted.length, 30, 'read_uncommitted also sees the 10 events of the aborted transaction');
  assert.equal((await readWholeTopic(dlq, { isolation: 'read_committed' })).length, 1, 'the dead letter, committed with its batch');
  const checkpointValues = await readWholeTopic(checkpoints, { isolation: 'read_committed' }, (r) => JSON.parse(r.value!.toString()) as { bridge: string; position: unknown });
  assert.deepEqual(
    checkpointValues.map((c) => [c.bridge, c.position]),
    [
      [bridge, { offset: 10 }],
      [bridge, { offset: 20 }],
    ],
    'the failed batch checkpoint is not visible',
  );
});

test('the checkpoint read ends on a checkpoint topic holding nothing but an aborted transaction', async () => {
  const bridge = uniqueTopic('txn-only-aborted');
  const [topic, checkpoints, tiny] = [uniqueTopic('txn-events'), uniqueTopic('txn-checkpoints'), uniqueTopic('txn-tiny')];
  await admin.ensureTopics([{ topic }, { topic: tiny, partitions: 1, configs: { 'max.message.bytes': '1024' } }]);
  const first = output(bridge, checkpoints);
  assert.equal(await first.checkpoints.load(), undefined);
  await assert.rejects(first.sink.write([...events(topic, 0, 5), { topic: tiny, key: 'k', value: 'x'.repeat(4096), headers: {} }], { offset: 5 }));

  const restarted = output(bridge, checkpoints);
  // kafkajs does not call eachBatch for a fetch whose records are all aborted or markers: the read
  // must still see that it reached the end (it used to wait for its 60 s timeout here).
  assert.equal(await restarted.checkpoints.load(), undefined, 'the aborted checkpoint is not a checkpoint');
  const raw = await readWholeTopic(checkpoints, { isolation: 'read_uncommitted' });
  assert.equal(raw.length, 1, 'the topic does hold the aborted checkpoint record');
  assert.deepEqual(await values(topic, 'read_committed'), []);
});

test('a second owner of the bridge fences the first: its next write fails with PRODUCER_FENCED, not retriable, and leaves nothing visible', async () => {
  const bridge = uniqueTopic('txn-fence');
  const [topic, checkpoints] = [uniqueTopic('txn-events'), uniqueTopic('txn-checkpoints')];
  await admin.ensureTopics([{ topic }]);
  const stale = output(bridge, checkpoints);
  await stale.checkpoints.load();
  await stale.sink.write(events(topic, 0, 5), { offset: 5 });

  const owner = output(bridge, checkpoints);
  assert.deepEqual(await owner.checkpoints.load(), { offset: 5 });
  await assert.rejects(stale.sink.write(events(topic, 100, 5), { offset: 999 }), (e: BanyanError) => {
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_PRODUCER_FENCED', e.message);
    assert.equal(e.retriable, false);
    assert.match(e.message, new RegExp(`bridge ${bridge}: transactional id ${transactionalIdOf(bridge).replace(/\./g, '\\.')} was fenced`));
    return true;
  });
  await owner.sink.write(events(topic, 5, 5), { offset: 10 });

  assert.deepEqual(await values(topic, 'read_committed'), events(topic, 0, 10).map((e) => e.value).sort(), "the stale owner's batch is not visible");
  assert.deepEqual(await owner.checkpoints.load(), { offset: 10 });
});
