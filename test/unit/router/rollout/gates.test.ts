import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateGates, type StepMeasurements } from '../../../../src/router/rollout/gates.ts';
import { rolloutSpecSchema, parseDuration } from '../../../../src/router/rollout/spec.ts';
import type { SideSummary } from '../../../../src/router/stats/side-tally.ts';

const side = (s: Partial<SideSummary>): SideSummary => ({ served: 0, chosen: 0, failed: 0, fellBack: 0, clientErrors: 0, errorRate: 0, ...s });
const m = (x: Partial<StepMeasurements>): StepMeasurements => ({
  legacy: side({ chosen: 900, served: 900, p99Ms: 10 }),
  new: side({ chosen: 100, served: 100, p99Ms: 12 }),
  shadow: { compared: 0 },
  newBreaker: 'closed',
  ...x,
});

test('the rollout block parses steps (numbers or approval objects), durations and defaults', () => {
  const spec = rolloutSpecSchema.parse({ steps: [1, { weight: 5, approve: true }, 100], interval: '5m', on_failure: { resume_after: '90s' } });
  assert.deepEqual(spec.steps, [{ weight: 1, approve: false }, { weight: 5, approve: true }, { weight: 100, approve: false }]);
  assert.equal(spec.intervalMs, 300_000);
  assert.equal(spec.onFailure.resumeAfterMs, 90_000);
  assert.equal(spec.onFailure.rollbackTo, 'last-good');
  assert.deepEqual(spec.gates.breaker, { enabled: true, dryRun: false });
  assert.equal(parseDuration('1.5h'), 5_400_000);
});

test('step weights that do not increase are rejected at the offending step', () => {
  const r = rolloutSpecSchema.safeParse({ steps: [5, 5] });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ['steps', 1]);
});

test('the error-rate gate allows new to exceed legacy by exactly max increase', () => {
  const spec = rolloutSpecSchema.parse({ steps: [10], min_requests: 50, gates: { error_rate: { max_increase: 0.02 } } });
  const ok = evaluateGates(spec, m({ legacy: side({ chosen: 900, errorRate: 0.01 }), new: side({ chosen: 100, errorRate: 0.03 }) }));
  assert.equal(ok.results.find((g) => g.gate === 'errorRate')!.verdict, 'pass');
  const bad = evaluateGates(spec, m({ legacy: side({ chosen: 900, errorRate: 0.01 }), new: side({ chosen: 100, errorRate: 0.031 }) }));
  assert.equal(bad.failed[0]!.gate, 'errorRate');
});

test('gates without enough traffic or comparisons say no-data instead of passing or failing', () => {
  const spec = rolloutSpecSchema.parse({
    steps: [10],
    min_requests: 500,
    gates: { error_rate: { max_increase: 0 }, p99: { max_ratio: 1 }, shadow_match: { min: 0.99, min_comparisons: 10 } },
  });
  const r = evaluateGates(spec, m({ new: side({ chosen: 100, errorRate: 1 }), shadow: { compared: 3, matchRate: 0 } }));
  assert.equal(r.enoughTraffic, false);
  assert.deepEqual(
    r.results.map((g) => `${g.gate}:${g.verdict}`),
    ['breaker:pass', 'errorRate:no-data', 'p99:no-data', 'shadowMatch:no-data'],
  );
  assert.equal(r.failed.length, 0);
});

test('the shadow match gate fails below its minimum, and an open breaker fails even without traffic', () => {
  const spec = rolloutSpecSchema.parse({ steps: [10], min_requests: 1000, gates: { shadow_match: { min: 0.999 } } });
  const r = evaluateGates(spec, m({ shadow: { compared: 1000, matchRate: 0.99 }, newBreaker: 'open' }));
  assert.deepEqual(r.failed.map((g) => g.gate).sort(), ['breaker', 'shadowMatch']);
});
