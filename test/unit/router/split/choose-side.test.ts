import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chooseSide, isNewBucket, type SplitInput } from '../../../../src/router/split/choose-side.ts';

const base: SplitInput = {
  mode: 'canary',
  weight: 10,
  killSwitch: false,
  hasNew: true,
  force: undefined,
  key: 'customer-1',
  salt: 'customer-2026',
  buckets: 10_000,
  allow: new Set(),
  onMissingKey: 'legacy',
};

test('raising the weight never moves a key from new back to legacy (any key, any pair of weights)', () => {
  fc.assert(
    fc.property(fc.string(), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (key, a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      const atLow = chooseSide({ ...base, key, weight: low }).side;
      const atHigh = chooseSide({ ...base, key, weight: high }).side;
      return !(atLow === 'new' && atHigh === 'legacy');
    }),
  );
});

test('weight 0 sends nobody to new and weight 100 everybody; 0.01 with 10,000 buckets is exactly bucket 0', () => {
  for (let i = 0; i < 500; i++) {
    assert.equal(chooseSide({ ...base, key: `k${i}`, weight: 0 }).side, 'legacy');
    assert.equal(chooseSide({ ...base, key: `k${i}`, weight: 100 }).side, 'new');
  }
  assert.equal(isNewBucket(0, 0.01, 10_000), true);
  assert.equal(isNewBucket(1, 0.01, 10_000), false);
  assert.equal(isNewBucket(999, 10, 10_000), true);
  assert.equal(isNewBucket(1000, 10, 10_000), false);
  // Floating point: 0.07 x 10,000 / 100 is 6.999999999999999 without rounding.
  assert.equal(isNewBucket(6, 0.07, 10_000), true);
  assert.equal(isNewBucket(7, 0.07, 10_000), false);
});

test('the kill switch beats force, force beats mode, and allow-listed keys go to new in canary', () => {
  assert.deepEqual(chooseSide({ ...base, killSwitch: true, force: 'always' }), { side: 'legacy', reason: 'kill-switch' });
  assert.deepEqual(chooseSide({ ...base, mode: 'legacy', force: 'always' }), { side: 'new', reason: 'forced' });
  assert.deepEqual(chooseSide({ ...base, mode: 'new', force: 'never' }), { side: 'legacy', reason: 'forced' });
  assert.deepEqual(chooseSide({ ...base, force: 'sometimes', mode: 'shadow' }), { side: 'legacy', reason: 'mode' });
  assert.deepEqual(chooseSide({ ...base, weight: 0, allow: new Set(['customer-1']) }), { side: 'new', reason: 'allow-list' });
  assert.deepEqual(chooseSide({ ...base, hasNew: false, force: 'always' }), { side: 'legacy', reason: 'no-new-upstream' });
});

test('a request without a key follows onMissingKey; random draws against the weight', () => {
  assert.equal(chooseSide({ ...base, key: undefined, onMissingKey: 'new', weight: 0 }).side, 'new');
  assert.equal(chooseSide({ ...base, key: undefined, onMissingKey: 'legacy', weight: 100 }).side, 'legacy');
  assert.equal(chooseSide({ ...base, key: undefined, onMissingKey: 'random', weight: 10, random: () => 0.05 }).side, 'new');
  assert.equal(chooseSide({ ...base, key: undefined, onMissingKey: 'random', weight: 10, random: () => 0.15 }).side, 'legacy');
});
