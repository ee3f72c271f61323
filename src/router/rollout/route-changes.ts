/**
 * How the control plane changes a route, in one place: apply the override through the data plane's
 * port, replace the rollout progress, persist the route's record, and write the audit event with
 * the route's traffic state before and after. Synchronous up to the writes, so nothing sees a
 * half-made change; the writes are tracked so `idle()` can wait for them (tests, shutdown).
 * Also holds each route's runtime: its override, progress and the current step's measurements.
 */
import type { Logger } from 'pino';
import type { RouteControlPort, RouteOverride, RouteView } from '../contracts.ts';
import type { AuditAction, RouteTrafficState } from '../audit/audit-event.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { RouterMetrics } from '../stats/metrics.ts';
import type { RolloutProgress } from '../state/route-state.ts';
import type { RouteStateBook } from '../state/state-book.ts';
import { RouterControlErrors } from './control-errors.ts';
import type { GateReport, GateResult } from './gates.ts';
import { StepWindow } from './step-window.ts';

/** Who asks for a change and why; both are recorded in the audit event. */
export interface Actor {
  readonly actor: string;
  readonly reason: string;
}

export interface RouteRuntime {
  override: RouteOverride;
  progress?: RolloutProgress;
  readonly window: StepWindow;
  report?: GateReport;
  /** A dry-run failure is audited once per step. */
  dryRunReported: boolean;
}

export interface RouteEdit {
  readonly override?: RouteOverride;
  readonly progress?: RolloutProgress;
  readonly gates?: readonly GateResult[];
}

export interface RouteChanges {
  runtime(routeId: string): RouteRuntime;
  /** The data plane's current view; throws BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE. */
  viewOf(routeId: string): RouteView;
  traffic(view: RouteView, rt: RouteRuntime): RouteTrafficState;
  /** Makes the change; resolves true when the audit event was written. */
  change(routeId: string, action: AuditAction, who: Actor, edit: RouteEdit): Promise<boolean>;
  /** Drops overrides and progress (the YAML applies again); resolves true when audited. */
  clear(routeId: string, action: AuditAction, who: Actor): Promise<boolean>;
  /** Audits without changing anything (dry-run reports). */
  note(routeId: string, action: AuditAction, who: Actor, gates: readonly GateResult[]): void;
  idle(): Promise<void>;
}

export interface RouteChangesOptions {
  readonly port: RouteControlPort;
  readonly book: RouteStateBook;
  readonly audit: AuditTrail;
  readonly logger?: Logger;
  readonly metrics?: RouterMetrics;
}

export function createRouteChanges(options: RouteChangesOptions): RouteChanges {
  const { port, book, audit } = options;
  const runtimes = new Map<string, RouteRuntime>();
  const pending = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => undefined);
    return p;
  };

  const persist = (routeId: string, rt: RouteRuntime): Promise<void> =>
    book.update(routeId, { override: Object.keys(rt.override).length > 0 ? rt.override : undefined, rollout: rt.progress }).catch((err: unknown) => {
      options.logger?.error({ err, routeId }, 'route state could not be persisted');
    });

  /** Persists the route's record and audits the change; resolves true when the audit event was written. */
  const record = (routeId: string, rt: RouteRuntime, action: AuditAction, who: Actor, from: RouteTrafficState, to: RouteTrafficState, gates?: readonly GateResult[]): Promise<boolean> => {
    const audited = audit.record({ routeId, action, actor: who.actor, reason: who.reason, from, to, ...(gates ? { gates } : {}) });
    return track(Promise.all([persist(routeId, rt), audited]).then(([, ok]) => ok));
  };

  const changes: RouteChanges = {
    runtime(routeId) {
      let rt = runtimes.get(routeId);
      if (!rt) {
        rt = { override: {}, window: new StepWindow(), dryRunReported: false };
        runtimes.set(routeId, rt);
      }
      return rt;
    },
    viewOf(routeId) {
      const view = port.listRoutes().find((r) => r.id === routeId);
      if (!view) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE(routeId);
      return view;
    },
    traffic: (view, rt) => ({
      weight: view.weight,
      mode: view.mode,
      killSwitch: view.killSwitch,
      ...(rt.progress ? { phase: rt.progress.phase, step: rt.progress.stepIndex } : {}),
    }),
    change(routeId, action, who, edit) {
      const rt = changes.runtime(routeId);
      const from = changes.traffic(changes.viewOf(routeId), rt);
      if (edit.override) {
        port.applyOverride(routeId, edit.override);
        const merged: Record<string, unknown> = { ...rt.override };
        for (const [k, v] of Object.entries(edit.override)) if (v !== undefined) merged[k] = v;
        rt.override = merged as RouteOverride;
        if (edit.override.weight !== undefined) {
          // A step is judged only on traffic it ran with.
          rt.window.reset();
          options.metrics?.weight(routeId, edit.override.weight);
        }
      }
      if (edit.progress) {
        if (edit.progress.stepIndex !== rt.progress?.stepIndex || edit.progress.phase !== rt.progress?.phase) rt.dryRunReported = false;
        rt.progress = edit.progress;
      }
      return record(routeId, rt, action, who, from, changes.traffic(changes.viewOf(routeId), rt), edit.gates);
    },
    clear(routeId, action, who) {
      const rt = changes.runtime(routeId);
      const from = changes.traffic(changes.viewOf(routeId), rt);
      port.clearOverride(routeId);
      rt.override = {};
      rt.progress = undefined;
      rt.report = undefined;
      rt.dryRunReported = false;
      rt.window.reset();
      const view = changes.viewOf(routeId);
      options.metrics?.weight(routeId, view.weight);
      return record(routeId, rt, action, who, from, changes.traffic(view, rt));
    },
    note(routeId, action, who, gates) {
      const rt = changes.runtime(routeId);
      const now = changes.traffic(changes.viewOf(routeId), rt);
      void track(audit.record({ routeId, action, actor: who.actor, reason: who.reason, from: now, to: now, gates }));
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
  return changes;
}
