/**
 * One client request through the router: match a route, pick a side (force, allow-list, sticky
 * bucket), call it through its breaker, fall back to legacy when new is broken, stream the answer,
 * mirror a copy for shadow comparison, and report a RequestOutcome.
 *
 * Decide, then act: chooseSide (split/choose-side.ts) picks the side, decideFallback (fallback.ts)
 * says what to do once that side's call has ended (serve it, fall back to legacy, or abandon a
 * request whose client left), and this handler performs the two decisions. Fallback rules (issue 3,
 * "Safety") are in fallback.ts; idempotent means RFC 9110 section 9.2.2 (GET, HEAD, OPTIONS, TRACE,
 * PUT, DELETE) or an Idempotency-Key header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { BanyanError } from '../../core/errors.ts';
import type { Side } from '../contracts.ts';
import type { RouteRegistry, RuntimeRoute, RuntimeUpstream } from '../config/route-registry.ts';
import { RouterErrors } from '../errors.ts';
import { headerValue, type RequestShape } from '../match/route-matcher.ts';
import { chooseSide } from '../split/choose-side.ts';
import { cookieValue, extractCohortKey } from '../split/cohort-key.ts';
import { isOpenBreakerError, type UpstreamBreakers } from '../breaker/upstream-breakers.ts';
import type { CapturedResponse } from '../shadow/capture.ts';
import type { RouterEventBus } from './event-bus.ts';
import { clientResponseHeaders, requestIdOf, upstreamRequestHeaders, type ClientInfo, type ForwardingOptions } from './headers.ts';
import { decideFallback, outcomeOf, settle } from './fallback.ts';
import { ClientLink, UpstreamStatusError, type UpstreamResponse } from './upstream.ts';

/** What the request path needs from the shadow module. */
export interface ShadowHook {
  /** Whether this request is mirrored (mode, method safety, sampling). */
  wants(route: RuntimeRoute, method: string, headers: IncomingMessage['headers']): boolean;
  /** Mirrors and compares in the background; never throws, never delays the client. */
  run(job: ShadowJob): void;
}

export interface ShadowJob {
  readonly route: RuntimeRoute;
  readonly method: string;
  readonly url: string;
  readonly requestId: string;
  readonly servedSide: Side;
  readonly served: Promise<CapturedResponse>;
  /** Sends a copy (marked `x-banyan-shadow: 1`) to a side and captures its answer. */
  send(side: Side): Promise<CapturedResponse>;
}

export interface RequestContext {
  readonly registry: RouteRegistry;
  readonly breakers: UpstreamBreakers;
  readonly events: RouterEventBus;
  readonly logger: Logger;
  readonly shadow?: ShadowHook;
  readonly exposeUpstreamHeader: boolean;
  readonly forwarding: ForwardingOptions;
  readonly random?: () => number;
}

