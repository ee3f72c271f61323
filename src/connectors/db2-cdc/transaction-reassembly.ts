/**
 * Rebuilds whole transactions from what the CDC bridge wrote: change events spread over the
 * per-table topics and their partitions, and BEGIN/END boundaries on the transaction topic (IBM
 * IIDR's "transactionally consistent consumer", without its Java library). Pure state; the Kafka
 * side is transaction-consumer.ts.
 *
 * What it relies on, all from how the bridge writes:
 * - The transaction topic has one partition, so its boundaries are in commit order: BEGIN T, END T,
 *   BEGIN T', ... The BEGINs give the commit order in which transactions are released.
 * - Each partition holds the first copy of every record in commit order (the bridge publishes in
 *   commit order with an idempotent producer); later copies are duplicates.
 * - Transaction ids are commit_lsn hex of fixed width, so they compare as strings in commit order.
 *
 * Duplicates (a bridge restarted inside a transaction writes it again; a consumer restart reads
 * again from its last commit) are identified by position: a boundary or change of a transaction at
 * or below the last one released is dropped, and inside an open transaction a change is identified
 * by its change_lsn (its total_order when it has none). A transaction is released once its END has
 * come and all event_count distinct changes are in.
 *
 * Memory: `aheadPartitions()` names the partitions whose last record belongs to a transaction after
 * the one being waited for; by the per-partition order above they hold nothing more of it, so
 * pausing them while too much is buffered stops the buffer growing without starving the head. Above
 * `maxBufferedEvents` accept() fails with BANYAN_ERR_CDC_TRANSACTION_TOO_LARGE.
 *
 * Offsets: `committable()` gives per partition the offset a consumer may commit: below the first
 * record still held, so a consumer restart never loses part of an unreleased transaction.
 */
import type { ChangeEvent, TransactionBoundary } from './change-event.ts';
import type { EntityKey } from './transaction-keys.ts';
import { CdcErrors } from './errors.ts';

/** Where a record was read. */
export interface RecordRef {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset (int64) as decimal text. */
  readonly offset: string;
}

export type ReassemblyInput =
  | { readonly kind: 'boundary'; readonly boundary: TransactionBoundary; readonly at: RecordRef }
  | { readonly kind: 'change'; readonly key: EntityKey | null; readonly event: ChangeEvent; readonly at: RecordRef };

/** One unit of work as the database committed it. */
export interface WholeTransaction {
  readonly id: string;
  /** Commit time (IBMSNAP_LOGMARKER), ms since epoch. */
  readonly ts_ms: number;
  /** Every change, in commit order (total_order). */
  readonly changes: readonly { readonly key: EntityKey | null; readonly event: ChangeEvent }[];
  readonly data_collections: readonly { readonly data_collection: string; readonly event_count: number }[];
}

/**
 * What the reassembler hands out, in order: whole transactions; snapshot reads (op r, no
 * transaction) as they come; and orphans: changes of a transaction whose BEGIN was not read before
 * a later transaction completed (the transaction topic lost it to retention, or reading started
 * between a BEGIN and its changes). Orphans are handed out, never dropped silently.
 */
export type ReassemblyOutput =
  | { readonly kind: 'transaction'; readonly transaction: WholeTransaction }
  | { readonly kind: 'snapshot'; readonly key: EntityKey | null; readonly event: ChangeEvent; readonly at: RecordRef }
  | { readonly kind: 'orphan'; readonly id: string; readonly changes: WholeTransaction['changes'] };

/** An output with the offsets a consumer may commit once it has processed it (and all before it). */
export interface Released {
  readonly output: ReassemblyOutput;
  readonly offsets: ReadonlyMap<string, string>;
}

export interface ReassemblyOptions {
  /** Change events held for unreleased transactions beyond which accept() fails. */
  readonly maxBufferedEvents: number;
}

export interface ReassemblyStats {
  readonly released: number;
  readonly duplicates: number;
  readonly orphans: number;
  readonly bufferedEvents: number;
}

interface OpenTransaction {
  begun: boolean;
  end: TransactionBoundary | undefined;
  readonly changes: Map<string, { readonly key: EntityKey | null; readonly event: ChangeEvent }>;
}

interface PartitionState {
  /** Records held for unreleased transactions, in offset order. */
  readonly held: { readonly offset: bigint; readonly id: string }[];
  /** Offset after the last record seen. */
  next: bigint;
  /** Transaction of the last record seen that is not a duplicate. */
  lastId: string | undefined;
}

export class TransactionReassembler {
  private readonly options: ReassemblyOptions;
  /** BEGIN order = commit order. */
  private readonly order: string[] = [];
  private readonly open = new Map<string, OpenTransaction>();
  private readonly partitions = new Map<string, PartitionState>();
  private readonly ready: Released[] = [];
  private lastReleased: string | undefined;
  private buffered = 0;
  private released = 0;
  private duplicates = 0;
  private orphans = 0;

  constructor(options: ReassemblyOptions) {
    this.options = options;
  }

