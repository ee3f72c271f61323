/**
 * One audit record per change of a route's traffic: every rollout step, approval, rollback and
 * every admin action, with who did it and why (issue 3, "Safety"). Written to a Kafka topic keyed
 * by route id, so one route's history stays in order on one partition.
 */
import type { RouteMode } from '../contracts.ts';
import type { GateResult } from '../rollout/gates.ts';

export type AuditAction =
  | 'rollout-start'
  | 'step'
  | 'await-approval'
  | 'approve'
  | 'complete'
  | 'rollback'
  | 'resume'
  | 'pause'
  | 'failed'
  | 'dry-run-gate-failed'
  | 'set-weight'
  | 'set-mode'
  | 'kill-switch-on'
  | 'kill-switch-off'
  | 'reset';

/** The traffic-relevant state of a route before and after a change. */
export interface RouteTrafficState {
  readonly weight: number;
  readonly mode: RouteMode;
  readonly killSwitch: boolean;
  /** Rollout phase, when the route has a rollout. */
  readonly phase?: string;
  readonly step?: number;
}

export interface AuditEvent {
  /** Stable id (UUID) so a consumer can drop duplicates of an at-least-once write. */
  readonly id: string;
  readonly at: number;
  readonly routeId: string;
  readonly action: AuditAction;
  /** `rollout-controller` for automatic decisions, else the admin token's name (plus the x-banyan-actor header). */
  readonly actor: string;
  readonly reason: string;
  readonly from: RouteTrafficState;
  readonly to: RouteTrafficState;
  /** Gate values that led to the decision (steps, rollbacks, dry-run reports). */
  readonly gates?: readonly GateResult[];
}

/**
 * Where audit events go. `publish` resolves once the event is durable (Kafka acknowledged it) and
 * rejects when it could not be written; the caller logs and counts that, never retries silently.
 */
export interface AuditSink {
  publish(event: AuditEvent): Promise<void>;
}
