/**
 * The control plane's single writer of route overrides. It runs each route's progressive delivery
 * (the `rollout:` block: steps, interval, gates, approvals, auto-rollback, auto-resume) from the data
 * plane's RouterEvents, and carries out the operators' changes from the admin API (weight, mode,
 * pause/resume, approve, roll back, kill switch). Every change goes to the data plane through
 * `RouteControlPort.applyOverride`, is persisted (so a restart keeps it) and audited (who, why,
 * from, to, gate values).
 *
 * State machine per route (see RolloutPhase), after Flagger's canary analysis and Argo Rollouts:
 *   progressing --gates pass after interval--> next step | awaiting-approval | completed
 *   progressing --a gate fails--> rolled-back (weight = last good or 0) --resumeAfter, breaker not open--> progressing (same step)
 *   rolled-back --maxAttempts reached or resume: manual--> failed
 *   any --pause / manual weight / kill switch / manual rollback--> paused --resume--> progressing (same step)
 * A step is judged on its own traffic only: the measurement window restarts with every weight change.
 *
 * Time comes from an injectable clock and `tick()`; the timer only calls `tick()`, so unit tests
 * drive the ramp without sleeping.
 */
import type { Logger } from 'pino';
import type {
  BreakerState,
  RequestOutcome,
  RouteControlPort,
  RouteMode,
  RouteOverride,
  RouteView,
  ShadowOutcome,
  Side,
} from '../contracts.ts';
import type { AuditAction } from '../audit/audit-event.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { RouterMetrics } from '../stats/metrics.ts';
import type { RolloutProgress } from '../state/route-state.ts';
import type { RouteStateBook } from '../state/state-book.ts';
import { RouterControlErrors } from './control-errors.ts';
import { evaluateGates, type GateReport, type GateResult } from './gates.ts';
import { decideRamp } from './ramp.ts';
import { createRouteChanges, type Actor, type RouteRuntime } from './route-changes.ts';
import type { RolloutSpec } from './spec.ts';

export type { Actor } from './route-changes.ts';

export const CONTROLLER_ACTOR = 'rollout-controller';

export interface RolloutStatus {
  readonly phase: RolloutProgress['phase'];
  readonly stepIndex: number;
  readonly steps: ReadonlyArray<{ readonly weight: number; readonly approve: boolean }>;
  readonly nextWeight?: number;
  readonly lastGoodWeight: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly stepStartedAt: number;
  readonly intervalMs: number;
  readonly resumeAt?: number;
  readonly reason?: string;
  /** Requests chosen for new during this step, against the minimum. */
  readonly stepRequests: number;
  readonly minRequests: number;
  readonly gates: readonly GateResult[];
}

export interface RouteControlStatus {
  readonly route: RouteView;
  readonly override: RouteOverride;
  readonly rollout?: RolloutStatus;
}

export interface ChangeResult {
  /** False when the audit event could not be written (the change was still made). */
  readonly audited: boolean;
  readonly status: RouteControlStatus;
}

export interface RolloutController {
  /** Loads persisted state, re-applies overrides, starts listening (and ticking, unless tickMs is 0). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Judges every route once; the timer calls it every tickMs. */
  tick(): void;
  /** Resolves when every persistence and audit write started so far has settled. */
  idle(): Promise<void>;
  status(routeId: string): RouteControlStatus;
  list(): RouteControlStatus[];
  setWeight(routeId: string, weight: number, who: Actor): Promise<ChangeResult>;
  setMode(routeId: string, mode: RouteMode, who: Actor): Promise<ChangeResult>;
  setKillSwitch(routeId: string, on: boolean, who: Actor): Promise<ChangeResult>;
  pause(routeId: string, who: Actor): Promise<ChangeResult>;
  resume(routeId: string, who: Actor): Promise<ChangeResult>;
  approve(routeId: string, who: Actor): Promise<ChangeResult>;
  /** To `weight`, or to the rollout's last good weight, or 0; pauses the rollout. */
  rollback(routeId: string, who: Actor, weight?: number): Promise<ChangeResult>;
  /**
   * Drops the route's overrides and rollout progress: the YAML (GitOps) values apply again, and a
   * declared rollout starts over from its first step.
   */
  reset(routeId: string, who: Actor): Promise<ChangeResult>;
}

export interface RolloutControllerOptions {
  readonly port: RouteControlPort;
  readonly book: RouteStateBook;
  readonly audit: AuditTrail;
  readonly now?: () => number;
  /** Milliseconds between ticks; 0 disables the timer (tests call tick()). Default 1000. */
  readonly tickMs?: number;
  readonly logger?: Logger;
  readonly metrics?: RouterMetrics;
}

const ACTIVE_PHASES = new Set(['progressing', 'awaiting-approval', 'rolled-back']);

