/**
 * The in-memory copy of every route's persisted state, shared by the rollout controller and the
 * decommission tracker: each updates its own part of a route's record and the book writes the
 * whole record through to the store. Reads never touch the store.
 */
import type { PersistedRouteState, RouteStateStore } from './route-state.ts';

export type RouteStatePatch = Partial<Omit<PersistedRouteState, 'updatedAt'>>;

export interface RouteStateBook {
  /** Reads the store once; call before anything else. */
  load(): Promise<void>;
  get(routeId: string): PersistedRouteState | undefined;
  ids(): string[];
  /** Merges `patch` into the route's record (a key set to undefined is removed) and persists it. */
  update(routeId: string, patch: RouteStatePatch): Promise<void>;
}

export function createRouteStateBook(store: RouteStateStore, now: () => number = Date.now): RouteStateBook {
  let records = new Map<string, PersistedRouteState>();
  return {
    async load() {
      records = await store.load();
    },
    get: (routeId) => records.get(routeId),
    ids: () => [...records.keys()],
    update(routeId, patch) {
      const merged: Record<string, unknown> = { ...records.get(routeId) };
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete merged[k];
        else merged[k] = v;
      }
      const record = { ...merged, updatedAt: now() } as PersistedRouteState;
      records.set(routeId, record);
      return store.save(routeId, record);
    },
  };
}
