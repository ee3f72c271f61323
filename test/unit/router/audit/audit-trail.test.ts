import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditTrail, MemoryAuditSink } from '../../../../src/router/audit/audit-trail.ts';
import { createKafkaAuditSink, type PublishedRecord } from '../../../../src/router/audit/kafka-audit-sink.ts';

const base = {
  routeId: 'accounts',
  action: 'set-weight' as const,
  actor: 'ops',
  reason: 'pilot',
  from: { weight: 0, mode: 'canary' as const, killSwitch: false },
  to: { weight: 5, mode: 'canary' as const, killSwitch: false },
};

test('audit events get an id and time, are kept newest first, and reach the sink', async () => {
  const sink = new MemoryAuditSink();
  const trail = createAuditTrail({ sink, now: () => 1000, keep: 2 });
  assert.equal(await trail.record(base), true);
  await trail.record({ ...base, routeId: 'other' });
  await trail.record({ ...base, reason: 'third' });
  assert.equal(sink.events.length, 3);
  assert.match(sink.events[0]!.id, /^[0-9a-f-]{36}$/);
  assert.equal(sink.events[0]!.at, 1000);
  assert.deepEqual(trail.recent().map((e) => e.reason), ['third', 'pilot'], 'ring keeps the newest 2');
  assert.deepEqual(trail.recent('accounts').map((e) => e.reason), ['third']);
});

test('a sink failure is reported as not audited, never thrown', async () => {
  const trail = createAuditTrail({ sink: { publish: () => Promise.reject(new Error('broker down')) } });
  assert.equal(await trail.record(base), false);
  assert.equal(trail.recent().length, 1);
});

test('the Kafka audit sink keys records by route and carries action and actor headers', async () => {
  const sent: PublishedRecord[] = [];
  const sink = createKafkaAuditSink({ publish: async (records) => void sent.push(...records) }, 'audit.t');
  await sink.publish({ ...base, id: 'e1', at: 5 });
  assert.equal(sent[0]!.topic, 'audit.t');
  assert.equal(sent[0]!.key, 'accounts');
  assert.deepEqual(sent[0]!.headers, { 'banyan-audit-action': 'set-weight', 'banyan-audit-actor': 'ops', 'banyan-event-id': 'e1' });
  assert.equal(JSON.parse(sent[0]!.value).reason, 'pilot');
});
