/**
 * From a target's settings to the request each event becomes. `planRequest` runs once (when the
 * bridge file is checked, and when the target is built) and finds every problem a config can have
 * without an event: bad templates, an origin with a placeholder, header clashes, contradictory
 * status rules. `buildRequest` runs per event and can only fail on that event's data (a missing
 * field, a value that is not JSON): a permanent outcome naming the field, nothing sent.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../../retry/delivery-target.ts';
import { planBody, projectBody, type BodyPlan, type BodySetting } from './body-projection.ts';
import { HttpErrors, type HttpErrorCode } from './errors.ts';
import { parseEventJson } from './event-json.ts';
import type { OutcomeRules } from './outcome-rules.ts';
import { parseTemplate, renderTemplate, templateFields, type Template } from './template.ts';

/** The settings planRequest reads: spec.ts's HttpSinkConfig, with its defaults filled in. */
export interface HttpTargetSettings {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly secret_headers: Readonly<Record<string, string>>;
  readonly body: BodySetting;
  readonly content_type: string;
  readonly idempotency_header: string;
  readonly outcomes: {
    readonly delivered_statuses: readonly number[];
    readonly retriable_statuses: readonly number[];
    readonly permanent_statuses: readonly number[];
    readonly retry_after_max_ms: number;
  };
}

export interface RequestPlan {
  readonly name: string;
  readonly method: string;
  /** `https://host[:port]`, the same for every event: one keep-alive pool per target. */
  readonly origin: string;
  /** Path and query, from `/`. */
  readonly path: Template;
  readonly templatedHeaders: ReadonlyArray<{ readonly name: string; readonly template: Template }>;
  /** Headers the same on every request (static, secret, content type), lower-case names. */
  readonly fixedHeaders: Readonly<Record<string, string>>;
  /** Lower-case. */
  readonly idempotencyHeader: string;
  readonly body: BodyPlan;
  readonly outcomeRules: OutcomeRules;
  /** Whether building a request reads the event's JSON fields. */
  readonly readsFields: boolean;
}

export interface PlanProblem {
  /** Where in the target's settings (zod issue path, so the bridge file reports file:line:col). */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type RequestPlanResult = { readonly ok: true; readonly plan: RequestPlan } | { readonly ok: false; readonly problems: readonly PlanProblem[] };

/** One event's request. */
export interface TargetRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string | undefined;
}

export type BuiltRequest = { readonly ok: true; readonly request: TargetRequest } | { readonly ok: false; readonly outcome: DeliveryOutcome };

/** RFC 9110 §5.1: a field name is a token. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// Set by undici from the request itself, or hop-by-hop (RFC 9110 §7.6.1): never the bridge file's.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection', 'expect']);

export function planRequest(settings: HttpTargetSettings): RequestPlanResult {
  const problems: PlanProblem[] = [];
  const url = planUrl(settings.url, problems);

  const seen = new Map<string, ReadonlyArray<string | number>>();
  const claim = (name: string, path: ReadonlyArray<string | number>) => {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) problems.push({ path, message: `"${name}" is not a valid HTTP header name (RFC 9110 token: letters, digits and !#$%&'*+-.^_\`|~)` });
    if (RESERVED_HEADERS.has(lower)) problems.push({ path, message: `header ${name} is set by the HTTP client itself; leave it out` });
    const other = seen.get(lower);
    if (other !== undefined) problems.push({ path, message: `header ${name} is already given by ${other.join('.')}` });
    seen.set(lower, path);
  };
  claim(settings.idempotency_header, ['idempotency_header']);
  const fixedHeaders: Record<string, string> = {};
  const templatedHeaders: Array<{ name: string; template: Template }> = [];
  for (const [name, value] of Object.entries(settings.headers)) {
    claim(name, ['headers', name]);
    const parsed = parseTemplate(value);
    if (!parsed.ok) problems.push({ path: ['headers', name], message: `${parsed.message} at character ${parsed.offset + 1}` });
    else if (templateFields(parsed.template).length === 0) fixedHeaders[name.toLowerCase()] = checkedFixed(value, ['headers', name], problems);
    else templatedHeaders.push({ name: name.toLowerCase(), template: parsed.template });
  }
  for (const [name, value] of Object.entries(settings.secret_headers)) {
    claim(name, ['secret_headers', name]);
    // The value is not echoed: it is a credential.
    fixedHeaders[name.toLowerCase()] = checkedFixed(value, ['secret_headers', name], problems, true);
  }

  const body = planBody(settings.body);
  if (!body.ok) problems.push({ path: ['body'], message: body.message });
  if (body.ok && body.plan.kind !== 'none') {
    const given = seen.get('content-type');
    if (given !== undefined) problems.push({ path: given, message: 'give the body\'s type with content_type, not as a header' });
    else fixedHeaders['content-type'] = settings.content_type;
  }

  const outcomeRules = planOutcomes(settings.outcomes, problems);
  if (problems.length > 0 || url === undefined || !body.ok) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      name: settings.name,
      method: settings.method,
      origin: url.origin,
      path: url.path,
      templatedHeaders,
      fixedHeaders,
      idempotencyHeader: settings.idempotency_header.toLowerCase(),
      body: body.plan,
      outcomeRules,
      readsFields: templateFields(url.path).length > 0 || templatedHeaders.length > 0 || body.plan.kind === 'projection',
    },
  };
}

/** The request one event becomes, or the permanent outcome that says why it cannot be made. */
export function buildRequest(plan: RequestPlan, record: DeliveryRecord): BuiltRequest {
  let fields: unknown;
  if (plan.readsFields) {
    const json = parseEventJson(record.value);
    if (!json.ok) return refuse('BANYAN_ERR_HTTP_VALUE_NOT_JSON', record.eventId, `target ${plan.name}`, json.reason);
    fields = json.value;
  }
  const path = renderTemplate(plan.path, fields, encodeURIComponent);
  if (!path.ok) return refuse('BANYAN_ERR_HTTP_FIELD_MISSING', record.eventId, 'the url', path.field, path.reason);

  const headers: Record<string, string> = { ...plan.fixedHeaders, [plan.idempotencyHeader]: record.eventId };
  for (const { name, template } of plan.templatedHeaders) {
    const value = renderTemplate(template, fields, (text) => text);
    if (!value.ok) return refuse('BANYAN_ERR_HTTP_FIELD_MISSING', record.eventId, `header ${name}`, value.field, value.reason);
    if (!HEADER_VALUE.test(value.text)) {
      const field = templateFields(template).map((f) => f.text).join('", "');
      return refuse('BANYAN_ERR_HTTP_HEADER_VALUE_INVALID', record.eventId, name, field);
    }
    headers[name] = value.text;
  }

  let body: Buffer | string | undefined;
  if (plan.body.kind === 'event') body = record.value ?? undefined;
  else if (plan.body.kind === 'projection') {
    const projected = projectBody(plan.body.members, fields);
    if (!projected.ok) return refuse('BANYAN_ERR_HTTP_FIELD_MISSING', record.eventId, 'the body', projected.field, projected.reason);
    body = projected.json;
  }
  // A tombstone sent as `event` has no body, so it has no type either.
  if (body === undefined) delete headers['content-type'];
  return { ok: true, request: { path: path.text, headers, body } };
}

