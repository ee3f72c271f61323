/**
 * The delivery and retry processor (issue 15): consumes a bridge's source topics and their retry
 * tiers in one consumer group and delivers each event through a DeliveryTarget. What cannot be
 * delivered yet goes to the next tier `<topic>.retry.<n>`, what never can to `<topic>.dlq`, each
 * with the retry headers (retry-headers.ts); nothing blocks the other partitions (Uber's reliable
 * reprocessing, Spring Kafka's non-blocking retries).
 *
 * One lane per partition handles its records in offset order: it decides (decide-step.ts), then
 * acts, then moves on; offsets are committed only past handled records (delivered, or written to
 * their next topic and acknowledged). A tier record that is not due pauses its partition's fetching
 * and sets a timer: kafkajs' handler never sleeps, so heartbeats and the other partitions go on.
 * When the target's breaker opens every partition pauses and no attempt is spent; it resumes when
 * the breaker lets a trial through.
 *
 * With `ordering: key`, a key with a record in retry holds its later records behind it
 * (key-backlog.ts); the backlogs are kept in a compacted topic (key-backlog-store.ts), written
 * after the record they describe and before the commit, so a crash leaves at worst a copy the
 * processor recognises, or a duplicate delivery the target's idempotency key absorbs.
 */
import type { KafkaClient } from '../connectors/kafka/client.ts';
import { createPartitionConsumer, type ConsumedRecord, type PartitionConsumer, type TopicPartition } from '../connectors/kafka/partition-consumer.ts';
import { createGroupAdmin, type GroupAdmin } from '../connectors/kafka/group-admin.ts';
import type { Publisher } from '../connectors/kafka/publisher.ts';
import type { TopicAdmin } from '../connectors/kafka/topic-admin.ts';
import type { BanyanError } from '../core/errors.ts';
import { decideOnOutcome, decideOnRead, dueAtFor, type OutcomeDecision, type RedeliveryPolicy } from './decide-step.ts';
import type { DeliveryOutcome, DeliveryRecord, DeliveryTarget, TargetAvailability } from './delivery-target.ts';
import { coalescingPublish, type Publish } from './coalescing-publish.ts';
import { adoptIntoBacklog, EMPTY_BACKLOG, joinBacklog, leaveBacklog, moveInBacklog, type KeyBacklog } from './key-backlog.ts';
import { backlogKeyId, createKeyBacklogStore, type KeyBacklogStore } from './key-backlog-store.ts';
import { eventHeadersOf, eventIdOf, readRetryState, writeRetryHeaders, type RetryReason, type RetryState } from './retry-headers.ts';
import { deadLetterTopicOf, positionOf, retryTopicsOf, tierTopic } from './retry-topics.ts';

export interface RetryProcessorOptions {
  /** The bridge's name: in the headers, and the prefix of its keys in the backlog topic. */
  readonly bridge: string;
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  /** Writes tier records, dead letters and backlogs (one idempotent producer, in order). */
  readonly publisher: Publisher;
  readonly sourceTopics: readonly string[];
  readonly groupId: string;
  readonly start?: 'earliest' | 'latest';
  readonly target: DeliveryTarget;
  readonly policy: RedeliveryPolicy;
  /** One dead-letter topic for every source topic; default `<topic>.dlq` each. */
  readonly deadLetterTopic?: string;
  /** The compacted topic of the key backlogs (default banyan.retry-keys). */
  readonly backlogTopic?: string;
  readonly clock?: () => number;
  readonly random?: () => number;
  readonly events?: RetryProcessorEvents;
}

/** Instrumentation (kafkajs style): called after each step; must not throw. */
export interface RetryProcessorEvents {
  delivered?(e: { eventId: string; attempt: number; tier: number }): void;
  retried?(e: { eventId: string; attempt: number; toTier: number; reason: RetryReason }): void;
  parked?(e: { eventId: string; attempt: number; reason: RetryReason; topic: string }): void;
  skipped?(e: { eventId: string; why: 'duplicate' | 'already-handled' }): void;
  paused?(e: { why: 'breaker' }): void;
  resumed?(e: { why: 'breaker' }): void;
}

