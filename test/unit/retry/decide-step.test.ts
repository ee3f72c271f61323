import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideOnOutcome, decideOnRead, dueAtFor, type RedeliveryPolicy } from '../../../src/retry/decide-step.ts';
import type { DeliveryOutcome } from '../../../src/retry/delivery-target.ts';
import type { KeyBacklog } from '../../../src/retry/key-backlog.ts';

const policy: RedeliveryPolicy = { tierDelaysMs: [5_000, 60_000, 600_000], jitter: 0, ordering: 'key' };
const now = 1_000_000;
const backlog = (next: number, ...outstanding: Array<[number, number]>): KeyBacklog => ({ next, outstanding: outstanding.map(([seq, tier]) => ({ seq, tier })) });

test('decideOnRead: due time first, then the key backlog decides attempt / follow / adopt / skip', () => {
  const rows: Array<[string, Parameters<typeof decideOnRead>[0], ReturnType<typeof decideOnRead>]> = [
    ['a source record of an untracked key is attempted', { tier: 0 }, { kind: 'attempt' }],
    ['a source record of a key not in retry is attempted', { tier: 0, backlog: backlog(4) }, { kind: 'attempt' }],
    ['a source record of a key in retry follows to the tier of the key\'s last record', { tier: 0, backlog: backlog(4, [2, 1], [3, 2]) }, { kind: 'follow', tier: 2, why: 'key-in-retry' }],
    ['a tier record not yet due waits, whatever its key', { tier: 1, dueAt: now + 1, keySequence: 2, backlog: backlog(3, [2, 1]) }, { kind: 'wait', untilMs: now + 1 }],
    ['a tier record due now is attempted', { tier: 1, dueAt: now }, { kind: 'attempt' }],
    ['the head of its key\'s backlog is attempted', { tier: 2, dueAt: now - 1, keySequence: 2, backlog: backlog(4, [2, 2], [3, 2]) }, { kind: 'attempt' }],
    ['behind a head that moved on to a later tier: follows it there', { tier: 1, dueAt: 0, keySequence: 3, backlog: backlog(4, [2, 2], [3, 1]) }, { kind: 'follow', tier: 2, why: 'behind-head' }],
    ['behind a head in the same tier: rounds this tier again', { tier: 2, dueAt: 0, keySequence: 3, backlog: backlog(4, [2, 2], [3, 2]) }, { kind: 'follow', tier: 2, why: 'behind-head' }],
    ['a resolved sequence is a crash\'s duplicate', { tier: 1, dueAt: 0, keySequence: 1, backlog: backlog(3, [2, 1]) }, { kind: 'skip', why: 'duplicate' }],
    ['a sequence beyond next lost its backlog entry: adopt it', { tier: 1, dueAt: 0, keySequence: 5, backlog: backlog(3, [2, 1]) }, { kind: 'adopt' }],
    ['a tier record without a sequence (ordering none) is attempted', { tier: 3, dueAt: 0 }, { kind: 'attempt' }],
  ];
  for (const [name, facts, expected] of rows) assert.deepEqual(decideOnRead(facts, now), expected, name);
});

test('decideOnOutcome: delivered / retriable (the tier of its attempt number, the DLQ after the last) / permanent / unavailable', () => {
  const failure = { errorClass: 'HttpStatus', message: '503', status: 503 };
  const retriable: DeliveryOutcome = { kind: 'retriable', failure };
  const rows: Array<[string, DeliveryOutcome, number, ReturnType<typeof decideOnOutcome>]> = [
    ['delivered is done', { kind: 'delivered', status: 200 }, 1, { kind: 'done' }],
    ['a first failure goes to tier 1 after its delay', retriable, 1, { kind: 'retry', tier: 1, dueAt: now + 5_000 }],
    ['a third failure goes to tier 3', retriable, 3, { kind: 'retry', tier: 3, dueAt: now + 600_000 }],
    ['a failure after every tier had its attempt parks the record', retriable, 4, { kind: 'park', reason: 'exhausted' }],
    ['a longer Retry-After wins over the tier delay', { ...retriable, retryAfterMs: 20_000 }, 1, { kind: 'retry', tier: 1, dueAt: now + 20_000 }],
    ['a shorter Retry-After does not shorten the tier delay', { ...retriable, retryAfterMs: 1_000 }, 2, { kind: 'retry', tier: 2, dueAt: now + 60_000 }],
    ['permanent parks at once, even on a first attempt', { kind: 'permanent', failure: { errorClass: 'HttpStatus', message: '400', status: 400 } }, 1, { kind: 'park', reason: 'permanent' }],
    ['unavailable (breaker open) spends no attempt: pause', { kind: 'unavailable' }, 2, { kind: 'pause' }],
  ];
  for (const [name, outcome, attempt, expected] of rows) assert.deepEqual(decideOnOutcome(outcome, attempt, policy, now, () => 0.5), expected, name);
});

test('dueAtFor: the jitter spreads the delay by at most +- jitter x delay', () => {
  const jittered = { ...policy, jitter: 0.2 };
  assert.equal(dueAtFor(1, jittered, now, () => 0), now + 4_000);
  assert.equal(dueAtFor(1, jittered, now, () => 0.5), now + 5_000);
  assert.equal(dueAtFor(1, jittered, now, () => 1), now + 6_000);
  assert.throws(() => dueAtFor(4, policy, now, () => 0.5), /no retry tier 4/);
});
