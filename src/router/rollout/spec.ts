/**
 * `rollout:` in a route file (mappings/routes/*.yaml): progressive delivery of one route from its
 * legacy upstream to its new one. The data plane's route schema embeds `rolloutSpecSchema` under
 * the `rollout` key and hands the parsed value back in `RouteView.rollout`.
 *
 * Keys are snake_case like the rest of the route file; the parsed `RolloutSpec` is camelCase. Shape
 * borrowed from Flagger's `analysis` (interval, stepWeights, metric thresholds) and Argo Rollouts'
 * steps (manual pause = approval, per-metric dryRun), with the gate Banyan adds: the shadow match rate.
 *
 * ```yaml
 * rollout:
 *   steps: [1, 5, { weight: 25, approve: true }, 50, 100]
 *   interval: 5m            # minimum time at each step before its gates may pass
 *   min_requests: 200       # requests chosen for new at a step before gates are judged
 *   gates:
 *     error_rate: { max_increase: 0.01 }   # error rate(new) <= error rate(legacy) + 0.01
 *     p99: { max_ratio: 1.5 }              # p99(new) <= 1.5 x p99(legacy)
 *     shadow_match: { min: 0.999, dry_run: true }
 *   on_failure: { rollback_to: last-good, resume: auto, resume_after: 2m, max_attempts: 3 }
 * ```
 */
import { z } from 'zod';
import { snakeCaseObject } from '../../config/key-style.ts';
import { boolean, fromEnv, nonNegativeInt, numberBetween, positiveInt } from '../../config/schema-helpers.ts';

export interface RolloutStep {
  /** Percentage of traffic (0-100, fractions allowed) sent to the new upstream at this step. */
  readonly weight: number;
  /** A human must approve (admin API or console) before the ramp moves to this step. */
  readonly approve: boolean;
}

export interface GateSpec {
  /** Evaluated and reported (status, audit), never acted on: Argo Rollouts' per-metric dryRun. */
  readonly dryRun: boolean;
}

export interface RolloutSpec {
  readonly steps: readonly RolloutStep[];
  /** Milliseconds a step must run before its gates can pass (Flagger's `interval`). */
  readonly intervalMs: number;
  /** Requests chosen for new within a step before any gate is judged (guards against tiny samples). */
  readonly minRequests: number;
  /** False: every step needs an approval, gates only inform. */
  readonly autoAdvance: boolean;
  readonly gates: {
    readonly errorRate?: GateSpec & { readonly maxIncrease: number };
    readonly p99?: GateSpec & { readonly maxRatio: number };
    readonly shadowMatch?: GateSpec & { readonly min: number; readonly minComparisons: number };
    /** The new side's breaker opening fails the step at once (on by default). */
    readonly breaker: GateSpec & { readonly enabled: boolean };
  };
  readonly onFailure: {
    /** `last-good`: weight of the last step whose gates passed (0 before any); `zero`: 0. */
    readonly rollbackTo: 'last-good' | 'zero';
    /** `auto`: retry the failed step after `resumeAfterMs` once the new breaker is not open. */
    readonly resume: 'auto' | 'manual';
    readonly resumeAfterMs: number;
    /** Failed attempts at one step before the ramp stops and waits for a human. */
    readonly maxAttempts: number;
  };
}

/** `250ms`, `30s`, `5m`, `2h`, `1d`, or a number of milliseconds. */
export const durationSchema = z.union([
  nonNegativeInt,
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration like 250ms, 30s, 5m, 2h or 1d')
    .transform(parseDuration),
]);

const dryRun = { dry_run: boolean.default(false) };

const stepSchema = z.union([
  numberBetween(0, 100).transform((weight): RolloutStep => ({ weight, approve: false })),
  z.strictObject({ weight: numberBetween(0, 100), approve: boolean.default(false) }),
]);

export const rolloutSpecSchema = snakeCaseObject({
  steps: z.array(stepSchema).min(1),
  interval: durationSchema.default(60_000),
  min_requests: nonNegativeInt.default(100),
  auto_advance: boolean.default(true),
  gates: snakeCaseObject({
    error_rate: snakeCaseObject({ max_increase: numberBetween(0, 1), ...dryRun }).optional(),
    p99: snakeCaseObject({ max_ratio: fromEnv(z.number().positive()), ...dryRun }).optional(),
    shadow_match: snakeCaseObject({ min: numberBetween(0, 1), min_comparisons: nonNegativeInt.default(0), ...dryRun }).optional(),
    breaker: snakeCaseObject({ enabled: boolean.default(true), ...dryRun }).default({ enabled: true, dryRun: false }),
  }).default({ breaker: { enabled: true, dryRun: false } }),
  on_failure: snakeCaseObject({
    rollback_to: z.enum(['last-good', 'zero']).default('last-good'),
    resume: z.enum(['auto', 'manual']).default('auto'),
    resume_after: durationSchema.default(60_000),
    max_attempts: positiveInt.default(3),
  }).default({ rollbackTo: 'last-good', resume: 'auto', resumeAfter: 60_000, maxAttempts: 3 }),
})
  .superRefine((spec, ctx) => {
    // A ramp only moves traffic forward; a step lower than the one before it would be a silent rollback.
    spec.steps.forEach((step, i) => {
      if (i > 0 && step.weight <= spec.steps[i - 1]!.weight) {
        ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'step weights must increase' });
      }
    });
  })
  .transform(
    (s): RolloutSpec => ({
      steps: s.steps,
      intervalMs: s.interval,
      minRequests: s.minRequests,
      autoAdvance: s.autoAdvance,
      gates: s.gates,
      onFailure: {
        rollbackTo: s.onFailure.rollbackTo,
        resume: s.onFailure.resume,
        resumeAfterMs: s.onFailure.resumeAfter,
        maxAttempts: s.onFailure.maxAttempts,
      },
    }),
  );

export type RolloutSpecInput = z.input<typeof rolloutSpecSchema>;

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}
