/**
 * Puts the router's control plane together around a data plane's RouteControlPort: live stats and
 * Prometheus metrics, the rollout controller, the audit trail, decommission tracking, and the admin
 * server with the console. `banyan start` builds one with `createControlPlaneFromConfig` from
 * banyan.yaml's `router.admin`; tests build one with in-memory or temporary parts.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { RouteControlPort } from '../contracts.ts';
import type { AuditSink } from '../audit/audit-event.ts';
import { createAuditTrail, type AuditTrail } from '../audit/audit-trail.ts';
import { createKafkaAuditSink, type RecordPublisher } from '../audit/kafka-audit-sink.ts';
import { createDecommissionTracker, type DecommissionCriteria, type DecommissionTracker } from '../decommission/tracker.ts';
import { createRolloutController, type RolloutController } from '../rollout/controller.ts';
import { createFileRouteStateStore } from '../state/file-state-store.ts';
import type { RouteStateStore } from '../state/route-state.ts';
import { createRouteStateBook } from '../state/state-book.ts';
import { createRouterMetrics } from '../stats/metrics.ts';
import { createRouterStats, type RouterStats } from '../stats/router-stats.ts';
import type { AdminToken, RouterAdminConfig } from './config.ts';
import { createAdminServer, type AdminServer } from './server.ts';

export interface ControlPlaneOptions {
  readonly port: RouteControlPort;
  readonly tokens: readonly AdminToken[];
  readonly store: RouteStateStore;
  readonly auditSink: AuditSink;
  readonly host?: string;
  readonly listenPort?: number;
  /**
   * Where the control plane registers its metrics and what the admin /metrics serves: the gateway's
   * registry (which the data plane registers on too), so the admin /metrics and the gateway's show
   * the same series. Default: a new registry (tests, or a control plane on its own).
   */
  readonly registry?: Registry;
  readonly decommission?: DecommissionCriteria;
  /** The component's logger: it already carries `component`, which the control plane does not add again. */
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Rollout tick period (default 1000 ms; 0: tests call controller.tick()). */
  readonly tickMs?: number;
}

export interface ControlPlane {
  readonly controller: RolloutController;
  readonly stats: RouterStats;
  readonly audit: AuditTrail;
  readonly decommission: DecommissionTracker;
  readonly admin: AdminServer;
  /** The registry the control plane's metrics are on (options.registry, or its own). */
  readonly registry: Registry;
  /** Loads persisted state (re-applying overrides before anything else), then serves the admin API. */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

const DEFAULT_CRITERIA: DecommissionCriteria = { legacyZeroDays: 14, minMatchRate: 0.999, minComparisons: 1000 };

export function createControlPlane(options: ControlPlaneOptions): ControlPlane {
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const registry = options.registry ?? new Registry();
  const metrics = createRouterMetrics(registry);
  const stats = createRouterStats({ now, metrics });
  const book = createRouteStateBook(options.store, now);
  const audit = createAuditTrail({ sink: options.auditSink, logger, now });
  const controller = createRolloutController({ port: options.port, book, audit, now, tickMs: options.tickMs, logger, metrics });
  const decommission = createDecommissionTracker({ port: options.port, book, criteria: options.decommission ?? DEFAULT_CRITERIA, now });
  const admin = createAdminServer({
    controller,
    stats,
    port: options.port,
    audit,
    decommission,
    tokens: options.tokens,
    host: options.host,
    listenPort: options.listenPort,
    registry,
    logger,
  });
  return {
    controller,
    stats,
    audit,
    decommission,
    admin,
    registry,
    async start() {
      await controller.start();
      stats.attach(options.port);
      decommission.start();
      const { url, port } = await admin.listen();
      logger?.info({ url }, 'router admin API and console listening');
      return { url, port };
    },
    async stop() {
      await admin.close();
      stats.detach();
      await decommission.stop();
      await controller.stop();
      await options.store.close();
    },
  };
}

/** From banyan.yaml's `router.admin`: state in a file (relative to `baseDir`), audit to Kafka. */
export function createControlPlaneFromConfig(
  config: RouterAdminConfig,
  deps: { port: RouteControlPort; publisher: RecordPublisher; baseDir: string; registry?: Registry; logger?: Logger },
): ControlPlane {
  return createControlPlane({
    port: deps.port,
    tokens: config.tokens,
    host: config.host,
    listenPort: config.port,
    store: createFileRouteStateStore(resolve(deps.baseDir, config.state_file)),
    auditSink: createKafkaAuditSink(deps.publisher, config.audit_topic),
    registry: deps.registry,
    decommission: {
      legacyZeroDays: config.decommission.legacy_zero_days,
      minMatchRate: config.decommission.min_match_rate,
      minComparisons: config.decommission.min_comparisons,
    },
    logger: deps.logger,
  });
}
