/**
 * Judges one rollout step from what was measured while it ran. Gates follow Flagger's built-in
 * checks (request-success-rate, request-duration p99) made relative to legacy, plus Banyan's parity
 * gate (shadow match rate) and the new side's breaker. A gate with too little data says `no-data`
 * rather than guessing; dry-run gates are judged and reported but never acted on (Argo Rollouts'
 * per-metric dryRun).
 */
import type { BreakerState } from '../contracts.ts';
import type { SideSummary } from '../stats/side-tally.ts';
import type { RolloutSpec } from './spec.ts';

export type GateName = 'errorRate' | 'p99' | 'shadowMatch' | 'breaker';
export type GateVerdict = 'pass' | 'fail' | 'no-data';

export interface GateResult {
  readonly gate: GateName;
  readonly verdict: GateVerdict;
  readonly dryRun: boolean;
  /** The measured value (error rate, p99 ms, match rate). */
  readonly observed?: number;
  /** The limit it was held to (legacy + X, Y x legacy p99, Z). */
  readonly limit?: number;
  readonly detail: string;
}

export interface StepMeasurements {
  readonly legacy: SideSummary;
  readonly new: SideSummary;
  readonly shadow: { readonly compared: number; readonly matchRate?: number };
  readonly newBreaker: BreakerState;
}

export interface GateReport {
  readonly results: readonly GateResult[];
  /** The new side was chosen at least `minRequests` times during the step. */
  readonly enoughTraffic: boolean;
  /** Failed gates that act (not dry-run). */
  readonly failed: readonly GateResult[];
  readonly dryRunFailed: readonly GateResult[];
}

export function evaluateGates(spec: RolloutSpec, m: StepMeasurements): GateReport {
  const enoughTraffic = m.new.chosen >= spec.minRequests;
  const results: GateResult[] = [];
  const g = spec.gates;

  if (g.breaker.enabled) {
    const open = m.newBreaker === 'open';
    results.push({
      gate: 'breaker',
      verdict: open ? 'fail' : 'pass',
      dryRun: g.breaker.dryRun,
      detail: `new breaker ${m.newBreaker}`,
    });
  }
  if (g.errorRate) {
    const limit = m.legacy.errorRate + g.errorRate.maxIncrease;
    results.push(
      enoughTraffic
        ? {
            gate: 'errorRate',
            verdict: m.new.errorRate <= limit ? 'pass' : 'fail',
            dryRun: g.errorRate.dryRun,
            observed: m.new.errorRate,
            limit,
            detail: `new ${pct(m.new.errorRate)} vs legacy ${pct(m.legacy.errorRate)} + ${pct(g.errorRate.maxIncrease)}`,
          }
        : noData('errorRate', g.errorRate.dryRun, `${m.new.chosen}/${spec.minRequests} requests to new`),
    );
  }
  if (g.p99) {
    const newP99 = m.new.p99Ms;
    const legacyP99 = m.legacy.p99Ms;
    if (!enoughTraffic || newP99 === undefined || legacyP99 === undefined) {
      results.push(noData('p99', g.p99.dryRun, legacyP99 === undefined ? 'no legacy latency to compare with' : `${m.new.chosen}/${spec.minRequests} requests to new`));
    } else {
      const limit = g.p99.maxRatio * legacyP99;
      results.push({
        gate: 'p99',
        verdict: newP99 <= limit ? 'pass' : 'fail',
        dryRun: g.p99.dryRun,
        observed: newP99,
        limit,
        detail: `new p99 ${newP99.toFixed(2)} ms vs ${g.p99.maxRatio} x legacy ${legacyP99.toFixed(2)} ms`,
      });
    }
  }
  if (g.shadowMatch) {
    const needed = Math.max(1, g.shadowMatch.minComparisons);
    const rate = m.shadow.matchRate;
    results.push(
      m.shadow.compared >= needed && rate !== undefined
        ? {
            gate: 'shadowMatch',
            verdict: rate >= g.shadowMatch.min ? 'pass' : 'fail',
            dryRun: g.shadowMatch.dryRun,
            observed: rate,
            limit: g.shadowMatch.min,
            detail: `match ${pct(rate)} of ${m.shadow.compared} comparisons, needs ${pct(g.shadowMatch.min)}`,
          }
        : noData('shadowMatch', g.shadowMatch.dryRun, `${m.shadow.compared}/${needed} comparisons`),
    );
  }

  const failing = results.filter((r) => r.verdict === 'fail');
  return {
    results,
    enoughTraffic,
    failed: failing.filter((r) => !r.dryRun),
    dryRunFailed: failing.filter((r) => r.dryRun),
  };
}

function noData(gate: GateName, dryRun: boolean, detail: string): GateResult {
  return { gate, verdict: 'no-data', dryRun, detail };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
