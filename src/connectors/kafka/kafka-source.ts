/**
 * Source of a Kafka -> legacy bridge: the events of `topics`, read by a consumer of group `groupId`
 * (the group shares the partitions among gateway instances, DESIGN.md "Scale"), with autoCommit
 * off: offsets are committed only when the pipeline commits a batch, after the sink made it durable.
 *
 * kafkajs pushes fetched batches into a bounded buffer; fetching pauses when it is full and resumes
 * once reads have taken half of it, so a slow sink holds back the fetcher instead of growing memory,
 * and the eachBatch callback never blocks (a blocked callback stops heartbeats, kafkajs#447).
 *
 * Position = per partition (`<topic>/<partition>`) the offset after the last record handed out, as
 * a decimal string (offsets are int64). Opening from a position drops every fetched record below it,
 * and below the group's committed offset: a sink that records positions with its data (the file
 * sink) resumes after what it wrote even when the offset commit did not happen. The same floor drops
 * what kafkajs fetches again after a rebalance hands a partition back from its older committed offset.
 *
 * Rebalances (kafkajs: eager only): the records buffered for a revoked partition are dropped, and
 * commits carry only partitions this member holds. Records of a revoked partition already handed out
 * are still written by this member; its new owner reads them again from the last commit, so across
 * members a rebalance may duplicate (kafkajs#1197), never lose.
 */
import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import type { BatchLimits, Source, SourceBatch, SourceIdle, SourcePosition, SourceRecord } from '../../core/bridge-contracts.ts';
import type { BanyanError } from '../../core/errors.ts';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import { kafkajsErrorFacts } from './kafkajs-errors.ts';

export interface KafkaSourceOptions {
  readonly kafka: KafkaClient;
  readonly topics: readonly string[];
  readonly groupId: string;
  /** Where a partition without a committed offset starts (default earliest). */
  readonly start?: 'earliest' | 'latest';
  /** Records fetched ahead of reads before fetching pauses (default 2 x the largest batch asked for, at least 1000). */
  readonly bufferRecords?: number;
  /** How long a read waits for a first record before it says there is none (default 500 ms). */
  readonly idleWaitMs?: number;
}

/** The Kafka source's position, as stored in a checkpoint. */
export interface KafkaPosition {
  /** `<topic>/<partition>` -> the next offset to read, in key order. */
  readonly offsets: { readonly [topicPartition: string]: string };
}

/** Header of an event a Banyan bridge published: kept on what this source reads, for tracing. */
const UPSTREAM_EVENT_ID = 'banyan-event-id';

export function createKafkaSource(options: KafkaSourceOptions): Source {
  return new KafkaSource(options);
}

interface Buffered {
  readonly tp: string;
  readonly record: SourceRecord;
  readonly offset: bigint;
}

class KafkaSource implements Source {
  readonly #o: KafkaSourceOptions;
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  #buffer: Buffered[] = [];
  #bufferedBytes = 0;
  /** Per partition, the first offset not yet handed out (or already written, per the opened position). */
  #floor = new Map<string, bigint>();
  /** Per partition held, the offset after the last record buffered (a re-fetch after a rebalance repeats some). */
  #fetched = new Map<string, bigint>();
  #assigned: Set<string> | undefined;
  /** Settles once the latest assignment's floors are known; fetched batches wait for it. */
  #joined: Promise<void> = Promise.resolve();
  #failure: BanyanError | undefined;
  #paused = false;
  #capacity = 1000;
  #wake: (() => void) | undefined;

  constructor(o: KafkaSourceOptions) {
    this.#o = o;
  }

