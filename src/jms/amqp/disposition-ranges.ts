/**
 * Which disposition frames carry a session's pending delivery outcomes: the decision half of
 * rhea's `write_dispositions` (lib/session.js), rewritten because rhea 3.0.5 decides wrongly
 * (docs/rhea-patches.md, patch 2).
 *
 * AMQP 1.0 §2.7.6: one disposition covers the deliveries first..last of one role, all with the same
 * `settled` flag and the same state. rhea starts a range at the first delivery and compares outcomes
 * only once the range holds two deliveries, so delivery #1 joins #0's range whatever its outcome:
 * accept #0 + reject #1 in one event-loop pass reaches the peer as "0..1 accepted". Here every
 * delivery is compared with the range's first, and only outcomes that carry no per-delivery data
 * (accepted, as rhea already intended) share a range; every other outcome gets its own frame.
 */

/** The fields of a rhea delivery the decision reads. */
export interface PendingDisposition {
  readonly id: number;
  readonly settled: boolean;
  /** The described outcome rhea will send (undefined: no state, e.g. a bare settle). */
  readonly state: { readonly descriptor?: { readonly value: unknown } } | undefined;
}

export interface DispositionRange<D extends PendingDisposition> {
  readonly first: D;
  readonly last: D;
}

/** AMQP 1.0 §3.4.2: the accepted outcome's descriptor code. */
const ACCEPTED = 0x24;

/** The disposition frames to send for `pending` (in queue order; a delivery queued twice is sent once, with its latest state). */
export function planDispositions<D extends PendingDisposition>(pending: readonly D[]): DispositionRange<D>[] {
  const ranges: { first: D; last: D }[] = [];
  let open: { first: D; last: D } | undefined;
  const unique = pending.filter((d, i) => pending.indexOf(d, i + 1) < 0);
  for (const delivery of unique) {
    if (open && joins(open, delivery)) {
      open.last = delivery;
      continue;
    }
    open = { first: delivery, last: delivery };
    ranges.push(open);
  }
  return ranges;
}

function joins<D extends PendingDisposition>(range: { first: D; last: D }, next: D): boolean {
  return (
    next.id === range.last.id + 1 &&
    next.settled === range.first.settled &&
    batchable(range.first.state) &&
    sameOutcome(range.first.state, next.state)
  );
}

/** Only outcomes without fields can share a range (rejected carries an error, modified its flags). */
function batchable(state: PendingDisposition['state']): boolean {
  return state === undefined || state.descriptor?.value === ACCEPTED || state.descriptor?.value === 'amqp:accepted:list';
}

function sameOutcome(a: PendingDisposition['state'], b: PendingDisposition['state']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Number(a.descriptor?.value) === Number(b.descriptor?.value) || a.descriptor?.value === b.descriptor?.value;
}
