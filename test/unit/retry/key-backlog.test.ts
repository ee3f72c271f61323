import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adoptIntoBacklog, decodeBacklog, EMPTY_BACKLOG, encodeBacklog, joinBacklog, lastTier, leaveBacklog, moveInBacklog } from '../../../src/retry/key-backlog.ts';

test('a key backlog: join gives sequence numbers, move and leave keep order, the next head is the lowest left', () => {
  const a = joinBacklog(EMPTY_BACKLOG, 1);
  const b = joinBacklog(a.backlog, 1);
  assert.deepEqual([a.seq, b.seq], [1, 2]);
  const moved = moveInBacklog(b.backlog, 1, 2);
  assert.equal(lastTier(moved), 1, 'a new follower joins the tier of the key\'s last record');
  const left = leaveBacklog(moved, 1);
  assert.deepEqual(left, { next: 3, outstanding: [{ seq: 2, tier: 1 }] });
  assert.equal(lastTier(leaveBacklog(left, 2)), undefined, 'an empty backlog: the key is out of retry');
});

test('adopting a lost entry puts it in sequence order and raises next past it', () => {
  const b = { next: 3, outstanding: [{ seq: 2, tier: 1 }] };
  assert.deepEqual(adoptIntoBacklog(b, 5, 2), { next: 6, outstanding: [{ seq: 2, tier: 1 }, { seq: 5, tier: 2 }] });
  assert.deepEqual(adoptIntoBacklog(b, 1, 1), { next: 3, outstanding: [{ seq: 1, tier: 1 }, { seq: 2, tier: 1 }] });
});

test('a backlog round-trips through its compacted-topic value; garbage reads as none', () => {
  const b = { next: 7, outstanding: [{ seq: 4, tier: 1 }, { seq: 6, tier: 3 }] };
  assert.deepEqual(decodeBacklog(encodeBacklog(b)), b);
  assert.equal(decodeBacklog('not json'), undefined);
  assert.equal(decodeBacklog('{"next":"x"}'), undefined);
});
