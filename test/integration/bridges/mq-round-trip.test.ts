/**
 * MQ -> Kafka -> MQ through two bridges (real Kafka; the IBM MQ transport on the faithful fake of
 * the `ibmmq` driver, since no queue manager runs here): copybook records put by a legacy program
 * come back on the output queue byte for byte, in the mapping's code page. And request/reply from a
 * legacy requester to a new service: the service's reply event goes to the request's ReplyToQ as
 * MQMT_REPLY with CorrelId = the request's MsgId, as EBCDIC text (CCSID 1047), with the expiry the
 * request had left; a reply that comes after its request expired goes to the dead-letter topic.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assembleBridge, loadBridgeFile, type BridgeConfig } from '../../../src/bridge-assembly.ts';
import { getCodePage } from '../../../src/codec/index.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { runBridgePipeline } from '../../../src/core/bridge-pipeline.ts';
import { FakeQueueManager } from '../../support/fake-ibmmq.ts';
import { correlationToMsgId } from '../../../src/core/queue-headers.ts';
import { consumeAll, oracleKafkajs, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
const MQ = '{ queue_manager: QM1, channel: DEV.APP.SVRCONN, connection: "mq(1414)"';
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-mq-round-'));
  await mkdir(join(dir, 'mappings'));
  await mkdir(join(dir, 'bridges'));
  await copyFile(join(fixtures, 'accounts.cpy'), join(dir, 'mappings', 'accounts.cpy'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function bridgeFrom(name: string, lines: string[]): Promise<BridgeConfig> {
  const file = join(dir, 'bridges', `${name}.yaml`);
  await writeFile(file, [`name: ${name}`, ...lines, ''].join('\n'));
  return loadBridgeFile(file, dir, {});
}

async function runUntilIdle(bridge: BridgeConfig, qm: FakeQueueManager) {
  const kafka = testKafkaClient();
  const topics = createTopicAdmin({ kafka });
  const assembled = await assembleBridge(bridge, dir, kafka, topics, { ibmMqDriver: async () => qm.driver() });
  try {
    return await runBridgePipeline({ ...assembled.options, untilIdle: true }, new AbortController().signal);
  } finally {
    await assembled.close();
    await topics.close();
  }
}

test('copybook records MQ -> Kafka -> MQ come back byte for byte, in the mapping\'s code page', async () => {
  const topic = uniqueTopic('mq-accounts');
  const mapping = (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${topic}`);
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), mapping);
  const file = await readFile(join(fixtures, 'accounts.canonical.f.bin'));
  const originals = Array.from({ length: file.length / 20 }, (_, i) => file.subarray(i * 20, (i + 1) * 20));
  assert.equal(originals.length, 12);

  const qm = new FakeQueueManager({ ccsid: 37 }).defineQueue({ name: 'ACCOUNTS.IN' }).defineQueue({ name: 'ACCOUNTS.OUT' });
  for (const body of originals) qm.putMessage('ACCOUNTS.IN', { body, ccsid: 37, priority: 3 });

  const inbound = await bridgeFrom(uniqueTopic('accounts-in').toLowerCase(), [
    `source: { ibm_mq: ${MQ}, queue: ACCOUNTS.IN, wait_interval_ms: 50, poll_interval_ms: 10 } }`,
    'mapping: mappings/accounts.yaml',
    `sink: { kafka: { topic: ${topic} } }`,
    'batch: { max_records: 5, max_wait_ms: 20 }',
  ]);
  assert.deepEqual(await runUntilIdle(inbound, qm), { records: 12, published: 12, deadLettered: 0, skipped: 0 });
  const events = await consumeAll(topic, 12, 30_000);
  assert.equal(events.length, 12);

  const outbound = await bridgeFrom(uniqueTopic('accounts-out').toLowerCase(), [
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    `sink: { ibm_mq: ${MQ}, queue: ACCOUNTS.OUT, priority: 6 } }`,
    'batch: { max_records: 5, max_wait_ms: 50 }',
  ]);
  assert.deepEqual(await runUntilIdle(outbound, qm), { records: 12, published: 12, deadLettered: 0, skipped: 0 });
  const out = qm.visible('ACCOUNTS.OUT');
  assert.deepEqual(out.map((m) => m.body.toString('hex')).sort(), originals.map((b) => b.toString('hex')).sort(), 'every record back, byte for byte');
  for (const m of out) {
    assert.equal(m.md.CodedCharSetId, 37, 'the mapping\'s code page (cp037) as the CCSID');
    assert.equal(m.md.Persistence, 1);
    assert.equal(m.md.Priority, 3, 'the original message\'s priority travels in mq-priority and wins over the sink\'s default');
  }
  assert.equal(qm.visible('ACCOUNTS.IN').length, 0);
});

test('replies from a new service reach the legacy requester\'s ReplyToQ as MQMT_REPLY, CorrelId = request MsgId, in CCSID 1047; a late reply is dead-lettered', async () => {
  const replies = uniqueTopic('mq-replies');
  await writeFile(join(dir, 'mappings', 'accounts-replies.yaml'), (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${replies}`));
  const qm = new FakeQueueManager({ ccsid: 37 }).defineQueue({ name: 'CICS.REPLY' });
  const requestId = Buffer.alloc(24, 0x42);
  const lateId = Buffer.alloc(24, 0x43);
  const admin = oracleKafkajs().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: replies, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = oracleKafkajs().producer();
  await producer.connect();
  const now = Date.now();
  // The service echoes the request's queue headers on its reply (docs/queue-headers.md).
  const echo = (msgId: Buffer, putAt: number, expiry: string) => ({
    'mq-msg-id': msgId.toString('hex').toUpperCase(),
    'mq-msg-id-bytes': msgId,
    'mq-reply-to-q': 'CICS.REPLY',
    'mq-put-time': new Date(putAt).toISOString(),
    'mq-expiry': expiry,
  });
  await producer.send({
    topic: replies,
    messages: [
      { key: 'r1', value: 'BALANCE OK', headers: echo(requestId, now - 1000, '600') },
      { key: 'r2', value: 'TOO LATE', headers: echo(lateId, now - 120_000, '300') },
    ],
  });
  await producer.disconnect();

  const bridge = await bridgeFrom(uniqueTopic('replies-out').toLowerCase(), [
    `source: { kafka: { topics: [${replies}] } }`,
    'mapping: mappings/accounts-replies.yaml',
    `sink: { ibm_mq: ${MQ}, queue: UNUSED, mode: reply, payload: text, text_ccsid: 1047, priority: 6 } }`,
  ]);
  assert.deepEqual(await runUntilIdle(bridge, qm), { records: 2, published: 1, deadLettered: 1, skipped: 0 });
  const [reply] = qm.visible('CICS.REPLY');
  assert.ok(reply);
  assert.equal(reply.md.MsgType, 2, 'MQMT_REPLY');
  assert.deepEqual(reply.md.CorrelId, requestId);
  assert.equal(reply.md.CodedCharSetId, 1047);
  assert.equal(reply.md.Priority, 6, 'the sink\'s default where the event says nothing');
  assert.equal(reply.md.Format?.trim(), 'MQSTR');
  const cp1047 = getCodePage('cp1047');
  assert.equal(cp1047.decode(reply.body, 0, reply.body.length), 'BALANCE OK');
  assert.ok(reply.md.Expiry > 0 && reply.md.Expiry <= 590, `the expiry the request had left (${reply.md.Expiry} tenths)`);
  const [late] = await consumeAll(`${bridge.name}.dlq`, 1, 30_000);
  assert.equal(late!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_MQ_REPLY_EXPIRED');
  assert.equal(late!.value!.toString(), 'TOO LATE');
});

test('requests from a new service to a legacy server: MQMT_REQUEST with our reply queue, and the server\'s reply back on Kafka with the service\'s correlation id', async () => {
  const requests = uniqueTopic('mq-requests');
  const replies = uniqueTopic('mq-server-replies');
  await writeFile(join(dir, 'mappings', 'accounts-requests.yaml'), (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${replies}`));
  const qm = new FakeQueueManager({ ccsid: 37 }).defineQueue({ name: 'SERVER.IN' }).defineQueue({ name: 'BANYAN.REPLY' });
  const admin = oracleKafkajs().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: requests, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const file = await readFile(join(fixtures, 'accounts.canonical.f.bin'));
  const producer = oracleKafkajs().producer();
  await producer.connect();
  const uuid = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
  // The service asks in JSON (the mapping's names); the bridge encodes the copybook record.
  const { openRecordCodec } = await import('../../../src/codec/index.ts');
  const codec = openRecordCodec({ mapping: join(dir, 'mappings', 'accounts-requests.yaml') });
  const first = codec.decode(file.subarray(0, 20), 1);
  assert.equal(first?.kind, 'event');
  await producer.send({
    topic: requests,
    messages: [
      { key: 'q1', value: JSON.stringify(first!.kind === 'event' ? first.value : null), headers: { 'banyan-correlation-id': uuid } },
      { key: 'q2', value: JSON.stringify(first!.kind === 'event' ? first.value : null) },
    ],
  });
  await producer.disconnect();

  const out = await bridgeFrom(uniqueTopic('requests-out').toLowerCase(), [
    `source: { kafka: { topics: [${requests}] } }`,
    'mapping: mappings/accounts-requests.yaml',
    `sink: { ibm_mq: ${MQ}, queue: SERVER.IN, mode: request, reply_to_queue: BANYAN.REPLY, expiry: 300 } }`,
  ]);
  assert.deepEqual(await runUntilIdle(out, qm), { records: 2, published: 1, deadLettered: 1, skipped: 0 });
  const [request] = qm.visible('SERVER.IN');
  assert.ok(request);
  assert.equal(request.md.MsgType, 1, 'MQMT_REQUEST');
  assert.equal(request.md.ReplyToQ?.trim(), 'BANYAN.REPLY');
  assert.deepEqual(request.md.MsgId, Buffer.from(correlationToMsgId(uuid)!));
  assert.deepEqual(request.body, file.subarray(0, 20), 'the copybook record the service asked about');
  const [noId] = await consumeAll(`${out.name}.dlq`, 1, 30_000);
  assert.equal(noId!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_MQ_CORRELATION_ID');

  // The legacy server answers as MQ servers do: CorrelId = the request's MsgId, on its ReplyToQ.
  qm.putMessage('BANYAN.REPLY', { body: file.subarray(20, 40), ccsid: 37, msgType: 2, correlId: request.md.MsgId });
  const back = await bridgeFrom(uniqueTopic('replies-in').toLowerCase(), [
    `source: { ibm_mq: ${MQ}, queue: BANYAN.REPLY, restore_correlation_id: true, wait_interval_ms: 50, poll_interval_ms: 10 } }`,
    'mapping: mappings/accounts-requests.yaml',
    `sink: { kafka: { topic: ${replies} } }`,
  ]);
  assert.deepEqual(await runUntilIdle(back, qm), { records: 1, published: 1, deadLettered: 0, skipped: 0 });
  const [reply] = await consumeAll(replies, 1, 30_000);
  assert.equal(reply!.headers['banyan-correlation-id']!.toString(), uuid, 'the service gets its own correlation id back');
  assert.equal(reply!.headers['mq-msg-type']!.toString(), '2');
});

test('exactly-once Kafka -> MQ: the position on the state queue, in each batch\'s unit of work, keeps a restart whose Kafka offsets were never committed from putting anything twice', async () => {
  const topic = uniqueTopic('mq-eos');
  await writeFile(join(dir, 'mappings', 'accounts-eos.yaml'), (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${topic}`));
  const file = await readFile(join(fixtures, 'accounts.canonical.f.bin'));
  const qm = new FakeQueueManager({ ccsid: 37 }).defineQueue({ name: 'EOS.IN' }).defineQueue({ name: 'EOS.OUT' }).defineQueue({ name: 'BANYAN.STATE' });
  for (let i = 0; i < 12; i++) qm.putMessage('EOS.IN', { body: file.subarray(i * 20, (i + 1) * 20), ccsid: 37 });
  const inbound = await bridgeFrom(uniqueTopic('eos-in').toLowerCase(), [
    `source: { ibm_mq: ${MQ}, queue: EOS.IN, wait_interval_ms: 50, poll_interval_ms: 10 } }`,
    'mapping: mappings/accounts-eos.yaml',
    `sink: { kafka: { topic: ${topic} } }`,
  ]);
  assert.equal((await runUntilIdle(inbound, qm)).published, 12);

  const outbound = (group: string) =>
    bridgeFrom(uniqueTopic('eos-out').toLowerCase(), [
      `source: { kafka: { topics: [${topic}], group: ${group} } }`,
      'mapping: mappings/accounts-eos.yaml',
      `sink: { ibm_mq: ${MQ}, queue: EOS.OUT, state_queue: BANYAN.STATE } }`,
      'delivery: exactly_once',
      'batch: { max_records: 5, max_wait_ms: 50 }',
    ]);
  assert.equal((await runUntilIdle(await outbound(uniqueTopic('g1')), qm)).published, 12);
  assert.equal(qm.visible('EOS.OUT').length, 12);
  assert.equal(qm.visible('BANYAN.STATE').length, 1, 'one state message, replaced in every unit of work');
  // A restart that lost its Kafka offsets (here: a group that never committed) starts from the state queue.
  const again = await runUntilIdle(await outbound(uniqueTopic('g2')), qm);
  assert.equal(again.published, 0, 'nothing put again');
  assert.equal(qm.visible('EOS.OUT').length, 12);
});
