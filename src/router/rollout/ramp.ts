/**
 * The ramp's decision for one route at one moment, as a pure function of the spec, the persisted
 * progress and what was measured: the rollout controller applies the result (override, progress,
 * audit). Kept free of I/O so each transition of the state machine reads in one place:
 *
 *   (none) --canary, not blocked--> step 0 (or awaiting-approval when step 0 needs one)
 *   progressing --an acting gate fails--> rolled-back at last good (or 0) | failed (attempts used up, or resume: manual)
 *   progressing --interval over, enough traffic, gates hold--> next step | awaiting-approval | completed
 *   rolled-back --resume: auto, resumeAfter over, new breaker not open--> the same step again
 */
import type { BreakerState } from '../contracts.ts';
import type { AuditAction } from '../audit/audit-event.ts';
import type { RolloutProgress } from '../state/route-state.ts';
import type { GateReport, GateResult } from './gates.ts';
import type { RolloutSpec } from './spec.ts';

export interface RampContext {
  readonly now: number;
  /** Mode is not canary, the kill switch is on or the route is inactive: the ramp does nothing. */
  readonly blocked: boolean;
  readonly newBreaker: BreakerState;
  /** Gate report of the current step; present when the phase is `progressing`. */
  readonly report?: GateReport;
}

export type RampDecision =
  | { readonly kind: 'hold' }
  /** Move traffic to step `index` (its weight) and start measuring it afresh. */
  | {
      readonly kind: 'enter-step';
      readonly action: Extract<AuditAction, 'rollout-start' | 'step' | 'resume'>;
      readonly index: number;
      readonly attempts: number;
      readonly lastGoodWeight: number;
      readonly reason: string;
      readonly gates?: readonly GateResult[];
    }
  /** Change the phase only; traffic stays. */
  | {
      readonly kind: 'set-phase';
      readonly action: Extract<AuditAction, 'await-approval' | 'complete'>;
      readonly progress: RolloutProgress;
      readonly reason: string;
      readonly gates?: readonly GateResult[];
    }
  | { readonly kind: 'rollback'; readonly weight: number; readonly progress: RolloutProgress; readonly reason: string; readonly gates: readonly GateResult[] };

const HOLD: RampDecision = { kind: 'hold' };

export function decideRamp(spec: RolloutSpec, progress: RolloutProgress | undefined, ctx: RampContext): RampDecision {
  if (ctx.blocked) return HOLD;
  // A hot reload may have shortened the steps under a running ramp: continue from the last one.
  const p = progress && progress.stepIndex >= spec.steps.length ? { ...progress, stepIndex: spec.steps.length - 1 } : progress;
  if (!p) {
    if (spec.steps[0]!.approve || !spec.autoAdvance) {
      return {
        kind: 'set-phase',
        action: 'await-approval',
        progress: { phase: 'awaiting-approval', stepIndex: -1, lastGoodWeight: 0, attempts: 0, stepStartedAt: ctx.now },
        reason: 'rollout declared; first step needs approval',
      };
    }
    return { kind: 'enter-step', action: 'rollout-start', index: 0, attempts: 0, lastGoodWeight: 0, reason: 'rollout declared in route file' };
  }

  if (p.phase === 'rolled-back') {
    const due = spec.onFailure.resume === 'auto' && ctx.now >= (p.resumeAt ?? 0) && ctx.newBreaker !== 'open';
    if (!due) return HOLD;
    return {
      kind: 'enter-step',
      action: 'resume',
      index: Math.max(0, p.stepIndex),
      attempts: p.attempts,
      lastGoodWeight: p.lastGoodWeight,
      reason: `retrying step after rollback (attempt ${p.attempts + 1} of ${spec.onFailure.maxAttempts})`,
    };
  }
  if (p.phase !== 'progressing' || !ctx.report) return HOLD;

  const report = ctx.report;
  const current = spec.steps[p.stepIndex]!;
  if (report.failed.length > 0) {
    const attempts = p.attempts + 1;
    const giveUp = spec.onFailure.resume === 'manual' || attempts >= spec.onFailure.maxAttempts;
    const failedText = report.failed.map((g) => `${g.gate}: ${g.detail}`).join('; ');
    return {
      kind: 'rollback',
      weight: spec.onFailure.rollbackTo === 'zero' ? 0 : p.lastGoodWeight,
      progress: {
        ...p,
        phase: giveUp ? 'failed' : 'rolled-back',
        attempts,
        stepStartedAt: ctx.now,
        resumeAt: giveUp ? undefined : ctx.now + spec.onFailure.resumeAfterMs,
        reason: failedText,
      },
      reason: `gate failed at ${current.weight}%: ${failedText}${giveUp ? '; waiting for a human' : ''}`,
      gates: report.results,
    };
  }
  if (ctx.now - p.stepStartedAt < spec.intervalMs || !report.enoughTraffic) return HOLD;

  // The step's gates held for a whole interval: its weight becomes the last good one.
  const gateText = report.results.map((g) => `${g.gate} ${g.verdict}`).join(', ');
  if (p.stepIndex === spec.steps.length - 1) {
    return {
      kind: 'set-phase',
      action: 'complete',
      progress: { ...p, phase: 'completed', lastGoodWeight: current.weight, attempts: 0, reason: undefined },
      reason: `last step held: ${gateText}`,
      gates: report.results,
    };
  }
  const next = spec.steps[p.stepIndex + 1]!;
  if (next.approve || !spec.autoAdvance) {
    return {
      kind: 'set-phase',
      action: 'await-approval',
      progress: { ...p, phase: 'awaiting-approval', lastGoodWeight: current.weight, attempts: 0, reason: undefined },
      reason: `step ${current.weight}% held (${gateText}); ${next.weight}% needs approval`,
      gates: report.results,
    };
  }
  return {
    kind: 'enter-step',
    action: 'step',
    index: p.stepIndex + 1,
    attempts: 0,
    lastGoodWeight: current.weight,
    reason: `step ${current.weight}% held: ${gateText}`,
    gates: report.results,
  };
}
