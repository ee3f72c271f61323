/**
 * What the router does once the chosen side's call has ended, as a pure function (decide, then act:
 * route-request.ts performs the decision). Rules (issue 3, "Safety"):
 *
 *   the client closed the connection        -> abandon: nginx's 499, nobody's failure
 *   legacy was chosen                       -> serve what it gave; a legacy failure is never retried
 *   new answered below 500                  -> serve it (a 4xx: the request was wrong, new is healthy)
 *   new's breaker is open                   -> fall back to legacy: nothing was sent, so any method
 *   new failed (5xx, timeout, connection)   -> fall back to legacy only when the request is idempotent
 *                                              (RFC 9110 section 9.2.2, or it has an Idempotency-Key) and
 *                                              its body was buffered, so it can be replayed
 *   ... and the client left meanwhile        -> no fallback: serve the failure
 *
 * A served answer is mirrored for shadow comparison when the request is shadowed and replayable; a
 * fallback never is (its answer is legacy's second try, not a comparable primary).
 */
import type { Side } from '../contracts.ts';
import { isOpenBreakerError } from '../breaker/upstream-breakers.ts';
import { ClientGoneError, UpstreamStatusError, type UpstreamResponse } from './upstream.ts';

/** How one upstream call ended. An answer of 400 or more arrives as an UpstreamStatusError and counts as answered. */
export type CallOutcome =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'breaker-open' }
  | { readonly kind: 'client-gone' }
  /** Timeout, refused or reset connection, or anything else thrown. */
  | { readonly kind: 'failed' };

export interface FallbackInput {
  readonly chosen: Side;
  readonly outcome: CallOutcome;
  /** RFC 9110 idempotent method, or an Idempotency-Key header. */
  readonly idempotent: boolean;
  /** No body, or a body buffered in memory: it can be sent again. */
  readonly replayable: boolean;
  /** The client's connection closed while the chosen side was being called. */
  readonly clientGone: boolean;
  /** The shadow module wants this request mirrored. */
  readonly shadowing: boolean;
}

export type FallbackReason =
  | 'client-closed'
  | 'answered'
  | 'legacy-failed'
  | 'new-breaker-open'
  | 'new-failed'
  | 'not-replayable'
  | 'client-gone-before-fallback';

export type FallbackDecision =
  /** Nothing to answer: count the request as 499, as neither side's failure. */
  | { readonly action: 'abandon'; readonly reason: 'client-closed' }
  /** Answer with the chosen side's outcome (its response, or its error); `mirror`: hand the response to the shadow module. */
  | { readonly action: 'serve'; readonly reason: FallbackReason; readonly chosenFailed: boolean; readonly mirror: boolean }
  /** Discard new's answer, if any, and call legacy once. */
  | { readonly action: 'fall-back'; readonly reason: 'new-breaker-open' | 'new-failed'; readonly chosenFailed: true };

export function decideFallback(input: FallbackInput): FallbackDecision {
  const { outcome } = input;
  if (outcome.kind === 'client-gone') return { action: 'abandon', reason: 'client-closed' };
  const answered = outcome.kind === 'answered';
  const mirror = answered && input.shadowing && input.replayable;
  if (input.chosen === 'legacy') {
    return answered ? { action: 'serve', reason: 'answered', chosenFailed: false, mirror } : { action: 'serve', reason: 'legacy-failed', chosenFailed: true, mirror };
  }
  if (answered && outcome.status < 500) return { action: 'serve', reason: 'answered', chosenFailed: false, mirror };
  if (input.clientGone) return { action: 'serve', reason: 'client-gone-before-fallback', chosenFailed: true, mirror };
  if (outcome.kind === 'breaker-open') return { action: 'fall-back', reason: 'new-breaker-open', chosenFailed: true };
  if (input.idempotent && input.replayable) return { action: 'fall-back', reason: 'new-failed', chosenFailed: true };
  return { action: 'serve', reason: 'not-replayable', chosenFailed: true, mirror };
}

/** A call's result: the response (an UpstreamStatusError's too, kept as `failure` for the log), or what it threw. */
export type CallResult =
  | { readonly response: UpstreamResponse; readonly failure?: UpstreamStatusError }
  | { readonly response?: undefined; readonly failure: unknown };

export async function settle(call: Promise<UpstreamResponse>): Promise<CallResult> {
  try {
    return { response: await call };
  } catch (err) {
    return err instanceof UpstreamStatusError ? { response: err.response, failure: err } : { failure: err };
  }
}

export function outcomeOf(result: CallResult): CallOutcome {
  if (result.response) return { kind: 'answered', status: result.response.status };
  if (result.failure instanceof ClientGoneError) return { kind: 'client-gone' };
  if (isOpenBreakerError(result.failure)) return { kind: 'breaker-open' };
  return { kind: 'failed' };
}
