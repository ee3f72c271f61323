/**
 * The admin API's endpoints (a fastify plugin, registered under /admin by the admin server). Every
 * request is already authenticated (the server's onRequest hook); every change names its actor
 * (the token's name, plus the `x-banyan-actor` header when a shared token is used by a person) and
 * needs a `reason` in the body. Changes go through the rollout controller only.
 *
 *   GET  /admin/routes                      routes with live stats, overrides and rollout progress
 *   GET  /admin/routes/:id
 *   PUT  /admin/routes/:id/weight           { weight, reason }
 *   PUT  /admin/routes/:id/mode             { mode, reason }
 *   PUT  /admin/routes/:id/kill-switch      { on, reason }
 *   POST /admin/routes/:id/pause|resume|approve   { reason }
 *   POST /admin/routes/:id/rollback         { reason, weight? }
 *   POST /admin/routes/:id/reset            { reason }  drop overrides and rollout progress (back to the YAML)
 *   GET  /admin/routes/:id/mismatches       recent parity mismatches with field diffs
 *   GET  /admin/audit?route=                recent audit events
 *   GET  /admin/decommission[/:id]          "ready to decommission" reports
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteControlPort } from '../contracts.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { DecommissionTracker } from '../decommission/tracker.ts';
import type { Actor, RolloutController } from '../rollout/controller.ts';
import { RouterControlErrors } from '../rollout/control-errors.ts';
import type { RouterStats } from '../stats/router-stats.ts';

export interface AdminApiDeps {
  readonly controller: RolloutController;
  readonly stats: RouterStats;
  readonly port: RouteControlPort;
  readonly audit: AuditTrail;
  readonly decommission?: DecommissionTracker;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the admin token that authenticated the request. */
    adminTokenName?: string;
  }
}

const reason = z.string().trim().min(1).max(500);
const WeightBody = z.object({ weight: z.number().min(0).max(100), reason });
const ModeBody = z.object({ mode: z.enum(['legacy', 'shadow', 'canary', 'new']), reason });
const KillBody = z.object({ on: z.boolean(), reason });
const ReasonBody = z.object({ reason });
const RollbackBody = z.object({ reason, weight: z.number().min(0).max(100).optional() });
const Window = z.object({ windowSec: z.coerce.number().min(1).max(3600).default(60) });
const Limit = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), route: z.string().optional() });

type Params = { id: string };

export async function adminApiRoutes(app: FastifyInstance, deps: AdminApiDeps): Promise<void> {
  const { controller, stats, port, audit } = deps;

  const body = <T>(schema: z.ZodType<T>, req: FastifyRequest): T => {
    const r = schema.safeParse(req.body ?? {});
    if (r.success) return r.data;
    const missingReason = r.error.issues.some((i) => i.path[0] === 'reason');
    if (missingReason) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_REASON_REQUIRED();
    const id = (req.params as Partial<Params>).id ?? '-';
    throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_INVALID_CHANGE(id, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  };
  const actor = (req: FastifyRequest, why: string): Actor => {
    const person = req.headers['x-banyan-actor'];
    const who = typeof person === 'string' && person.trim() !== '' ? `${req.adminTokenName}:${person.trim().slice(0, 100)}` : req.adminTokenName!;
    return { actor: who, reason: why };
  };
  const routeJson = (id: string, windowMs: number) => ({ ...controller.status(id), stats: stats.route(id, windowMs) });

  app.get('/routes', async (req) => {
    const { windowSec } = Window.parse(req.query);
    const routes = controller.list().map((status) => ({ ...status, stats: stats.route(status.route.id, windowSec * 1000) }));
    return { routes, config: port.status() };
  });
  app.get<{ Params: Params }>('/routes/:id', async (req) => routeJson(req.params.id, Window.parse(req.query).windowSec * 1000));

  app.put<{ Params: Params }>('/routes/:id/weight', async (req) => {
    const b = body(WeightBody, req);
    return controller.setWeight(req.params.id, b.weight, actor(req, b.reason));
  });
  app.put<{ Params: Params }>('/routes/:id/mode', async (req) => {
    const b = body(ModeBody, req);
    return controller.setMode(req.params.id, b.mode, actor(req, b.reason));
  });
  app.put<{ Params: Params }>('/routes/:id/kill-switch', async (req) => {
    const b = body(KillBody, req);
    return controller.setKillSwitch(req.params.id, b.on, actor(req, b.reason));
  });
  for (const verb of ['pause', 'resume', 'approve', 'reset'] as const) {
    app.post<{ Params: Params }>(`/routes/:id/${verb}`, async (req) => controller[verb](req.params.id, actor(req, body(ReasonBody, req).reason)));
  }
  app.post<{ Params: Params }>('/routes/:id/rollback', async (req) => {
    const b = body(RollbackBody, req);
    return controller.rollback(req.params.id, actor(req, b.reason), b.weight);
  });

  app.get<{ Params: Params }>('/routes/:id/mismatches', async (req) => {
    controller.status(req.params.id);
    return { mismatches: port.recentMismatches(req.params.id, Limit.parse(req.query).limit) };
  });
  app.get('/mismatches', async (req) => {
    const q = Limit.parse(req.query);
    return { mismatches: port.recentMismatches(q.route, q.limit) };
  });
  app.get('/audit', async (req) => {
    const q = Limit.parse(req.query);
    return { events: audit.recent(q.route, q.limit) };
  });
  app.get('/decommission', async () => ({ reports: deps.decommission?.reportAll() ?? [] }));
  app.get<{ Params: Params }>('/decommission/:id', async (req) => {
    controller.status(req.params.id);
    if (!deps.decommission) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_INVALID_CHANGE(req.params.id, 'decommission tracking is off');
    return deps.decommission.report(req.params.id);
  });
}
