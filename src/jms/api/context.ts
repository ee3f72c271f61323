/**
 * JMSContext (Jakarta Messaging 3.1, JMS 2.0 simplified API): one connection with one session.
 * Java blocks where this returns a promise. Session modes (6.2.7 / 6.2.10):
 * - AUTO_ACKNOWLEDGE: a message is acknowledged when receive() returns it (or its listener returns);
 *   offsets are committed in batches every `commit_interval_ms`, not per message.
 * - DUPS_OK_ACKNOWLEDGE: the same, committed 10 x as rarely (more duplicates after a crash).
 * - CLIENT_ACKNOWLEDGE: acknowledge() (on the context or any message) acknowledges everything the
 *   session delivered so far and commits before it resolves; recover() redelivers the rest.
 * - SESSION_TRANSACTED: sends and acknowledgements are held until commit(), which writes the sends
 *   and the consumers' offsets in one Kafka transaction (sendOffsets); rollback() drops the sends and
 *   redelivers what was received.
 */
import { randomUUID } from 'node:crypto';
import { createTransactionalProducer, type PublishRecord, type TransactionalProducer } from '../../connectors/kafka/index.ts';
import { destination, isQueueLike, isTemporary, queue as queueOf, topic as topicOf, type JmsDestination } from '../destination.ts';
import type { EngineCore } from '../engine/engine-core.ts';
import { groupIdOf, kafkaTopicOf, type Subscription } from '../engine/naming.ts';
import { commitWithFeeds, SubscriptionFeed, type Delivery, type SubscriptionFeedOptions } from '../engine/subscription-feed.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import { JmsErrors } from '../jms-errors.ts';
import { BytesMessage, MapMessage, Message, ObjectMessage, StreamMessage, TextMessage, type JsonValue } from '../message.ts';
import { JmsQueueBrowser } from './browser.ts';
import { JmsConsumer } from './consumer.ts';
import { JmsProducer } from './producer.ts';

export type SessionMode = 'AUTO_ACKNOWLEDGE' | 'CLIENT_ACKNOWLEDGE' | 'DUPS_OK_ACKNOWLEDGE' | 'SESSION_TRANSACTED';

export interface ContextOptions {
  /** The JMS client id (4.3.2): names durable subscriptions; one open context per client id. */
  readonly clientId?: string;
  readonly sessionMode?: SessionMode;
  /** Errors no caller waits for (a failed non-persistent send, a background commit). */
  readonly onException?: (error: Error) => void;
}

/** What a consumer asks of its session. */
export interface SessionHooks {
  /** A message was handed out; `autoAcknowledge`: AUTO/DUPS_OK acknowledge it now (receive), else when its listener returns. */
  delivered(consumer: JmsConsumer, d: Delivery, autoAcknowledge: boolean): void;
  listenerReturned(d: Delivery): void;
  listenerFailed(d: Delivery): void;
  /** After the consumer left its group: forgets its deliveries, deletes a group only it used. */
  consumerClosed(consumer: JmsConsumer): Promise<void>;
  waitUntilStarted(): Promise<void>;
}

export class JmsContext {
  readonly sessionMode: SessionMode;
  readonly clientId: string | undefined;
  /** Identifies this connection in the records it sends (noLocal). */
  readonly connectionId: string;
  readonly #core: EngineCore;
  readonly #onClose: () => void;
  readonly #onException: ((error: Error) => void) | undefined;
  readonly #consumers = new Set<JmsConsumer>();
  readonly #temporaries: JmsDestination[] = [];
  /** Temporary queues a consumer was made for: only they have a consumer group to delete. */
  readonly #consumedTemporaries = new Set<string>();
  /** Delivered and not yet acknowledged (CLIENT_ACKNOWLEDGE) or committed (SESSION_TRANSACTED). */
  #unacknowledged: Delivery[] = [];
  #pendingSends: PublishRecord[] = [];
  /** Which consumer handed a delivery out (consumers of a queue share one feed). */
  readonly #deliveredBy = new WeakMap<Delivery, JmsConsumer>();
  #transactions: TransactionalProducer | undefined;
  #started = true;
  #startGate: { promise: Promise<void>; resolve: () => void } | undefined;
  #closed = false;