export function createRolloutController(options: RolloutControllerOptions): RolloutController {
  const { port, book } = options;
  const now = options.now ?? Date.now;
  const routes = createRouteChanges(options);
  const { runtime, viewOf, change } = routes;
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  const auto = (reason: string): Actor => ({ actor: CONTROLLER_ACTOR, reason });

  const enterStep = (
    routeId: string,
    spec: RolloutSpec,
    index: number,
    action: AuditAction,
    who: Actor,
    attempts: number,
    lastGoodWeight: number,
    gates?: readonly GateResult[],
  ): Promise<boolean> => {
    const at = Math.min(index, spec.steps.length - 1); // the steps may have shrunk in a hot reload
    return change(routeId, action, who, {
      override: { weight: spec.steps[at]!.weight },
      progress: { phase: 'progressing', stepIndex: at, lastGoodWeight, attempts, stepStartedAt: now() },
      ...(gates ? { gates } : {}),
    });
  };

  /** Measures the route's current step, reports dry-run failures once, and applies the ramp's decision. */
  const judge = (view: RouteView): void => {
    const spec = view.rollout;
    if (!spec) return;
    const rt = runtime(view.id);
    const blocked = view.mode !== 'canary' || view.killSwitch || !view.active;
    let report: GateReport | undefined;
    if (rt.progress?.phase === 'progressing' && !blocked) {
      report = evaluateGates(spec, rt.window.measurements());
      rt.report = report;
      if (report.dryRunFailed.length > 0 && !rt.dryRunReported) {
        rt.dryRunReported = true;
        const failing = report.dryRunFailed.map((g) => `${g.gate} (${g.detail})`).join('; ');
        routes.note(view.id, 'dry-run-gate-failed', auto(`dry-run gates would fail: ${failing}`), report.results);
      }
    }
    const d = decideRamp(spec, rt.progress, { now: now(), blocked, newBreaker: rt.window.newBreaker, report });
    switch (d.kind) {
      case 'hold':
        return;
      case 'enter-step':
        void enterStep(view.id, spec, d.index, d.action, auto(d.reason), d.attempts, d.lastGoodWeight, d.gates);
        return;
      case 'set-phase':
        void change(view.id, d.action, auto(d.reason), { progress: d.progress, ...(d.gates ? { gates: d.gates } : {}) });
        return;
      case 'rollback':
        void change(view.id, 'rollback', auto(d.reason), { override: { weight: d.weight }, progress: d.progress, gates: d.gates });
    }
  };

  const statusOf = (view: RouteView): RouteControlStatus => {
    const rt = runtime(view.id);
    const spec = view.rollout;
    const p = rt.progress;
    if (!spec || !p) return { route: view, override: rt.override };
    return {
      route: view,
      override: rt.override,
      rollout: {
        phase: p.phase,
        stepIndex: p.stepIndex,
        steps: spec.steps,
        nextWeight: spec.steps[p.phase === 'awaiting-approval' ? p.stepIndex + 1 : p.stepIndex]?.weight,
        lastGoodWeight: p.lastGoodWeight,
        attempts: p.attempts,
        maxAttempts: spec.onFailure.maxAttempts,
        stepStartedAt: p.stepStartedAt,
        intervalMs: spec.intervalMs,
        resumeAt: p.resumeAt,
        reason: p.reason,
        stepRequests: rt.window.measurements().new.chosen,
        minRequests: spec.minRequests,
        gates: rt.report?.results ?? [],
      },
    };
  };

  const result = async (routeId: string, audited: Promise<boolean>): Promise<ChangeResult> => ({
    audited: await audited,
    status: statusOf(viewOf(routeId)),
  });

  const requireReason = (who: Actor): void => {
    if (!who.reason || who.reason.trim() === '') throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_REASON_REQUIRED();
  };

  const rolloutOf = (routeId: string, verb: string, allowed: ReadonlySet<string>): { spec: RolloutSpec; rt: RouteRuntime; p: RolloutProgress } => {
    const view = viewOf(routeId);
    const rt = runtime(routeId);
    if (!view.rollout || !rt.progress) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_NO_ROLLOUT(routeId);
    if (!allowed.has(rt.progress.phase)) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_PHASE(routeId, verb, rt.progress.phase);
    return { spec: view.rollout, rt, p: rt.progress };
  };

  /** A human's traffic change stops an active ramp so the two never fight over the weight. */
  const pausedBy = (rt: RouteRuntime, reason: string): RolloutProgress | undefined =>
    rt.progress && ACTIVE_PHASES.has(rt.progress.phase) ? { ...rt.progress, phase: 'paused', resumeAt: undefined, reason } : undefined;

  const listeners = {
    request: (o: RequestOutcome) => runtime(o.routeId).window.addRequest(o),
    shadow: (o: ShadowOutcome) => runtime(o.routeId).window.addShadow(o.matched),
    breaker: (e: { routeId: string; side: Side; state: BreakerState }) => {
      if (e.side !== 'new') return;
      runtime(e.routeId).window.newBreaker = e.state;
      // An opening breaker is judged at once rather than at the next tick: the rollback is the point.
      if (e.state === 'open' && started) {
        const view = port.listRoutes().find((r) => r.id === e.routeId);
        if (view) judge(view);
      }
    },
  };

  const controller: RolloutController = {
    async start() {
      if (started) return;
      await book.load();
      const views = new Map(port.listRoutes().map((v) => [v.id, v]));
      for (const routeId of book.ids()) {
        const saved = book.get(routeId)!;
        const view = views.get(routeId);
        if (!view) {
          options.logger?.warn({ routeId }, 'persisted state for a route that no longer exists; kept, not applied');
          continue;
        }
        const rt = runtime(routeId);
        rt.override = saved.override ?? {};
        if (saved.rollout && view.rollout) rt.progress = { ...saved.rollout, stepStartedAt: now() };
        if (Object.keys(rt.override).length > 0) {
          try {
            port.applyOverride(routeId, rt.override);
            if (rt.override.weight !== undefined) options.metrics?.weight(routeId, rt.override.weight);
          } catch (err) {
            options.logger?.error({ err, routeId }, 'persisted override rejected by the data plane');
          }
        }
      }
      for (const view of port.listRoutes()) runtime(view.id).window.newBreaker = view.breakers.new;
      port.on('request', listeners.request);
      port.on('shadow', listeners.shadow);
      port.on('breaker', listeners.breaker);
      started = true;
      const tickMs = options.tickMs ?? 1_000;
      if (tickMs > 0) {
        timer = setInterval(() => controller.tick(), tickMs);
        timer.unref();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (started) {
        port.off('request', listeners.request);
        port.off('shadow', listeners.shadow);
        port.off('breaker', listeners.breaker);
      }
      started = false;
      await routes.idle();
    },
    tick() {
      for (const view of port.listRoutes()) {
        try {
          judge(view);
        } catch (err) {
          options.logger?.error({ err, routeId: view.id }, 'rollout tick failed');
        }
      }
    },
    idle: () => routes.idle(),
    status: (routeId) => statusOf(viewOf(routeId)),
    list: () => port.listRoutes().map(statusOf),

    async setWeight(routeId, weight, who) {
      requireReason(who);
      if (!(weight >= 0 && weight <= 100)) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_INVALID_CHANGE(routeId, 'weight must be 0-100');
      viewOf(routeId);
      const progress = pausedBy(runtime(routeId), `weight set by ${who.actor}`);
      return result(routeId, change(routeId, 'set-weight', who, { override: { weight }, ...(progress ? { progress } : {}) }));
    },
    async setMode(routeId, mode, who) {
      requireReason(who);
      viewOf(routeId);
      const progress = mode !== 'canary' ? pausedBy(runtime(routeId), `mode set to ${mode} by ${who.actor}`) : undefined;
      return result(routeId, change(routeId, 'set-mode', who, { override: { mode }, ...(progress ? { progress } : {}) }));
    },
    async setKillSwitch(routeId, on, who) {
      requireReason(who);
      viewOf(routeId);
      const progress = on ? pausedBy(runtime(routeId), `kill switch by ${who.actor}`) : undefined;
      return result(routeId, change(routeId, on ? 'kill-switch-on' : 'kill-switch-off', who, { override: { killSwitch: on }, ...(progress ? { progress } : {}) }));
    },
    async pause(routeId, who) {
      requireReason(who);
      const { rt } = rolloutOf(routeId, 'pause', ACTIVE_PHASES);
      return result(routeId, change(routeId, 'pause', who, { progress: pausedBy(rt, who.reason)! }));
    },
    async resume(routeId, who) {
      requireReason(who);
      const { spec, p } = rolloutOf(routeId, 'resume', new Set(['paused', 'failed', 'rolled-back']));
      if (p.stepIndex < 0 && (spec.steps[0]!.approve || !spec.autoAdvance)) {
        return result(routeId, change(routeId, 'resume', who, { progress: { ...p, phase: 'awaiting-approval', reason: undefined } }));
      }
      // A human resuming after `failed` grants a fresh set of attempts.
      return result(routeId, enterStep(routeId, spec, Math.max(0, p.stepIndex), 'resume', who, p.phase === 'failed' ? 0 : p.attempts, p.lastGoodWeight));
    },
    async approve(routeId, who) {
      requireReason(who);
      const { spec, p } = rolloutOf(routeId, 'approve', new Set(['awaiting-approval']));
      if (p.stepIndex + 1 >= spec.steps.length) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_PHASE(routeId, 'approve', 'at its last step');
      return result(routeId, enterStep(routeId, spec, p.stepIndex + 1, 'approve', who, 0, p.lastGoodWeight));
    },
    async rollback(routeId, who, weight) {
      requireReason(who);
      if (weight !== undefined && !(weight >= 0 && weight <= 100)) {
        throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_INVALID_CHANGE(routeId, 'weight must be 0-100');
      }
      viewOf(routeId);
      const rt = runtime(routeId);
      const to = weight ?? rt.progress?.lastGoodWeight ?? 0;
      const progress = rt.progress ? { ...rt.progress, phase: 'paused' as const, resumeAt: undefined, reason: `rolled back by ${who.actor}` } : undefined;
      return result(routeId, change(routeId, 'rollback', who, { override: { weight: to }, ...(progress ? { progress } : {}) }));
    },
    async reset(routeId, who) {
      requireReason(who);
      return result(routeId, routes.clear(routeId, 'reset', who));
    },
  };
  return controller;
}
