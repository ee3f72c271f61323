/**
 * createRouter: the strangler router's data plane, served straight from `node:http` createServer.
 * Every request goes to routeRequest on the raw node objects; bodies are never parsed, so they
 * stream to the upstream. It used to be fastify with one hijacked catch-all route: fastify then
 * only routed that catch-all, and cost ~9% of the router's CPU per request (bench/router.bench.ts
 * profile). The admin server keeps fastify (src/router/admin/server.ts).
 *
 * The route table comes from a directory of YAML files, watched for changes; a reload that fails
 * keeps the running table, logs every issue as file:line:col and reports it through
 * `control.status()` and a `reload` event.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import type { RouteControlPort, RouterConfigStatus } from './contracts.ts';
import { formatIssue, ConfigError } from '../config/issues.ts';
import { loadRouteDirectory } from './config/load-routes.ts';
import { RouterErrors } from './errors.ts';
import { RouteRegistry } from './config/route-registry.ts';
import { watchRouteDirectory, type RouteWatcher } from './config/watch-routes.ts';
import { createUpstreamBreakers, type BreakerOptions } from './breaker/upstream-breakers.ts';
import { headerValue } from './match/route-matcher.ts';
import { createEventBus } from './proxy/event-bus.ts';
import { routeRequest } from './proxy/route-request.ts';
import { createUpstreamPools } from './proxy/upstream.ts';
import type { ClientInfo } from './proxy/headers.ts';
import { createSampleStore, type MismatchSink } from './shadow/mismatch-sink.ts';
import { createShadowMetrics } from './shadow/shadow-metrics.ts';
import { createShadowRunner } from './shadow/shadow-runner.ts';

export interface RouterOptions {
  /** Directory of route files (mappings/routes). */
  readonly routesDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (an ephemeral port). */
  readonly port?: number;
  /** The component's logger: it already carries `component`, which the router does not add again. */
  readonly logger?: Logger;
  /** Adds `x-banyan-upstream: legacy|new` to responses (default true). */
  readonly exposeUpstreamHeader?: boolean;
  /** Watch routesDir and reload on change (default true). */
  readonly watch?: boolean;
  readonly reloadDebounceMs?: number;
  readonly breaker?: BreakerOptions;
  /** Where shadow mismatches are published (the Kafka mismatch topic); none: samples only. */
  readonly mismatchSink?: MismatchSink;
  /** Prometheus registry for the router's metrics (default: a new one, exposed as `metrics`). */
  readonly metrics?: Registry;
  /** Also send RFC 7239 `Forwarded` upstream, next to X-Forwarded-For/-Proto/-Host (default false). */
  readonly forwardedHeader?: boolean;
  /** Trust X-Forwarded-For/-Proto/-Host from a front proxy for the client address, scheme and host (like fastify's `trustProxy: true`). */
  readonly trustProxy?: boolean;
  /** Keep-alive connections per upstream origin (default 64). */
  readonly connectionsPerUpstream?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Randomness for key-less splits, shadow sampling and noise sampling (tests inject a seeded one). */
  readonly random?: () => number;
}

export interface Router {
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
  readonly control: RouteControlPort;
  readonly metrics: Registry;
  /** Re-reads the route directory now (the watcher calls this); returns the resulting status. */
  reload(): RouterConfigStatus;
  /** Resolves when shadow comparisons in flight are done. */
  shadowIdle(): Promise<void>;
}

