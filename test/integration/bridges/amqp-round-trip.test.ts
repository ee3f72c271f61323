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
import { drainQueue, sendRaw, uniqueQueue } from '../../support/amqp.ts';
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
