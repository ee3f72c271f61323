/**
 * The retry processor against the real Kafka and a real HTTP service (issue 15, "Must show"):
 * 503s for the first attempts, per-key order while a key is in retry, a permanent 400 parked at
 * once with full headers, and an open breaker pausing consumption without spending attempts.
 * Tier delays are a few hundred ms (config); nothing here asserts how fast anything was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBanyan } from '../../support/cli.ts';
import { eventually } from '../../support/gateway-process.ts';
import { testBrokers } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';
import { startDeliveryServer } from '../../support/delivery-server.ts';
import { createFetchTarget } from '../../support/fetch-target.ts';
import { FAST_TIERS, startProcessor } from './retry-harness.ts';

const text = (b: Buffer | undefined) => b?.toString('utf8');

test('503 for the first two attempts of every third event: each event delivered once (by its idempotency key), attempt counts in the tier headers', async () => {
  const failing = (id: string) => Number(id.slice(1)) % 3 === 0;
  const server = await startDeliveryServer(({ eventId, attemptsSoFar }) => ({ status: failing(eventId) && attemptsSoFar < 2 ? 503 : 200 }));
  const target = createFetchTarget(server.url);
  const p = await startProcessor({ target, policy: FAST_TIERS });
  try {
    const ids = Array.from({ length: 30 }, (_, i) => `e${i}`);
    await p.send(ids.map((id, i) => [`k${i % 7}`, id]));
    await eventually('all 30 events accepted', 60_000, async () => (server.accepted.size === 30 ? true : undefined));
    const summary = await p.stop();

    assert.equal(server.duplicates(), 0, 'no event reached the service twice');
    for (const id of ids) {
      assert.equal(server.attempts(id), failing(id) ? 3 : 1, `${id}: attempts seen by the service`);
      assert.equal(server.accepted.get(id)!.attempt, failing(id) ? 3 : 1, `${id}: the accepted request carried its attempt number`);
    }
    assert.deepEqual({ delivered: summary.delivered, retried: summary.retried, parked: summary.parked }, { delivered: 30, retried: 20, parked: 0 });
    const tier1 = await readWholeTopic(`${p.topic}.retry.1`, { isolation: 'read_uncommitted' });
    const tier2 = await readWholeTopic(`${p.topic}.retry.2`, { isolation: 'read_uncommitted' });
    assert.deepEqual(tier1.map((r) => text(r.headers['banyan-event-id'])).sort(), ids.filter(failing).sort());
    assert.ok(tier1.every((r) => text(r.headers['retry_topic-attempts']) === '1' && text(r.headers['banyan-retry-http-status']) === '503'));
    assert.ok(tier2.every((r) => text(r.headers['retry_topic-attempts']) === '2'));
    assert.equal(tier2.length, 10);
    assert.ok(tier1.every((r) => text(r.headers['kafka_dlt-original-topic']) === p.topic), 'the original topic travels with the retried record');
  } finally {
    await p.stop().catch(() => {});
    await server.close();
  }
});

test('per-key order: key A\'s first event fails three times; A\'s later events arrive after it, in order, and key B is delivered without waiting', async () => {
  const server = await startDeliveryServer(({ eventId, attemptsSoFar }) => ({ status: eventId === 'A1' && attemptsSoFar < 3 ? 503 : 200 }));
  const target = createFetchTarget(server.url);
  // One partition: A and B share it, so B flowing past A is the processor's doing, not the partitioning's.
  const p = await startProcessor({ target, policy: { ...FAST_TIERS, ordering: 'key' }, partitions: 1 });
  try {
    const events: Array<[string, string]> = [];
    for (let i = 1; i <= 5; i++) events.push(['A', `A${i}`], ['B', `B${i}`]);
    await p.send(events);
    await eventually('all 10 events accepted', 60_000, async () => (server.accepted.size === 10 ? true : undefined));
    await p.stop();

    const order = [...server.accepted.keys()];
    assert.deepEqual(order.filter((id) => id.startsWith('A')), ['A1', 'A2', 'A3', 'A4', 'A5'], 'A in its own order');
    assert.deepEqual(order.filter((id) => id.startsWith('B')), ['B1', 'B2', 'B3', 'B4', 'B5']);
    assert.ok(order.indexOf('B5') < order.indexOf('A1'), `every B before A1 got through: ${order.join(' ')}`);
    assert.equal(server.attempts('A1'), 4);
    for (const id of ['A2', 'A3', 'A4', 'A5']) assert.equal(server.attempts(id), 1, `${id} followed A1 without being attempted early`);
    assert.equal(server.duplicates(), 0);
  } finally {
    await p.stop().catch(() => {});
    await server.close();
  }
});

test('a permanent 400 goes to the dead-letter topic at once, with the original coordinates, error, status, attempt, target and bridge in its headers; after the target is fixed, banyan replay delivers it', async () => {
  const server = await startDeliveryServer(({ eventId }) => ({ status: eventId === 'bad' ? 400 : 200 }));
  const target = createFetchTarget(server.url, 'orders-service');
  const p = await startProcessor({ target, policy: FAST_TIERS });
  try {
    await p.send([['K1', 'good'], ['K1', 'bad']]);
    const [parked] = await eventually('the parked record', 30_000, async () => {
      const r = await readWholeTopic(`${p.topic}.dlq`, { isolation: 'read_uncommitted' });
      return r.length > 0 ? r : undefined;
    });
    await eventually('the good event delivered', 30_000, async () => (server.accepted.has('good') ? true : undefined));
    const h = parked!.headers;
    assert.equal(server.attempts('bad'), 1, 'a 400 is not retried');
    assert.equal(text(h['banyan-event-id']), 'bad', 'the event id is kept');
    assert.equal(text(h['kafka_dlt-original-topic']), p.topic);
    assert.match(text(h['kafka_dlt-original-partition'])!, /^\d+$/);
    assert.match(text(h['kafka_dlt-original-offset'])!, /^\d+$/);
    assert.match(text(h['kafka_dlt-original-timestamp'])!, /^\d{13}$/);
    assert.equal(text(h['banyan-retry-original-key']), 'K1');
    assert.equal(text(h['retry_topic-attempts']), '1');
    assert.equal(text(h['kafka_dlt-exception-fqcn']), 'HttpStatus');
    assert.match(text(h['kafka_dlt-exception-message'])!, /^400/);
    assert.equal(text(h['banyan-retry-http-status']), '400');
    assert.equal(text(h['banyan-retry-reason']), 'permanent');
    assert.equal(text(h['banyan-retry-target']), 'orders-service');
    assert.equal(text(h['banyan-retry-bridge']), `bridge-${p.topic}`);
    assert.equal(text(h['banyan-retry-first-failure']), text(h['banyan-retry-last-failure']));
    assert.equal(parked!.key?.toString(), 'K1');
    assert.equal(parked!.value?.toString(), JSON.stringify({ id: 'bad' }));

    // The service is fixed; the operator looks at the dead-letter topic and replays it.
    server.setRule(() => ({ status: 200 }));
    const dir = await mkdtemp(join(tmpdir(), 'banyan-replay-'));
    try {
      await writeFile(join(dir, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n`);
      const list = await runBanyan(['dlq', 'list', `${p.topic}.dlq`, '--error', '400'], { cwd: dir });
      assert.equal(list.code, 0, list.stderr);
      const listed = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(listed.map((l) => [l.eventId, l.reason, l.httpStatus, l.key]), [['bad', 'permanent', 400, 'K1']]);
      const dry = await runBanyan(['replay', '--from', `${p.topic}.dlq`, '--dry-run'], { cwd: dir });
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stderr, /1 record\(s\) would be replayed \(dry run/);
      const replay = await runBanyan(['replay', '--from', `${p.topic}.dlq`, '--key', 'K1'], { cwd: dir });
      assert.equal(replay.code, 0, replay.stderr);
      assert.deepEqual(JSON.parse(replay.stdout.trim()), { from: `${p.topic}.dlq/${parked!.partition}/${parked!.offset}`, to: p.topic, eventId: 'bad', key: 'K1' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await eventually('the replayed event delivered', 30_000, async () => (server.accepted.has('bad') ? true : undefined));
    await p.stop();
    const delivered = server.accepted.get('bad')!;
    assert.equal(delivered.attempt, 1, 'the replay reset the attempt count');
    assert.equal(delivered.body, JSON.stringify({ id: 'bad' }));
    assert.equal(server.attempts('bad'), 2, 'one attempt before parking, one after the replay');
  } finally {
    await p.stop().catch(() => {});
    await server.close();
  }
});

test('breaker open: consumption pauses and no attempt is spent; it resumes by itself when the breaker lets a trial through', async () => {
  const server = await startDeliveryServer();
  const target = createFetchTarget(server.url);
  const pauses: string[] = [];
  const p = await startProcessor({ target, policy: FAST_TIERS, events: { paused: (e) => pauses.push(`paused:${e.why}`), resumed: (e) => pauses.push(`resumed:${e.why}`) } });
  try {
    await p.send([['k', 'warm-up']]);
    await eventually('warm-up delivered', 30_000, async () => (server.accepted.has('warm-up') ? true : undefined));
    target.setAvailability('unavailable');
    const ids = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await p.send(ids.map((id, i) => [`k${i}`, id]));
    // The group's committed offsets stand still while the breaker is open: nothing was handled.
    const committedBefore = await committed(p, `group-${p.topic}`);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(server.requests.length, 1, 'no request reached the service while its breaker was open');
    assert.deepEqual(await committed(p, `group-${p.topic}`), committedBefore);
    target.setAvailability('probing');
    await eventually('all 20 delivered after the breaker closed', 30_000, async () => (server.accepted.size === 21 ? true : undefined));
    await p.stop();
    for (const id of ids) assert.equal(server.accepted.get(id)!.attempt, 1, `${id}: delivered on its first attempt, none spent while open`);
    assert.deepEqual(pauses, ['paused:breaker', 'resumed:breaker']);
    const tier1 = await readWholeTopic(`${p.topic}.retry.1`, { isolation: 'read_uncommitted' });
    assert.equal(tier1.length, 0, 'nothing went to a retry tier');
  } finally {
    await p.stop().catch(() => {});
    await server.close();
  }
});

async function committed(p: { topic: string }, groupId: string): Promise<string[]> {
  const { oracleKafkajs } = await import('../../support/kafka.ts');
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [p.topic] });
    return (t?.partitions ?? []).map((x) => `${x.partition}:${x.offset}`).sort();
  } finally {
    await admin.disconnect();
  }
}

test('per-key order under load: 600 events on 60 keys, each failing its first attempt, 1 ms tiers: all delivered once, each key in publish order', async () => {
  const server = await startDeliveryServer(({ attemptsSoFar }) => ({ status: attemptsSoFar < 1 ? 503 : 200 }));
  const target = createFetchTarget(server.url);
  const p = await startProcessor({ target, policy: { tierDelaysMs: [1, 1, 1], jitter: 0, ordering: 'key' }, partitions: 6 });
  try {
    const events = Array.from({ length: 600 }, (_, n) => [`key-${n % 60}`, `e${n}`] as const);
    await p.send(events);
    await eventually('all 600 accepted', 120_000, async () => (server.accepted.size === 600 ? true : undefined));
    await p.stop();
    assert.equal(server.duplicates(), 0);
    const accepted = [...server.accepted.values()];
    for (let k = 0; k < 60; k++) {
      const mine = accepted.filter((r) => r.key === `key-${k}`).map((r) => Number(r.eventId.slice(1)));
      assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `key-${k} in publish order`);
      assert.equal(mine.length, 10);
    }
  } finally {
    await p.stop().catch(() => {});
    await server.close();
  }
});

test('per-key order across rebalances: a second processor of the group joins and leaves mid-stream; every event delivered, each key in publish order', async () => {
  const server = await startDeliveryServer(({ attemptsSoFar }) => ({ status: attemptsSoFar < 1 ? 503 : 200 }));
  const target = createFetchTarget(server.url);
  const policy = { tierDelaysMs: [50, 50, 50], jitter: 0, ordering: 'key' } as const;
  const first = await startProcessor({ target, policy, partitions: 6 });
  let second: Awaited<ReturnType<typeof startProcessor>> | undefined;
  try {
    const events = Array.from({ length: 600 }, (_, n) => [`key-${n % 60}`, `e${n}`] as const);
    await first.send(events.slice(0, 200));
    // The same topic, group and backlog topic: the group rebalances to two members, then back to one.
    let deliveredBySecond = 0;
    second = await startProcessor({ target, policy, partitions: 6, topic: first.topic, events: { delivered: () => void deliveredBySecond++ } });
    await first.send(events.slice(200, 400));
    await eventually('the second member delivering', 60_000, async () => (deliveredBySecond > 0 ? true : undefined));
    await eventually('400 accepted with two members', 120_000, async () => (server.accepted.size >= 400 ? true : undefined));
    await second.stop();
    await first.send(events.slice(400));
    await eventually('all 600 accepted', 120_000, async () => (server.accepted.size === 600 ? true : undefined));
    await first.stop();
    const accepted = [...server.accepted.values()];
    for (let k = 0; k < 60; k++) {
      const mine = accepted.filter((r) => r.key === `key-${k}`).map((r) => Number(r.eventId.slice(1)));
      assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `key-${k} in publish order`);
      assert.equal(mine.length, 10);
    }
    // A partition that moves is read again from its last commit by its new owner: those repeats reach
    // the target with the same idempotency key; they are bounded by what was in flight.
    const repeats = server.duplicates();
    assert.ok(repeats <= 200, `${repeats} repeats`);
    process.stdout.write(`# 600 events across two rebalances: 600 delivered (${deliveredBySecond} by the second member), ${repeats} repeats absorbed by the idempotency key\n`);
  } finally {
    await second?.stop().catch(() => {});
    await first.stop().catch(() => {});
    await server.close();
  }
});
