/**
 * Issue 15's crash test: a Kafka -> HTTP bridge (the real HTTP target, `banyan start` as a child
 * process) whose service answers 503 to the first three attempts of every event, so each event
 * passes through all three retry tiers. Three waves of events are sent so that at one moment
 * wave A sits in tier 3, wave B in tier 2 and wave C in tier 1; then the gateway is SIGKILLed,
 * started again, and left to finish. Afterwards every event must have reached the service; repeats
 * (a delivery whose commit the kill cut off) are absorbed by the idempotency key, counted and
 * printed, and bounded by what one instance can have handled but not committed.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { startDeliveryServer, type DeliveryServer } from '../../support/delivery-server.ts';
import { eventually, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { testBrokers, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
const WAVE = 20;
let dir: string;
let server: DeliveryServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-retry-crash-'));
  server = await startDeliveryServer(({ attemptsSoFar }) => ({ status: attemptsSoFar < 3 ? 503 : 200 }));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('SIGKILL while records sit in every retry tier: after restart every event reaches the service; repeats only as the idempotency key absorbs them, counted', async () => {
  const topic = uniqueTopic('retry-crash');
  await mkdir(join(dir, 'bridges'));
  await mkdir(join(dir, 'mappings'));
  await copyFile(join(fixtures, 'accounts.cpy'), join(dir, 'mappings', 'accounts.cpy'));
  await writeFile(join(dir, 'mappings', 'accounts.yaml'), await readFile(join(fixtures, 'accounts.mapping.yaml'), 'utf8'));
  await writeFile(join(dir, 'banyan.yaml'), ['kafka:', `  brokers: ${testBrokers().join(',')}`, '  topics: { partitions: 3 }', 'http: { port: 0 }', ''].join('\n'));
  await writeFile(join(dir, 'bridges', 'orders-http.yaml'), [
    `name: ${topic.toLowerCase()}`,
    `source: { kafka: { topics: [${topic}] } }`,
    'mapping: mappings/accounts.yaml',
    // The breaker stays closed: this test is about tiers and crashes (the breaker test is its own).
    `sink: { http: { name: orders-service, url: "${server.url}", breaker: { volume_threshold: 100000 } } }`,
    'redelivery: { tiers: [{ delay_ms: 2000 }, { delay_ms: 4000 }, { delay_ms: 8000 }], jitter: 0.1, ordering: key }',
    '',
  ].join('\n'));
  const kafka = testKafkaClient();
  const admin = createTopicAdmin({ kafka });
  await admin.ensureTopics([{ topic, partitions: 3 }]);
  await admin.close();
  const publisher = createPublisher({ kafka });
  const wave = (name: string) => Array.from({ length: WAVE }, (_, i) => `${name}${i}`);
  // A key per event: with ordering: key a later wave would otherwise follow its keys' earlier records
  // straight to their tier (that is the per-key order test's subject, not this one's).
  const send = (ids: string[]) => publisher.publish(ids.map((id) => ({ topic, key: `acct-${id}`, value: JSON.stringify({ id }), headers: { 'banyan-event-id': id } })));
  const inTier = async (tier: number, prefix: string) =>
    (await readWholeTopic(`${topic}.retry.${tier}`, { isolation: 'read_uncommitted' })).some((r) => r.headers['banyan-event-id']?.toString().startsWith(prefix));

  let gateway: GatewayProcess | undefined = await startGatewayProcess(dir, join(dir, 'banyan.yaml'));
  try {
    await send(wave('A'));
    await eventually('wave A in tier 2', 60_000, async () => ((await inTier(2, 'A')) ? true : undefined));
    await send(wave('B'));
    await eventually('wave A in tier 3 and B in tier 2', 60_000, async () => ((await inTier(3, 'A')) && (await inTier(2, 'B')) ? true : undefined));
    await send(wave('C'));
    await eventually('wave C in tier 1', 60_000, async () => ((await inTier(1, 'C')) ? true : undefined));
    const acceptedAtKill = server.accepted.size;
    gateway.kill('SIGKILL');
    await gateway.exited;
    gateway = undefined;
    assert.ok(acceptedAtKill < 3 * WAVE, 'the kill came while events were still in the retry path');

    gateway = await startGatewayProcess(dir, join(dir, 'banyan.yaml'));
    const all = [...wave('A'), ...wave('B'), ...wave('C')];
    await eventually('every event accepted after the restart', 180_000, async () => (all.every((id) => server.accepted.has(id)) ? true : undefined));
    const duplicates = server.duplicates();
    process.stdout.write(`# retry crash: ${all.length} events, ${acceptedAtKill} accepted before the kill, ${duplicates} repeated deliveries absorbed by the idempotency key, ${server.requests.length} requests in all\n`);
    assert.equal(server.accepted.size, all.length, 'nothing lost, nothing invented');
    // Repeats come only from records handled in the last commit interval before the kill (commits go every 200 ms).
    assert.ok(duplicates <= WAVE, `repeats bounded: ${duplicates}`);
    for (const id of all) assert.ok(server.attempts(id) >= 4, `${id} went through every tier (${server.attempts(id)} attempts)`);
  } finally {
    gateway?.kill('SIGTERM');
    await gateway?.exited;
    await publisher.close();
  }
});
