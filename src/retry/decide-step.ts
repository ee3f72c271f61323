/**
 * Decide, then act (STYLE.md): pure functions that say what the processor does with a record it
 * read, and with the outcome of a delivery attempt. The processor (retry-processor.ts) only
 * performs the decision: a produce to a tier or the dead-letter topic, a commit, a pause.
 */
import type { DeliveryOutcome } from './delivery-target.ts';
import type { KeyBacklog } from './key-backlog.ts';
import { lastTier } from './key-backlog.ts';

export interface RedeliveryPolicy {
  /** Delay of each tier, tier 1 first. */
  readonly tierDelaysMs: readonly number[];
  /** 0..1: each delay is drawn from delay * (1 +- jitter). */
  readonly jitter: number;
  readonly ordering: 'key' | 'none';
}

/** What a read record is, as far as deciding goes. */
export interface ReadFacts {
  /** 0: read from the source topic; n: from retry tier n. */
  readonly tier: number;
  /** The record's back-off timestamp (retry tiers only). */
  readonly dueAt?: number;
  /** Its place in its key's backlog, when it has one. */
  readonly keySequence?: number;
  /** The backlog of its key; undefined when its key is not tracked (ordering none, or no key). */
  readonly backlog?: KeyBacklog;
}

export type ReadDecision =
  /** Try to deliver it now. */
  | { readonly kind: 'attempt' }
  /** Not due yet: pause its partition until `untilMs`, leave it at the head. */
  | { readonly kind: 'wait'; readonly untilMs: number }
  /** Its key has earlier records in retry: send it, unattempted, to `tier` behind them. */
  | { readonly kind: 'follow'; readonly tier: number; readonly why: 'key-in-retry' | 'behind-head' }
  /** Its backlog entry was lost in a crash: put it back (`adoptIntoBacklog`) and decide again. */
  | { readonly kind: 'adopt' }
  /** Its sequence number was resolved already: a copy left by a crash. Commit past it. */
  | { readonly kind: 'skip'; readonly why: 'duplicate' };

export function decideOnRead(f: ReadFacts, now: number): ReadDecision {
  if (f.tier > 0 && f.dueAt !== undefined && f.dueAt > now) return { kind: 'wait', untilMs: f.dueAt };
  const b = f.backlog;
  if (!b) return { kind: 'attempt' };
  if (f.tier === 0 || f.keySequence === undefined) {
    const tier = lastTier(b);
    return tier === undefined ? { kind: 'attempt' } : { kind: 'follow', tier, why: 'key-in-retry' };
  }
  const i = b.outstanding.findIndex((e) => e.seq === f.keySequence);
  if (i < 0) return f.keySequence < b.next ? { kind: 'skip', why: 'duplicate' } : { kind: 'adopt' };
  if (i === 0) return { kind: 'attempt' };
  // Behind an earlier record of its key: to that record's tier when it moved on, else round this tier again.
  return { kind: 'follow', tier: Math.max(b.outstanding[i - 1]!.tier, f.tier), why: 'behind-head' };
}

export type OutcomeDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly tier: number; readonly dueAt: number }
  | { readonly kind: 'park'; readonly reason: 'permanent' | 'exhausted' }
  /** The target's breaker is open: nothing was attempted; pause and try this record again on resume. */
  | { readonly kind: 'pause' };

/**
 * After attempt number `attempt` of a record: delivered -> done; retriable -> tier `attempt` (the
 * first failure to tier 1, the second to tier 2, ...) after its delay, or the target's Retry-After
 * when longer, and the dead-letter topic once every tier had its attempt; permanent -> the
 * dead-letter topic at once; unavailable -> pause. The tier follows the record's own attempts, not
 * where it sits: a record that followed its key into tier 3 without an attempt gets all its tiers
 * (going back to tier 1 keeps its key's order: the key's later records wait behind it, see
 * decideOnRead's `behind-head`).
 */
export function decideOnOutcome(outcome: DeliveryOutcome, attempt: number, policy: RedeliveryPolicy, now: number, random: () => number): OutcomeDecision {
  switch (outcome.kind) {
    case 'delivered':
      return { kind: 'done' };
    case 'unavailable':
      return { kind: 'pause' };
    case 'permanent':
      return { kind: 'park', reason: 'permanent' };
    case 'retriable': {
      if (attempt > policy.tierDelaysMs.length) return { kind: 'park', reason: 'exhausted' };
      const dueAt = Math.max(dueAtFor(attempt, policy, now, random), now + (outcome.retryAfterMs ?? 0));
      return { kind: 'retry', tier: attempt, dueAt };
    }
  }
}

/** When a record sent to `tier` now comes due: the tier's delay with jitter. */
export function dueAtFor(tier: number, policy: RedeliveryPolicy, now: number, random: () => number): number {
  const delay = policy.tierDelaysMs[tier - 1];
  if (delay === undefined) throw new RangeError(`no retry tier ${tier} (the policy has ${policy.tierDelaysMs.length})`);
  return now + Math.round(delay * (1 + policy.jitter * (2 * random() - 1)));
}
