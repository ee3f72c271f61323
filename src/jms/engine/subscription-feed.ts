/**
 * The messages of one subscription (one consumer group on one topic) on their way to one JMS
 * consumer: fetched records wait in priority order (JMSPriority is best-effort: it orders only what
 * was fetched ahead, never across partitions or ahead of a fetch), each is checked just before it
 * is handed out (dispatch-decision.ts), and the offsets of what is done are committed as their
 * contiguous prefix (ack-tracker.ts).
 *
 * Redelivery (recover, rollback, a listener that threw in AUTO_ACKNOWLEDGE): released deliveries go
 * back to the front of the line with their delivery count, and are handed out again with
 * JMSRedelivered=true and JMSXDeliveryCount raised; a message delivered max_deliveries times goes to
 * the dead-letter topic instead. A record that is not a valid JMS message goes there too, with the
 * reason: nothing is lost. After a process restart the delivery count starts again at 1 (the count
 * lives in this process; Kafka keeps only the committed offset).
 *
 * Sharing: the consumers of one queue (or one shared subscription) in this process share one feed,
 * one group member (feed-sharing in context.ts): each receive may carry the consumer's own selector
 * and takes the first ready message it matches, leaving the others for the feed's other consumers
 * (JMS 2.0 §3.8.1: unselected messages stay on the queue). A feed created with `lingerMs` stays in
 * its group that long after its last consumer closed when it still holds messages (unselected or
 * returned ones), so the next consumer in this process gets them with their delivery counts.
 */
import type { KafkaClient, PublishRecord, TopicRecord, TransactionalProducer } from '../../connectors/kafka/index.ts';
import { createGroupConsumer, type GroupConsumer } from '../../connectors/kafka/index.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import { connectionIdOf, fromRecord, HEADERS } from '../kafka-record-mapping.ts';
import type { AnyMessage } from '../message.ts';
import { AckTracker, type PartitionOffset } from './ack-tracker.ts';
import { decideDispatch } from './dispatch-decision.ts';
import { selectorSubjectOf } from '../selector-subject.ts';

export interface Delivery {
  readonly message: AnyMessage;
  readonly tp: string;
  readonly offset: bigint;
  /** How many times the message was handed out, this delivery included. */
  readonly deliveryCount: number;
  readonly feed: SubscriptionFeed;
}

/** Where undeliverable messages go; resolves once the record is durable there. */
export type MoveRecord = (to: 'dead-letter' | 'expiry', record: TopicRecord, headers: Record<string, string>) => Promise<void>;

export interface SubscriptionFeedOptions {
  readonly kafka: KafkaClient;
  readonly groupId: string;
  readonly topic: string;
  readonly maxDeliveries: number;
  readonly prefetch: number;
  /** 'interval': commit the done prefix every `commitIntervalMs`; 'manual': only flush() / markCommitted (transactions). */
  readonly commit: { readonly mode: 'interval'; readonly intervalMs: number } | { readonly mode: 'manual' };
  readonly selector?: MessageSelector;
  readonly noLocalConnection?: string;
  readonly clock: () => number;
  readonly move: MoveRecord;
  readonly events?: SubscriptionFeedEvents;
  /** After the last consumer closed, how long a feed that still holds messages stays (0: closes at once). */
  readonly lingerMs?: number;
  /** Called once the feed really closed (its sharing registry forgets it). */
  readonly onClosed?: () => void;
}

/** What one receive asks for. */
export interface ReceiveOptions {
  /** The consumer's own selector: messages it does not match stay ready for the feed's other consumers. */
  readonly selector?: MessageSelector;
  /** The consumer receiving: close(owner) wakes only its waiting receives. */
  readonly owner?: object;
}

/** Instrumentation (metrics subscribe here); must not throw. */
export interface SubscriptionFeedEvents {
  moved?(e: { to: 'dead-letter' | 'expiry'; groupId: string; origin: string; reason: string }): void;
  commitFailed?(e: { groupId: string; error: Error }): void;
}

