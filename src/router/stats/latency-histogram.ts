/**
 * A small log-bucketed latency histogram (the idea of HdrHistogram: constant relative error, O(1)
 * record, mergeable). Bucket i holds values in [GROWTH^i, GROWTH^(i+1)) microseconds, so any
 * quantile it reports is within GROWTH-1 (4%) of the true value; 1 µs to ~100 s fit in 470 buckets.
 * Used for p50/p99 per route and side, per time slot (merged over a window) and per rollout step.
 */
const GROWTH = 1.04;
const LOG_GROWTH = Math.log(GROWTH);
const MAX_US = 100_000_000;
const BUCKETS = Math.ceil(Math.log(MAX_US) / LOG_GROWTH) + 1;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;
  private maxMs = 0;

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.counts[bucketOf(ms)]!++;
    this.total++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  /** Milliseconds at quantile q (0..1); undefined when empty. Never above the largest value seen. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    // Nearest-rank definition: the smallest value with at least q of the samples at or below it.
    const rank = Math.max(1, Math.ceil(q * this.total));
    if (rank >= this.total) return this.maxMs;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(bucketMidMs(i), this.maxMs);
    }
    return this.maxMs;
  }
}

function bucketOf(ms: number): number {
  const us = Math.min(MAX_US, Math.max(1, ms * 1000));
  return Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH));
}

/** Geometric middle of bucket i, in milliseconds. */
function bucketMidMs(i: number): number {
  return Math.pow(GROWTH, i + 0.5) / 1000;
}
