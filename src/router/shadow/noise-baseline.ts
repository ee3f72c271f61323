/**
 * Diffy's noise filter, per route and per field: raw differences come from legacy vs new, noise
 * differences from legacy vs legacy (the same request sent to legacy twice). A field is reported
 * only when its raw difference rate exceeds its noise rate and both of Diffy's thresholds pass:
 * relative = |raw - noise| / (raw + noise) and absolute = |raw - noise|, in percent of comparisons.
 * Array indices are generalised (`items[*].ts`) so statistics do not split by position.
 */
import type { NoiseSpec } from '../config/schema.ts';
import { generalisePath } from './field-path.ts';

/** Bounds memory when responses carry many distinct field names (e.g. maps keyed by id). */
const MAX_FIELDS = 10_000;

export class NoiseBaseline {
  #rawTotal = 0;
  #noiseTotal = 0;
  readonly #raw = new Map<string, number>();
  readonly #noise = new Map<string, number>();
  readonly #spec: NoiseSpec;

  constructor(spec: NoiseSpec) {
    this.#spec = spec;
  }

  get noiseSamples(): number {
    return this.#noiseTotal;
  }

  /** Whether this comparison should also fetch a secondary from legacy (always during warm-up). */
  wantsSecondary(random: () => number): boolean {
    return this.#noiseTotal < this.#spec.warmup || random() < this.#spec.rate;
  }

  /** Records one legacy-vs-new comparison. */
  recordRaw(fields: readonly string[]): void {
    this.#rawTotal++;
    count(this.#raw, fields);
  }

  /** Records one legacy-vs-legacy comparison. */
  recordNoise(fields: readonly string[]): void {
    this.#noiseTotal++;
    count(this.#noise, fields);
  }

  /** The fields of one comparison that stand above noise; `noiseNow` are fields that differed in this request's own secondary. */
  reportable(fields: readonly string[], noiseNow: ReadonlySet<string> = new Set()): string[] {
    return fields.filter((f) => {
      const g = generalisePath(f);
      if (noiseNow.has(g)) return false;
      const raw = this.#rawTotal === 0 ? 0 : (this.#raw.get(g) ?? 0) / this.#rawTotal;
      const noise = this.#noiseTotal === 0 ? 0 : (this.#noise.get(g) ?? 0) / this.#noiseTotal;
      if (raw <= noise) return false;
      const relative = ((raw - noise) / (raw + noise)) * 100;
      const absolute = (raw - noise) * 100;
      return relative > this.#spec.relativeThreshold && absolute > this.#spec.absoluteThreshold;
    });
  }
}

function count(map: Map<string, number>, fields: readonly string[]): void {
  const seen = new Set(fields.map(generalisePath));
  for (const g of seen) {
    const n = map.get(g);
    if (n !== undefined) map.set(g, n + 1);
    else if (map.size < MAX_FIELDS) map.set(g, 1);
  }
}
