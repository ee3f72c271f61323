/**
 * What one route measured since its current rollout step began: both sides' request tallies, the
 * shadow comparisons and the new side's breaker. Reset whenever the weight changes, so a step is
 * judged only on traffic it actually ran with.
 */
import type { BreakerState, RequestOutcome } from '../contracts.ts';
import { ShadowTally, SideTally } from '../stats/side-tally.ts';
import type { StepMeasurements } from './gates.ts';

export class StepWindow {
  private legacy = new SideTally();
  private next = new SideTally();
  private shadow = new ShadowTally();
  newBreaker: BreakerState = 'closed';

  reset(): void {
    this.legacy = new SideTally();
    this.next = new SideTally();
    this.shadow = new ShadowTally();
  }

  addRequest(outcome: RequestOutcome): void {
    this.legacy.add('legacy', outcome);
    this.next.add('new', outcome);
  }

  addShadow(matched: boolean): void {
    this.shadow.add(matched);
  }

  measurements(): StepMeasurements {
    return {
      legacy: this.legacy.summary(),
      new: this.next.summary(),
      shadow: { compared: this.shadow.compared, matchRate: this.shadow.matchRate },
      newBreaker: this.newBreaker,
    };
  }
}
