/**
 * What the control plane keeps about a route across restarts: the runtime override (on top of the
 * YAML), the rollout's progress, and the decommission tracking. One record per route, replaced
 * whole on every change, so a store only needs "put latest value for key" semantics — which is
 * exactly a compacted Kafka topic or one JSON document on disk.
 */
import type { RouteOverride } from '../contracts.ts';

export type RolloutPhase =
  /** Gates are being measured at the current step. */
  | 'progressing'
  /** The current step's gates passed; the next step needs an approval. */
  | 'awaiting-approval'
  /** Stopped by a human (pause, manual weight, kill switch, manual rollback). */
  | 'paused'
  /** A gate failed; traffic went back to the last good weight; resumes by itself when allowed. */
  | 'rolled-back'
  /** Too many failed attempts (or resume: manual): waits for a human. */
  | 'failed'
  | 'completed';

export interface RolloutProgress {
  readonly phase: RolloutPhase;
  /** Index into `rollout.steps` of the step being run (or, when rolled back, retried); -1 before the first. */
  readonly stepIndex: number;
  /** Weight of the last step whose gates passed; 0 before any. */
  readonly lastGoodWeight: number;
  /** Failed attempts at the current step. */
  readonly attempts: number;
  readonly stepStartedAt: number;
  /** When an automatic resume may happen (phase rolled-back). */
  readonly resumeAt?: number;
  readonly reason?: string;
}

export interface DecommissionProgress {
  /** When tracking of this route began (the clock starts here if legacy was never seen). */
  readonly trackingSince: number;
  readonly legacyLastServedAt?: number;
  /** Shadow comparisons per day (day = floor(ms / 86,400,000)), oldest first, capped in length. */
  readonly days?: ReadonlyArray<{ readonly day: number; readonly compared: number; readonly matched: number }>;
}

export interface PersistedRouteState {
  readonly override?: RouteOverride;
  readonly rollout?: RolloutProgress;
  readonly decommission?: DecommissionProgress;
  readonly updatedAt: number;
}

/**
 * Durable per-route state. `load` is called once at start, before the router takes traffic;
 * `save` resolves once the value is durable and replaces the route's previous value (undefined
 * deletes it). Implementations serialise their own writes.
 */
export interface RouteStateStore {
  load(): Promise<Map<string, PersistedRouteState>>;
  save(routeId: string, state: PersistedRouteState | undefined): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRouteStateStore implements RouteStateStore {
  readonly data = new Map<string, PersistedRouteState>();
  async load(): Promise<Map<string, PersistedRouteState>> {
    return new Map(this.data);
  }
  async save(routeId: string, state: PersistedRouteState | undefined): Promise<void> {
    if (state) this.data.set(routeId, state);
    else this.data.delete(routeId);
  }
  async close(): Promise<void> {}
}
