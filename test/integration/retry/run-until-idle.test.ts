/**
 * `banyan run BRIDGE.yaml --until-idle` for a Kafka -> HTTP bridge, which runs through the retry
 * processor: the command ends by itself once every record is settled (delivered or parked) and
 * committed, including one that waits out a retry tier's delay and one parked on a 400; it prints
 * its summary line and exits 0. A second run finds everything committed and ends with nothing read.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { runBanyan } from '../../support/cli.ts';
import { startDeliveryServer, type DeliveryServer } from '../../support/delivery-server.ts';
import { testBrokers, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
let dir: string;
let server: DeliveryServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-retry-until-idle-'));
  // e-retry fails once (503, so it waits in tier 1), e-bad is refused for good (400), the rest pass.
  server = await startDeliveryServer(({ eventId, attemptsSoFar }) => ({ status: eventId === 'e-bad' ? 400 : eventId === 'e-retry' && attemptsSoFar === 0 ? 503 : 200 }));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('banyan run --until-idle on a Kafka -> HTTP bridge exits 0 once a retried and a parked record are settled; each event reached the service once', async () => {
  const topic = uniqueTopic('retry-idle');
  await mkdir(join(dir, 'bridges'));
  await mkdir(join(dir, 'mappings'));
  await copyFile(join(fixtures, 'accounts.cpy'), join(dir, 'mappings', 'accounts.cpy'));
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8'));
  await writeFile(join(dir, 'banyan.yaml'), ['kafka:', `  brokers: ${testBrokers().join(',')}`, '  topics: { partitions: 2 }', ''].join('\n'));
  const bridge = join('bridges', 'orders-http.yaml');
  await writeFile(join(dir, bridge), [
    `name: ${topic.toLowerCase()}`,
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    `sink: { http: { name: orders-service, url: "${server.url}" } }`,
    'redelivery: { tiers: [{ delay_ms: 1500 }, { delay_ms: 3000 }], jitter: 0.1, ordering: key }',
    '',
  ].join('\n'));
  const kafka = testKafkaClient();
  const admin = createTopicAdmin({ kafka });
  await admin.ensureTopics([{ topic, partitions: 2 }]);
  await admin.close();
  const publisher = createPublisher({ kafka });
  // e-after shares e-retry's key: it follows it through tier 1 and is delivered after it.
  const events = [['K1', 'e-retry'], ['K1', 'e-after'], ['K2', 'e-bad'], ['K3', 'e-ok']] as const;
  await publisher.publish(events.map(([key, id]) => ({ topic, key, value: JSON.stringify({ id }), headers: { 'banyan-event-id': id } })));
  await publisher.close();

  const run = await runBanyan(['run', bridge, '--until-idle'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /4 records read, 3 published, 1 dead-lettered, 0 skipped/);

  assert.deepEqual([...server.accepted.keys()].sort(), ['e-after', 'e-ok', 'e-retry'], 'every deliverable event accepted');
  assert.equal(server.duplicates(), 0, 'none accepted twice');
  assert.equal(server.attempts('e-retry'), 2, 'e-retry: one failed attempt, one through tier 1');
  assert.equal(server.attempts('e-bad'), 1, 'e-bad parked at its first 400');
  const order = [...server.accepted.keys()];
  assert.ok(order.indexOf('e-retry') < order.indexOf('e-after'), `K1 in order: ${order.join(', ')}`);

  const tier1 = await readWholeTopic(`${topic}.retry.1`, { isolation: 'read_uncommitted' });
  assert.deepEqual(tier1.map((r) => r.headers['banyan-event-id']?.toString()).sort(), ['e-after', 'e-retry'], 'the retried record and its follower went through tier 1');
  const parked = await readWholeTopic(`${topic}.dlq`, { isolation: 'read_uncommitted' });
  assert.deepEqual(parked.map((r) => r.headers['banyan-event-id']?.toString()), ['e-bad'], 'the dead-letter topic holds the parked event');

  // Everything handled was committed: a second run reads nothing and ends.
  const again = await runBanyan(['run', bridge, '--until-idle'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 records read, 0 published, 0 dead-lettered/);
  assert.equal(server.requests.length, 5, 'the second run sent nothing');
});
