import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoiseSchema } from '../../../../src/router/config/schema.ts';
import { NoiseBaseline } from '../../../../src/router/shadow/noise-baseline.ts';

test('a field that differs as often between two legacy answers as between legacy and new is noise', () => {
  const b = new NoiseBaseline(NoiseSchema.parse({}));
  for (let i = 0; i < 100; i++) {
    b.recordRaw(['body.nonce', ...(i % 10 === 0 ? ['body.total'] : [])]);
    if (i % 4 === 0) b.recordNoise(['body.nonce']);
  }
  assert.deepEqual(b.reportable(['body.nonce', 'body.total']), ['body.total']);
});

test("Diffy's thresholds: a raw rate barely above noise is not reported (relative), a tiny one neither (absolute)", () => {
  const b = new NoiseBaseline(NoiseSchema.parse({ relative_threshold: 20, absolute_threshold: 1 }));
  for (let i = 0; i < 1000; i++) {
    b.recordRaw([...(i % 2 === 0 ? ['body.a'] : []), ...(i % 200 === 0 ? ['body.rare'] : [])]);
    b.recordNoise(i % 5 < 2 ? ['body.a'] : []);
  }
  // body.a: raw 50%, noise 40%: relative 11% < 20. body.rare: raw 0.5%, noise 0: absolute 0.5% < 1.
  assert.deepEqual(b.reportable(['body.a', 'body.rare']), []);
});

test("a field differing in this request's own secondary is never reported, and indices are pooled", () => {
  const b = new NoiseBaseline(NoiseSchema.parse({}));
  b.recordRaw(['body.items[3].ts']);
  assert.deepEqual(b.reportable(['body.items[3].ts']), ['body.items[3].ts']);
  assert.deepEqual(b.reportable(['body.items[3].ts'], new Set(['body.items[*].ts'])), []);
});

test('secondaries are always wanted during warm-up, then at the configured rate', () => {
  const b = new NoiseBaseline(NoiseSchema.parse({ warmup: 2, rate: 0.1 }));
  assert.equal(b.wantsSecondary(() => 0.99), true);
  b.recordNoise([]);
  b.recordNoise([]);
  assert.equal(b.wantsSecondary(() => 0.99), false);
  assert.equal(b.wantsSecondary(() => 0.05), true);
});
