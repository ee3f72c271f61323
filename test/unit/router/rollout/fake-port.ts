/**
 * An in-memory RouteControlPort for control-plane unit tests: routes are plain views, overrides are
 * merged the way the data plane documents, and events are emitted by the test.
 */
import type {
  MismatchSample,
  RouteControlPort,
  RouteOverride,
  RouterConfigStatus,
  RouterEvents,
  RouteView,
} from '../../../../src/router/contracts.ts';

export class FakePort implements RouteControlPort {
  readonly overrides = new Map<string, RouteOverride>();
  readonly applied: Array<{ routeId: string; override: RouteOverride }> = [];
  mismatches: MismatchSample[] = [];
  private readonly listeners = new Map<string, Set<(...args: never[]) => void>>();

  private readonly base: RouteView[];

  constructor(base: RouteView[]) {
    this.base = base;
  }

  listRoutes(): RouteView[] {
    return this.base.map((r) => {
      const o = this.overrides.get(r.id) ?? {};
      return { ...r, weight: o.weight ?? r.weight, mode: o.mode ?? r.mode, active: o.active ?? r.active, killSwitch: o.killSwitch ?? false };
    });
  }

  status(): RouterConfigStatus {
    return { ok: true, files: [], issues: [], loadedAt: 0, lastAttemptAt: 0 };
  }

  recentMismatches(routeId?: string, limit = 50): MismatchSample[] {
    return this.mismatches.filter((m) => !routeId || m.routeId === routeId).slice(0, limit);
  }

  applyOverride(routeId: string, override: RouteOverride): void {
    if (!this.base.some((r) => r.id === routeId)) throw new Error(`unknown route ${routeId}`);
    const merged: Record<string, unknown> = { ...this.overrides.get(routeId) };
    for (const [k, v] of Object.entries(override)) if (v !== undefined) merged[k] = v;
    this.overrides.set(routeId, merged as RouteOverride);
    this.applied.push({ routeId, override });
  }

  clearOverride(routeId: string): void {
    this.overrides.delete(routeId);
  }

  on<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
  }

  off<E extends keyof RouterEvents>(event: E, listener: RouterEvents[E]): void {
    this.listeners.get(event)?.delete(listener as (...args: never[]) => void);
  }

  emit<E extends keyof RouterEvents>(event: E, ...args: Parameters<RouterEvents[E]>): void {
    for (const l of this.listeners.get(event) ?? []) (l as unknown as (...a: Parameters<RouterEvents[E]>) => void)(...args);
  }

  listenerCount(event: keyof RouterEvents): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}

export function routeView(id: string, extra: Partial<RouteView> = {}): RouteView {
  return {
    id,
    file: `mappings/routes/${id}.yaml`,
    mode: 'canary',
    weight: 0,
    active: true,
    killSwitch: false,
    legacyUpstream: 'http://127.0.0.1:1',
    newUpstream: 'http://127.0.0.1:2',
    breakers: { legacy: 'closed', new: 'closed' },
    ...extra,
  };
}