interface Pending {
  readonly record: TopicRecord;
  readonly tp: string;
  readonly offset: bigint;
  /** Deliveries so far. */
  readonly deliveries: number;
  /** When returned after a delivery: that delivery's sequence number in this feed (keeps redelivery order). */
  readonly returnedSeq?: number;
}

interface Waiter {
  readonly resolve: (d: Delivery | undefined) => void;
  readonly timer: NodeJS.Timeout | undefined;
  readonly options: ReceiveOptions;
}

export class SubscriptionFeed {
  readonly #o: SubscriptionFeedOptions;
  #consumer: GroupConsumer;
  #tracker = new AckTracker();
  /** Ready messages by priority 9..0 (index 9 first). */
  readonly #ready: Pending[][] = Array.from({ length: 10 }, () => []);
  #readyCount = 0;
  readonly #delayed = new Map<Pending, NodeJS.Timeout>();
  readonly #waiters: Waiter[] = [];
  #held = new Set<string>();
  #commitTimer: NodeJS.Timeout | undefined;
  #commitChain: Promise<void> = Promise.resolve();
  #moving = new Set<Promise<void>>();
  #failure: Error | undefined;
  #closed = false;
  #users = 1;
  /** Numbers deliveries in the order they were handed out. */
  #deliverySeq = 0;
  #lingerTimer: NodeJS.Timeout | undefined;

  constructor(o: SubscriptionFeedOptions) {
    this.#o = o;
    this.#consumer = this.#newConsumer();
  }

