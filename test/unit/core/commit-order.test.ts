import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommitOrder } from '../../../src/core/commit-order.ts';

test('a position becomes committable only when its batch and every earlier batch are durable', () => {
  const order = new CommitOrder<string>();
  const a = order.track('a');
  const b = order.track('b');
  const c = order.track('c');
  assert.equal(order.acknowledge(b), undefined, 'b is durable but a is still in flight');
  assert.equal(order.acknowledge(c), undefined);
  assert.equal(order.acknowledge(a), 'c', 'a completes the run a, b, c: commit the newest');
  assert.equal(order.inFlight, 0);
});

test('in-order acknowledgements commit each position in turn', () => {
  const order = new CommitOrder<number>();
  const tickets = [1, 2, 3].map((p) => order.track(p));
  assert.deepEqual(tickets.map((t) => order.acknowledge(t)), [1, 2, 3]);
});

test('acknowledging a batch twice is a bug, not a silent commit', () => {
  const order = new CommitOrder<number>();
  const t = order.track(1);
  order.acknowledge(t);
  assert.throws(() => order.acknowledge(t), /not in flight/);
});
