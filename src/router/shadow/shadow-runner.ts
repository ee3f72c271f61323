/**
 * Mirrors requests to the other side and compares, off the client's path. Which requests: routes in
 * `shadow` mode, or `canary` with `shadow.enabled`; safe methods (RFC 9110 section 9.2.1) unless the
 * route declares writes safe or the request has an Idempotency-Key (a replay-safe write); a
 * percentage sample. Legacy is always the primary, new the candidate; some requests also go to
 * legacy a second time to learn the noise (Diffy). A bounded number of comparisons run at once;
 * beyond it requests are simply not mirrored, so shadowing can never pile up memory.
 */
import type { Logger } from 'pino';
import type { Side } from '../contracts.ts';
import type { RuntimeRoute } from '../config/route-registry.ts';
import { ShadowSchema, type ShadowSpec } from '../config/schema.ts';
import type { RouterEventBus } from '../proxy/event-bus.ts';
import type { ShadowHook, ShadowJob } from '../proxy/route-request.ts';
import type { CapturedResponse } from './capture.ts';
import { compileComparison, type CompiledComparison, type FieldDiff } from './diff.ts';
import { generalisePath } from './field-path.ts';
import type { MismatchSampleStore, MismatchSink } from './mismatch-sink.ts';
import { NoiseBaseline } from './noise-baseline.ts';
import type { ShadowMetrics } from './shadow-metrics.ts';

export interface ShadowRunnerDeps {
  readonly events: RouterEventBus;
  readonly samples: MismatchSampleStore;
  readonly metrics: ShadowMetrics;
  readonly logger: Logger;
  readonly sink?: MismatchSink;
  readonly random?: () => number;
  /** Comparisons in flight at most (default 256). */
  readonly maxInFlight?: number;
}

export interface ShadowRunner extends ShadowHook {
  /** Resolves when every comparison started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const DEFAULT_SHADOW: ShadowSpec = ShadowSchema.parse({});

interface RouteShadowState {
  readonly spec: ShadowSpec;
  readonly specKey: string;
  readonly comparison: CompiledComparison;
  readonly baseline: NoiseBaseline;
}

export function createShadowRunner(deps: ShadowRunnerDeps): ShadowRunner {
  const random = deps.random ?? Math.random;
  const maxInFlight = deps.maxInFlight ?? 256;
  const states = new Map<string, RouteShadowState>();
  const inFlight = new Set<Promise<void>>();

  const stateOf = (route: RuntimeRoute, spec: ShadowSpec): RouteShadowState => {
    let s = states.get(route.id);
    if (s && s.spec === spec) return s;
    // A reload that changes the compare or noise rules starts the statistics afresh; one that
    // leaves them alone (a new but equal spec object) keeps what was learned.
    const specKey = JSON.stringify(spec);
    if (!s || s.specKey !== specKey) {
      s = { spec, specKey, comparison: compileComparison(spec.compare), baseline: new NoiseBaseline(spec.noise) };
    } else s = { ...s, spec };
    states.set(route.id, s);
    return s;
  };

  const compareJob = async (job: ShadowJob, spec: ShadowSpec): Promise<void> => {
    const state = stateOf(job.route, spec);
    const other: Side = job.servedSide === 'legacy' ? 'new' : 'legacy';
    const mirrored = job.send(other);
    const secondaryP = state.baseline.wantsSecondary(random) ? job.send('legacy') : undefined;
    const [served, mirror, secondary] = await Promise.all([job.served, mirrored, secondaryP]);
    const legacy = job.servedSide === 'legacy' ? served : mirror;
    const candidate = job.servedSide === 'legacy' ? mirror : served;
    // A failed or oversized primary tells nothing about parity. A failed candidate is a status mismatch (status 0).
    if (unusable(legacy) || candidate.truncated || (secondary && unusable(secondary))) {
      deps.metrics.record(job.route.id, 'skipped');
      return;
    }
    const raw = state.comparison.compare(legacy, candidate);
    state.baseline.recordRaw(raw.map((d) => d.path));
    let noiseNow = new Set<string>();
    if (secondary) {
      const noise = state.comparison.compare(legacy, secondary).map((d) => d.path);
      state.baseline.recordNoise(noise);
      noiseNow = new Set(noise.map(generalisePath));
    }
    const reported = new Set(state.baseline.reportable(raw.map((d) => d.path), noiseNow));
    const fields: FieldDiff[] = raw.filter((d) => reported.has(d.path));
    const matched = fields.length === 0;
    const at = Date.now();
    deps.metrics.record(job.route.id, matched ? 'matched' : 'mismatched');
    deps.events.emit('shadow', { routeId: job.route.id, matched, differingFields: fields.map((f) => f.path), at });
    if (matched) return;
    const record = {
      routeId: job.route.id,
      at,
      requestId: job.requestId,
      request: { method: job.method, url: job.url },
      legacy: responseRecord(legacy),
      candidate: responseRecord(candidate),
      fields,
    };
    deps.samples.add(record);
    if (deps.sink) {
      await deps.sink.publish(record).catch((err: unknown) => deps.logger.warn({ route: job.route.id, err }, 'mismatch sink failed'));
    }
  };

  return {
    wants(route, method, headers) {
      const spec = route.shadow ?? DEFAULT_SHADOW;
      if (route.mode !== 'shadow' && !(route.mode === 'canary' && route.shadow?.enabled)) return false;
      if (!SAFE.has(method) && !spec.writesSafe && headers['idempotency-key'] === undefined) return false;
      if (inFlight.size >= maxInFlight) return false;
      return spec.percent >= 100 || random() * 100 < spec.percent;
    },
    run(job) {
      const spec = job.route.shadow ?? DEFAULT_SHADOW;
      const p = compareJob(job, spec)
        .catch((err: unknown) => deps.logger.warn({ route: job.route.id, err }, 'shadow comparison failed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

function unusable(r: CapturedResponse): boolean {
  return r.error !== undefined || r.truncated;
}

function responseRecord(r: CapturedResponse) {
  return { status: r.status, headers: r.headers, body: r.body.toString('utf8') };
}