  #newConsumer(): GroupConsumer {
    const o = this.#o;
    return createGroupConsumer({
      kafka: o.kafka,
      groupId: o.groupId,
      topics: [o.topic],
      start: 'earliest',
      onRecords: (records) => this.#arrived(records),
      onAssignment: (held) => this.#assigned(new Set(held.map((tp) => `${tp.topic}/${tp.partition}`))),
      onFailure: (error) => {
        this.#failure = error;
        this.#wakeAll();
      },
    });
  }

  get groupId(): string {
    return this.#o.groupId;
  }

  /** The partitions this member holds (`topic/partition`), as of the last join. */
  get heldPartitions(): ReadonlySet<string> {
    return this.#held;
  }

  /** Joins the group; resolves once partitions are assigned. */
  start(): Promise<void> {
    return this.#consumer.start();
  }

  /**
   * The next deliverable message: at once when one is ready, else after waiting up to `timeoutMs`
   * (undefined: until one arrives or the feed closes; 0: no wait). Undefined: none.
   */
  receive(timeoutMs: number | undefined, options: ReceiveOptions = {}): Promise<Delivery | undefined> {
    if (this.#failure) return Promise.reject(this.#failure);
    const now = this.#take(options.selector);
    if (now || this.#closed || timeoutMs === 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        options,
        timer:
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                const i = this.#waiters.indexOf(waiter);
                if (i >= 0) this.#waiters.splice(i, 1);
                resolve(undefined);
              }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** The message is done (acknowledged or committed in a transaction). */
  acknowledge(d: Delivery): void {
    this.#tracker.done(d.tp, d.offset);
    this.#scheduleCommit();
    this.#flowControl();
  }

  /**
   * Hands the deliveries out again, in their order, before anything newer: `counted` (recover,
   * rollback, a failed listener) as a redelivery; not counted (a receive that lost its caller) as
   * if never handed out.
   */
  release(deliveries: readonly Delivery[], counted = true): void {
    for (const d of deliveries) {
      if (!this.#held.has(d.tp)) continue; // the partition moved to another member, which reads it again
      const impl = d as DeliveryImpl;
      const p: Pending = { record: impl.record, tp: d.tp, offset: d.offset, deliveries: counted ? d.deliveryCount : d.deliveryCount - 1, returnedSeq: impl.seq };
      insertInDeliveryOrder(this.#ready[d.message.JMSPriority]!, p);
      this.#readyCount++;
    }
    this.#pump();
  }

  /**
   * Another consumer shares this feed. False when it is closed or closing (make a new one). A
   * lingering feed is taken back into use.
   */
  retain(): boolean {
    if (this.#closed || this.#users === 0 && this.#lingerTimer === undefined) return false;
    this.#users++;
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
    return true;
  }

  /** No consumer uses it: it only stays in its group for the messages it holds (lingerMs). */
  get lingering(): boolean {
    return !this.#closed && this.#users === 0 && this.#lingerTimer !== undefined;
  }

  /** What to commit now (for a transaction's sendOffsets). */
  committable(): PartitionOffset[] {
    return this.#tracker.committable();
  }

  /** A transaction committed these offsets. */
  markCommitted(offsets: readonly PartitionOffset[]): void {
    this.#tracker.markCommitted(offsets);
  }

  /** Commits the done prefix now; resolves once Kafka has it. */
  flush(): Promise<void> {
    clearTimeout(this.#commitTimer);
    this.#commitTimer = undefined;
    const run = this.#commitChain.then(async () => {
      const offsets = this.#tracker.committable();
      if (offsets.length === 0) return;
      await this.#consumer.commit(offsets.map(({ tp, offset }) => ({ ...splitTp(tp), offset })));
      this.#tracker.markCommitted(offsets);
    });
    this.#commitChain = run.catch(() => {});
    return run;
  }

  /**
   * Forgets everything not committed and reads again from the group's committed offsets (a
   * transaction that failed after its acknowledgements were counted as done).
   */
  async restart(): Promise<void> {
    await this.#consumer.close();
    this.#tracker = new AckTracker();
    for (const bucket of this.#ready) bucket.length = 0;
    this.#readyCount = 0;
    for (const t of this.#delayed.values()) clearTimeout(t);
    this.#delayed.clear();
    this.#consumer = this.#newConsumer();
    await this.#consumer.start();
  }

  /** The waiting receives of `owner` (a consumer about to close) get undefined now. */
  cancelReceives(owner: object): void {
    this.#wake((w) => w.options.owner === owner);
  }

  /**
   * One consumer of the feed closed (`owner`: its waiting receives get undefined). The last one
   * closes the feed, or leaves it lingering (lingerMs) while it holds messages.
   */
  async close(owner?: object): Promise<void> {
    if (this.#closed) return;
    if (owner !== undefined) this.#wake((w) => w.options.owner === owner);
    if (this.#users > 0) this.#users--;
    if (this.#users > 0) return;
    if ((this.#o.lingerMs ?? 0) > 0 && this.#readyCount + this.#delayed.size > 0) {
      if (this.#lingerTimer === undefined) {
        this.#lingerTimer = setTimeout(() => {
          this.#lingerTimer = undefined;
          void this.closeNow();
        }, this.#o.lingerMs);
        this.#lingerTimer.unref();
      }
      return;
    }
    await this.closeNow();
  }

  /** Commits what is done, stops fetching and leaves the group; waiting receives get undefined. */
  async closeNow(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
    this.#o.onClosed?.();
    for (const t of this.#delayed.values()) clearTimeout(t);
    this.#delayed.clear();
    this.#wakeAll();
    await Promise.allSettled([...this.#moving]);
    // What is done is final in every mode: a transacted session's acknowledgements become done only
    // as its transaction commits, so this commits skipped and moved messages only.
    await this.flush().catch((error: Error) => this.#o.events?.commitFailed?.({ groupId: this.#o.groupId, error }));
    await this.#consumer.close();
  }

  #arrived(records: readonly TopicRecord[]): void {
    if (this.#closed) return;
    for (const record of records) {
      const tp = `${record.topic}/${record.partition}`;
      const offset = BigInt(record.offset);
      this.#tracker.track(tp, offset);
      const priority = priorityOf(record);
      this.#ready[priority]!.push({ record, tp, offset, deliveries: 0 });
      this.#readyCount++;
    }
    this.#flowControl();
    this.#pump();
  }

  #assigned(held: Set<string>): void {
    this.#held = held;
    this.#tracker.retain(held);
    for (const bucket of this.#ready) {
      const kept = bucket.filter((p) => held.has(p.tp));
      this.#readyCount -= bucket.length - kept.length;
      bucket.splice(0, bucket.length, ...kept);
    }
    for (const [p, t] of this.#delayed) {
      if (!held.has(p.tp)) {
        clearTimeout(t);
        this.#delayed.delete(p);
      }
    }
  }

  /** Hands ready messages to waiting receives, oldest receive first, each with its own selector. */
  #pump(): void {
    for (let i = 0; i < this.#waiters.length && this.#readyCount > 0; ) {
      const w = this.#waiters[i]!;
      const d = this.#take(w.options.selector);
      if (!d) {
        i++;
        continue;
      }
      this.#waiters.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(d);
    }
  }

  /**
   * The next deliverable message the consumer's selector matches, acting on every one that is
   * not deliverable at all (skip, delay, move); unmatched ones stay where they are.
   */
  #take(consumerSelector?: MessageSelector): Delivery | undefined {
    let passed = 0; // ready messages looked at and left for other consumers
    while (this.#readyCount > passed && !this.#closed) {
      const { p, bucket, index } = this.#next(passed)!;
      const origin = `${p.tp}@${p.offset}`;
      let message: AnyMessage;
      try {
        message = fromRecord(p.record, origin);
      } catch (err) {
        this.#move('dead-letter', p, (err as Error).message);
        continue;
      }
      const decision = decideDispatch({
        message,
        nowMs: this.#o.clock(),
        deliveries: p.deliveries,
        maxDeliveries: this.#o.maxDeliveries,
        selector: this.#o.selector,
        noLocalConnection: this.#o.noLocalConnection,
        senderConnection: connectionIdOf(p.record),
      });
      switch (decision.action) {
        case 'deliver': {
          if (consumerSelector && !consumerSelector.matches(selectorSubjectOf(message))) {
            // Left where it was, for the feed's other consumers.
            bucket.splice(index, 0, p);
            this.#readyCount++;
            passed++;
            continue;
          }
          const deliveryCount = p.deliveries + 1;
          message.JMSRedelivered = deliveryCount > 1;
          message.setProviderProperty('JMSXDeliveryCount', { type: 'int', value: deliveryCount });
          return new DeliveryImpl(message, p.tp, p.offset, deliveryCount, this, p.record, this.#deliverySeq++);
        }
        case 'skip':
          this.#tracker.done(p.tp, p.offset);
          this.#scheduleCommit();
          continue;
        case 'delay': {
          const timer = setTimeout(() => {
            this.#delayed.delete(p);
            this.#ready[priorityOf(p.record)]!.unshift(p);
            this.#readyCount++;
            this.#pump();
          }, decision.untilMs - this.#o.clock());
          this.#delayed.set(p, timer);
          continue;
        }
        case 'expire':
          this.#move('expiry', p, decision.reason);
          continue;
        case 'dead-letter':
          this.#move('dead-letter', p, decision.reason);
          continue;
      }
    }
    return undefined;
  }

  /** Takes the ready message after the first `skip` ones (in priority, then arrival order). */
  #next(skip = 0): { p: Pending; bucket: Pending[]; index: number } | undefined {
    for (let i = 9; i >= 0; i--) {
      const bucket = this.#ready[i]!;
      if (skip < bucket.length) {
        this.#readyCount--;
        return { p: bucket.splice(skip, 1)[0]!, bucket, index: skip };
      }
      skip -= bucket.length;
    }
    return undefined;
  }

  #move(to: 'dead-letter' | 'expiry', p: Pending, reason: string): void {
    const origin = `${p.tp}@${p.offset}`;
    const headers: Record<string, string> = { [HEADERS.reason]: reason, 'x-opt-banyan-origin': origin };
    if (to === 'dead-letter') headers[HEADERS.deliveryCount] = String(p.deliveries);
    const moving = this.#o
      .move(to, p.record, headers)
      .then(() => {
        this.#o.events?.moved?.({ to, groupId: this.#o.groupId, origin, reason });
        this.#tracker.done(p.tp, p.offset);
        this.#scheduleCommit();
      })
      .catch(() => {
        // Not moved: not done either. Its offset stays uncommitted, so it comes back after a restart.
      })
      .finally(() => this.#moving.delete(moving));
    this.#moving.add(moving);
  }

  #scheduleCommit(): void {
    if (this.#o.commit.mode !== 'interval' || this.#commitTimer || this.#closed) return;
    this.#commitTimer = setTimeout(() => {
      this.#commitTimer = undefined;
      // A commit refused by a rebalance is not lost: the next one carries the offsets again.
      this.flush().catch((error: Error) => this.#o.events?.commitFailed?.({ groupId: this.#o.groupId, error }));
    }, this.#o.commit.intervalMs);
    this.#commitTimer.unref();
  }

  #flowControl(): void {
    const inFlight = this.#readyCount + this.#tracker.outstanding;
    if (inFlight >= this.#o.prefetch) this.#consumer.pause();
    else if (inFlight <= this.#o.prefetch / 2) this.#consumer.resume();
  }

  #wakeAll(): void {
    this.#wake(() => true);
  }

  #wake(which: (w: Waiter) => boolean): void {
    for (const w of this.#waiters.filter(which)) {
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
  }
}

class DeliveryImpl implements Delivery {
  readonly message: AnyMessage;
  readonly tp: string;
  readonly offset: bigint;
  readonly deliveryCount: number;
  readonly feed: SubscriptionFeed;
  readonly record: TopicRecord;
  readonly seq: number;

  constructor(message: AnyMessage, tp: string, offset: bigint, deliveryCount: number, feed: SubscriptionFeed, record: TopicRecord, seq: number) {
    this.seq = seq;
    this.message = message;
    this.tp = tp;
    this.offset = offset;
    this.deliveryCount = deliveryCount;
    this.feed = feed;
    this.record = record;
  }
}

/**
 * Puts a returned message back at the front, after the returned ones handed out before it:
 * redeliveries keep the original delivery order whatever order (or batches) they come back in.
 */
function insertInDeliveryOrder(bucket: Pending[], p: Pending): void {
  let at = 0;
  while (at < bucket.length && bucket[at]!.returnedSeq !== undefined && bucket[at]!.returnedSeq! < p.returnedSeq!) at++;
  bucket.splice(at, 0, p);
}

function priorityOf(record: TopicRecord): number {
  const v = record.headers[HEADERS.priority];
  const n = v === undefined ? 4 : Number(v.toString());
  return Number.isInteger(n) && n >= 0 && n <= 9 ? n : 4;
}

/**
 * Writes `records` and commits what `feeds` have done in one Kafka transaction (sendOffsets): a
 * transacted session's commit and an AMQP coordinator's discharge. When it fails, the feeds read
 * again from Kafka's committed offsets (what they counted done is not), and the error is rethrown.
 */
export async function commitWithFeeds(producer: TransactionalProducer, records: readonly PublishRecord[], feeds: Iterable<SubscriptionFeed>): Promise<void> {
  const offsets = [...feeds].map((feed) => ({ feed, offsets: feed.committable() }));
  const groupOffsets = offsets.map(({ feed, offsets: o }) => ({ groupId: feed.groupId, offsets: o.map(({ tp, offset }) => ({ ...splitTp(tp), offset })) }));
  try {
    await producer.commit(records, groupOffsets);
  } catch (err) {
    await Promise.allSettled(offsets.map(({ feed }) => feed.restart()));
    throw err;
  }
  for (const { feed, offsets: o } of offsets) feed.markCommitted(o);
}

function splitTp(tp: string): { topic: string; partition: number } {
  const i = tp.lastIndexOf('/');
  return { topic: tp.slice(0, i), partition: Number(tp.slice(i + 1)) };
}
