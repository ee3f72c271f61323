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
import type { EventEmitter } from 'node:events';
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
  /** Emits 'abort' when the client goes away (an EventEmitter: far cheaper to create than an AbortController). */
  readonly clientSignal?: EventEmitter;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: UpstreamBody;
  /** Time to response headers, in milliseconds. */
  readonly latencyMs: number;
}

/** A 4xx/5xx answer as an error, so the breaker's errorFilter can decide which ones count. */
export class UpstreamStatusError extends Error {
  readonly response: UpstreamResponse;
  readonly upstream: string;
  constructor(upstream: string, response: UpstreamResponse) {
    super(`upstream ${upstream} answered ${response.status}`);
    this.name = 'UpstreamStatusError';
    this.upstream = upstream;
    this.response = response;
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
        const started = performance.now();
        let body: DispatchedBody | undefined;
        let flow: Dispatcher.DispatchController | undefined;
        const onClientGone = () => flow?.abort(new Error('client closed the connection'));
        req.clientSignal?.once('abort', onClientGone);
        const settle = () => req.clientSignal?.removeListener('abort', onClientGone);
        const handler: Dispatcher.DispatchHandler = {
          onRequestStart(controller) {
            flow = controller;
          },
          onResponseStart(controller, statusCode, headers) {
            // 1xx informational answers are not the response (RFC 9110 section 15.2).
            if (statusCode < 200) return;
            settle();
            body = new DispatchedBody(controller);
            const response: UpstreamResponse = { status: statusCode, headers, body, latencyMs: performance.now() - started };
            if (statusCode >= 400) reject(new UpstreamStatusError(target.url, response));
            else resolve(response);
          },
          onResponseData(_controller, chunk) {
            body!.push(chunk);
          },
          onResponseEnd() {
            body!.end();
          },
          onResponseError(_controller, err) {
            settle();
            if (body) return body.fail(err);
            const code = (err as { code?: unknown }).code;
            if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
              reject(new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT(target.url, req.timeoutMs, err));
            } else reject(new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE(target.url, err.message, err) as BanyanError);
          },
        };
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
          handler,
        );
      });
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}