// RFC 9110 §5.5: field-value = *field-content; VCHAR, obs-text, SP and HTAB, nothing else.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function refuse(code: HttpErrorCode, ...args: string[]): BuiltRequest {
  const error = new HttpErrors[code](...args);
  return { ok: false, outcome: { kind: 'permanent', failure: { errorClass: code, message: error.message } } };
}

function checkedFixed(value: string, path: ReadonlyArray<string | number>, problems: PlanProblem[], secretValue = false): string {
  if (!HEADER_VALUE.test(value)) problems.push({ path, message: `${secretValue ? 'the value' : `"${value}"`} holds a control character or line break, which HTTP does not allow in a header value` });
  return value;
}

// scheme://host[:port] without a placeholder, then the path and query (templated) from `/` or `?`.
const URL_SHAPE = /^(https?:\/\/[^/?#{}@]+)([/?][^#]*)?$/;

function planUrl(source: string, problems: PlanProblem[]): { origin: string; path: Template } | undefined {
  const fail = (message: string) => {
    problems.push({ path: ['url'], message });
    return undefined;
  };
  if (/^https?:\/\/[^/?#]*@/.test(source)) return fail('credentials in the URL are not sent; put them in secret_headers (e.g. Authorization)');
  if (source.includes('#')) return fail('a URL fragment (#...) is never sent to the server; leave it out');
  const shape = URL_SHAPE.exec(source);
  if (!shape) {
    return fail(/^https?:\/\//.test(source) ? 'the host and port must be fixed: placeholders go into the path and query only' : 'expected an http:// or https:// URL');
  }
  const rest = shape[2] ?? '/';
  const parsed = parseTemplate(rest.startsWith('?') ? `/${rest}` : rest);
  if (!parsed.ok) return fail(`${parsed.message} at character ${shape[1]!.length + parsed.offset + 1}`);
  const literal = parsed.template.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
  if (!/^[\x21-\x7e]*$/.test(literal)) return fail('spaces and non-ASCII characters must be percent-encoded in the URL');
  let origin: string;
  try {
    origin = new URL(shape[1]!).origin;
  } catch (err) {
    return fail(`not a valid URL (${(err as Error).message})`);
  }
  return { origin, path: parsed.template };
}

function planOutcomes(o: HttpTargetSettings['outcomes'], problems: PlanProblem[]): OutcomeRules {
  const lists = [
    ['delivered_statuses', o.delivered_statuses],
    ['retriable_statuses', o.retriable_statuses],
    ['permanent_statuses', o.permanent_statuses],
  ] as const;
  for (let i = 0; i < lists.length; i++) {
    for (let j = i + 1; j < lists.length; j++) {
      const both = lists[i]![1].filter((s) => lists[j]![1].includes(s));
      if (both.length > 0) problems.push({ path: ['outcomes', lists[j]![0]], message: `${both.join(', ')} also in ${lists[i]![0]}: a status has one meaning` });
    }
  }
  return {
    deliveredStatuses: new Set(o.delivered_statuses),
    retriableStatuses: new Set(o.retriable_statuses),
    permanentStatuses: new Set(o.permanent_statuses),
    retryAfterMaxMs: o.retry_after_max_ms,
  };
}
