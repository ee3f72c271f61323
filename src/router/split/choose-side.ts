/**
 * The split decision of one request (Kong canary's monotonic buckets): bucket = murmur3(salt, key)
 * mod N, and the request goes to new when bucket < weight x N / 100. Raising the weight only adds
 * buckets to new, so a key never moves back to legacy while the ramp goes up; a cohort shared by
 * several routes uses one salt and N, so a key has one bucket everywhere.
 */
import type { RouteMode, Side } from '../contracts.ts';
import { bucketOf } from './murmur3.ts';

export type SplitReason = 'kill-switch' | 'no-new-upstream' | 'forced' | 'mode' | 'allow-list' | 'bucket' | 'missing-key';

export interface SplitInput {
  readonly mode: RouteMode;
  readonly weight: number;
  readonly killSwitch: boolean;
  readonly hasNew: boolean;
  /** Value of the force header or cookie: `always` (new) or `never` (legacy); anything else is ignored. */
  readonly force: string | undefined;
  readonly key: string | undefined;
  readonly salt: string;
  readonly buckets: number;
  readonly allow: ReadonlySet<string>;
  readonly onMissingKey: 'random' | 'legacy' | 'new';
  /** Injected for tests; Math.random by default. */
  readonly random?: () => number;
}

export interface SplitDecision {
  readonly side: Side;
  readonly reason: SplitReason;
  readonly bucket?: number;
}

export function chooseSide(input: SplitInput): SplitDecision {
  if (input.killSwitch) return { side: 'legacy', reason: 'kill-switch' };
  if (!input.hasNew) return { side: 'legacy', reason: 'no-new-upstream' };
  if (input.force === 'always') return { side: 'new', reason: 'forced' };
  if (input.force === 'never') return { side: 'legacy', reason: 'forced' };
  if (input.mode === 'legacy' || input.mode === 'shadow') return { side: 'legacy', reason: 'mode' };
  if (input.mode === 'new') return { side: 'new', reason: 'mode' };
  if (input.key === undefined) {
    if (input.onMissingKey === 'random') {
      const r = (input.random ?? Math.random)() * 100;
      return { side: r < input.weight ? 'new' : 'legacy', reason: 'missing-key' };
    }
    return { side: input.onMissingKey, reason: 'missing-key' };
  }
  if (input.allow.has(input.key)) return { side: 'new', reason: 'allow-list' };
  const bucket = bucketOf(input.salt, input.key, input.buckets);
  return { side: isNewBucket(bucket, input.weight, input.buckets) ? 'new' : 'legacy', reason: 'bucket', bucket };
}

/** bucket < weight x N / 100, computed so 0.01% of 10,000 buckets is exactly bucket 0. */
export function isNewBucket(bucket: number, weight: number, buckets: number): boolean {
  return bucket < Math.round((weight * buckets) / 100 * 1e6) / 1e6;
}