  async open(from: SourcePosition | undefined): Promise<void> {
    this.#reset();
    for (const [tp, offset] of Object.entries((from as KafkaPosition | undefined)?.offsets ?? {})) {
      if (typeof offset === 'string' && /^\d+$/.test(offset)) this.#floor.set(tp, BigInt(offset));
    }
    const kafka = kafkajsOf(this.#o.kafka);
    const admin = (this.#admin = kafka.admin());
    const consumer = (this.#consumer = kafka.consumer({
      groupId: this.#o.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      // A member that died (SIGKILL) holds its partitions until its session expires: 10 s, not kafkajs' 30 s
      // (above the broker's group.min.session.timeout.ms of 6 s; heartbeats go every 3 s, also while paused).
      sessionTimeout: 10_000,
    }));
    // Emitted inside kafkajs' join, before the first fetch of the new generation (and before run() resolves).
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.#joined = this.#onAssignment(e.payload.memberAssignment as Record<string, number[]>).catch((err: unknown) => this.#fail(err));
    });
    consumer.on(consumer.events.CRASH, (e) => {
      // kafkajs restarts the consumer itself after a retriable crash; otherwise it is gone for good.
      if (!e.payload.restart) this.#fail(e.payload.error);
    });
    try {
      await admin.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.#o.topics], fromBeginning: (this.#o.start ?? 'earliest') === 'earliest' });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.#onBatch(payload) });
    } catch (err) {
      throw this.#error(err);
    }
  }

  async read(limits: BatchLimits, signal: AbortSignal): Promise<SourceBatch | SourceIdle> {
    this.#capacity = this.#o.bufferRecords ?? Math.max(1000, 2 * limits.maxRecords);
    if (this.#failure) throw this.#failure;
    if (this.#buffer.length === 0) {
      await this.#waitForChange(this.#o.idleWaitMs ?? 500, signal);
      if (this.#failure) throw this.#failure;
      if (signal.aborted) return { idle: 'waiting' };
      if (this.#buffer.length === 0) return (await this.#drained()) ? { idle: 'drained' } : { idle: 'waiting' };
    }
    // A first record is there: wait up to maxWaitMs for the batch to fill.
    const deadline = Date.now() + limits.maxWaitMs;
    while (this.#buffer.length < limits.maxRecords && this.#bufferedBytes < limits.maxBytes && Date.now() < deadline && !signal.aborted && !this.#failure) {
      await this.#waitForChange(deadline - Date.now(), signal);
    }
    if (this.#failure) throw this.#failure;
    if (signal.aborted || this.#buffer.length === 0) return { idle: 'waiting' };
    return this.#take(limits);
  }

  async commit(position: SourcePosition): Promise<void> {
    const assigned = this.#assigned ?? new Set<string>();
    const offsets = Object.entries((position as unknown as KafkaPosition).offsets)
      .filter(([tp]) => assigned.has(tp))
      .map(([tp, offset]) => ({ ...splitTp(tp), offset }));
    if (offsets.length === 0 || !this.#consumer) return;
    try {
      await this.#consumer.commitOffsets(offsets);
    } catch (err) {
      const facts = kafkajsErrorFacts(err);
      // Mid-rebalance or an outage: the next commit carries these offsets again, and the sink's own
      // recorded position (or, at worst, a re-read) covers a crash before then.
      if (facts.retriable || (facts.type !== undefined && REBALANCING.has(facts.type))) return;
      throw new KafkaErrors.BANYAN_ERR_KAFKA_COMMIT_FAILED(this.#o.groupId, `${facts.type ?? facts.root.name}: ${facts.root.message}`, facts.root);
    }
  }

  async close(): Promise<void> {
    const consumer = this.#consumer;
    const admin = this.#admin;
    this.#consumer = undefined;
    this.#admin = undefined;
    this.#buffer = [];
    this.#bufferedBytes = 0;
    await consumer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
  }

  #reset(): void {
    this.#buffer = [];
    this.#bufferedBytes = 0;
    this.#floor = new Map();
    this.#fetched = new Map();
    this.#assigned = undefined;
    this.#failure = undefined;
    this.#paused = false;
  }

  /** A new assignment: drop what is buffered for revoked partitions, and learn the floors of the others. */
  async #onAssignment(assignment: Record<string, number[]>): Promise<void> {
    const assigned = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}/${p}`)));
    this.#dropBuffered((b) => !assigned.has(b.tp));
    for (const tp of this.#fetched.keys()) if (!assigned.has(tp)) this.#fetched.delete(tp);
    const admin = this.#admin;
    if (!admin) return;
    const topics = Object.keys(assignment);
    const committed = topics.length === 0 ? [] : await admin.fetchOffsets({ groupId: this.#o.groupId, topics });
    const earliest = (this.#o.start ?? 'earliest') === 'earliest';
    for (const { topic, partitions } of committed) {
      const low = earliest ? new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.low)])) : undefined;
      for (const { partition, offset } of partitions) {
        const tp = `${topic}/${partition}`;
        if (!assigned.has(tp)) continue;
        // No committed offset: the group starts at the log start (earliest) or end (latest, left open).
        const start = BigInt(offset) >= 0n ? BigInt(offset) : low?.get(partition);
        if (start !== undefined && start > (this.#floor.get(tp) ?? -1n)) this.#floor.set(tp, start);
      }
    }
    this.#assigned = assigned;
    this.#notify();
  }

  async #onBatch({ batch }: EachBatchPayload): Promise<void> {
    await this.#joined;
    const tp = `${batch.topic}/${batch.partition}`;
    if (this.#assigned && !this.#assigned.has(tp)) return;
    let next = max(this.#floor.get(tp) ?? 0n, this.#fetched.get(tp) ?? 0n);
    for (const m of batch.messages) {
      const offset = BigInt(m.offset);
      // Written before (the opened position), handed out before a rebalance gave the partition back,
      // or buffered already and fetched again from an older committed offset.
      if (offset < next) continue;
      next = offset + 1n;
      const metadata: Record<string, string | Uint8Array> = {
        'banyan-kafka-topic': batch.topic,
        'banyan-kafka-partition': String(batch.partition),
        'banyan-kafka-offset': m.offset,
      };
      if (m.key) metadata['banyan-kafka-key'] = m.key.toString('utf8');
      const upstream = m.headers?.[UPSTREAM_EVENT_ID];
      if (upstream !== undefined) metadata['banyan-upstream-event-id'] = String(upstream);
      // Queue headers (src/core/queue-headers.ts) travel on, so a Kafka -> MQ bridge can set the
      // MQMD from them (a reply's CorrelId and ReplyToQ, a priority), and a request's correlation id.
      for (const [name, value] of Object.entries(m.headers ?? {})) {
        if ((name.startsWith('mq-') || name === 'banyan-correlation-id') && value !== undefined) metadata[name] = Array.isArray(value) ? String(value[0]) : value;
      }
      const bytes = m.value ?? new Uint8Array(0);
      this.#buffer.push({ tp, offset, record: { bytes, recordNumber: Number(offset) + 1, positionId: `${tp}/${m.offset}`, metadata } });
      this.#bufferedBytes += bytes.length;
    }
    this.#fetched.set(tp, next);
    if (this.#buffer.length >= this.#capacity && !this.#paused && this.#consumer) {
      this.#paused = true;
      this.#consumer.pause(this.#o.topics.map((topic) => ({ topic })));
    }
    this.#notify();
  }

  /** Hands out up to `limits` records (at least one), advancing the floors past them. */
  #take(limits: BatchLimits): SourceBatch {
    const records: SourceRecord[] = [];
    let bytes = 0;
    let taken = 0;
    while (taken < this.#buffer.length && records.length < limits.maxRecords && (records.length === 0 || bytes + this.#buffer[taken]!.record.bytes.length <= limits.maxBytes)) {
      const b = this.#buffer[taken++]!;
      records.push(b.record);
      bytes += b.record.bytes.length;
      if (b.offset + 1n > (this.#floor.get(b.tp) ?? -1n)) this.#floor.set(b.tp, b.offset + 1n);
    }
    this.#buffer.splice(0, taken);
    this.#bufferedBytes -= bytes;
    this.#resumeIfRoom();
    const offsets = Object.fromEntries([...this.#floor].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([tp, o]) => [tp, o.toString()]));
    return { records, position: { offsets } };
  }

  /** Drained: joined, nothing buffered, and every assigned partition read up to its end offset. */
  async #drained(): Promise<boolean> {
    await this.#joined;
    if (!this.#assigned || !this.#admin || this.#buffer.length > 0) return false;
    const byTopic = new Map<string, number[]>();
    for (const tp of this.#assigned) {
      const { topic, partition } = splitTp(tp);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    }
    try {
      for (const [topic, partitions] of byTopic) {
        const ends = new Map((await this.#admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
        for (const p of partitions) {
          const floor = this.#floor.get(`${topic}/${p}`);
          // Without a floor the partition started at its end (start: latest).
          if (floor !== undefined && floor < (ends.get(p) ?? 0n)) return false;
        }
      }
    } catch (err) {
      throw this.#error(err);
    }
    return this.#buffer.length === 0;
  }

  #dropBuffered(drop: (b: Buffered) => boolean): void {
    const kept = this.#buffer.filter((b) => !drop(b));
    if (kept.length === this.#buffer.length) return;
    this.#buffer = kept;
    this.#bufferedBytes = kept.reduce((n, b) => n + b.record.bytes.length, 0);
    this.#resumeIfRoom();
  }

  #resumeIfRoom(): void {
    if (this.#paused && this.#buffer.length <= this.#capacity / 2 && this.#consumer) {
      this.#paused = false;
      this.#consumer.resume(this.#o.topics.map((topic) => ({ topic })));
    }
  }

  #fail(err: unknown): void {
    this.#failure ??= this.#error(err);
    this.#notify();
  }

  #error(err: unknown): BanyanError {
    const facts = kafkajsErrorFacts(err);
    const what = `${facts.type ?? facts.root.name}: ${facts.root.message}`;
    if (facts.type === 'GROUP_AUTHORIZATION_FAILED' || facts.type === 'TOPIC_AUTHORIZATION_FAILED' || facts.root.name === 'KafkaJSSASLAuthenticationError') {
      return new KafkaErrors.BANYAN_ERR_KAFKA_AUTH_FAILED(what, facts.root);
    }
    return new KafkaErrors.BANYAN_ERR_KAFKA_CONSUMER_FAILED(this.#o.groupId, what, facts.root);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves on the next buffered batch, assignment or failure, after `ms`, or on abort. */
  #waitForChange(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}

/** Kafka protocol errors meaning "the group is rebalancing": the member rejoins, commits resume after. */
const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function splitTp(tp: string): { topic: string; partition: number } {
  const slash = tp.lastIndexOf('/');
  return { topic: tp.slice(0, slash), partition: Number(tp.slice(slash + 1)) };
}
