/**
 * `sink: { http: ... }` in bridges/*.yaml: each event consumed from Kafka is delivered to a new
 * service, one request per event, through the retry processor (src/retry), which owns consumption,
 * retry tiers and the dead-letter topic. The checks that need more than zod (templates, the URL's
 * origin, header clashes, status rules) are request-plan.ts's, run here at load so each problem is
 * reported at its key's file:line:col, and again when the target is built.
 *
 *   sink:
 *     http:
 *       name: accounts-service
 *       method: PUT
 *       url: https://accounts.internal/v1/accounts/{after.ACCOUNT_ID}
 *       headers: { X-Branch: "{after.BRANCH}" }
 *       secret_headers: { Authorization: "Bearer ${ACCOUNTS_TOKEN}" }
 *       body: { id: after.ACCOUNT_ID, balance: after.BALANCE }
 *       outcomes: { retriable_statuses: [409] }
 */
import { z } from 'zod';
import { intBetween, nonEmpty, nonNegativeInt, numberBetween, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';
import { DEFAULT_RETRY_AFTER_MAX_MS } from './outcome-rules.ts';
import { HEADER_NAME, planRequest } from './request-plan.ts';

/** RFC 9110 §5.1: a field name is a token. (Header maps check their keys in request-plan.ts: zod's own key issue does not say what is wrong.) */
export const headerName = z.string().regex(HEADER_NAME, 'not a valid HTTP header name (RFC 9110 token)');

const statusList = z.array(intBetween(100, 599)).default([]);

/**
 * opossum's options, one breaker per target. There is no breaker `timeout`: opossum's timer only
 * rejects the call and leaves the request running (its abortController is one per breaker, so it
 * would abort every request in flight); `timeout_ms` bounds each request's waits instead, aborts
 * it, and a timed-out request counts as a breaker failure, which is the job opossum's timeout does.
 */
export const httpBreakerSchema = z.strictObject({
  /** Percent of failed deliveries in the rolling window that opens the breaker. */
  error_threshold_percentage: numberBetween(1, 100).default(50),
  /** How long the breaker stays open before one trial delivery (half-open). */
  reset_timeout_ms: positiveInt.default(30_000),
  /** The breaker judges the failure rate only once the window holds this many deliveries. */
  volume_threshold: nonNegativeInt.default(10),
  /** Length of the rolling window the failure rate is counted over. */
  rolling_count_timeout_ms: positiveInt.default(10_000),
  /** Buckets the window is divided into; the oldest is dropped every rolling_count_timeout_ms / buckets. */
  rolling_count_buckets: positiveInt.default(10),
});

/** Which answers mean what, on top of the defaults (outcome-rules.ts). */
export const httpOutcomesSchema = z.strictObject({
  /** Counted as delivered, e.g. 409 from a service that answers a repeated idempotency key so. */
  delivered_statuses: statusList,
  /** Tried again later, e.g. 409 from a service that locks an entity for a moment. */
  retriable_statuses: statusList,
  /** Parked at once, e.g. 501. */
  permanent_statuses: statusList,
  /** Longest wait a Retry-After answer may ask for (later is cut to this). */
  retry_after_max_ms: nonNegativeInt.default(DEFAULT_RETRY_AFTER_MAX_MS),
});

export const httpSinkSchema = z
  .strictObject({
    /** The target's name: in the retry and dead-letter headers, metrics and messages. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"'),
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']).default('POST'),
    /** `http(s)://host[:port]/path?query` with `{field.path}` placeholders in the path and query (URL-encoded). */
    url: nonEmpty,
    /** Sent with every request; values may hold `{field.path}` placeholders (inserted as they are). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Static headers holding credentials (redacted wherever config is logged; no placeholders). */
    secret_headers: z.record(z.string(), secret(z.string())).default({}),
    /** `event`: the Kafka value as it is; `none`; a list of field paths; a map of member name -> field path. */
    body: z.union([z.enum(['event', 'none']), z.array(nonEmpty), z.record(nonEmpty, nonEmpty)]).default('event'),
    /** Content-Type of the body (projections are JSON). */
    content_type: nonEmpty.default('application/json'),
    /** Longest wait of a request: for the connection, for the answer's headers, and each pause in its body (undici's connect, headers and body timeouts); then it is aborted, retriable. */
    timeout_ms: positiveInt.default(10_000),
    /** Carries the event's stable id (the same on every retry and replay) so the service can drop repeats. */
    idempotency_header: headerName.default('Idempotency-Key'),
    /** Keep-alive connections to the target's origin (undici Pool size). */
    connections: intBetween(1, 1024).default(10),
    breaker: httpBreakerSchema.prefault({}),
    outcomes: httpOutcomesSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const plan = planRequest(config);
    if (!plan.ok) for (const p of plan.problems) ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
  });

export type HttpSinkConfig = z.output<typeof httpSinkSchema>;
/** What a config file may leave out (defaults filled in by the schema). */
export type HttpSinkInput = z.input<typeof httpSinkSchema>;
