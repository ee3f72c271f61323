import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRamp } from '../../../../src/router/rollout/ramp.ts';
import { rolloutSpecSchema } from '../../../../src/router/rollout/spec.ts';
import type { GateReport } from '../../../../src/router/rollout/gates.ts';
import type { RolloutProgress } from '../../../../src/router/state/route-state.ts';

const spec = rolloutSpecSchema.parse({ steps: [5, 25, 100], interval: '1m', on_failure: { rollback_to: 'zero', resume_after: '10s', max_attempts: 2 } });
const pass: GateReport = { results: [{ gate: 'breaker', verdict: 'pass', dryRun: false, detail: 'new breaker closed' }], enoughTraffic: true, failed: [], dryRunFailed: [] };
const fail: GateReport = { ...pass, failed: [{ gate: 'errorRate', verdict: 'fail', dryRun: false, detail: 'new 9% vs legacy 0% + 1%' }] };
const at = (stepIndex: number, extra: Partial<RolloutProgress> = {}): RolloutProgress => ({
  phase: 'progressing', stepIndex, lastGoodWeight: 5, attempts: 0, stepStartedAt: 0, ...extra,
});

test('a blocked route (not canary, kill switch, inactive) never moves', () => {
  assert.equal(decideRamp(spec, undefined, { now: 0, blocked: true, newBreaker: 'closed' }).kind, 'hold');
  assert.equal(decideRamp(spec, at(1), { now: 1e9, blocked: true, newBreaker: 'closed', report: pass }).kind, 'hold');
});

test('rollbackTo zero sends the weight to 0 and the last allowed attempt ends in failed', () => {
  const first = decideRamp(spec, at(1), { now: 100, blocked: false, newBreaker: 'closed', report: fail });
  assert.equal(first.kind, 'rollback');
  if (first.kind !== 'rollback') return;
  assert.deepEqual([first.weight, first.progress.phase, first.progress.resumeAt], [0, 'rolled-back', 10_100]);
  const last = decideRamp(spec, at(1, { attempts: 1 }), { now: 100, blocked: false, newBreaker: 'closed', report: fail });
  assert.equal(last.kind === 'rollback' && last.progress.phase, 'failed');
});

test('a step that held its interval advances and records its weight as the last good one', () => {
  const d = decideRamp(spec, at(1), { now: 60_000, blocked: false, newBreaker: 'closed', report: pass });
  assert.deepEqual(d.kind === 'enter-step' && [d.action, d.index, d.lastGoodWeight], ['step', 2, 25]);
});

test('a rolled-back ramp resumes only when resumeAfter is over and the new breaker is not open', () => {
  const p = at(1, { phase: 'rolled-back', resumeAt: 10_000, attempts: 1 });
  assert.equal(decideRamp(spec, p, { now: 9_999, blocked: false, newBreaker: 'closed' }).kind, 'hold');
  assert.equal(decideRamp(spec, p, { now: 10_000, blocked: false, newBreaker: 'open' }).kind, 'hold');
  const d = decideRamp(spec, p, { now: 10_000, blocked: false, newBreaker: 'half-open' });
  assert.deepEqual(d.kind === 'enter-step' && [d.action, d.index, d.attempts], ['resume', 1, 1]);
});

test('a ramp whose steps were shortened by a hot reload continues from the new last step', () => {
  const d = decideRamp(spec, at(7), { now: 60_000, blocked: false, newBreaker: 'closed', report: pass });
  assert.equal(d.kind === 'set-phase' && d.action, 'complete');
});
