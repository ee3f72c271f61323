/**
 * Shadow mismatches reach a real Kafka topic (the run's broker from global-setup): one record per
 * reported mismatch, keyed by route id, carrying the request, both responses and the differing
 * fields; matching requests publish nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createPublisher, createTopicAdmin, type Publisher, type TopicAdmin } from '../../../src/connectors/kafka/index.ts';
import { createKafkaMismatchSink, type KafkaMismatchSink } from '../../../src/router/shadow/kafka-mismatch-sink.ts';
import type { MismatchRecord } from '../../../src/router/shadow/mismatch-sink.ts';
import { consumeAll, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;
let admin: TopicAdmin;
let publisher: Publisher;
let sink: KafkaMismatchSink;
const topic = uniqueTopic('banyan.router.mismatches');

before(async () => {
  const kafka = testKafkaClient();
  admin = createTopicAdmin({ kafka });
  await admin.ensureTopics([{ topic, partitions: 3 }]);
  publisher = createPublisher({ kafka });
  sink = createKafkaMismatchSink({ publisher, topic, logger: pino({ level: 'silent' }) });
  legacy = await startUpstream(jsonHandler('legacy', (req) => ({ price: 10, currency: req.url?.endsWith('/eu') ? 'EUR' : 'USD' })));
  fresh = await startUpstream(jsonHandler('new', (req) => ({ price: 10, currency: req.url?.endsWith('/eu') ? 'eur' : 'USD' })));
  dir = routesDir({
    'quotes.yaml': `
routes:
  - id: quotes
    match: { method: GET, path: /quotes/:region }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: shadow
    shadow: { compare: { ignore: [body.side] }, noise: { rate: 0, warmup: 0 } }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false, mismatchSink: sink });
});

after(async () => {
  await r?.close();
  await legacy?.close();
  await fresh?.close();
  dir?.remove();
  await publisher?.close();
  await admin?.close();
});

test('each reported mismatch is published to the mismatch topic with both responses and the differing fields', async () => {
  for (const region of ['us', 'eu', 'us', 'eu', 'eu']) assert.equal((await r.get(`/quotes/${region}`)).status, 200);
  await r.router.shadowIdle();
  await sink.flush();
  const records = await consumeAll(topic, 3, 30_000);
  assert.equal(records.length, 3, 'three /eu requests differ; the /us ones match and publish nothing');
  for (const rec of records) {
    assert.equal(rec.key?.toString(), 'quotes');
    assert.equal(rec.headers['banyan-route']?.toString(), 'quotes');
    const m = JSON.parse(rec.value!.toString()) as MismatchRecord;
    assert.equal(rec.headers['banyan-request-id']?.toString(), m.requestId);
    assert.deepEqual(m.request, { method: 'GET', url: '/quotes/eu' });
    assert.deepEqual(m.fields, [{ path: 'body.currency', legacy: 'EUR', candidate: 'eur' }]);
    assert.equal(m.legacy.status, 200);
    assert.equal(JSON.parse(m.legacy.body).side, 'legacy');
    assert.equal(JSON.parse(m.candidate.body).side, 'new');
  }
  assert.equal(sink.dropped, 0);
});
