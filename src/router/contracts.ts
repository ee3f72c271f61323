/**
 * The seam between the router's data plane (matching, splitting, proxying, breakers, shadow
 * compare: src/router/proxy, split, shadow, ...) and its control plane (progressive delivery,
 * admin API, audit, console: src/router/rollout, admin, console).
 *
 * The data plane owns the route table loaded from mappings/routes and emits one event per
 * finished request; the control plane listens, keeps stats, decides, and changes a route only
 * through `RouteControlPort.applyOverride`. Overrides sit on top of the YAML (GitOps) values and are
 * persisted by the control plane so a restart keeps them.
 */
import type { RolloutSpec } from './rollout/spec.ts';

export type RouteMode = 'legacy' | 'shadow' | 'canary' | 'new';
export type Side = 'legacy' | 'new';
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Runtime state that may differ from the YAML: set by the admin API or the rollout controller. */
export interface RouteOverride {
  readonly weight?: number;
  readonly mode?: RouteMode;
  readonly active?: boolean;
  /** Kill switch: everything to legacy, shadowing off, until cleared. */
  readonly killSwitch?: boolean;
}

/** What the data plane reports after every client request it served. */
export interface RequestOutcome {
  readonly routeId: string;
  /** The side that produced the client's response. */
  readonly servedBy: Side;
  /** The side the split chose (differs from servedBy on fallback). */
  readonly chosen: Side;
  readonly status: number;
  /** Upstream latency of the side that served, in milliseconds (fractional). */
  readonly latencyMs: number;
  /** True when the chosen side failed (5xx, timeout, connection error, open breaker). */
  readonly chosenFailed: boolean;
  readonly fellBack: boolean;
  readonly at: number;
}

/** One shadow comparison result. */
export interface ShadowOutcome {
  readonly routeId: string;
  readonly matched: boolean;
  /** Field paths (`status`, `header.content-type`, `body.items[0].price`) reported as differing above noise. */
  readonly differingFields: readonly string[];
  readonly at: number;
}

export interface RouteView {
  readonly id: string;
  readonly file: string;
  readonly mode: RouteMode;
  readonly weight: number;
  readonly active: boolean;
  readonly killSwitch: boolean;
  readonly legacyUpstream: string;
  readonly newUpstream?: string;
  readonly breakers: Readonly<Record<Side, BreakerState>>;
  /**
   * The route file's `rollout:` block (added by the control plane helper): the data plane's route
   * schema embeds `rolloutSpecSchema` from src/router/rollout/spec.ts under `rollout` and passes the
   * parsed value through here; the rollout controller drives the route's weight from it.
   */
  readonly rollout?: RolloutSpec;
}

export interface RouterEvents {
  request(outcome: RequestOutcome): void;
  shadow(outcome: ShadowOutcome): void;
  breaker(event: { routeId: string; side: Side; state: BreakerState; at: number }): void;
  reload(event: { ok: boolean; files: string[]; issues: string[]; at: number }): void;
}

/** One shadow mismatch kept in the data plane's capped in-memory sample store (for the console). */
export interface MismatchSample {
  readonly routeId: string;
  readonly at: number;
  readonly request: { readonly method: string; readonly url: string; readonly requestId: string };
  readonly legacy: { readonly status: number; readonly body: string };
  readonly candidate: { readonly status: number; readonly body: string };
  /** Per differing field: the path and both values (JSON text, truncated). */
  readonly fields: ReadonlyArray<{ readonly path: string; readonly legacy: string; readonly candidate: string }>;
}

/** Health of the route configuration (for /health): the last reload attempt and what is being served. */
export interface RouterConfigStatus {
  /** False when the last reload failed; the previous routes are still served. */
  readonly ok: boolean;
  readonly files: readonly string[];
  /** `file:line:col: rule: message` of the last failed reload (empty when ok). */
  readonly issues: readonly string[];
  readonly loadedAt: number;
  readonly lastAttemptAt: number;
}

/** What the data plane offers the control plane. */
export interface RouteControlPort {
  listRoutes(): RouteView[];
  /** Route config health (added by the data plane helper for /health). */
  status(): RouterConfigStatus;
  /** Newest first, at most `limit` (default 50), optionally for one route. */
  recentMismatches(routeId?: string, limit?: number): MismatchSample[];
  /**
   * Merges `override` into the route's current override (fields left undefined keep their value);
   * takes effect on the next request. Throws BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE for an unknown id and
   * BANYAN_ERR_ROUTER_INVALID_OVERRIDE for a weight outside 0-100 or a mode needing a missing new upstream.
   * Overrides survive hot reloads while the route id exists.
   */
  applyOverride(routeId: string, override: RouteOverride): void;
  /** Drops every override of the route: the YAML values apply again. */
  clearOverride(routeId: string): void;
  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void;
  off<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void;
}
