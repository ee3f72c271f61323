/**
 * Per-message acknowledgement on top of Kafka offsets: Kafka commits one offset per partition
 * ("everything below is done"), JMS acknowledges messages one by one and out of order (a delayed
 * message, a CLIENT_ACKNOWLEDGE session holding one back). The tracker commits only the
 * contiguous prefix of done offsets, so a crash redelivers every message not acknowledged and
 * maybe some that were (at-least-once), never loses one.
 *
 * "Done" is acknowledged, filtered out by a selector, or moved to the dead-letter / expiry topic.
 * Pure bookkeeping: no Kafka here.
 */

export interface PartitionOffset {
  readonly tp: string;
  /** The next offset to read: everything below it is done. */
  readonly offset: bigint;
}

export class AckTracker {
  readonly #partitions = new Map<string, PartitionAcks>();

  /** A record handed to the engine (offsets arrive in increasing order per partition). */
  track(tp: string, offset: bigint): void {
    let p = this.#partitions.get(tp);
    if (!p) this.#partitions.set(tp, (p = new PartitionAcks()));
    p.track(offset);
  }

  /** Marks a tracked offset done; an offset not tracked (a lost partition) is ignored. */
  done(tp: string, offset: bigint): void {
    this.#partitions.get(tp)?.done(offset);
  }

  /** Per partition whose done prefix grew since the last markCommitted, the offset to commit. */
  committable(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [tp, p] of this.#partitions) {
      const next = p.nextToCommit();
      if (next !== undefined && next !== p.committed) out.push({ tp, offset: next });
    }
    return out;
  }

  /** Records that `offsets` were committed, so committable() stops offering them. */
  markCommitted(offsets: readonly PartitionOffset[]): void {
    for (const { tp, offset } of offsets) {
      const p = this.#partitions.get(tp);
      if (p && (p.committed === undefined || offset > p.committed)) p.committed = offset;
    }
  }

  /** Forgets partitions this member no longer holds (their new owner starts from the last commit). */
  retain(held: ReadonlySet<string>): void {
    for (const tp of [...this.#partitions.keys()]) if (!held.has(tp)) this.#partitions.delete(tp);
  }

  /** Tracked offsets not done yet, over all partitions. */
  get outstanding(): number {
    let n = 0;
    for (const p of this.#partitions.values()) n += p.outstanding;
    return n;
  }
}

class PartitionAcks {
  /** Offsets tracked and not yet released from the head, in increasing order. */
  #order: bigint[] = [];
  #head = 0;
  readonly #done = new Set<bigint>();
  /** The next offset after the highest tracked one. */
  #end: bigint | undefined;
  committed: bigint | undefined;

  track(offset: bigint): void {
    this.#order.push(offset);
    this.#end = offset + 1n;
  }

  done(offset: bigint): void {
    // Below the head: released already (a redelivered message acknowledged a second time).
    if (this.#end === undefined || offset >= this.#end || this.#head >= this.#order.length || offset < this.#order[this.#head]!) return;
    this.#done.add(offset);
  }

  /** The first offset not done (or the end when all are): the offset Kafka should hold. */
  nextToCommit(): bigint | undefined {
    while (this.#head < this.#order.length && this.#done.has(this.#order[this.#head]!)) {
      this.#done.delete(this.#order[this.#head]!);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
    return this.#head < this.#order.length ? this.#order[this.#head] : this.#end;
  }

  get outstanding(): number {
    this.nextToCommit();
    return this.#order.length - this.#head - this.#done.size;
  }
}
