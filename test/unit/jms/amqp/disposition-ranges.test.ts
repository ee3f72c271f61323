import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDispositions, type PendingDisposition } from '../../../../src/jms/amqp/disposition-ranges.ts';

const accepted = { descriptor: { value: 0x24 } };
const rejected = { descriptor: { value: 0x25 } };
const released = { descriptor: { value: 0x26 } };
const modified = { descriptor: { value: 0x27 } };

function d(id: number, state: PendingDisposition['state'], settled = true): PendingDisposition {
  return { id, state, settled };
}

/** The ranges as [first, last] id pairs. */
function plan(pending: PendingDisposition[]): [number, number][] {
  return planDispositions(pending).map((r) => [r.first.id, r.last.id]);
}

describe('planDispositions (rhea write_dispositions, fixed)', () => {
  const table: { name: string; pending: PendingDisposition[]; ranges: [number, number][] }[] = [
    { name: 'accept #0 + reject #1 (rhea 3.0.5 sent 0..1 accepted)', pending: [d(0, accepted), d(1, rejected)], ranges: [[0, 0], [1, 1]] },
    { name: 'reject #0 + accept #1', pending: [d(0, rejected), d(1, accepted)], ranges: [[0, 0], [1, 1]] },
    { name: 'consecutive accepts share one frame', pending: [d(0, accepted), d(1, accepted), d(2, accepted)], ranges: [[0, 2]] },
    { name: 'a gap in ids starts a new frame', pending: [d(0, accepted), d(2, accepted)], ranges: [[0, 0], [2, 2]] },
    { name: 'settled and unsettled accepts do not share', pending: [d(0, accepted, true), d(1, accepted, false)], ranges: [[0, 0], [1, 1]] },
    { name: 'rejects never share (each carries its own error)', pending: [d(0, rejected), d(1, rejected)], ranges: [[0, 0], [1, 1]] },
    { name: 'released then modified then accepted', pending: [d(4, released), d(5, modified), d(6, accepted), d(7, accepted)], ranges: [[4, 4], [5, 5], [6, 7]] },
    { name: 'bare settles (no state) share', pending: [d(0, undefined), d(1, undefined)], ranges: [[0, 1]] },
    { name: 'no pending deliveries, no frames', pending: [], ranges: [] },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(plan(row.pending), row.ranges));
  }

  it('sends a delivery queued twice once, with its latest state', () => {
    const first = d(0, accepted);
    const second = { ...d(1, released) };
    const ranges = planDispositions([first, second, first]);
    assert.deepEqual(ranges.map((r) => [r.first.id, r.last.id]), [[1, 1], [0, 0]]);
  });
});
