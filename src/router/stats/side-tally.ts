/**
 * Counters for one side (legacy or new) of one route over some span of time: a rolling-window
 * slot, or one rollout step. Fed with the data plane's RequestOutcome events.
 *
 * Two views of a request are counted, because a fallback splits them: the side the split CHOSE
 * (its error rate: a request chosen for new that failed and fell back to legacy is an error of new)
 * and the side that SERVED the client (traffic and latency: the data plane reports the latency of
 * the serving side).
 */
import type { RequestOutcome, Side } from '../contracts.ts';
import { LatencyHistogram } from './latency-histogram.ts';

export interface SideSummary {
  /** Requests whose response came from this side. */
  readonly served: number;
  /** Requests the split sent to this side first. */
  readonly chosen: number;
  /** Chosen requests that failed on this side (5xx, timeout, connection error, open breaker). */
  readonly failed: number;
  /** Chosen requests answered by the other side instead. */
  readonly fellBack: number;
  /** Responses from this side the client saw as 5xx. */
  readonly clientErrors: number;
  /** failed / chosen; 0 when nothing was chosen. */
  readonly errorRate: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export class SideTally {
  served = 0;
  chosen = 0;
  failed = 0;
  fellBack = 0;
  clientErrors = 0;
  readonly latency = new LatencyHistogram();

  /** Counts `outcome` for `side`: call it for both sides of every outcome. */
  add(side: Side, outcome: RequestOutcome): void {
    if (outcome.chosen === side) {
      this.chosen++;
      if (outcome.chosenFailed) this.failed++;
      if (outcome.fellBack) this.fellBack++;
    }
    if (outcome.servedBy === side) {
      this.served++;
      if (outcome.status >= 500) this.clientErrors++;
      this.latency.record(outcome.latencyMs);
    }
  }

  merge(other: SideTally): void {
    this.served += other.served;
    this.chosen += other.chosen;
    this.failed += other.failed;
    this.fellBack += other.fellBack;
    this.clientErrors += other.clientErrors;
    this.latency.merge(other.latency);
  }

  summary(): SideSummary {
    return {
      served: this.served,
      chosen: this.chosen,
      failed: this.failed,
      fellBack: this.fellBack,
      clientErrors: this.clientErrors,
      errorRate: this.chosen === 0 ? 0 : this.failed / this.chosen,
      p50Ms: this.latency.quantile(0.5),
      p99Ms: this.latency.quantile(0.99),
    };
  }
}

/** Shadow comparisons over some span: Scientist's matched / mismatched counters. */
export class ShadowTally {
  compared = 0;
  matched = 0;

  add(matched: boolean): void {
    this.compared++;
    if (matched) this.matched++;
  }

  merge(other: ShadowTally): void {
    this.compared += other.compared;
    this.matched += other.matched;
  }

  /** matched / compared; undefined before the first comparison. */
  get matchRate(): number | undefined {
    return this.compared === 0 ? undefined : this.matched / this.compared;
  }
}
