/**
 * The retry processor with the product's HTTP target (src/connectors/http, its opossum breaker) on
 * the real Kafka and a real HTTP service: when the service fails enough deliveries the breaker
 * opens, the processor pauses every partition feeding it, and events published meanwhile are not
 * attempted; the breaker half-opens by its own timer, the trial succeeds, consumption resumes and
 * each waiting event is delivered on its first attempt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpTarget } from '../../../src/connectors/http/http-target.ts';
import { startDeliveryServer } from '../../support/delivery-server.ts';
import { eventually } from '../../support/gateway-process.ts';
import { readWholeTopic } from '../../support/read-topic.ts';
import { startProcessor } from './retry-harness.ts';

test('breaker open (HTTP target): consumption pauses, no attempt is spent on waiting events, and it resumes by itself when the half-open trial succeeds', async () => {
  const server = await startDeliveryServer(() => ({ status: 503 }));
  const target = createHttpTarget({ name: 'ledger', url: server.url, breaker: { volume_threshold: 3, error_threshold_percentage: 50, reset_timeout_ms: 2_000 } });
  const changes: string[] = [];
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const p = await startProcessor({
    target,
    // Long tiers: the events that failed before the breaker opened stay in tier 1 for the whole test.
    policy: { tierDelaysMs: [600_000, 600_000, 600_000], jitter: 0, ordering: 'none' },
    events: {
      paused: () => {
        changes.push('paused');
        opened();
      },
      resumed: () => changes.push('resumed'),
    },
  });
  try {
    await p.send([['k1', 'f1'], ['k2', 'f2'], ['k3', 'f3']]);
    await open;
    // The service recovers while the breaker is open; nobody tells the processor.
    server.setRule(() => ({ status: 200 }));
    const ids = Array.from({ length: 20 }, (_, i) => `w${i}`);
    await p.send(ids.map((id, i) => [`key-${i}`, id]));
    await eventually('the 20 events delivered after the breaker closed', 60_000, async () => (ids.every((id) => server.accepted.has(id)) ? true : undefined));
    await p.stop();
    for (const id of ids) assert.equal(server.attempts(id), 1, `${id}: one attempt, none spent while the breaker was open`);
    // Deliveries already in flight when it opened finish; nothing is sent again while it is open.
    assert.deepEqual(server.requests.filter((r) => !ids.includes(r.eventId)).map((r) => r.eventId).sort(), ['f1', 'f2', 'f3'], 'each failing event tried once');
    assert.deepEqual(changes.slice(0, 2), ['paused', 'resumed']);
    const tier1 = await readWholeTopic(`${p.topic}.retry.1`, { isolation: 'read_uncommitted' });
    const failedBeforeOpen = server.requests.filter((r) => r.status === 503).map((r) => r.eventId).sort();
    assert.ok(failedBeforeOpen.length >= 2, `the breaker opened on failures: ${failedBeforeOpen.join(' ')}`);
    assert.deepEqual(tier1.map((r) => r.headers['banyan-event-id']?.toString()).sort(), failedBeforeOpen, 'only the failures before it opened spent an attempt');
  } finally {
    await p.stop().catch(() => {});
    await target.close();
    await server.close();
  }
});
