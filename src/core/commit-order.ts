/**
 * Which source position may be committed, when batches are acknowledged out of the order they were
 * read in (several batches in flight to Kafka). A position is committable only when its batch and
 * every batch read before it are durable: committing it tells the source that all of them are done.
 */
export class CommitOrder<P> {
  readonly #pending: Array<{ readonly position: P; durable: boolean }> = [];

  /** Records a batch just read; returns the ticket its acknowledgement is reported with. */
  track(position: P): object {
    const entry = { position, durable: false };
    this.#pending.push(entry);
    return entry;
  }

  /**
   * Marks a batch durable. Returns the newest position that is now committable (covering every
   * batch up to it), or undefined while an earlier batch is still in flight.
   */
  acknowledge(ticket: object): P | undefined {
    const entry = this.#pending.find((e) => e === ticket);
    if (!entry) throw new Error('acknowledged a batch that is not in flight (acknowledged twice?)');
    entry.durable = true;
    let committable: P | undefined;
    while (this.#pending.length > 0 && this.#pending[0]!.durable) committable = this.#pending.shift()!.position;
    return committable;
  }

  /** Batches read but not yet committable. */
  get inFlight(): number {
    return this.#pending.length;
  }
}
