/**
 * Sends one request to one upstream over a keep-alive undici Pool (one pool per origin, shared by
 * every route using it) with `dispatch`, the lowest-level undici API: no Readable per response
 * (see upstream-body.ts). undici's Pool never retries on its own (retries live in RetryAgent and
 * its retry interceptor, neither used), so the only retry is the router's single fallback to legacy.
 *
 * Timeouts use undici's own headersTimeout/bodyTimeout, which abort the upstream request by
 * destroying its socket; a per-request AbortController plus timer did the same but cost about 10%
 * of throughput in a CPU profile (AbortSignal creation and DOMException on every request). A client
 * that goes away aborts the upstream request through `clientSignal`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { RouterErrors } from '../errors.ts';
import type { BanyanError } from '../../core/errors.ts';
import type { UpstreamHeaders } from './headers.ts';
import { DispatchedBody, type UpstreamBody } from './upstream-body.ts';

export interface UpstreamTarget {
  /** The configured url, used as the breaker and metrics name. */
  readonly url: string;
  readonly origin: string;
  /** Path prefix from the url ('' when none). */
  readonly prefix: string;
}

export interface UpstreamRequest {
  readonly method: string;
  /** Client path and query; the target's prefix is prepended. */
  readonly path: string;
  readonly headers: UpstreamHeaders;
  readonly body?: Buffer | Readable;
  readonly timeoutMs: number;
  /** Marked gone when the client goes away, which aborts this call while it waits for the response head. */
  readonly clientSignal?: ClientLink;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: UpstreamBody;
  /** Time to response headers, in milliseconds. */
  readonly latencyMs: number;
}

/**
 * The client side of one proxied request: the router marks it gone when the client disconnects,
 * and the upstream call in flight (at most one at a time: the chosen side, then the fallback)
 * aborts. A plain object with one slot: an EventEmitter (or an AbortController) per request, with
 * a `once` wrapper and a bound listener, cost measurably more on the router's hot path.
 */
export class ClientLink {
  gone = false;
  #watcher: (() => void) | undefined;

  /** Called once the client's connection closed before its response finished. */
  markGone(): void {
    if (this.gone) return;
    this.gone = true;
    const w = this.#watcher;
    this.#watcher = undefined;
    w?.();
  }

  /** Sets (or clears, with undefined) the one function called on markGone. */
  watch(watcher: (() => void) | undefined): void {
    this.#watcher = watcher;
  }
}

/** A 4xx/5xx answer as an error, so the breaker's errorFilter can decide which ones count. */
export class UpstreamStatusError extends Error {
  readonly upstream: string;
  readonly status: number;
  // Private, behind a getter: pino's err serializer copies enumerable fields, and the response's
  // headers (Set-Cookie) and body stream do not belong in a log line.
  readonly #response: UpstreamResponse;
  constructor(upstream: string, response: UpstreamResponse) {
    super(`upstream ${upstream} answered ${response.status}`);
    this.name = 'UpstreamStatusError';
    this.upstream = upstream;
    this.status = response.status;
    this.#response = response;
  }

  get response(): UpstreamResponse {
    return this.#response;
  }
}

/** The client went away before the upstream answered; not the upstream's fault (kept out of breaker failures). */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

export function parseUpstream(url: string): UpstreamTarget {
  const u = new URL(url);
  const prefix = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return { url, origin: u.origin, prefix };
}

export interface UpstreamPools {
  send(target: UpstreamTarget, req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Keep-alive connections per origin. */
  readonly connections?: number;
  readonly keepAliveTimeoutMs?: number;
}

export function createUpstreamPools(options: PoolOptions = {}): UpstreamPools {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string, timeoutMs: number): Pool => {
    let p = pools.get(origin);
    if (!p) {
      p = new Pool(origin, {
        connections: options.connections ?? 64,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
        pipelining: 1,
        connectTimeout: Math.min(timeoutMs, 10_000),
      });
      pools.set(origin, p);
    }
    return p;
  };

  return {
    send(target, req) {
      return new Promise<UpstreamResponse>((resolve, reject) => {
        poolFor(target.origin, req.timeoutMs).dispatch(
          {
            method: req.method as Dispatcher.HttpMethod,
            path: target.prefix + req.path,
            headers: req.headers,
            body: req.body ?? null,
            headersTimeout: req.timeoutMs,
            // The body then streams as fast as the client reads, but never stalls longer than the timeout.
            bodyTimeout: req.timeoutMs,
          },
          new UpstreamCall(target, req, resolve, reject),
        );
      });
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}

/**
 * undici dispatch handler of one upstream call: resolves with the response head (the body follows
 * through DispatchedBody), rejects with a coded error before it. A class rather than an object of
 * closures: one allocation per call, methods shared on the prototype.
 */
class UpstreamCall implements Dispatcher.DispatchHandler {
  readonly #target: UpstreamTarget;
  readonly #req: UpstreamRequest;
  readonly #resolve: (r: UpstreamResponse) => void;
  readonly #reject: (err: Error) => void;
  readonly #started = performance.now();
  #flow: Dispatcher.DispatchController | undefined;
  #body: DispatchedBody | undefined;
  #clientGone = false;

  constructor(target: UpstreamTarget, req: UpstreamRequest, resolve: (r: UpstreamResponse) => void, reject: (err: Error) => void) {
    this.#target = target;
    this.#req = req;
    this.#resolve = resolve;
    this.#reject = reject;
    if (req.clientSignal) req.clientSignal.watch(() => this.#clientAbort());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#flow = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational answers are not the response (RFC 9110 section 15.2).
    if (statusCode < 200) return;
    this.#settle();
    const body = new DispatchedBody(controller);
    this.#body = body;
    const response: UpstreamResponse = { status: statusCode, headers, body, latencyMs: performance.now() - this.#started };
    if (statusCode >= 400) this.#reject(new UpstreamStatusError(this.#target.url, response));
    else this.#resolve(response);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#body!.push(chunk);
  }

  onResponseEnd(): void {
    this.#body!.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.#settle();
    if (this.#body) return this.#body.fail(err);
    if (this.#clientGone) return this.#reject(new ClientGoneError());
    const code = (err as { code?: unknown }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      this.#reject(new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT(this.#target.url, this.#req.timeoutMs, err));
    } else this.#reject(new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE(this.#target.url, err.message, err) as BanyanError);
  }

  #clientAbort(): void {
    this.#clientGone = true;
    this.#flow?.abort(new ClientGoneError());
  }

  #settle(): void {
    this.#req.clientSignal?.watch(undefined);
  }
}