interface UpstreamCaller {
  /** Calls a side through its breaker; a shadow copy is marked and not tied to the client's connection. */
  call(side: Side, shadow: boolean): Promise<UpstreamResponse>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const EMPTY_RULES = { add: {}, remove: [] } as const;

export async function routeRequest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, client: ClientInfo): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  let query: URLSearchParams | undefined;
  const shape: RequestShape = {
    method,
    path,
    headers: req.headers,
    // Lazy: most routes never read the query string.
    query() {
      return (query ??= new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    },
  };
  const requestId = requestIdOf(req.headers);
  const found = ctx.registry.find(shape);
  if (!found) {
    req.resume();
    return sendError(res, new RouterErrors.BANYAN_ERR_ROUTER_NO_ROUTE(method, path), requestId);
  }
  const { route, params } = found;

  const idempotent = IDEMPOTENT.has(method) || req.headers['idempotency-key'] !== undefined;
  const newInPlay = route.new !== undefined && !route.killSwitch;
  const shadowing = newInPlay && ctx.shadow !== undefined && ctx.shadow.wants(route, method, req.headers);
  const keyFromBody = route.cohortKey.from === 'body' && route.mode === 'canary';
  const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;

  // Buffer only when something needs to read or replay the body; otherwise it streams through.
  let body: Buffer | Readable | undefined;
  if (hasBody && newInPlay && (keyFromBody || idempotent || shadowing)) {
    try {
      body = await bufferUpTo(req, route.maxBufferedBodyBytes);
    } catch (err) {
      // The client went away mid-upload: nothing to send anywhere, and not a router bug (500).
      ctx.logger.debug({ route: route.id, requestId, err }, 'request body ended early');
      return void res.destroy();
    }
  } else if (hasBody) body = req;
  const replayable = body === undefined || Buffer.isBuffer(body);

  const decision = chooseSide({
    mode: route.mode,
    weight: route.weight,
    killSwitch: route.killSwitch,
    hasNew: route.new !== undefined,
    force: headerValue(req.headers, route.forceHeader) ?? cookieValue(headerValue(req.headers, 'cookie'), route.forceCookie),
    key: newInPlay && route.mode === 'canary' ? cohortKey(route, params, req, shape, body, client.ip) : undefined,
    salt: route.salt,
    buckets: route.buckets,
    allow: route.allow,
    onMissingKey: route.onMissingKey,
    random: ctx.random,
  });

  const clientGone = new ClientLink();
  res.on('close', () => {
    if (!res.writableFinished) clientGone.markGone();
  });
  const upstream: UpstreamCaller = {
    call(side, shadow) {
      const target = side === 'new' ? route.new! : route.legacy;
      const headers = upstreamRequestHeaders(req.headers, client, requestId, target.spec.headers, ctx.forwarding);
      if (shadow) headers['x-banyan-shadow'] = '1';
      return ctx.breakers.call(target, {
        method,
        path: url,
        headers,
        body: shadow ? (body as Buffer | undefined) : body,
        timeoutMs: target.spec.timeoutMs,
        clientSignal: shadow ? undefined : clientGone,
      });
    },
  };

  const chosen = decision.side;
  const first = await settle(upstream.call(chosen, false));
  const next = decideFallback({
    chosen,
    outcome: outcomeOf(first),
    idempotent,
    replayable,
    clientGone: clientGone.gone,
    shadowing,
  });
  if (next.action === 'abandon') {
    // nginx's 499 "client closed request": counted, but not as a failure of either side.
    ctx.events.emit('request', { routeId: route.id, servedBy: chosen, chosen, status: 499, latencyMs: 0, chosenFailed: false, fellBack: false, at: Date.now() });
    return;
  }
  const fellBack = next.action === 'fall-back';
  if (fellBack) {
    first.response?.body.dump();
    ctx.logger.warn({ route: route.id, requestId, err: first.failure }, 'new side failed; falling back to legacy');
  }
  const servedBy: Side = fellBack ? 'legacy' : chosen;
  const { response, failure } = fellBack ? await settle(upstream.call('legacy', false)) : first;
  const { chosenFailed } = next;

  if (!response) {
    const error = toBanyanError(failure, servedBy === 'new' ? route.new! : route.legacy);
    ctx.events.emit('request', { routeId: route.id, servedBy, chosen, status: statusOf(error), latencyMs: 0, chosenFailed, fellBack, at: Date.now() });
    ctx.logger.warn({ route: route.id, requestId, side: servedBy, err: failure }, 'upstream failed');
    return sendError(res, error, requestId);
  }

  const sideRules = (servedBy === 'new' ? route.new! : route.legacy).spec.responseHeaders;
  const extra: Record<string, string> = { 'x-request-id': requestId };
  if (ctx.exposeUpstreamHeader) extra['x-banyan-upstream'] = servedBy;
  res.writeHead(response.status, clientResponseHeaders(response.headers, sideRules ?? EMPTY_RULES, extra));
  ctx.events.emit('request', {
    routeId: route.id,
    servedBy,
    chosen,
    status: response.status,
    latencyMs: response.latencyMs,
    chosenFailed,
    fellBack,
    at: Date.now(),
  });

  const streamed =
    next.action === 'serve' && next.mirror && ctx.shadow
      ? streamMirrored(ctx.shadow, { route, method, url, requestId, servedSide: servedBy }, response, res, upstream)
      : response.body.pipeTo(res);
  try {
    await streamed;
  } catch (err) {
    ctx.logger.debug({ route: route.id, requestId, err }, 'response stream ended early');
  }
}