  /** Made by JmsEngine.createContext. */
  constructor(core: EngineCore, connectionId: string, options: ContextOptions, onClose: () => void) {
    this.#core = core;
    this.connectionId = connectionId;
    this.clientId = options.clientId;
    this.sessionMode = options.sessionMode ?? 'AUTO_ACKNOWLEDGE';
    this.#onException = options.onException;
    this.#onClose = onClose;
  }

  /** Engine use: claims the client id and readies the transactional producer. */
  async open(): Promise<void> {
    if (this.clientId !== undefined) {
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(this.clientId)) throw new JmsErrors.BANYAN_ERR_JMS_INVALID_CLIENT_ID(JSON.stringify(this.clientId), 'a client id is 1-100 characters of A-Z a-z 0-9 . _ - (it names consumer groups)');
      this.#core.registry.claimClientId(this.clientId, this.connectionId);
    }
    if (this.sessionMode === 'SESSION_TRANSACTED') {
      this.#transactions = createTransactionalProducer({
        kafka: this.#core.kafka,
        transactionalId: `${this.#core.mapping.group_prefix}tx.${this.connectionId}`,
        owner: `jms context ${this.connectionId}`,
      });
    }
  }

  // --- destinations and messages ---

  createQueue(name: string): JmsDestination {
    return queueOf(name);
  }

  createTopic(name: string): JmsDestination {
    return topicOf(name);
  }

  /** A queue only this context may consume from; its Kafka topic is deleted when the context closes (4.4.3). */
  createTemporaryQueue(): Promise<JmsDestination> {
    return this.#createTemporary('temporary-queue');
  }

  createTemporaryTopic(): Promise<JmsDestination> {
    return this.#createTemporary('temporary-topic');
  }

  /**
   * Deletes a temporary destination of this context now (TemporaryQueue.delete(), JMS 2.0 6.2.6)
   * rather than at close. ILLEGAL_STATE while one of its consumers is open or when it is not this
   * context's; a destination already deleted resolves.
   */
  async deleteTemporary(d: JmsDestination): Promise<void> {
    this.#checkOpen();
    const owner = this.#core.registry.temporaryOwners.get(d.name);
    if (owner !== undefined && owner !== this.connectionId) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`only the context that created ${d.kind} ${d.name} may delete it`);
    const at = this.#temporaries.findIndex((t) => t.kind === d.kind && t.name === d.name);
    if (at < 0) return;
    if ([...this.#consumers].some((c) => c.destination.kind === d.kind && c.destination.name === d.name)) {
      throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`${d.kind} ${d.name} has an open consumer: close it before delete()`);
    }
    this.#temporaries.splice(at, 1);
    await this.#deleteTemporaries([d]);
  }

  createMessage(): Message { return new Message(); }
  createTextMessage(text: string | null = null): TextMessage { return new TextMessage(text); }
  createBytesMessage(bytes?: Uint8Array): BytesMessage { return new BytesMessage(bytes); }
  createMapMessage(): MapMessage { return new MapMessage(); }
  createStreamMessage(): StreamMessage { return new StreamMessage(); }
  createObjectMessage(object: JsonValue = null): ObjectMessage { return new ObjectMessage(object); }

  // --- producers and consumers ---

  createProducer(): JmsProducer {
    this.#checkOpen();
    return new JmsProducer({
      core: this.#core,
      connectionId: this.connectionId,
      transacted: this.sessionMode === 'SESSION_TRANSACTED',
      hold: (record) => this.#pendingSends.push(record),
      onAsyncError: (error) => this.#asyncError(error),
      checkOpen: () => this.#checkOpen(),
    });
  }

  /**
   * A consumer of a queue (competing with the queue's other consumers) or a non-durable subscriber
   * of a topic (sees what is published from now on). Rejects with INVALID_SELECTOR for a bad selector.
   */
  async createConsumer(d: JmsDestination, selector?: string, noLocal = false): Promise<JmsConsumer> {
    const subscription: Subscription = isQueueLike(d) ? { kind: 'queue' } : { kind: 'non-durable', id: randomUUID() };
    return this.#consumer(d, subscription, selector, noLocal);
  }

  /** An unshared durable subscription named by this context's client id and `name` (6.11.1). */
  async createDurableConsumer(t: JmsDestination, name: string, selector?: string, noLocal = false): Promise<JmsConsumer> {
    if (this.clientId === undefined) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('an unshared durable subscription needs a client id (createContext({ clientId }))');
    return this.#consumer(t, { kind: 'durable', clientId: this.clientId, name: subscriptionName(name) }, selector, noLocal);
  }

  /** A shared non-durable subscription: its consumers share the messages (6.11.2). */
  async createSharedConsumer(t: JmsDestination, name: string, selector?: string): Promise<JmsConsumer> {
    return this.#consumer(t, { kind: 'shared', clientId: this.clientId, name: subscriptionName(name) }, selector, false);
  }

  async createSharedDurableConsumer(t: JmsDestination, name: string, selector?: string): Promise<JmsConsumer> {
    return this.#consumer(t, { kind: 'shared-durable', clientId: this.clientId, name: subscriptionName(name) }, selector, false);
  }

  /** Reads a queue's waiting messages without consuming them (5.9). */
  createBrowser(q: JmsDestination, selector?: string): JmsQueueBrowser {
    this.#checkOpen();
    if (!isQueueLike(q)) throw new JmsErrors.BANYAN_ERR_JMS_INVALID_DESTINATION(`${q.kind} ${q.name}`, 'a browser reads a queue');
    const text = blankToUndefined(selector);
    return new JmsQueueBrowser(this.#core, q, text === undefined ? undefined : this.#core.parseSelector(text));
  }

  /** Deletes a durable subscription of this client id (6.11.1); refused while it has an active consumer here. */
  async unsubscribe(name: string): Promise<void> {
    this.#checkOpen();
    const n = subscriptionName(name);
    const groups = [groupIdOf(topicOf('unused'), { kind: 'shared-durable', clientId: this.clientId, name: n }, this.#core.mapping)];
    if (this.clientId !== undefined) groups.push(groupIdOf(topicOf('unused'), { kind: 'durable', clientId: this.clientId, name: n }, this.#core.mapping));
    for (const c of this.#consumers) {
      if (groups.includes(c.feed.groupId)) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`subscription ${n} has an active consumer; close it before unsubscribe()`);
    }
    await this.#core.groups.deleteGroups(groups);
  }

  // --- acknowledgement and transactions ---

  /** CLIENT_ACKNOWLEDGE: acknowledges every message delivered so far and commits their offsets. */
  async acknowledge(): Promise<void> {
    this.#checkOpen();
    if (this.sessionMode !== 'CLIENT_ACKNOWLEDGE') return;
    const done = this.#unacknowledged;
    this.#unacknowledged = [];
    const feeds = new Set<SubscriptionFeed>();
    for (const d of done) {
      d.feed.acknowledge(d);
      feeds.add(d.feed);
    }
    try {
      await Promise.all([...feeds].map((f) => f.flush()));
    } catch (err) {
      throw new JmsErrors.BANYAN_ERR_JMS_ACKNOWLEDGE_FAILED([...feeds].map((f) => f.groupId).join(', '), (err as Error).message, err as Error);
    }
  }

  /** Redelivers every unacknowledged message, marked redelivered (6.2.11). */
  async recover(): Promise<void> {
    this.#checkOpen();
    if (this.sessionMode === 'SESSION_TRANSACTED') throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('recover() is for non-transacted sessions; use rollback()');
    this.#redeliverUnacknowledged();
  }

  /** Writes the held sends and the acknowledged offsets in one Kafka transaction. */
  async commit(): Promise<void> {
    this.#checkOpen();
    if (!this.#transactions) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('commit() needs a SESSION_TRANSACTED context');
    const sends = this.#pendingSends;
    const received = this.#unacknowledged;
    this.#pendingSends = [];
    this.#unacknowledged = [];
    const feeds = new Set<SubscriptionFeed>();
    for (const d of received) {
      d.feed.acknowledge(d);
      feeds.add(d.feed);
    }
    for (const c of this.#consumers) feeds.add(c.feed); // skipped or moved messages are done too
    try {
      await commitWithFeeds(this.#transactions, sends, feeds);
    } catch (err) {
      throw new JmsErrors.BANYAN_ERR_JMS_TRANSACTION_ROLLED_BACK((err as Error).message, err as Error);
    }
  }

  /** Drops the held sends and redelivers what was received in the transaction. */
  async rollback(): Promise<void> {
    this.#checkOpen();
    if (!this.#transactions) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('rollback() needs a SESSION_TRANSACTED context');
    this.#pendingSends = [];
    this.#redeliverUnacknowledged();
  }

  // --- lifecycle ---

  /** Starts (or resumes) delivery; a context starts when its first consumer is made (JMS 2.0 autostart). */
  start(): void {
    this.#started = true;
    this.#startGate?.resolve();
    this.#startGate = undefined;
  }

  /** Pauses delivery: receive() waits and listeners get nothing until start(). */
  stop(): void {
    this.#started = false;
  }

  /** Engine use: temporary destinations' topics were deleted (publisher.ts forgetTopics). */
  forgetTopics(topics: readonly string[]): void {
    this.#transactions?.forgetTopics(topics);
  }

  /**
   * Closes consumers (committing what AUTO/DUPS_OK acknowledged; unacknowledged CLIENT and
   * uncommitted transacted messages are redelivered later), rolls back an open transaction,
   * deletes temporary destinations and releases the client id.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.start(); // wake receives waiting for start()
    this.#pendingSends = [];
    // Unacknowledged / uncommitted messages go back to their feeds counted before the consumers
    // close: a queue's lingering feed hands them to its next consumer here as redelivered.
    this.#redeliverUnacknowledged();
    await Promise.allSettled([...this.#consumers].map((c) => c.close()));
    await this.#transactions?.close().catch(() => {});
    if (this.#temporaries.length > 0) await this.#deleteTemporaries(this.#temporaries.splice(0)).catch((error: Error) => this.#asyncError(error));
    if (this.clientId !== undefined) this.#core.registry.releaseClientId(this.clientId, this.connectionId);
    this.#onClose();
  }

  /** Deletes temporary destinations' topics (and a temporary queue's group). */
  async #deleteTemporaries(destinations: readonly JmsDestination[]): Promise<void> {
    const temps = destinations.map((d) => kafkaTopicOf(d, this.#core.mapping));
    for (const d of destinations) this.#core.registry.temporaryOwners.delete(d.name);
    // A group that never existed is not deleted: before Kafka's first group, the attempt fails (NOT_COORDINATOR).
    const groups = destinations.filter((d) => isQueueLike(d) && this.#consumedTemporaries.delete(d.name)).map((d) => groupIdOf(d, { kind: 'queue' }, this.#core.mapping));
    // A queue's feed lingering after its last consumer (subscription-feed.ts) would keep the group.
    await this.#closeLingeringFeeds(groups);
    // The topics go even when a group could not: the first failure is reported after both.
    let failure: unknown;
    await this.#core.groups.deleteGroups(groups).catch((error: unknown) => (failure = error));
    await this.#core.groups.deleteTopics(temps).catch((error: unknown) => (failure ??= error));
    // After the deletion: a send to them in between would make a fresh producer ask for them again.
    this.#core.forgetTopics(temps);
    if (failure !== undefined) throw failure;
  }

  /** Closes the lingering shared feeds of these groups (but the one under `exceptKey`): they leave their groups. */
  async #closeLingeringFeeds(groups: readonly string[], exceptKey?: string): Promise<void> {
    for (const [key, feed] of [...this.#core.registry.sharedFeeds]) {
      if (key === exceptKey || !groups.some((g) => key.startsWith(`${g}\u0000`))) continue;
      const f = await feed.catch(() => undefined);
      if (f?.lingering) await f.closeNow();
    }
  }

  async #consumer(d: JmsDestination, subscription: Subscription, selectorText: string | undefined, noLocal: boolean): Promise<JmsConsumer> {
    this.#checkOpen();
    if (subscription.kind !== 'queue' && isQueueLike(d)) throw new JmsErrors.BANYAN_ERR_JMS_INVALID_DESTINATION(`${d.kind} ${d.name}`, 'a subscription needs a topic');
    if (isTemporary(d)) {
      const owner = this.#core.registry.temporaryOwners.get(d.name);
      if (owner !== undefined && owner !== this.connectionId) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`only the context that created ${d.kind} ${d.name} may consume from it`);
      this.#consumedTemporaries.add(d.name);
    }
    const text = blankToUndefined(selectorText);
    const selector = text === undefined ? undefined : this.#core.parseSelector(text);
    const topic = await this.#core.ensureDestination(d);
    await this.#core.ensureMoveTopics();
    const groupId = groupIdOf(d, subscription, this.#core.mapping);
    if (subscription.kind === 'durable') {
      if (this.#core.registry.activeDurable.has(groupId)) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`durable subscription ${subscription.name} of client ${subscription.clientId} already has an active consumer`);
      this.#core.registry.activeDurable.add(groupId);
    }
    try {
      // A topic subscription sees what is published after it was made (6.11); a queue, everything waiting.
      if (subscription.kind !== 'queue') await this.#core.groups.startAtEndIfNew(groupId, [topic]);
      // A queue consumer's selector picks from the queue's shared feed; a subscription's is its feed's.
      const ownSelector = subscription.kind === 'queue' ? selector : undefined;
      const feed = await this.#feedFor(groupId, topic, subscription, subscription.kind === 'queue' ? undefined : selector, noLocal);
      const consumer = new JmsConsumer(feed, d, selector?.text ?? null, subscription, this.#hooks, ownSelector);
      this.#consumers.add(consumer);
      this.start();
      return consumer;
    } catch (err) {
      this.#core.registry.activeDurable.delete(groupId);
      throw err;
    }
  }

  /**
   * The feed for a new consumer: a queue's or a shared subscription's consumers in this engine share
   * one (one group member: they balance, and a message one of them returns or does not select is
   * there for the others); other subscriptions have a feed of their own.
   */
  async #feedFor(groupId: string, topic: string, subscription: Subscription, selector: MessageSelector | undefined, noLocal: boolean): Promise<SubscriptionFeed> {
    const m = this.#core.mapping;
    // Only what is done is committed (acknowledged, or skipped / moved by the engine), so the
    // interval commit is safe in CLIENT_ACKNOWLEDGE too; a transacted session commits offsets
    // only inside its transactions.
    const commit: SubscriptionFeedOptions['commit'] =
      this.sessionMode === 'SESSION_TRANSACTED'
        ? { mode: 'manual' }
        : { mode: 'interval', intervalMs: m.commit_interval_ms * (this.sessionMode === 'DUPS_OK_ACKNOWLEDGE' ? 10 : 1) };
    const shared = this.#core.registry.sharedFeeds;
    const kind = subscription.kind;
    const shareable = kind === 'queue' || kind === 'shared' || kind === 'shared-durable';
    const key = [groupId, commit.mode, 'intervalMs' in commit ? commit.intervalMs : '', selector?.text ?? '', noLocal ? this.connectionId : ''].join('\u0000');
    let made: Promise<SubscriptionFeed> | undefined;
    const create = async () => {
      const feed = new SubscriptionFeed({
        kafka: this.#core.kafka,
        groupId,
        topic,
        maxDeliveries: m.max_deliveries,
        prefetch: m.prefetch,
        commit,
        selector,
        noLocalConnection: noLocal ? this.connectionId : undefined,
        clock: this.#core.clock,
        move: (to, record, headers) => this.#core.move(to, record, headers),
        events: this.#core.events,
        lingerMs: kind === 'queue' ? QUEUE_LINGER_MS : 0,
        onClosed: () => {
          if (made !== undefined && shared.get(key) === made) shared.delete(key);
        },
      });
      await feed.start();
      return feed;
    };
    if (!shareable) return create();
    // A feed of the same group lingering under another key (another session mode, selector) would
    // keep the group's partitions from the new one: it leaves first, its messages come back from Kafka.
    await this.#closeLingeringFeeds([groupId], key);
    for (;;) {
      const existing = shared.get(key);
      if (existing === undefined) break;
      const feed = await existing.catch(() => undefined);
      if (feed?.retain()) return feed;
      if (shared.get(key) === existing) shared.delete(key);
    }
    made = create();
    shared.set(key, made);
    try {
      return await made;
    } catch (err) {
      if (shared.get(key) === made) shared.delete(key);
      throw err;
    }
  }

  readonly #hooks: SessionHooks = {
    delivered: (consumer, d, autoAcknowledge) => {
      this.#deliveredBy.set(d, consumer);
      if (this.#autoAcknowledges()) {
        if (autoAcknowledge) d.feed.acknowledge(d);
        d.message.markReceived(undefined);
      } else {
        this.#unacknowledged.push(d);
        d.message.markReceived(this.sessionMode === 'CLIENT_ACKNOWLEDGE' ? () => this.acknowledge() : undefined);
      }
    },
    listenerReturned: (d) => {
      if (this.#autoAcknowledges()) d.feed.acknowledge(d);
    },
    listenerFailed: (d) => {
      if (this.#autoAcknowledges()) d.feed.release([d]);
    },
    consumerClosed: async (consumer) => {
      this.#consumers.delete(consumer);
      if (consumer.subscription.kind === 'durable') this.#core.registry.activeDurable.delete(consumer.feed.groupId);
      // Its unacknowledged messages can no longer be acknowledged here: they come back from Kafka.
      this.#unacknowledged = this.#unacknowledged.filter((d) => this.#deliveredBy.get(d) !== consumer);
      // A non-durable subscription ends with its consumer (6.11); a shared one with its last consumer:
      // Kafka refuses to delete a group that still has members, which is that rule.
      const kind = consumer.subscription.kind;
      if (kind === 'non-durable' || kind === 'shared') await this.#core.groups.deleteGroups([consumer.feed.groupId]).catch(() => {});
    },
    waitUntilStarted: () => {
      if (this.#started) return Promise.resolve();
      if (!this.#startGate) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.#startGate = { promise, resolve };
      }
      return this.#startGate.promise;
    },
  };

  #autoAcknowledges(): boolean {
    return this.sessionMode === 'AUTO_ACKNOWLEDGE' || this.sessionMode === 'DUPS_OK_ACKNOWLEDGE';
  }

  #redeliverUnacknowledged(): void {
    const byFeed = new Map<SubscriptionFeed, Delivery[]>();
    for (const d of this.#unacknowledged) {
      let list = byFeed.get(d.feed);
      if (!list) byFeed.set(d.feed, (list = []));
      list.push(d);
    }
    this.#unacknowledged = [];
    for (const [feed, ds] of byFeed) feed.release(ds);
  }

  async #createTemporary(kind: 'temporary-queue' | 'temporary-topic'): Promise<JmsDestination> {
    this.#checkOpen();
    const d = destination(kind, randomUUID().replace(/-/g, ''));
    await this.#core.topics.ensureTopics([{ topic: kafkaTopicOf(d, this.#core.mapping), partitions: 1 }]);
    this.#core.registry.temporaryOwners.set(d.name, this.connectionId);
    this.#temporaries.push(d);
    return d;
  }

  #asyncError(error: Error): void {
    this.#core.events.asyncError?.({ contextId: this.connectionId, error });
    this.#onException?.(error);
  }

  #checkOpen(): void {
    if (this.#closed) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('the context is closed');
  }
}

/**
 * How long a queue's feed stays in its group after its last consumer in this engine closed, when it
 * still holds messages (not selected, or returned with their delivery count): the queue's next
 * consumer here gets them as they were. After that they come back from Kafka's committed offset.
 */
const QUEUE_LINGER_MS = 30_000;

function subscriptionName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE(`subscription name ${JSON.stringify(name)}: 1-100 characters of A-Z a-z 0-9 . _ - (it names a consumer group)`);
  return name;
}

function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}
