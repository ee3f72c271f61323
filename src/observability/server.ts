/**
 * The observability HTTP server: `/metrics` (Prometheus text exposition format 0.0.4, from the
 * gateway's registry), `/health/live` (200 whenever the process can answer: liveness must not
 * depend on Kafka, or an orchestrator would restart a healthy gateway during a broker outage) and
 * `/health/ready` (200 only when every readiness check passes, 503 with the failing reasons), and
 * the JSON pages components register (`GET /bridges`, reports.ts).
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';
import type { Reports } from './reports.ts';
import { ObservabilityErrors } from './errors.ts';

export interface ObservabilityServerOptions {
  readonly host: string;
  /** 0 picks a free port; read the real one from `address`. */
  readonly port: number;
  readonly metrics: GatewayMetrics;
  readonly readiness: Readiness;
  /** Components' JSON pages (`GET /bridges`); absent: none. */
  readonly reports?: Reports;
  readonly logger: Logger;
}

export interface ObservabilityServer {
  /** `http://host:port` actually listened on. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startObservabilityServer(options: ObservabilityServerOptions): Promise<ObservabilityServer> {
  const app = buildObservabilityApp(options);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    await app.close().catch(() => {});
    throw new ObservabilityErrors.BANYAN_ERR_OBSERVABILITY_LISTEN_FAILED(options.host, options.port, (err as Error).message, err as Error);
  }
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  options.logger.info({ host: options.host, port }, 'metrics and health endpoints listening');
  return { address: `http://${host}:${port}`, port, close: () => app.close() };
}

/** The routes without listening (used by tests through `inject`). */
export function buildObservabilityApp(options: Omit<ObservabilityServerOptions, 'host' | 'port'>): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Scrapes and probes arrive every few seconds: logging each request would drown the real lines.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.get('/metrics', async (_req, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });

  app.get('/health/live', async () => ({ status: 'live' }));

  app.get('/health/ready', async (_req, reply) => {
    const report = await options.readiness.evaluate();
    options.metrics.ready.set(report.ready ? 1 : 0);
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not-ready', checks: report.checks });
  });

  app.setNotFoundHandler(async (req, reply) => {
    const page = req.method === 'GET' ? options.reports?.lookup(req.url.split('?')[0]!) : undefined;
    if (!page) return reply.code(404).send({ error: 'not found', path: req.url });
    return reply.send(await page());
  });

  return app;
}