export interface RetrySummary {
  delivered: number;
  retried: number;
  followed: number;
  parked: number;
  skipped: number;
}

export interface RetryRunOptions {
  /**
   * Finish once idle (`banyan run --until-idle`): every partition this member holds, source and
   * tiers, consumed and committed up to the high watermark taken at the check, no record waiting in
   * a lane or in a key backlog this run changed. A record waiting for its tier's delay is not
   * committed, so the run waits for it to be delivered or parked.
   */
  readonly untilIdle?: boolean;
}

export interface RetryProcessor {
  /** Runs until `signal` aborts or (untilIdle) it is idle, resolving with the totals; rejects when the consumer fails for good. */
  run(signal: AbortSignal, options?: RetryRunOptions): Promise<RetrySummary>;
}

export function createRetryProcessor(o: RetryProcessorOptions): RetryProcessor {
  return { run: (signal, options) => new ProcessorRun(o).run(signal, options ?? {}) };
}

/** Records buffered per partition before its fetching pauses, and the level at which it resumes. */
const LANE_HIGH = 500;
const LANE_LOW = 100;
const COMMIT_EVERY_MS = 200;
/** An `unavailable` outcome without an availability event: ask the target again after this long. */
const UNAVAILABLE_RECHECK_MS = 1_000;
/** How often an until-idle run asks the broker whether it is done. */
const IDLE_CHECK_MS = 500;

type PauseReason = 'due' | 'full' | 'breaker';

interface Lane {
  readonly tp: TopicPartition;
  readonly tier: number;
  readonly originalTopic: string;
  queue: ConsumedRecord[];
  /** The offset after the last record buffered or handled: anything below is a re-fetch. */
  next: bigint | undefined;
  /** The offset after the last handled record, not yet committed. */
  commitPending: bigint | undefined;
  /** The offset after the last handled record (committed or not). */
  handled: bigint | undefined;
  pumping: boolean;
  timer: NodeJS.Timeout | undefined;
  paused: Set<PauseReason>;
  revoked: boolean;
}

class ProcessorRun {
  readonly #o: RetryProcessorOptions;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #store: KeyBacklogStore;
  readonly #lanes = new Map<string, Lane>();
  readonly #summary: RetrySummary = { delivered: 0, retried: 0, followed: 0, parked: 0, skipped: 0 };
  #backlogs = new Map<string, KeyBacklog>();
  /** Per key, backlog changes whose record is not acknowledged yet: seq -> the tier it left (undefined: a join). */
  readonly #pending = new Map<string, Map<number, number | undefined>>();
  #consumer: PartitionConsumer | undefined;
  /** The partitions of the last assignment; undefined until the member joined. */
  #assigned: readonly TopicPartition[] | undefined;
  /** False while the key backlogs are (re)loaded after an assignment. */
  #loaded = true;
  /** Keys whose backlog this run changed: an until-idle run waits for them to empty. */
  readonly #touched = new Set<string>();
  /** For each key in #touched, the source partition it lives on (`<original topic>/<partition>`, the same in every tier). */
  readonly #homes = new Map<string, string>();
  /** The source partitions whose keys' in-memory backlogs are current (held since the last applied load). */
  #currentHomes = new Set<string>();
  #ready: Promise<void> = Promise.resolve();
  #breakerOpen = false;
  #failure: BanyanError | undefined;
  #stopped = false;
  #wakeRun: (() => void) | undefined;
  readonly #attempts = new AbortController();
  /** Writes of all lanes, grouped into one acknowledged batch while another is in flight. */
  readonly #publish: Publish;

  constructor(o: RetryProcessorOptions) {
    this.#o = o;
    this.#clock = o.clock ?? Date.now;
    this.#random = o.random ?? Math.random;
    this.#publish = coalescingPublish(o.publisher);
    this.#store = createKeyBacklogStore({ kafka: o.kafka, topics: o.topics, publish: this.#publish, bridge: o.bridge, ...(o.backlogTopic ? { topic: o.backlogTopic } : {}) });
  }