  /** Takes one record read from Kafka (records of one partition in offset order). */
  accept(input: ReassemblyInput): void {
    const part = this.partition(input.at);
    const offset = BigInt(input.at.offset);
    if (offset >= part.next) part.next = offset + 1n;
    if (input.kind === 'change' && input.event.transaction === null) {
      this.ready.push({ output: { kind: 'snapshot', key: input.key, event: input.event, at: input.at }, offsets: this.committable() });
      return;
    }
    const id = input.kind === 'boundary' ? input.boundary.id : input.event.transaction!.id;
    if (this.lastReleased !== undefined && id <= this.lastReleased) {
      this.duplicates++;
      return;
    }
    const txn = this.transaction(id);
    if (input.kind === 'boundary') {
      const b = input.boundary;
      if (b.status === 'BEGIN' ? txn.begun : txn.end) {
        this.duplicates++;
        return;
      }
      if (b.status === 'BEGIN') {
        txn.begun = true;
        this.order.push(id);
      } else {
        if (b.event_count === undefined) throw new CdcErrors.BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT(id, 'its END has no event_count');
        txn.end = b;
      }
    } else {
      const t = input.event.transaction!;
      const identity = input.event.source.change_lsn ?? `#${t.total_order}`;
      if (txn.changes.has(identity)) {
        this.duplicates++;
        return;
      }
      if (this.buffered >= this.options.maxBufferedEvents) throw new CdcErrors.BANYAN_ERR_CDC_TRANSACTION_TOO_LARGE(this.order[0] ?? id, this.options.maxBufferedEvents);
      txn.changes.set(identity, { key: input.key, event: input.event });
      this.buffered++;
    }
    part.held.push({ offset, id });
    part.lastId = id;
    this.releaseReady();
  }

  /** Everything released since the last call, in commit order, each with its committable offsets. */
  take(): Released[] {
    return this.ready.splice(0, this.ready.length);
  }

  /** The transaction being waited for (the oldest begun and not released). */
  head(): string | undefined {
    return this.order[0];
  }

  /** Partitions holding nothing more of the head transaction: safe to pause while the buffer is full. */
  aheadPartitions(): { readonly topic: string; readonly partition: number }[] {
    const head = this.order[0];
    if (head === undefined) return [];
    const out: { topic: string; partition: number }[] = [];
    for (const [tp, state] of this.partitions) {
      if (state.lastId !== undefined && state.lastId > head) out.push(splitTp(tp));
    }
    return out;
  }

  /** Per `topic/partition`, the offset a consumer may commit (all below it released or duplicate). */
  committable(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [tp, state] of this.partitions) out.set(tp, String(state.held[0]?.offset ?? state.next));
    return out;
  }

  stats(): ReassemblyStats {
    return { released: this.released, duplicates: this.duplicates, orphans: this.orphans, bufferedEvents: this.buffered };
  }

  private releaseReady(): void {
    for (;;) {
      const id = this.order[0];
      if (id === undefined) return;
      const txn = this.open.get(id)!;
      if (!txn.end || txn.changes.size < txn.end.event_count!) return;
      if (txn.changes.size > txn.end.event_count!) {
        throw new CdcErrors.BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT(id, `END says ${txn.end.event_count} events, ${txn.changes.size} distinct ones arrived`);
      }
      this.releaseOrphansBelow(id);
      this.order.shift();
      this.open.delete(id);
      this.lastReleased = id;
      this.buffered -= txn.changes.size;
      this.released++;
      const changes = [...txn.changes.values()].sort((a, b) => a.event.transaction!.total_order - b.event.transaction!.total_order);
      this.dropReleased();
      this.ready.push({
        output: { kind: 'transaction', transaction: { id, ts_ms: txn.end.ts_ms, changes, data_collections: txn.end.data_collections ?? [] } },
        offsets: this.committable(),
      });
    }
  }

  /** Unholds records of released transactions (they sit at the front of each partition's held list). */
  private dropReleased(): void {
    const last = this.lastReleased!;
    for (const state of this.partitions.values()) {
      while (state.held.length > 0 && state.held[0].id <= last) state.held.shift();
    }
  }

  /**
   * A transaction below `id` that never began (its BEGIN was not read) can no longer complete once
   * `id` is released: its changes go out as an orphan, before `id`, in commit order.
   */
  private releaseOrphansBelow(id: string): void {
    const below = [...this.open].filter(([other, txn]) => other < id && !txn.begun).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [other, txn] of below) {
      this.open.delete(other);
      this.buffered -= txn.changes.size;
      if (txn.changes.size === 0) continue;
      this.orphans++;
      const changes = [...txn.changes.values()].sort((a, b) => a.event.transaction!.total_order - b.event.transaction!.total_order);
      // Its records stay held until `id` is released, so its offsets are those from before it.
      this.ready.push({ output: { kind: 'orphan', id: other, changes }, offsets: this.committable() });
    }
  }

  private transaction(id: string): OpenTransaction {
    let txn = this.open.get(id);
    if (!txn) {
      txn = { begun: false, end: undefined, changes: new Map() };
      this.open.set(id, txn);
    }
    return txn;
  }

  private partition(at: RecordRef): PartitionState {
    const tp = `${at.topic}/${at.partition}`;
    let state = this.partitions.get(tp);
    if (!state) {
      state = { held: [], next: 0n, lastId: undefined };
      this.partitions.set(tp, state);
    }
    return state;
  }
}

function splitTp(tp: string): { topic: string; partition: number } {
  const slash = tp.lastIndexOf('/');
  return { topic: tp.slice(0, slash), partition: Number(tp.slice(slash + 1)) };
}