/** Loads the routes (throws ConfigError listing every issue when they are invalid) and builds the router. */
export function createRouter(options: RouterOptions): Router {
  const logger = options.logger ?? pino({ level: 'info' });
  const events = createEventBus((event, err) => logger.error({ event, err }, 'router event listener failed'));
  const registry = new RouteRegistry();
  const metrics = options.metrics ?? new Registry();

  const first = loadRouteDirectory(options.routesDir, options.env);
  if (!first.ok) throw new ConfigError(first.issues);
  registry.replace(first.table);
  let status: RouterConfigStatus = { ok: true, files: first.table.files, issues: [], loadedAt: Date.now(), lastAttemptAt: Date.now() };

  const pools = createUpstreamPools({ connections: options.connectionsPerUpstream });
  const breakers = createUpstreamBreakers(pools, options.breaker);
  breakers.onChange((url, state) => {
    logger.warn({ upstream: url, state }, 'breaker state changed');
    const at = Date.now();
    for (const r of registry.all()) {
      if (r.legacy.url === url) events.emit('breaker', { routeId: r.id, side: 'legacy', state, at });
      if (r.new?.url === url) events.emit('breaker', { routeId: r.id, side: 'new', state, at });
    }
  });
  const samples = createSampleStore();
  const shadow = createShadowRunner({
    events,
    samples,
    metrics: createShadowMetrics(metrics),
    logger,
    sink: options.mismatchSink,
    random: options.random,
  });

  const reload = (): RouterConfigStatus => {
    const at = Date.now();
    const r = loadRouteDirectory(options.routesDir, options.env);
    if (r.ok) {
      registry.replace(r.table);
      status = { ok: true, files: r.table.files, issues: [], loadedAt: at, lastAttemptAt: at };
      logger.info({ files: r.table.files, routes: r.table.routes.length }, 'routes reloaded');
    } else {
      const issues = r.issues.map(formatIssue);
      status = { ...status, ok: false, issues, lastAttemptAt: at };
      logger.error({ issues }, 'route reload failed; keeping the running routes');
    }
    events.emit('reload', { ok: status.ok, files: [...(r.ok ? r.table.files : r.files)], issues: [...status.issues], at });
    return status;
  };

  const ctx = { registry, breakers, events, logger, shadow, exposeUpstreamHeader: options.exposeUpstreamHeader ?? true,
    forwarding: { forwardedHeader: options.forwardedHeader ?? false },
    random: options.random };
  const trustProxy = options.trustProxy ?? false;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!ROUTED_METHODS.has(req.method ?? '')) {
      // The methods the fastify catch-all used to route; anything else (CONNECT, WebDAV...) is not proxied.
      req.resume();
      return void sendNoRoute(res, req.method ?? '', url);
    }
    routeRequest(ctx, req, res, clientInfo(req, trustProxy)).catch((err: unknown) => {
      // A bug, not an upstream failure (those are answered inside routeRequest): log it, answer 500.
      const coded = new RouterErrors.BANYAN_ERR_ROUTER_INTERNAL(url, String(err), err instanceof Error ? err : undefined);
      // pino's err serializer writes the cause's message and stack after the coded error's.
      logger.error({ err: coded }, coded.message);
      if (res.headersSent) return void res.destroy();
      res.writeHead(coded.status!, { 'content-type': 'application/json' }).end(JSON.stringify({ code: coded.code, message: coded.message }));
    });
  });
  // fastify's defaults, kept: keep-alive connections idle up to 72 s (longer than common front
  // proxies' 60 s, so the proxy closes first), no whole-request timeout (bodies may stream slowly).
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;

  let watcher: RouteWatcher | undefined;
  const control: RouteControlPort = {
    listRoutes: () => registry.all().map((r) => registry.view(r, breakers.state)),
    status: () => status,
    recentMismatches: (routeId, limit) => samples.recent(routeId, limit),
    applyOverride: (id, o) => {
      registry.applyOverride(id, o);
      logger.info({ route: id, override: o }, 'route override applied');
    },
    clearOverride: (id) => {
      registry.clearOverride(id);
      logger.info({ route: id }, 'route override cleared');
    },
    on: (e, l) => events.on(e, l),
    off: (e, l) => events.off(e, l),
  };

  return {
    control,
    metrics,
    reload,
    shadowIdle: () => shadow.idle(),
    async listen() {
      const host = options.host ?? '127.0.0.1';
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (options.watch ?? true) watcher = watchRouteDirectory(options.routesDir, options.reloadDebounceMs ?? 100, () => void reload());
      const port = (server.address() as AddressInfo).port;
      return { host, port, url: `http://${host}:${port}` };
    },
    async close() {
      watcher?.close();
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
      }
      await shadow.idle();
      breakers.shutdown();
      await pools.close();
    },
  };
}

const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']);

/**
 * Client address and scheme, taken as fastify did with `trustProxy: true`: behind a trusted front
 * proxy the address is the left-most X-Forwarded-For entry (the original client, proxy-addr with
 * "trust all") and the scheme the last X-Forwarded-Proto entry; the host is always the Host header.
 */
function clientInfo(req: IncomingMessage, trustProxy: boolean): ClientInfo {
  const socketIp = req.socket.remoteAddress ?? '';
  if (!trustProxy) return { ip: socketIp, protocol: 'http', host: req.headers.host };
  const xff = headerValue(req.headers, 'x-forwarded-for');
  const first = xff === undefined ? '' : xff.split(',')[0]!.trim();
  const proto = headerValue(req.headers, 'x-forwarded-proto')?.split(',').pop()!.trim();
  return { ip: first || socketIp, protocol: proto === 'https' ? 'https' : 'http', host: req.headers.host };
}

function sendNoRoute(res: ServerResponse, method: string, url: string): void {
  const q = url.indexOf('?');
  const err = new RouterErrors.BANYAN_ERR_ROUTER_NO_ROUTE(method, q < 0 ? url : url.slice(0, q));
  const payload = JSON.stringify({ code: err.code, message: err.message });
  res.writeHead(err.status!, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }).end(payload);
}
