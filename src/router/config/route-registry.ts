/**
 * The live route table: compiled routes from the YAML plus the control plane's overrides on top.
 * A reload swaps the whole table at once (requests in flight keep the route object they matched);
 * overrides are kept by route id across reloads, and apply from the next request on.
 */
import type { RouteMode, RouteOverride, RouteView, BreakerState, Side } from '../contracts.ts';
import { RouterErrors } from '../errors.ts';
import { RouterControlErrors } from '../rollout/control-errors.ts';
import { compileMatch, type CompiledMatch, type RequestShape } from '../match/route-matcher.ts';
import { parseUpstream, type UpstreamTarget } from '../proxy/upstream.ts';
import type { RouteTableSpec } from './load-routes.ts';
import type { CohortKeySpec, RouteSpec, ShadowSpec, UpstreamSpec } from './schema.ts';

/** Id of the catch-all route; route ids cannot start with "_", so it never collides. */
export const DEFAULT_ROUTE_ID = '_default';

export interface RuntimeUpstream extends UpstreamTarget {
  readonly spec: UpstreamSpec;
}

export interface RuntimeRoute {
  readonly id: string;
  readonly file: string;
  readonly spec: RouteSpec | undefined;
  readonly match: CompiledMatch | undefined;
  readonly legacy: RuntimeUpstream;
  readonly new: RuntimeUpstream | undefined;
  readonly cohortKey: CohortKeySpec;
  readonly salt: string;
  readonly buckets: number;
  readonly onMissingKey: 'random' | 'legacy' | 'new';
  readonly allow: ReadonlySet<string>;
  readonly forceHeader: string;
  readonly forceCookie: string;
  readonly shadow: ShadowSpec | undefined;
  readonly maxBufferedBodyBytes: number;
  /** Effective values: YAML then override. Mutated only by the registry. */
  mode: RouteMode;
  weight: number;
  active: boolean;
  killSwitch: boolean;
}

export interface RouteMatchResult {
  readonly route: RuntimeRoute;
  readonly params: Record<string, string>;
}

export class RouteRegistry {
  #routes: RuntimeRoute[] = [];
  #default: RuntimeRoute | undefined;
  #byId = new Map<string, RuntimeRoute>();
  readonly #overrides = new Map<string, RouteOverride>();

  /** Swaps in a freshly validated table; overrides of ids that still exist are re-applied. */
  replace(table: RouteTableSpec): void {
    const byId = new Map<string, RuntimeRoute>();
    const routes = table.routes.map(({ spec, file }) => {
      const named = spec.cohort.name ? table.cohorts.get(spec.cohort.name) : undefined;
      const r: RuntimeRoute = {
        id: spec.id,
        file,
        spec,
        match: compileMatch(spec.match),
        legacy: runtimeUpstream(spec.legacy),
        new: spec.new ? runtimeUpstream(spec.new) : undefined,
        cohortKey: spec.cohort.key,
        salt: named?.salt ?? spec.cohort.salt ?? spec.id,
        buckets: named?.buckets ?? spec.cohort.buckets ?? 10_000,
        onMissingKey: spec.cohort.onMissingKey,
        allow: new Set(spec.allow),
        forceHeader: spec.force.header.toLowerCase(),
        forceCookie: spec.force.cookie,
        shadow: spec.shadow,
        maxBufferedBodyBytes: spec.maxBufferedBodyBytes,
        mode: spec.mode,
        weight: spec.weight,
        active: spec.active,
        killSwitch: false,
      };
      byId.set(r.id, r);
      return r;
    });
    const def = table.defaultLegacy ? defaultRoute(table.defaultLegacy.upstream, table.defaultLegacy.file) : undefined;
    if (def) byId.set(def.id, def);
    for (const id of [...this.#overrides.keys()]) if (!byId.has(id)) this.#overrides.delete(id);
    for (const r of byId.values()) applyEffective(r, this.#overrides.get(r.id));
    this.#routes = routes;
    this.#default = def;
    this.#byId = byId;
  }

  /** First active route matching the request, else the default catch-all. */
  find(req: RequestShape): RouteMatchResult | undefined {
    for (const route of this.#routes) {
      if (!route.active) continue;
      const params = route.match!.test(req);
      if (params) return { route, params };
    }
    return this.#default ? { route: this.#default, params: {} } : undefined;
  }

  get(id: string): RuntimeRoute | undefined {
    return this.#byId.get(id);
  }

  all(): RuntimeRoute[] {
    return this.#default ? [...this.#routes, this.#default] : [...this.#routes];
  }

  applyOverride(id: string, override: RouteOverride): void {
    const route = this.#byId.get(id);
    if (!route) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE(id);
    if (override.weight !== undefined && !(Number.isFinite(override.weight) && override.weight >= 0 && override.weight <= 100)) {
      throw new RouterErrors.BANYAN_ERR_ROUTER_INVALID_OVERRIDE(id, `weight ${override.weight} is outside 0-100`);
    }
    if (override.mode !== undefined && override.mode !== 'legacy' && !route.new) {
      throw new RouterErrors.BANYAN_ERR_ROUTER_INVALID_OVERRIDE(id, `mode "${override.mode}" needs a new upstream`);
    }
    const merged: RouteOverride = { ...this.#overrides.get(id), ...stripUndefined(override) };
    this.#overrides.set(id, merged);
    applyEffective(route, merged);
  }

  clearOverride(id: string): void {
    const route = this.#byId.get(id);
    if (!route) throw new RouterControlErrors.BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE(id);
    this.#overrides.delete(id);
    applyEffective(route, undefined);
  }

  view(route: RuntimeRoute, breakerState: (url: string) => BreakerState): RouteView {
    const breakers: Record<Side, BreakerState> = {
      legacy: breakerState(route.legacy.url),
      new: route.new ? breakerState(route.new.url) : 'closed',
    };
    return {
      id: route.id,
      file: route.file,
      mode: route.mode,
      weight: route.weight,
      active: route.active,
      killSwitch: route.killSwitch,
      legacyUpstream: route.legacy.url,
      newUpstream: route.new?.url,
      breakers,
      rollout: route.spec?.rollout,
    };
  }
}

function applyEffective(route: RuntimeRoute, o: RouteOverride | undefined): void {
  route.mode = o?.mode ?? route.spec?.mode ?? 'legacy';
  route.weight = o?.weight ?? route.spec?.weight ?? 0;
  route.active = o?.active ?? route.spec?.active ?? true;
  route.killSwitch = o?.killSwitch ?? false;
}

function stripUndefined(o: RouteOverride): RouteOverride {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as RouteOverride;
}

function runtimeUpstream(spec: UpstreamSpec): RuntimeUpstream {
  return { ...parseUpstream(spec.url), spec };
}

function defaultRoute(upstream: UpstreamSpec, file: string): RuntimeRoute {
  return {
    id: DEFAULT_ROUTE_ID,
    file,
    spec: undefined,
    match: undefined,
    legacy: runtimeUpstream(upstream),
    new: undefined,
    cohortKey: { from: 'ip' },
    salt: DEFAULT_ROUTE_ID,
    buckets: 10_000,
    onMissingKey: 'legacy',
    allow: new Set(),
    forceHeader: 'x-banyan-force',
    forceCookie: 'banyan-force',
    shadow: undefined,
    maxBufferedBodyBytes: 0,
    mode: 'legacy',
    weight: 0,
    active: true,
    killSwitch: false,
  };
}
