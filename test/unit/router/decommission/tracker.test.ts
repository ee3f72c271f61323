import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecommissionTracker } from '../../../../src/router/decommission/tracker.ts';
import { MemoryRouteStateStore } from '../../../../src/router/state/route-state.ts';
import { createRouteStateBook } from '../../../../src/router/state/state-book.ts';
import type { RequestOutcome } from '../../../../src/router/contracts.ts';
import { FakePort, routeView } from '../rollout/fake-port.ts';

const DAY = 86_400_000;
const criteria = { legacyZeroDays: 7, minMatchRate: 0.99, minComparisons: 100 };
const served = (side: 'legacy' | 'new', at: number): RequestOutcome => ({
  routeId: 'r', servedBy: side, chosen: side, status: 200, latencyMs: 1, chosenFailed: false, fellBack: false, at,
});

async function setup(store = new MemoryRouteStateStore(), weight = 100) {
  const clock = { t: 100 * DAY };
  const port = new FakePort([routeView('r', { mode: 'canary', weight })]);
  const book = createRouteStateBook(store, () => clock.t);
  await book.load();
  const tracker = createDecommissionTracker({ port, book, criteria, now: () => clock.t, flushMs: 0 });
  tracker.start();
  return { clock, port, tracker, store };
}

test('a route is ready when legacy served nobody for N days and parity held with enough comparisons', async () => {
  const { clock, port, tracker } = await setup();
  for (let i = 0; i < 200; i++) port.emit('shadow', { routeId: 'r', matched: i !== 0, differingFields: [], at: clock.t });
  port.emit('request', served('legacy', clock.t));
  port.emit('request', served('new', clock.t + DAY));
  clock.t += 6 * DAY;
  const early = tracker.report('r');
  assert.equal(early.ready, false);
  assert.match(early.blockers.join(), /legacy served a client 6\.0 days ago; needs 7/);
  clock.t += DAY;
  const r = tracker.report('r');
  assert.deepEqual(r.blockers, []);
  assert.equal(r.ready, true);
  assert.equal(r.parity.matchRate, 0.995);
});

test('a route still splitting to legacy or short of parity is not ready, with the reasons', async () => {
  const { clock, port, tracker } = await setup(undefined, 50);
  for (let i = 0; i < 100; i++) port.emit('shadow', { routeId: 'r', matched: i % 10 !== 0, differingFields: [], at: clock.t });
  clock.t += 30 * DAY;
  const r = tracker.report('r');
  assert.equal(r.ready, false);
  assert.ok(r.blockers.some((b) => b.includes('weight 50')));
  assert.ok(r.blockers.some((b) => b.includes('match rate 90.000%')));
});

test('the legacy-zero clock and parity counters survive a restart through the state store', async () => {
  const store = new MemoryRouteStateStore();
  const a = await setup(store);
  a.port.emit('request', served('legacy', a.clock.t - DAY));
  for (let i = 0; i < 150; i++) a.port.emit('shadow', { routeId: 'r', matched: true, differingFields: [], at: a.clock.t });
  await a.tracker.stop();
  const b = await setup(store);
  const r = b.tracker.report('r');
  assert.equal(r.legacyZeroSince, 99 * DAY);
  assert.equal(r.parity.compared, 150);
});
