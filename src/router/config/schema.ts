/**
 * Schema of one route file, mappings/routes/*.yaml. A file holds routes (matched in file order,
 * files in name order), optionally named cohorts shared across routes and files, and at most one
 * `default` catch-all to legacy for the whole table (AWS Refactor Spaces' DEFAULT route).
 *
 * ```yaml
 * cohorts:
 *   customer: { salt: customer-2026, buckets: 10000 }
 * default: { legacy: { url: http://127.0.0.1:8080 } }
 * routes:
 *   - id: accounts-read
 *     match: { method: [GET], path: /accounts/:id }
 *     legacy: { url: http://127.0.0.1:8080, timeout_ms: 5000 }
 *     new: { url: http://127.0.0.1:9090, headers: { add: { x-from: banyan } } }
 *     mode: canary
 *     weight: 10
 *     cohort: { name: customer, key: { from: path, name: id } }
 *     shadow: { enabled: true, compare: { ignore: [body.generatedAt] } }
 * ```
 *
 * Keys are snake_case like every file a team writes; the parsed specs are camelCase TypeScript
 * (`timeout_ms` in YAML is `timeoutMs` in `UpstreamSpec`), through `snakeCaseObject`. A key in its old
 * camelCase spelling is a `renamed-key` issue naming the new one.
 */
import { z } from 'zod';
import { snakeCaseObject } from '../../config/key-style.ts';
import { boolean, fromEnv, intBetween, nonNegativeInt, numberBetween } from '../../config/schema-helpers.ts';
import { rolloutSpecSchema } from '../rollout/spec.ts';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name (RFC 9110 token)');

export const HeaderRulesSchema = z.strictObject({
  add: z.record(headerName, z.string()).default({}),
  remove: z.array(headerName).default([]),
});

export const UpstreamSchema = snakeCaseObject({
  /** `http://host:port[/prefix]`: the prefix is prepended to the client's path. */
  url: z.url({ protocol: /^https?$/ }),
  /** Whole upstream answer must start within this time; the request is aborted after it (Envoy route timeout). */
  timeout_ms: intBetween(1, 600_000).default(10_000),
  /** Headers added to / removed from the request sent to this side. */
  headers: HeaderRulesSchema.default({ add: {}, remove: [] }),
  /** Headers added to / removed from this side's response before it reaches the client. */
  response_headers: HeaderRulesSchema.default({ add: {}, remove: [] }),
});

export const CohortKeySchema = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('path'), name: z.string().min(1) }),
  z.strictObject({ from: z.literal('header'), name: headerName }),
  z.strictObject({ from: z.literal('cookie'), name: z.string().min(1) }),
  z.strictObject({ from: z.literal('query'), name: z.string().min(1) }),
  /** Dotted path into a JSON request body, e.g. `customer.id`; the body is buffered (capped) to read it. */
  z.strictObject({ from: z.literal('body'), path: z.string().min(1) }),
  z.strictObject({ from: z.literal('ip') }),
]);

export const NamedCohortSchema = z.strictObject({
  salt: z.string().min(1),
  /** Buckets of the hash ring; at least 10,000 so 0.01% steps exist. */
  buckets: intBetween(10_000, 1_000_000_000).default(10_000),
});

export const RouteCohortSchema = snakeCaseObject({
  /** A cohort from `cohorts:` (any file): same salt and buckets, so one key lands on one side everywhere. */
  name: z.string().min(1).optional(),
  key: CohortKeySchema.default({ from: 'ip' }),
  /** Route-local salt when no named cohort is used (default: the route id). */
  salt: z.string().min(1).optional(),
  buckets: intBetween(10_000, 1_000_000_000).optional(),
  /** What to do when the key is absent from a request. */
  on_missing_key: z.enum(['random', 'legacy', 'new']).default('random'),
});

const fieldPath = z.string().min(1);

/** A JavaScript regular expression source, compiled once here so a bad one is a config error. */
const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export const CompareRuleSchema = z.union([
  z.strictObject({ path: fieldPath, tolerance: fromEnv(z.number().min(0)) }),
  snakeCaseObject({ path: fieldPath, sort_by: z.string().min(1) }),
  z.strictObject({ path: fieldPath, replace: z.strictObject({ pattern: regexSource, with: z.string().default('') }) }),
]);

export const CompareSchema = z.strictObject({
  status: boolean.default(true),
  /** Response headers compared (lower-cased names); others are ignored. */
  headers: z.array(headerName).default(['content-type']),
  /** Field paths never compared: `body.generatedAt`, `body.items[*].ts`, `body.**.etag`. */
  ignore: z.array(fieldPath).default([]),
  /** Normalisation before comparing: numeric tolerance, sort arrays by key, regex replace. */
  rules: z.array(CompareRuleSchema).default([]),
});

