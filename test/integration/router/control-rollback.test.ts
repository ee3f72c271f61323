/**
 * Issue 3, "Must show": the new service starts failing, its breaker opens, clients see no errors
 * (fallback to legacy), and the ramp rolls back automatically with an audit event read back from
 * the real Kafka topic; the service recovers and the ramp resumes.
 *
 * Real pieces: the data plane's createRouter with its opossum breakers, two node:http upstreams on
 * 127.0.0.1, the control plane's rollout controller, and the run's Kafka broker (audit topic via the
 * project's publisher). The controller's clock is injected so step intervals pass without sleeping;
 * the breaker's reset timer runs on real time, so the test waits (bounded) for its half-open event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublisher, type Publisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin, type TopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import type { BreakerState } from '../../../src/router/contracts.ts';
import { createControlPlane, type ControlPlane } from '../../../src/router/admin/control-plane.ts';
import type { AuditEvent } from '../../../src/router/audit/audit-event.ts';
import { createKafkaAuditSink } from '../../../src/router/audit/kafka-audit-sink.ts';
import { createFileRouteStateStore } from '../../../src/router/state/file-state-store.ts';
import { consumeAll, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;
let cp: ControlPlane;
let publisher: Publisher;
let topics: TopicAdmin;
const auditTopic = uniqueTopic('banyan.router.audit.test');
const clock = { t: Date.now() };
const newBreaker: BreakerState[] = [];
let nextId = 0;

const healthy = jsonHandler('new');
const broken: typeof healthy = (_req, res) => {
  res.writeHead(503, { 'content-type': 'application/json' });
  res.end('{"error":"new service down"}');
};

/** Sends `n` requests with fresh cohort keys; returns the statuses the clients saw. */
async function traffic(n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await r.get(`/orders/${nextId++}`)).status);
  return statuses;
}

const weight = () => r.router.control.listRoutes().find((x) => x.id === 'orders')!.weight;
const phase = () => cp.controller.status('orders').rollout?.phase;

async function until(what: string, predicate: () => boolean): Promise<void> {
  // A bound on waiting for the breaker's own timer, not an assertion about speed.
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((res) => setTimeout(res, 20));
  assert.ok(predicate(), `gave up waiting for: ${what}`);
}

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(healthy);
  dir = routesDir({
    'orders.yaml': `
routes:
  - id: orders
    match: { method: GET, path: /orders/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 0
    cohort: { key: { from: path, name: id } }
    rollout:
      steps: [10, 50, 100]
      interval: 1m
      min_requests: 5
      gates:
        error_rate: { max_increase: 0.05 }
      on_failure: { rollback_to: last-good, resume: auto, resume_after: 30s, max_attempts: 3 }
`,
  });
  r = await startRouter({
    routesDir: dir.dir,
    watch: false,
    breaker: { volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeoutMs: 500 },
  });
  r.router.control.on('breaker', (e) => {
    if (e.routeId === 'orders' && e.side === 'new') newBreaker.push(e.state);
  });

  const kafka = testKafkaClient();
  topics = createTopicAdmin({ kafka });
  await topics.ensureTopics([{ topic: auditTopic, partitions: 1 }]);
  publisher = createPublisher({ kafka });
  cp = createControlPlane({
    port: r.router.control,
    tokens: [{ name: 'ops', token: 'rollback-test-token-0123' }],
    store: createFileRouteStateStore(join(mkdtempSync(join(tmpdir(), 'banyan-rollback-')), 'state.json')),
    auditSink: createKafkaAuditSink(publisher, auditTopic),
    now: () => clock.t,
    tickMs: 0,
  });
  await cp.start();
});

after(async () => {
  await cp?.stop();
  await r?.close();
  await publisher?.close();
  await topics?.close();
  await legacy?.close();
  await fresh?.close();
  dir?.remove();
});

test('the ramp advances while the new service is healthy', async () => {
  cp.controller.tick();
  assert.equal(weight(), 10);
  const statuses = await traffic(200);
  assert.ok(statuses.every((s) => s === 200));
  assert.ok(fresh.received.length >= 5, 'new got its share');
  clock.t += 60_000;
  cp.controller.tick();
  assert.equal(weight(), 50);
});

test('the new service fails: its breaker opens, clients see no errors, the ramp rolls back to the last good weight', async () => {
  fresh.setHandler(broken);
  const statuses = await traffic(200);
  assert.deepEqual([...new Set(statuses)], [200], 'every client got an answer (legacy served the fallbacks)');
  assert.ok(newBreaker.includes('open'), 'the new side breaker opened');
  assert.equal(weight(), 10, 'rolled back to the last good step without waiting for a tick');
  assert.equal(phase(), 'rolled-back');
  const m = cp.stats.route('orders');
  assert.ok(m.new.fellBack > 0 && m.new.failed >= m.new.fellBack);
});

test('the rollback is an audit event on the Kafka topic with who, why, from, to and the gate values', async () => {
  await cp.controller.idle();
  const records = await consumeAll(auditTopic, 3, 30_000);
  const events = records.map((rec) => JSON.parse(rec.value!.toString('utf8')) as AuditEvent);
  assert.deepEqual(
    events.map((e) => `${e.action}:${e.from.weight}->${e.to.weight}`),
    ['rollout-start:0->10', 'step:10->50', 'rollback:50->10'],
  );
  const rollback = events[2]!;
  assert.equal(records[2]!.key!.toString(), 'orders');
  assert.equal(records[2]!.headers['banyan-audit-action']!.toString(), 'rollback');
  assert.equal(rollback.actor, 'rollout-controller');
  assert.equal(rollback.to.phase, 'rolled-back');
  assert.match(rollback.reason, /gate failed at 50%/);
  const failed = rollback.gates!.filter((g) => g.verdict === 'fail').map((g) => g.gate);
  assert.ok(failed.includes('breaker') || failed.includes('errorRate'), `failing gates recorded: ${failed.join(',')}`);
});

test('the service recovers: after resumeAfter and the breaker leaving open, the ramp resumes and completes', async () => {
  fresh.setHandler(healthy);
  clock.t += 30_000;
  await until('new breaker half-open', () => r.router.control.listRoutes().find((x) => x.id === 'orders')!.breakers.new !== 'open');
  cp.controller.tick();
  assert.equal(weight(), 50, 'the failed step is retried');
  assert.equal(phase(), 'progressing');

  const statuses = await traffic(200);
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.equal(newBreaker.at(-1), 'closed', 'a successful trial request closed the breaker');
  clock.t += 60_000;
  cp.controller.tick();
  assert.equal(weight(), 100);
  await traffic(50);
  clock.t += 60_000;
  cp.controller.tick();
  assert.equal(phase(), 'completed');

  await cp.controller.idle();
  const events = (await consumeAll(auditTopic, 6, 30_000)).map((rec) => JSON.parse(rec.value!.toString('utf8')) as AuditEvent);
  assert.deepEqual(
    events.map((e) => e.action),
    ['rollout-start', 'step', 'rollback', 'resume', 'step', 'complete'],
  );
});
