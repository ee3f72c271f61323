/**
 * What an HTTP answer means for the event: delivered, worth retrying, or parked at once. Pure: the
 * target decides here, the retry processor acts on the outcome (STYLE.md, "decide, then act").
 *
 * Order of the rules (the first that matches wins):
 *   1. the target's own lists: `delivered_statuses` (e.g. 409 from a service answering a repeated
 *      idempotency key that way), `retriable_statuses` (e.g. 409 from one that is briefly locked),
 *      `permanent_statuses` (e.g. 501);
 *   2. 2xx delivered;
 *   3. 408 Request Timeout, 429 Too Many Requests and every 5xx retriable (RFC 9110 §15.5.9, §15.6;
 *      RFC 6585 §4), honouring Retry-After on any retriable answer, capped at `retryAfterMaxMs`;
 *   4. anything else (other 4xx; 1xx and 3xx, which undici does not follow) permanent: sending the
 *      same request again gets the same answer.
 */
import type { DeliveryOutcome } from '../../retry/delivery-target.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface OutcomeRules {
  readonly deliveredStatuses: ReadonlySet<number>;
  readonly retriableStatuses: ReadonlySet<number>;
  readonly permanentStatuses: ReadonlySet<number>;
  /** Longest wait a Retry-After may ask for; a later date or longer delay is cut to this. */
  readonly retryAfterMaxMs: number;
}

export const DEFAULT_RETRY_AFTER_MAX_MS = 600_000;

export const DEFAULT_OUTCOME_RULES: OutcomeRules = {
  deliveredStatuses: new Set(),
  retriableStatuses: new Set(),
  permanentStatuses: new Set(),
  retryAfterMaxMs: DEFAULT_RETRY_AFTER_MAX_MS,
};

/** The parts of an answer the decision needs. */
export interface HttpAnswer {
  readonly status: number;
  /** The Retry-After header, when the target sent one. */
  readonly retryAfter?: string;
  /** The start of the response body, for the failure message (what the service said was wrong). */
  readonly bodySnippet?: string;
}

export type StatusClass = 'delivered' | 'retriable' | 'permanent';

/** Rule 1 to 4 above for a status alone. */
export function classifyStatus(status: number, rules: OutcomeRules): StatusClass {
  if (rules.deliveredStatuses.has(status)) return 'delivered';
  if (rules.retriableStatuses.has(status)) return 'retriable';
  if (rules.permanentStatuses.has(status)) return 'permanent';
  if (status >= 200 && status <= 299) return 'delivered';
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) return 'retriable';
  return 'permanent';
}

export function classifyAnswer(answer: HttpAnswer, rules: OutcomeRules, nowMs: number): DeliveryOutcome {
  const decision = classifyStatus(answer.status, rules);
  if (decision === 'delivered') return { kind: 'delivered', status: answer.status };
  const snippet = answer.bodySnippet?.trim();
  const failure = {
    errorClass: 'HttpStatus',
    message: `the target answered ${answer.status}${snippet ? `: ${snippet}` : ''}`,
    status: answer.status,
  };
  if (decision === 'permanent') return { kind: 'permanent', failure };
  const wait = parseRetryAfter(answer.retryAfter, nowMs);
  return wait === undefined ? { kind: 'retriable', failure } : { kind: 'retriable', failure, retryAfterMs: Math.min(wait, rules.retryAfterMaxMs) };
}