export const NoiseSchema = snakeCaseObject({
  /** Fraction of shadowed requests also sent to legacy a second time (Diffy's primary/secondary). */
  rate: numberBetween(0, 1).default(0.1),
  /** Secondaries always taken until this many noise samples exist for the route. */
  warmup: nonNegativeInt.default(20),
  /** Diffy's thresholds, in percent: |raw-noise|/(raw+noise) and |raw-noise|/total. */
  relative_threshold: numberBetween(0, 100).default(20),
  absolute_threshold: numberBetween(0, 100).default(0.03),
});

export const ShadowSchema = snakeCaseObject({
  /** In `shadow` mode shadowing is always on; in `canary` mode only when enabled. */
  enabled: boolean.default(false),
  /** Percent of eligible requests mirrored. */
  percent: numberBetween(0, 100).default(100),
  /** Writes are mirrored only when the route declares them safe (or the request has an Idempotency-Key). */
  writes_safe: boolean.default(false),
  /** Bodies larger than this are not buffered, so such requests are not shadowed. */
  max_body_bytes: nonNegativeInt.default(1_048_576),
  compare: CompareSchema.default({ status: true, headers: ['content-type'], ignore: [], rules: [] }),
  noise: NoiseSchema.default({ rate: 0.1, warmup: 20, relativeThreshold: 20, absoluteThreshold: 0.03 }),
});

const method = z
  .string()
  .regex(/^[A-Za-z]+$/, 'must be an HTTP method')
  .transform((m) => m.toUpperCase());

const valueMatch = z.union([z.string(), z.strictObject({ regex: regexSource }), z.strictObject({ present: boolean })]);

export const MatchSchema = z.strictObject({
  /** Any method when omitted. */
  method: z.union([method, z.array(method).min(1)]).optional(),
  /** `/accounts/:id`, `/static/*` (the rest of the path), exact otherwise. */
  path: z.string().regex(/^\//, 'must start with /'),
  /** Exact values, or `{ regex: ... }`, or `{ present: true|false }`. */
  headers: z.record(headerName, valueMatch).default({}),
  query: z.record(z.string(), valueMatch).default({}),
});

export const RouteSchema = snakeCaseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  match: MatchSchema,
  legacy: UpstreamSchema,
  new: UpstreamSchema.optional(),
  mode: z.enum(['legacy', 'shadow', 'canary', 'new']).default('legacy'),
  /** Percent of the cohort sent to new in canary mode; fractional steps allowed (0.01 with 10,000 buckets). */
  weight: numberBetween(0, 100).default(0),
  active: boolean.default(true),
  cohort: RouteCohortSchema.default({ key: { from: 'ip' }, onMissingKey: 'random' }),
  /** Testers' override: `always` sends to new, `never` to legacy (Kong's canary_by_header_name). */
  force: z
    .strictObject({ header: headerName.default('x-banyan-force'), cookie: z.string().min(1).default('banyan-force') })
    .default({ header: 'x-banyan-force', cookie: 'banyan-force' }),
  /** Cohort keys always sent to new (pilot customers). */
  allow: z.array(z.string()).default([]),
  shadow: ShadowSchema.optional(),
  /** Request bodies are buffered up to this size when a fallback to legacy or a body cohort key needs them. */
  max_buffered_body_bytes: nonNegativeInt.default(1_048_576),
  /** Progressive delivery (control plane, src/router/rollout/spec.ts): steps, interval, gates, rollback. */
  rollout: rolloutSpecSchema.optional(),
});

export const DefaultRouteSchema = z.strictObject({ legacy: UpstreamSchema });

export const RouteFileSchema = z.strictObject({
  cohorts: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), NamedCohortSchema).default({}),
  default: DefaultRouteSchema.optional(),
  routes: z.array(RouteSchema).default([]),
});

export type RouteFile = z.output<typeof RouteFileSchema>;
export type RouteSpec = z.output<typeof RouteSchema>;
export type UpstreamSpec = z.output<typeof UpstreamSchema>;
export type CohortKeySpec = z.output<typeof CohortKeySchema>;
export type ShadowSpec = z.output<typeof ShadowSchema>;
export type CompareSpec = z.output<typeof CompareSchema>;
export type CompareRule = z.output<typeof CompareRuleSchema>;
export type NoiseSpec = z.output<typeof NoiseSchema>;
export type HeaderRules = z.output<typeof HeaderRulesSchema>;
export type MatchSpec = z.output<typeof MatchSchema>;