/**
 * Streams the served body to the client, observing it chunk by chunk (a capped copy), and starts
 * the shadow comparison against it; resolves when the client has the whole body.
 */
function streamMirrored(
  shadow: ShadowHook,
  job: Pick<ShadowJob, 'route' | 'method' | 'url' | 'requestId' | 'servedSide'>,
  served: UpstreamResponse,
  res: ServerResponse,
  upstream: UpstreamCaller,
): Promise<void> {
  const cap = job.route.shadow?.maxBodyBytes ?? 1_048_576;
  const chunks: Buffer[] = [];
  let size = 0;
  const streamed = served.body.pipeTo(res, (chunk) => {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
  });
  shadow.run({
    ...job,
    served: streamed.then(
      (): CapturedResponse => ({ status: served.status, headers: served.headers, body: size > cap ? Buffer.alloc(0) : Buffer.concat(chunks, size), truncated: size > cap }),
      (err: unknown): CapturedResponse => ({ status: served.status, headers: served.headers, body: Buffer.alloc(0), truncated: false, error: errorText(err) }),
    ),
    send(side) {
      return captureCall(upstream.call(side, true), cap);
    },
  });
  return streamed;
}

function cohortKey(
  route: RuntimeRoute,
  params: Record<string, string>,
  req: IncomingMessage,
  shape: RequestShape,
  body: Buffer | Readable | undefined,
  ip: string,
): string | undefined {
  return extractCohortKey(route.cohortKey, {
    params,
    header(name) {
      return headerValue(req.headers, name);
    },
    cookie(name) {
      return cookieValue(headerValue(req.headers, 'cookie'), name);
    },
    query() {
      return shape.query();
    },
    body() {
      return Buffer.isBuffer(body) ? body : undefined;
    },
    ip,
  });
}

/** Reads the body into memory up to `cap`; beyond it, returns a stream replaying what was read, then the rest. */
async function bufferUpTo(req: IncomingMessage, cap: number): Promise<Buffer | Readable> {
  const it = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await it.next();
    if (next.done) return Buffer.concat(chunks, size);
    chunks.push(next.value);
    size += next.value.length;
    if (size > cap) {
      return Readable.from(
        (async function* () {
          yield* chunks;
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        })(),
        { objectMode: false },
      );
    }
  }
}

async function captureCall(sent: Promise<UpstreamResponse>, cap: number): Promise<CapturedResponse> {
  let res: UpstreamResponse;
  try {
    res = await sent;
  } catch (err) {
    if (!(err instanceof UpstreamStatusError)) return { status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, error: errorText(err) };
    res = err.response;
  }
  try {
    const { body, truncated } = await res.body.collect(cap);
    return { status: res.status, headers: res.headers, body, truncated };
  } catch (err) {
    return { status: res.status, headers: res.headers, body: Buffer.alloc(0), truncated: false, error: errorText(err) };
  }
}

/** The coded error a failed upstream call is answered with (an open breaker's, the call's own, or UPSTREAM_UNREACHABLE). */
function toBanyanError(err: unknown, upstream: RuntimeUpstream): BanyanError {
  if (isOpenBreakerError(err)) return new RouterErrors.BANYAN_ERR_ROUTER_BREAKER_OPEN(upstream.url);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('BANYAN_ERR_')) return err as BanyanError;
  return new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE(upstream.url, errorText(err));
}

/** The code's HTTP status (src/router/errors.ts); 502 for a coded error of another area. */
function statusOf(err: BanyanError): number {
  return err.status ?? 502;
}

function sendError(res: ServerResponse, err: BanyanError, requestId: string): void {
  const status = statusOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify({ code: err.code, message: err.message, requestId });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-request-id': requestId });
  res.end(payload);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
