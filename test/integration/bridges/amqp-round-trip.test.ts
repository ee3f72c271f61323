/**
 * The MQ contract on its second transport, against a real ActiveMQ Artemis and real Kafka: copybook
 * records sent by a JMS-style application to a queue go to Kafka decoded and keyed, and a Kafka ->
 * AMQP bridge puts them back on another queue byte for byte (BytesMessage data sections), with the
 * sending application's properties carried through Kafka's mq-property.* headers.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import rhea from 'rhea';
import { assembleBridge, loadBridgeFile, type BridgeConfig } from '../../../src/bridge-assembly.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { runBridgePipeline } from '../../../src/core/bridge-pipeline.ts';
import { drainQueue, failDeliveries, sendRaw, uniqueQueue } from '../../support/amqp.ts';
import { testAmqpPort } from '../../support/artemis.ts';
import { consumeAll, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-amqp-round-'));
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

async function runUntilIdle(bridge: BridgeConfig) {
  const kafka = testKafkaClient();
  const topics = createTopicAdmin({ kafka });
  const assembled = await assembleBridge(bridge, dir, kafka, topics);
  try {
    return await runBridgePipeline({ ...assembled.options, untilIdle: true }, new AbortController().signal);
  } finally {
    await assembled.close();
    await topics.close();
  }
}

test('AMQP -> Kafka -> AMQP: copybook records come back byte for byte, keyed by account in Kafka, properties carried through', async () => {
  const port = testAmqpPort();
  const [inbound, outbound] = [uniqueQueue('accounts.in'), uniqueQueue('accounts.out')];
  const topic = uniqueTopic('amqp-accounts');
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${topic}`));
  const file = await readFile(join(fixtures, 'accounts.canonical.f.bin'));
  const originals = Array.from({ length: file.length / 20 }, (_, i) => Buffer.from(file.subarray(i * 20, (i + 1) * 20)));
  await sendRaw(
    port,
    inbound,
    originals.map((b, i) => ({ durable: true, priority: 4, application_properties: { region: 'EU', seq: i }, body: rhea.message.data_section(b) })) as never,
  );

  const toKafka = await bridgeFrom(uniqueTopic('amqp-in').toLowerCase(), [
    `source: { amqp: { host: 127.0.0.1, port: ${port}, address: ${inbound}, wait_interval_ms: 200 } }`,
    'mapping: mappings/accounts.yaml',
    `sink: { kafka: { topic: ${topic} } }`,
    'batch: { max_records: 5, max_wait_ms: 50 }',
  ]);
  assert.deepEqual(await runUntilIdle(toKafka), { records: 12, published: 12, deadLettered: 0, skipped: 0 });
  const events = await consumeAll(topic, 12, 30_000);
  for (const e of events) {
    const value = JSON.parse(e.value!.toString()) as { accountNo?: string; ACCOUNT_NO?: string };
    assert.ok(e.key!.toString().startsWith('ACC'), `keyed by the account number (${e.key})`);
    assert.equal(e.headers['mq-property.region']!.toString(), 'EU');
    assert.equal(e.headers['mq-priority']!.toString(), '4');
    assert.ok(value);
  }

  const toAmqp = await bridgeFrom(uniqueTopic('amqp-out').toLowerCase(), [
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    `sink: { amqp: { host: 127.0.0.1, port: ${port}, address: ${outbound} } }`,
    'batch: { max_records: 5, max_wait_ms: 50 }',
  ]);
  assert.deepEqual(await runUntilIdle(toAmqp), { records: 12, published: 12, deadLettered: 0, skipped: 0 });
  const back = await drainQueue(port, outbound, 1000);
  const bodies = back.map((m) => Buffer.from((m.body as { content: Buffer }).content).toString('hex')).sort();
  assert.deepEqual(bodies, originals.map((b) => b.toString('hex')).sort(), 'every record back, byte for byte');
  for (const m of back) assert.equal((m.application_properties as Record<string, unknown>).region, 'EU');
  assert.equal((await drainQueue(port, inbound, 500)).length, 0, 'the inbound queue is empty');
});

test('on Artemis: a message backed out BOTHRESH times goes to the backout queue and the dead-letter topic, the queue keeps flowing, and header routes pick topics', async () => {
  const port = testAmqpPort();
  const [queue, backout] = [uniqueQueue('orders.in'), uniqueQueue('orders.boq')];
  const [topic, vip] = [uniqueTopic('amqp-routed'), uniqueTopic('amqp-vip')];
  await writeFile(join(dir, 'mappings', 'accounts-routed.yaml'), (await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8')).replace('topic: legacy.accounts.v1', `topic: ${topic}`));
  const file = await readFile(join(fixtures, 'accounts.canonical.f.bin'));
  const rec = (i: number) => Buffer.from(file.subarray(i * 20, (i + 1) * 20));
  await sendRaw(port, queue, [
    { message_id: 'ID:poison-1', durable: true, body: rhea.message.data_section(rec(0)) },
    { message_id: 'ID:vip-1', durable: true, application_properties: { tier: 'vip' }, body: rhea.message.data_section(rec(1)) },
    { message_id: 'ID:plain-1', durable: true, body: rhea.message.data_section(rec(2)) },
  ] as never);
  await failDeliveries(port, queue, 3); // the first message, three failed deliveries: delivery-count 3

  const bridge = await bridgeFrom(uniqueTopic('amqp-poison').toLowerCase(), [
    `source: { amqp: { host: 127.0.0.1, port: ${port}, address: ${queue}, backout_threshold: 3, backout_queue: ${backout}, wait_interval_ms: 200, routes: [{ header: mq-property.tier, equals: vip, topic: ${vip} }] } }`,
    'mapping: mappings/accounts-routed.yaml',
    `sink: { kafka: { topic: ${topic} } }`,
  ]);
  assert.deepEqual(await runUntilIdle(bridge), { records: 3, published: 2, deadLettered: 1, skipped: 0 });
  const [dead] = await consumeAll(`${topic}.dlq`, 1, 30_000);
  assert.equal(dead!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_MQ_POISON_MESSAGE');
  assert.match(dead!.headers['banyan-error-reason']!.toString(), new RegExp(`backed out 3 times \\(BOTHRESH 3\\); moved to ${backout.replaceAll('.', '\\.')}`));
  assert.deepEqual(dead!.value, rec(0));
  const moved = await drainQueue(port, backout, 1000);
  assert.deepEqual(moved.map((m) => Buffer.from((m.body as { content: Buffer }).content).toString('hex')), [rec(0).toString('hex')]);
  assert.equal((await consumeAll(vip, 1, 30_000))[0]!.headers['mq-msg-id']!.toString(), Buffer.from('ID:vip-1').toString('hex').toUpperCase(), 'routed by the tier property');
  assert.equal((await consumeAll(topic, 1, 30_000)).length, 1, 'the plain one on the mapping\'s topic');
  assert.equal((await drainQueue(port, queue, 500)).length, 0, 'the queue kept flowing and is empty');
});
