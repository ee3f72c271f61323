/**
 * The retry processor serving the MQ sink (issue 15): a Kafka -> IBM MQ bridge with `redelivery:`
 * (real Kafka; the IBM MQ transport on the faithful fake of the `ibmmq` driver, as the other MQ
 * bridge tests). MQPUT failing with 2051 PUT_INHIBITED (retriable) sends the events through the
 * retry tiers until the queue takes puts again; a message too big for the queue (2030, poison) is
 * parked on the dead-letter topic at once. Every other event reaches the queue exactly once.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assembleRunnableBridge, loadBridgeFile } from '../../../src/bridge-assembly.ts';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { FakeQueueManager } from '../../support/fake-ibmmq.ts';
import { eventually } from '../../support/gateway-process.ts';
import { testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-mq-redelivery-'));
  await mkdir(join(dir, 'mappings'));
  await mkdir(join(dir, 'bridges'));
  await copyFile(join(fixtures, 'accounts.cpy'), join(dir, 'mappings', 'accounts.cpy'));
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('Kafka -> IBM MQ with redelivery: retriable MQPUT failures go through the tiers, a poison message to the dead-letter topic, the rest put once', async () => {
  const topic = uniqueTopic('mq-redeliver');
  const name = uniqueTopic('mq-redeliver-bridge').toLowerCase();
  const file = join(dir, 'bridges', `${name}.yaml`);
  await writeFile(file, [
    `name: ${name}`,
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    'sink: { ibm_mq: { queue_manager: QM1, channel: DEV.APP.SVRCONN, connection: "mq(1414)", queue: EVENTS.OUT, payload: text, text_ccsid: 1208 } }',
    // The later tiers are long enough that the queue takes puts again before the last one gives up.
    'redelivery: { tiers: [{ delay_ms: 500 }, { delay_ms: 3000 }, { delay_ms: 20000 }], jitter: 0.1, ordering: key }',
    '',
  ].join('\n'));
  const bridge = loadBridgeFile(file, dir, {});
  const qm = new FakeQueueManager({ ccsid: 37 }).defineQueue({ name: 'EVENTS.OUT', maxMessageLength: 64 });
  qm.inhibit('EVENTS.OUT', { put: true });

  const kafka = testKafkaClient();
  const topics = createTopicAdmin({ kafka });
  await topics.ensureTopics([{ topic }]);
  const publisher = createPublisher({ kafka });
  const small = Array.from({ length: 6 }, (_, i) => `event-${i}`);
  await publisher.publish([
    ...small.map((text, i) => ({ topic, key: `K${i % 3}`, value: text, headers: { 'banyan-event-id': text } })),
    { topic, key: 'BIG', value: 'x'.repeat(200), headers: { 'banyan-event-id': 'too-big' } },
  ]);
  await publisher.close();

  const runnable = await assembleRunnableBridge(bridge, dir, kafka, topics, { ibmMqDriver: async () => qm.driver() });
  assert.ok('run' in runnable, 'a redelivery bridge is run by the retry processor');
  const stop = new AbortController();
  const running = runnable.run(stop.signal);
  try {
    // The first attempts fail (PUT_INHIBITED) and land in tier 1; then the queue takes puts again.
    await eventually('failed puts in the first tier', 30_000, async () => ((await readWholeTopic(`${topic}.retry.1`, { isolation: 'read_uncommitted' })).length > 0 ? true : undefined));
    qm.inhibit('EVENTS.OUT', { put: false });
    await eventually('six events on the queue', 60_000, async () => (qm.visible('EVENTS.OUT').length === 6 ? true : undefined));
    const parked = await eventually('the poison message parked', 30_000, async () => {
      const r = await readWholeTopic(`${topic}.dlq`, { isolation: 'read_uncommitted' });
      return r.length > 0 ? r : undefined;
    });
    stop.abort();
    const summary = await running;
    assert.deepEqual(summary, { records: 7, published: 6, deadLettered: 1, skipped: 0 });
    assert.deepEqual(qm.visible('EVENTS.OUT').map((m) => m.body.toString('utf8')).sort(), [...small].sort(), 'each event put once');
    assert.equal(parked.length, 1);
    const h = parked[0]!.headers;
    assert.equal(h['banyan-event-id']?.toString(), 'too-big');
    assert.equal(h['kafka_dlt-exception-fqcn']?.toString(), 'BANYAN_ERR_MQ_MESSAGE_TOO_BIG', 'MQRC 2030 is poison: trying again cannot help');
    assert.equal(h['banyan-retry-target']?.toString(), 'ibm_mq:EVENTS.OUT');
    const tier1 = await readWholeTopic(`${topic}.retry.1`, { isolation: 'read_uncommitted' });
    assert.ok(tier1.some((r) => r.headers['kafka_dlt-exception-fqcn']?.toString() === 'BANYAN_ERR_MQ_INHIBITED'), 'PUT_INHIBITED (2051) was retried through the tier');
  } finally {
    stop.abort();
    await running.catch(() => {});
    await runnable.close();
    await topics.close();
  }
});
