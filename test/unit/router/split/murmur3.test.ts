import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, murmur3 } from '../../../../src/router/split/murmur3.ts';

test('murmur3 x86 32-bit matches the reference vectors (seed 0 and 1, 0-3 byte tails)', () => {
  // Vectors from the reference implementation's SMHasher verification and common test suites.
  assert.equal(murmur3(''), 0);
  assert.equal(murmur3('', 1), 0x514e28b7);
  assert.equal(murmur3('a'), 0x3c2569b2);
  assert.equal(murmur3('ab'), 0x9bbfd75f);
  assert.equal(murmur3('abc'), 0xb3dd93fa);
  assert.equal(murmur3('abcd'), 0x43ed676a);
  assert.equal(murmur3('hello'), 0x248bfa47);
  assert.equal(murmur3('The quick brown fox jumps over the lazy dog'), 0x2e4ff723);
});

test('buckets of sequential keys are spread evenly over 10,000 buckets (chi-square below the 99.9% bound)', () => {
  const buckets = 100;
  const counts = new Array<number>(buckets).fill(0);
  const n = 100_000;
  for (let i = 0; i < n; i++) counts[Math.floor(bucketOf('salt', `customer-${i}`, 10_000) / 100)]++;
  const expected = n / buckets;
  const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  // 99 degrees of freedom: the 99.9% quantile is 148.2.
  assert.ok(chi2 < 148.2, `chi-square ${chi2.toFixed(1)}`);
});

test('the salt changes the bucket and the separator keeps salt+key pairs apart', () => {
  assert.notEqual(bucketOf('a', 'bc', 1_000_000), bucketOf('ab', 'c', 1_000_000));
  const moved = Array.from({ length: 1000 }, (_, i) => bucketOf('s1', `k${i}`, 10_000) !== bucketOf('s2', `k${i}`, 10_000)).filter(Boolean).length;
  assert.ok(moved > 990);
});
