/**
 * Sends one request to one upstream over a keep-alive undici Pool (one pool per origin, shared by
 * every route using it). undici's Pool never retries on its own (retries live in RetryAgent, which
 * is not used), so the only retry is the router's single fallback to legacy. The timeout aborts the
 * upstream request through an AbortController, so a slow upstream frees its connection.
 */
import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { RouterErrors } from '../errors.ts';
import type { BanyanError } from '../../core/errors.ts';
import type { UpstreamHeaders } from './headers.ts';

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
  /** Aborted when the client goes away. */
  readonly clientSignal?: AbortSignal;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
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
  const poolFor = (origin: string): Pool => {
    let p = pools.get(origin);
    if (!p) {
      p = new Pool(origin, {
        connections: options.connections ?? 64,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
        pipelining: 1,
      });
      pools.set(origin, p);
    }
    return p;
  };

  return {
    async send(target, req) {
      const controller = new AbortController();
      const onClientAbort = () => controller.abort(new Error('client closed the connection'));
      req.clientSignal?.addEventListener('abort', onClientAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT(target.url, req.timeoutMs));
      }, req.timeoutMs);
      const started = performance.now();
      try {
        const res = await poolFor(target.origin).request({
          method: req.method as Dispatcher.HttpMethod,
          path: target.prefix + req.path,
          headers: req.headers,
          body: req.body,
          signal: controller.signal,
          // The body may then stream as slowly as the client reads, but never stall longer than the timeout.
          bodyTimeout: req.timeoutMs,
        });
        const response: UpstreamResponse = {
          status: res.statusCode,
          headers: res.headers,
          body: res.body,
          latencyMs: performance.now() - started,
        };
        if (res.statusCode >= 400) throw new UpstreamStatusError(target.url, response);
        return response;
      } catch (err) {
        if (err instanceof UpstreamStatusError) throw err;
        if (timedOut) throw new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT(target.url, req.timeoutMs);
        throw new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE(target.url, (err as Error).message, err as Error) as BanyanError;
      } finally {
        clearTimeout(timer);
        req.clientSignal?.removeEventListener('abort', onClientAbort);
      }
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}