  async run(signal: AbortSignal, options: RetryRunOptions): Promise<RetrySummary> {
    const tiers = this.#o.policy.tierDelaysMs.length;
    await this.#ensureTopics(tiers);
    const offAvailability = this.#o.target.onAvailability((a) => this.#onAvailability(a));
    const consumer = (this.#consumer = createPartitionConsumer({
      kafka: this.#o.kafka,
      groupId: this.#o.groupId,
      topics: [...this.#o.sourceTopics, ...retryTopicsOf(this.#o.sourceTopics, tiers)],
      ...(this.#o.start ? { start: this.#o.start } : {}),
    }));
    const committer = setInterval(() => void this.#flushCommits(), COMMIT_EVERY_MS);
    const groups = options.untilIdle ? createGroupAdmin(this.#o.kafka) : undefined;
    let idleCheck: NodeJS.Timeout | undefined;
    try {
      await consumer.start({
        assigned: (tps) => this.#onAssigned(tps),
        records: (tp, records) => this.#onRecords(tp, records),
        failed: (err) => {
          this.#failure ??= err;
          this.#wakeRun?.();
        },
      });
      await new Promise<void>((resolve) => {
        this.#wakeRun = resolve;
        if (signal.aborted || this.#failure) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
        if (groups) {
          const check = () => {
            if (this.#stopped || signal.aborted || this.#failure) return;
            this.#isIdle(groups).then(
              (idle) => (idle ? resolve() : void (idleCheck = setTimeout(check, IDLE_CHECK_MS))),
              // The broker did not answer: ask again at the next check (a lasting outage fails the consumer).
              () => void (idleCheck = setTimeout(check, IDLE_CHECK_MS)),
            );
          };
          idleCheck = setTimeout(check, IDLE_CHECK_MS);
        }
      });
    } finally {
      clearTimeout(idleCheck);
      this.#stopped = true;
      this.#attempts.abort();
      clearInterval(committer);
      offAvailability();
      for (const lane of this.#lanes.values()) clearTimeout(lane.timer);
      await this.#idle();
      await this.#flushCommits().catch(() => {});
      await consumer.close();
      await groups?.close().catch(() => {});
    }
    if (this.#failure) throw this.#failure;
    return { ...this.#summary };
  }

  async #ensureTopics(tiers: number): Promise<void> {
    const { topics } = this.#o;
    await topics.ensureTopics(this.#o.sourceTopics.map((topic) => ({ topic })));
    for (const topic of this.#o.sourceTopics) {
      // Same partition count along the path: a key sits on partition p in every tier (retry-topics.ts).
      const partitions = await topics.partitionCount(topic);
      const path = [...retryTopicsOf([topic], tiers), deadLetterTopicOf(topic, this.#o.deadLetterTopic)];
      await topics.ensureTopics(path.map((t) => ({ topic: t, ...(partitions !== undefined ? { partitions } : {}) })));
    }
  }

  // --- consumer callbacks -------------------------------------------------------------------------

  #onAssigned(tps: readonly TopicPartition[]): void {
    const now = new Set(tps.flatMap((tp) => {
      const position = positionOf(tp.topic, this.#o.sourceTopics, this.#o.policy.tierDelaysMs.length);
      return position ? [`${position.originalTopic}/${tp.partition}`] : [];
    }));
    // A partition held since the last applied load had no other owner meanwhile (co-partitioned
    // assignment: all tiers of p move together), so this member's in-memory backlogs of its keys are
    // the newest: the compacted topic may not have caught up with them yet. Revoked ones are not.
    for (const h of this.#currentHomes) if (!now.has(h)) this.#currentHomes.delete(h);
    this.#assigned = tps;
    const held = new Set(tps.map(tpId));
    for (const [id, lane] of this.#lanes) {
      if (held.has(id)) continue;
      lane.revoked = true;
      lane.queue = [];
      clearTimeout(lane.timer);
      this.#lanes.delete(id);
    }
    // The backlogs of the partitions now held may have been changed by their previous owner.
    if (this.#o.policy.ordering === 'key') {
      this.#loaded = false;
      const ready = (this.#ready = this.#store.load().then(
        (b) => {
          if (this.#ready !== ready) return; // a later assignment's load supersedes this one
          for (const [keyId, backlog] of this.#backlogs) {
            const home = this.#homes.get(keyId);
            if (home !== undefined && this.#currentHomes.has(home)) b.set(keyId, backlog);
          }
          this.#backlogs = b;
          this.#currentHomes = now;
          this.#loaded = true;
        },
        (err: unknown) => {
          this.#failure ??= err as BanyanError;
          this.#wakeRun?.();
        },
      ));
    }
    for (const lane of this.#lanes.values()) void this.#pump(lane);
  }

  #onRecords(tp: TopicPartition, records: readonly ConsumedRecord[]): void {
    const lane = this.#laneOf(tp);
    if (!lane) return;
    for (const r of records) {
      const offset = BigInt(r.offset);
      if (lane.next !== undefined && offset < lane.next) continue; // fetched again after a rebalance or resume
      lane.next = offset + 1n;
      lane.queue.push(r);
    }
    if (lane.queue.length >= LANE_HIGH) this.#pause(lane, 'full');
    void this.#pump(lane);
  }

  #laneOf(tp: TopicPartition): Lane | undefined {
    const id = tpId(tp);
    let lane = this.#lanes.get(id);
    if (!lane) {
      const position = positionOf(tp.topic, this.#o.sourceTopics, this.#o.policy.tierDelaysMs.length);
      if (!position) return undefined;
      lane = { tp, tier: position.tier, originalTopic: position.originalTopic, queue: [], next: undefined, commitPending: undefined, handled: undefined, pumping: false, timer: undefined, paused: new Set(), revoked: false };
      this.#lanes.set(id, lane);
      if (this.#breakerOpen) this.#pause(lane, 'breaker');
    }
    return lane;
  }

  #onAvailability(a: TargetAvailability): void {
    if (this.#stopped) return;
    if (a === 'unavailable') {
      if (this.#breakerOpen) return;
      this.#breakerOpen = true;
      for (const lane of this.#lanes.values()) this.#pause(lane, 'breaker');
      this.#o.events?.paused?.({ why: 'breaker' });
      return;
    }
    if (!this.#breakerOpen) return;
    this.#breakerOpen = false;
    for (const lane of this.#lanes.values()) this.#resume(lane, 'breaker');
    this.#o.events?.resumed?.({ why: 'breaker' });
    for (const lane of this.#lanes.values()) void this.#pump(lane);
  }

  // --- the lane: decide, act, advance -------------------------------------------------------------

  async #pump(lane: Lane): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      await this.#backlogsLoaded();
      while (!this.#stopped && !lane.revoked && !this.#breakerOpen && lane.queue.length > 0) {
        if (!this.#loaded) await this.#backlogsLoaded();
        const record = lane.queue[0]!;
        const handled = await this.#handle(lane, record);
        if (!handled) return;
        lane.queue.shift();
        lane.commitPending = lane.handled = BigInt(record.offset) + 1n;
        if (lane.queue.length <= LANE_LOW) this.#resume(lane, 'full');
      }
    } catch (err) {
      // A produce or backlog write that failed for good: stop, the record is not committed.
      this.#failure ??= err as BanyanError;
      this.#wakeRun?.();
    } finally {
      lane.pumping = false;
    }
  }

  /** Resolves once the load of the latest assignment is applied (an earlier one may finish first). */
  async #backlogsLoaded(): Promise<void> {
    for (;;) {
      const ready = this.#ready;
      await ready;
      if (ready === this.#ready) return;
    }
  }

  /** Decides and acts on the lane's head; false: it stays at the head (not due, or the target unavailable). */
  async #handle(lane: Lane, record: ConsumedRecord): Promise<boolean> {
    const state = lane.tier > 0 ? readRetryState(record.headers) : undefined;
    const keyId = this.#o.policy.ordering === 'key' && record.key !== null && record.key.length > 0 ? backlogKeyId(lane.originalTopic, record.key) : undefined;
    for (;;) {
      const now = this.#clock();
      const backlog = keyId === undefined ? undefined : (this.#backlogs.get(keyId) ?? EMPTY_BACKLOG);
      const decision = decideOnRead(
        {
          tier: lane.tier,
          ...(state ? { dueAt: state.dueAt } : {}),
          ...(state?.keySequence !== undefined ? { keySequence: state.keySequence } : {}),
          ...(backlog ? { backlog } : {}),
        },
        now,
      );
      switch (decision.kind) {
        case 'wait':
          this.#waitUntil(lane, decision.untilMs);
          return false;
        case 'adopt':
          this.#touch(keyId!, lane);
          this.#backlogs.set(keyId!, adoptIntoBacklog(backlog!, state!.keySequence!, lane.tier));
          continue;
        case 'skip':
          this.#summary.skipped++;
          this.#o.events?.skipped?.({ eventId: this.#eventId(record, state), why: 'duplicate' });
          return true;
        case 'follow': {
          const seq = this.#placeInBacklog(keyId!, lane, state?.keySequence, decision.tier);
          const next = { ...this.#stateOf(record, lane, state), dueAt: dueAtFor(decision.tier, this.#o.policy, now, this.#random), keySequence: seq };
          await this.#send(record, tierTopic(lane.originalTopic, decision.tier), next, 'following');
          await this.#placed(keyId!, seq);
          this.#summary.followed++;
          this.#o.events?.retried?.({ eventId: this.#eventId(record, state), attempt: next.attempts, toTier: decision.tier, reason: 'following' });
          return true;
        }
        case 'attempt':
          return this.#attempt(lane, record, state, keyId);
      }
    }
  }

  async #attempt(lane: Lane, record: ConsumedRecord, state: RetryState | undefined, keyId: string | undefined): Promise<boolean> {
    const base = this.#stateOf(record, lane, state);
    const delivery: DeliveryRecord = {
      originalTopic: base.originalTopic,
      originalPartition: base.originalPartition,
      originalOffset: base.originalOffset,
      key: record.key,
      value: record.value,
      headers: eventHeadersOf(record.headers),
      timestamp: base.originalTimestamp,
      eventId: this.#eventId(record, state),
      attempt: base.attempts + 1,
    };
    const outcome = await this.#deliver(delivery);
    // Aborted by shutdown: not a failure of the event. It stays uncommitted and is delivered after restart.
    if (this.#stopped) return false;
    const now = this.#clock();
    const decision: OutcomeDecision = decideOnOutcome(outcome, delivery.attempt, this.#o.policy, now, this.#random);
    if (decision.kind === 'pause') {
      this.#onAvailability('unavailable');
      // The target said unavailable without telling its listeners (yet): look again shortly.
      setTimeout(() => this.#onAvailability('probing'), UNAVAILABLE_RECHECK_MS).unref();
      return false;
    }
    const seq = state?.keySequence;
    if (decision.kind === 'done') {
      if (keyId !== undefined && seq !== undefined) await this.#left(keyId, seq);
      this.#summary.delivered++;
      this.#o.events?.delivered?.({ eventId: delivery.eventId, attempt: delivery.attempt, tier: lane.tier });
      return true;
    }
    const failure = outcome.kind === 'retriable' || outcome.kind === 'permanent' ? outcome.failure : undefined;
    const failed: RetryState = {
      ...base,
      attempts: delivery.attempt,
      firstFailureAt: base.firstFailureAt ?? now,
      lastFailureAt: now,
      ...(failure ? { failure } : {}),
    };
    if (decision.kind === 'retry') {
      const placed = keyId === undefined ? undefined : this.#placeInBacklog(keyId, lane, seq, decision.tier);
      await this.#send(record, tierTopic(lane.originalTopic, decision.tier), { ...failed, dueAt: decision.dueAt, ...(placed !== undefined ? { keySequence: placed } : {}) }, 'retriable');
      if (placed !== undefined) await this.#placed(keyId!, placed);
      this.#summary.retried++;
      this.#o.events?.retried?.({ eventId: delivery.eventId, attempt: delivery.attempt, toTier: decision.tier, reason: 'retriable' });
      return true;
    }
    const dlq = deadLetterTopicOf(lane.originalTopic, this.#o.deadLetterTopic);
    await this.#send(record, dlq, { ...failed, dueAt: now }, decision.reason);
    if (keyId !== undefined && seq !== undefined) await this.#left(keyId, seq);
    this.#summary.parked++;
    this.#o.events?.parked?.({ eventId: delivery.eventId, attempt: delivery.attempt, reason: decision.reason, topic: dlq });
    return true;
  }

  /** The target's outcome; a target that throws (it must not) counts as a retriable failure. */
  async #deliver(record: DeliveryRecord): Promise<DeliveryOutcome> {
    try {
      return await this.#o.target.deliver(record, this.#attempts.signal);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      return { kind: 'retriable', failure: { errorClass: e.name ?? 'Error', message: e.message ?? String(err) } };
    }
  }

  /**
   * Joins the key's backlog (a record not in it yet) or moves its entry to `tier`, in memory at once
   * (the lanes decide on the live backlog); returns the record's sequence number. Until its record
   * is acknowledged (`#placed`) the change is pending: a backlog written meanwhile by another lane
   * leaves a join out and keeps a move's old tier, so Kafka never holds an entry without its record.
   */
  #placeInBacklog(keyId: string, lane: Lane, seq: number | undefined, tier: number): number {
    this.#touch(keyId, lane);
    const current = this.#backlogs.get(keyId) ?? EMPTY_BACKLOG;
    const old = seq === undefined ? undefined : current.outstanding.find((e) => e.seq === seq);
    const placed = old ? { backlog: moveInBacklog(current, old.seq, tier), seq: old.seq } : joinBacklog(current, tier);
    this.#backlogs.set(keyId, placed.backlog);
    let pending = this.#pending.get(keyId);
    if (!pending) this.#pending.set(keyId, (pending = new Map()));
    pending.set(placed.seq, old?.tier);
    return placed.seq;
  }

  #touch(keyId: string, lane: Lane): void {
    this.#touched.add(keyId);
    this.#homes.set(keyId, `${lane.originalTopic}/${lane.tp.partition}`);
  }

  /** The record of a pending change is acknowledged: the change becomes durable. */
  async #placed(keyId: string, seq: number): Promise<void> {
    const pending = this.#pending.get(keyId);
    pending?.delete(seq);
    if (pending?.size === 0) this.#pending.delete(keyId);
    await this.#persist(keyId);
  }

  /** Record `seq` is delivered or parked: out of its key's backlog, the next one becomes the head. */
  async #left(keyId: string, seq: number): Promise<void> {
    this.#backlogs.set(keyId, leaveBacklog(this.#backlogs.get(keyId) ?? EMPTY_BACKLOG, seq));
    await this.#persist(keyId);
  }

  /** Writes the key's backlog as it is now, without what is still pending. */
  async #persist(keyId: string): Promise<void> {
    const b = this.#backlogs.get(keyId) ?? EMPTY_BACKLOG;
    const pending = this.#pending.get(keyId);
    const durable = !pending
      ? b
      : {
          next: b.next,
          outstanding: b.outstanding.flatMap((e) => (!pending.has(e.seq) ? [e] : pending.get(e.seq) === undefined ? [] : [{ seq: e.seq, tier: pending.get(e.seq)! }])),
        };
    await this.#store.save(keyId, durable);
  }

  /** Writes the record, with its event headers and the new retry headers, to a tier or the dead-letter topic. */
  async #send(record: ConsumedRecord, topic: string, state: RetryState, reason: RetryReason): Promise<void> {
    const headers = {
      ...eventHeadersOf(record.headers),
      ...writeRetryHeaders({ state, key: record.key, reason, target: this.#o.target.name, bridge: this.#o.bridge, consumerGroup: this.#o.groupId }),
    };
    await this.#publish([{ topic, key: record.key, value: record.value, headers }]);
  }

  /** The retry state of a record: from its headers (a tier record), or its own coordinates (a first read). */
  #stateOf(record: ConsumedRecord, lane: Lane, state: RetryState | undefined): RetryState {
    if (state) return state;
    return { originalTopic: lane.originalTopic, originalPartition: record.partition, originalOffset: record.offset, originalTimestamp: record.timestamp, attempts: 0, dueAt: 0, replayCount: 0, ...replayedOrigin(record) };
  }

  #eventId(record: ConsumedRecord, state: RetryState | undefined): string {
    const origin = state ?? replayedOrigin(record) ?? undefined;
    return eventIdOf(record.headers, origin ? { topic: origin.originalTopic, partition: origin.originalPartition, offset: origin.originalOffset } : record);
  }

  // --- pausing, waiting, committing -----------------------------------------------------------------

  #waitUntil(lane: Lane, untilMs: number): void {
    this.#pause(lane, 'due');
    clearTimeout(lane.timer);
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.#resume(lane, 'due');
      void this.#pump(lane);
    }, Math.max(0, untilMs - this.#clock()));
  }

  #pause(lane: Lane, why: PauseReason): void {
    const was = lane.paused.size;
    lane.paused.add(why);
    if (was === 0) this.#consumer?.pause([lane.tp]);
  }

  #resume(lane: Lane, why: PauseReason): void {
    if (!lane.paused.delete(why) || lane.paused.size > 0 || lane.revoked) return;
    this.#consumer?.resume([lane.tp]);
  }

  async #flushCommits(): Promise<void> {
    const offsets: Array<TopicPartition & { nextOffset: string }> = [];
    for (const lane of this.#lanes.values()) {
      if (lane.commitPending === undefined || lane.revoked) continue;
      offsets.push({ ...lane.tp, nextOffset: lane.commitPending.toString() });
      lane.commitPending = undefined;
    }
    await this.#consumer?.commit(offsets);
  }

  /**
   * Idle (an until-idle run): joined, backlogs loaded, nothing in a lane or pending, no backlog this
   * run changed with an entry left, and every held partition committed up to its high watermark
   * (taken before the committed offsets). A handled offset whose commit was dropped (commit() drops
   * one made mid-rebalance) is committed again and looked at in the next check.
   */
  async #isIdle(groups: GroupAdmin): Promise<boolean> {
    const assigned = this.#assigned;
    if (!assigned || !this.#quiet()) return false;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of assigned) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    let idle = true;
    for (const [topic, partitions] of byTopic) {
      const range = await groups.offsetRange(topic);
      const committed = await groups.committedOffsets(this.#o.groupId, topic);
      for (const partition of partitions) {
        const { low, high } = range.get(partition) ?? { low: 0n, high: 0n };
        const lane = this.#lanes.get(tpId({ topic, partition }));
        const done = committed.get(partition);
        if (lane?.handled !== undefined && (done === undefined || done < lane.handled)) {
          lane.commitPending ??= lane.handled;
          idle = false;
          continue;
        }
        // Never committed and nothing handled: a group starting at the end (start: latest) read
        // nothing since it joined; one starting at the beginning still has everything from `low`.
        const at = done ?? (this.#o.start === 'latest' ? high : low);
        if (at < high) idle = false;
      }
    }
    return idle && this.#assigned === assigned && this.#quiet();
  }

  /** No record held by a lane, handled and uncommitted, or waiting in a backlog this run changed. */
  #quiet(): boolean {
    if (!this.#loaded || this.#pending.size > 0) return false;
    for (const lane of this.#lanes.values()) if (lane.pumping || lane.queue.length > 0 || lane.commitPending !== undefined) return false;
    for (const keyId of this.#touched) if ((this.#backlogs.get(keyId)?.outstanding.length ?? 0) > 0) return false;
    return true;
  }

  /** Waits for the lanes' attempts in flight to settle (they were aborted). */
  async #idle(): Promise<void> {
    while ([...this.#lanes.values()].some((l) => l.pumping)) await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A replayed record (`banyan replay`) is read from the source topic again but carries where it was
 * first published: it keeps those coordinates (and so its event id) and its replay count.
 */
function replayedOrigin(record: ConsumedRecord): Pick<RetryState, 'originalTopic' | 'originalPartition' | 'originalOffset' | 'originalTimestamp' | 'replayCount'> | undefined {
  const s = readRetryState(record.headers);
  return s ? { originalTopic: s.originalTopic, originalPartition: s.originalPartition, originalOffset: s.originalOffset, originalTimestamp: s.originalTimestamp, replayCount: s.replayCount } : undefined;
}

function tpId(tp: TopicPartition): string {
  return `${tp.topic}/${tp.partition}`;
}
