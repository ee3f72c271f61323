/**
 * The control plane's own fastify server (never the data plane's port, so a flood of client
 * traffic cannot lock operators out, and the admin port can stay on a private interface):
 *   /            the migration console (static page, no secrets in it: the token is typed in once)
 *   /health      config status of the route table (unauthenticated, for probes)
 *   /admin/*     the admin API, bearer token required (401 without a valid one)
 *   /metrics     Prometheus text, bearer token required
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BanyanError } from '../../core/errors.ts';
import { RouterControlErrors } from '../rollout/control-errors.ts';
import { consoleAssets } from '../console/assets.ts';
import { adminApiRoutes, type AdminApiDeps } from './api-routes.ts';
import { createTokenVerifier } from './auth.ts';
import type { AdminToken } from './config.ts';

export interface AdminServerOptions extends AdminApiDeps {
  readonly tokens: readonly AdminToken[];
  readonly host?: string;
  /** TCP port of the admin server (default 0: ephemeral). */
  readonly listenPort?: number;
  /** The registry /metrics serves: the gateway's when the router runs in a gateway (src/core/component.ts). */
  readonly registry: Registry;
  readonly logger?: Logger;
}

export interface AdminServer {
  readonly app: FastifyInstance;
  listen(): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

export function createAdminServer(options: AdminServerOptions): AdminServer {
  // Throws BANYAN_ERR_ROUTERCTL_NO_TOKENS at construction: no token, no admin API.
  const verifier = createTokenVerifier(options.tokens);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

  // Attached to the routes themselves (the /admin plugin scope and /metrics), not matched on the
  // raw URL, so no spelling of a path (percent-encoding, double slashes) can reach them unchecked.
  const requireToken = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const name = verifier.verify(req.headers.authorization);
    if (!name) {
      const err = new RouterControlErrors.BANYAN_ERR_ROUTERCTL_UNAUTHORIZED();
      return reply
        .code(err.status!)
        .header('www-authenticate', 'Bearer realm="banyan-admin"')
        .send({ code: err.code, message: err.message });
    }
    req.adminTokenName = name;
  };

  // A coded error answers with its code's status (src/router/rollout/control-errors.ts, src/router/errors.ts),
  // 500 without one; fastify's own errors (body too large, bad JSON) with their statusCode.
  app.setErrorHandler((err: FastifyError | BanyanError, req, reply) => {
    const code = err.code ?? 'BANYAN_ERR_ROUTERCTL_INTERNAL';
    const status = err instanceof BanyanError ? (err.status ?? 500) : ((err as FastifyError).statusCode ?? 500);
    if (status >= 500) options.logger?.error({ err, url: req.url }, 'admin request failed');
    void reply.code(status).send({ code, message: err.message });
  });

  app.register(
    async (scope) => {
      scope.addHook('onRequest', requireToken);
      await adminApiRoutes(scope, options);
    },
    { prefix: '/admin' },
  );

  // 200 even after a failed reload: the previous routes are still served; `ok: false` and the
  // file:line:col issues tell the operator what to fix.
  app.get('/health', async () => {
    const routes = options.port.status();
    return { ok: routes.ok, routes };
  });
  app.get('/metrics', { onRequest: requireToken }, async (_req, reply) => {
    return reply.type('text/plain; version=0.0.4').send(await options.registry.metrics());
  });
  for (const asset of consoleAssets()) {
    app.get(asset.path, async (_req, reply) =>
      reply.type(asset.contentType).header('cache-control', 'no-store').header('content-security-policy', "default-src 'self'").send(asset.body),
    );
  }

  return {
    app,
    async listen() {
      const host = options.host ?? '127.0.0.1';
      await app.listen({ host, port: options.listenPort ?? 0 });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      return { host, port, url: `http://${host}:${port}` };
    },
    close: () => app.close(),
  };
}
