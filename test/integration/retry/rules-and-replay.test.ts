/**
 * A Kafka -> HTTP bridge with the product HTTP target, run by `banyan run --until-idle` on the real
 * Kafka against a real HTTP service: a 429's Retry-After outlasts the tier's delay and sets the
 * record's due time; the target's own outcome rules turn a 409 into a delivery and a 501 into a
 * dead letter; `ordering: none` lets a key's later event pass its retried one. Then the operator's
 * side: `banyan dlq list --since`, `banyan replay --error --to TOPIC` (with `--dry-run` first),
 * the replay recorded in headers and the event id kept, and `--to original` delivered by a rerun.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { runBanyan } from '../../support/cli.ts';
import { startDeliveryServer, type AnswerRule, type DeliveryServer } from '../../support/delivery-server.ts';
import { testBrokers, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
const text = (b: Buffer | undefined) => b?.toString('utf8');
const RETRY_AFTER_S = 2;
const TIER_MS = 200;

let dir: string;
let server: DeliveryServer;
let fixed = false;
const rule: AnswerRule = ({ eventId, attemptsSoFar }) => {
  if (eventId === 'e-throttled' && attemptsSoFar === 0) return { status: 429, retryAfterS: RETRY_AFTER_S };
  if (eventId === 'e-conflict') return { status: 409 };
  if (eventId === 'e-501') return { status: 501 };
  if (eventId === 'e-bad' && !fixed) return { status: 400 };
  return { status: 200 };
};
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-retry-rules-'));
  server = await startDeliveryServer(rule);
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('Retry-After, per-target outcome rules and ordering: none through banyan run --until-idle; then dlq list --since, replay --error --to TOPIC / --dry-run / --to original', async () => {
  const topic = uniqueTopic('retry-rules');
  const manual = `${topic}.manual`;
  await mkdir(join(dir, 'bridges'));
  await mkdir(join(dir, 'mappings'));
  await copyFile(join(fixtures, 'accounts.cpy'), join(dir, 'mappings', 'accounts.cpy'));
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8'));
  await writeFile(join(dir, 'banyan.yaml'), ['kafka:', `  brokers: ${testBrokers().join(',')}`, '  topics: { partitions: 1 }', ''].join('\n'));
  const bridge = join('bridges', 'orders-http.yaml');
  await writeFile(join(dir, bridge), [
    `name: ${topic.toLowerCase()}`,
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    'sink:',
    '  http:',
    '    name: orders-service',
    `    url: "${server.url}"`,
    '    outcomes: { delivered_statuses: [409], permanent_statuses: [501] }',
    `redelivery: { tiers: [{ delay_ms: ${TIER_MS} }, { delay_ms: ${TIER_MS} }], jitter: 0, ordering: none }`,
    '',
  ].join('\n'));
  const kafka = testKafkaClient();
  const admin = createTopicAdmin({ kafka });
  await admin.ensureTopics([{ topic, partitions: 1 }, { topic: manual, partitions: 1 }]);
  await admin.close();
  const publisher = createPublisher({ kafka });
  const startedAt = Date.now();
  const events = [['K1', 'e-throttled'], ['K1', 'e-next'], ['K2', 'e-conflict'], ['K3', 'e-501'], ['K4', 'e-bad']] as const;
  await publisher.publish(events.map(([key, id]) => ({ topic, key, value: JSON.stringify({ id }), headers: { 'banyan-event-id': id } })));
  await publisher.close();

  const run = await runBanyan(['run', bridge, '--until-idle'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /5 records read, 3 published, 2 dead-lettered, 0 skipped/);

  // Retry-After (2 s) is longer than the tier's 200 ms: it sets the due time.
  const tier1 = await readWholeTopic(`${topic}.retry.1`, { isolation: 'read_uncommitted' });
  assert.deepEqual(tier1.map((r) => text(r.headers['banyan-event-id'])), ['e-throttled'], 'only the throttled event was retried');
  const h1 = tier1[0]!.headers;
  assert.equal(text(h1['banyan-retry-http-status']), '429');
  const waited = Number(text(h1['retry_topic-backoff-timestamp'])) - Number(text(h1['banyan-retry-last-failure']));
  assert.ok(waited >= RETRY_AFTER_S * 1000, `due ${waited} ms after the failure: Retry-After honoured over the tier delay`);
  assert.equal(server.attempts('e-throttled'), 2);
  // ordering: none: K1's later event did not wait behind its retried one.
  const order = [...server.accepted.keys()];
  assert.ok(order.indexOf('e-next') < order.indexOf('e-throttled'), `e-next first: ${order.join(', ')}`);

  // The target's rules: 409 delivered (one attempt, not parked), 501 parked at once (not retried as a 5xx).
  assert.equal(server.attempts('e-conflict'), 1);
  assert.equal(server.attempts('e-501'), 1);
  const dlq = `${topic}.dlq`;
  const parked = await readWholeTopic(dlq, { isolation: 'read_uncommitted' });
  assert.deepEqual(parked.map((r) => text(r.headers['banyan-event-id'])).sort(), ['e-501', 'e-bad']);
  const p501 = parked.find((r) => text(r.headers['banyan-event-id']) === 'e-501')!;
  assert.equal(text(p501.headers['banyan-retry-reason']), 'permanent');
  assert.equal(text(p501.headers['banyan-retry-http-status']), '501');

  // dlq list --since: parked after startedAt, none after a time to come.
  const list = await runBanyan(['dlq', 'list', dlq, '--since', new Date(startedAt).toISOString()], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout.trim().split('\n').length, 2, list.stdout);
  const none = await runBanyan(['dlq', 'list', dlq, '--since', String(Date.now() + 3_600_000)], { cwd: dir });
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout.trim(), '');

  // replay --error 501 --to TOPIC: a dry run writes nothing, the real one writes just that record.
  const dry = await runBanyan(['replay', '--from', dlq, '--error', '501', '--to', manual, '--dry-run'], { cwd: dir });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /1 record\(s\) would be replayed \(dry run/);
  assert.deepEqual(await readWholeTopic(manual, { isolation: 'read_uncommitted' }), [], 'the dry run wrote nothing');
  const toManual = await runBanyan(['replay', '--from', dlq, '--error', '501', '--to', manual], { cwd: dir });
  assert.equal(toManual.code, 0, toManual.stderr);
  const moved = await readWholeTopic(manual, { isolation: 'read_uncommitted' });
  assert.equal(moved.length, 1);
  const m = moved[0]!;
  assert.equal(text(m.headers['banyan-event-id']), 'e-501', 'the event id is kept');
  assert.equal(m.key?.toString(), 'K3');
  assert.equal(m.value?.toString(), JSON.stringify({ id: 'e-501' }));
  assert.equal(text(m.headers['banyan-replay-count']), '1');
  assert.equal(text(m.headers['banyan-replay-from']), `${dlq}/${p501.partition}/${p501.offset}`);
  assert.match(text(m.headers['banyan-replay-at'])!, /^\d{13}$/);
  assert.equal(text(m.headers['kafka_dlt-original-topic']), topic, 'the origin is kept');
  assert.equal(m.headers['retry_topic-attempts'], undefined, 'the attempt count is reset');
  assert.equal(m.headers['kafka_dlt-exception-fqcn'], undefined, 'the failure is dropped');

  // The service takes e-bad now: replay it to its original topic and let the bridge run again.
  fixed = true;
  const back = await runBanyan(['replay', '--from', dlq, '--error', '400', '--to', 'original'], { cwd: dir });
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stderr, /1 record\(s\) replayed/);
  const rerun = await runBanyan(['run', bridge, '--until-idle'], { cwd: dir });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /1 records read, 1 published, 0 dead-lettered/);
  assert.ok(server.accepted.has('e-bad'), 'the replayed event delivered');
  assert.equal(server.accepted.get('e-bad')!.headers['idempotency-key'], 'e-bad', 'under its own idempotency key');
  assert.equal(server.attempts('e-bad'), 2, 'one attempt before parking, one after the replay');
  assert.equal(server.duplicates(), 0);
});
