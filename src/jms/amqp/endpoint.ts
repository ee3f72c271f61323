/**
 * The AMQP 1.0 endpoint for unmodified JMS applications (issue 17): a rhea listener in server mode
 * in front of the JMS engine. Apache Qpid JMS connects to it as to any AMQP 1.0 JMS broker.
 *
 * One engine context per AMQP connection (its clientID from the container-id, delivery-decisions.ts);
 * links are decided by link-decision.ts; messages translated by record-translation.ts; consumers
 * driven by consumer-link.ts; local transactions by transactions.ts. rhea's gaps are closed by
 * rhea-patches.ts (imported first).
 *
 * Instrumentation events, not logs (JmsAmqpEvents); `banyan start` subscribes its logger.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import './rhea-patches.ts';
import rhea, { type Connection, type Container, type Delivery as RheaDelivery, type EventContext, type Receiver, type Sender } from 'rhea';
import type { KafkaClient } from '../../connectors/kafka/index.ts';
import type { JmsContext } from '../api/context.ts';
import { destination, type DestinationKind, type JmsDestination } from '../destination.ts';
import type { JmsEngine } from '../engine/engine.ts';
import { ConsumerLink, type SenderLike } from './consumer-link.ts';
import { decideOpen, OFFERED_CAPABILITIES, type DispositionState } from './delivery-decisions.ts';
import { capabilitiesOf, planLink, type AttachView, type LinkPlan } from './link-decision.ts';
import { createRecordPublisher, type RecordPublisher } from './record-publisher.ts';
import { toRecord } from './record-translation.ts';
import { answerAttach, answerDetach, closeWithError, Coordinator, deferAttach, deferDetach, symbolicError, outcomes, TransactionalState, TXN_CODES, type RheaTyped } from './rhea-patches.ts';
import type { JmsAmqpSettings } from './spec.ts';
import { Transactions } from './transactions.ts';

export interface JmsAmqpEndpointOptions {
  readonly settings: JmsAmqpSettings;
  readonly engine: JmsEngine;
  /** The Kafka the engine uses: the endpoint writes producers' records with its own publisher. */
  readonly kafka: KafkaClient;
  readonly events?: JmsAmqpEvents;
}

export interface JmsAmqpEvents {
  connectionOpened?(e: { containerId: string; clientId: string | undefined; user: string | undefined }): void;
  connectionRefused?(e: { containerId: string; reason: string }): void;
  /** A SASL PLAIN login with an unknown user or a wrong password (before any AMQP open). */
  loginRefused?(e: { user: string }): void;
  connectionClosed?(e: { containerId: string }): void;
  linkRefused?(e: { link: string; reason: string }): void;
  /** A failure no client is waiting for (a background outcome, a dead letter write). */
  error?(e: { where: string; error: Error }): void;
}

export interface JmsAmqpEndpoint {
  /** Opens the listener; resolves with where it listens. */
  start(): Promise<{ host: string; port: number }>;
  /** Closes every client connection and the listener, then the endpoint's Kafka clients. */
  stop(): Promise<void>;
}

export function createJmsAmqpEndpoint(o: JmsAmqpEndpointOptions): JmsAmqpEndpoint {
  const { settings, engine } = o;
  const events = o.events ?? {};
  const publisher = createRecordPublisher({ kafka: o.kafka, mapping: engine.mapping });
  engine.onTopicsDeleted((topics) => publisher.forgetTopics(topics));
  const container: Container = rhea.create_container({
    id: settings.container_id,
    // The endpoint decides every outcome itself; modified is not released (it carries delivery-failed).
    autoaccept: false,
    treat_modified_as_released: false,
  } as rhea.ContainerOptions);
  const clients = new Map<Connection, ClientConnection>();
  const clientIds = new Set<string>();
  let server: Server | undefined;

  const users = new Map(settings.users.map((u) => [u.username, Buffer.from(u.password)]));
  container.sasl_server_mechanisms.enable_plain((username: string, password: string) => {
    const expected = users.get(username);
    const given = Buffer.from(password ?? '');
    const ok = expected !== undefined && expected.length === given.length && timingSafeEqual(expected, given);
    if (!ok) events.loginRefused?.({ user: username });
    return ok;
  });
  if (settings.anonymous) container.sasl_server_mechanisms.enable_anonymous();

  container.on('connection_open', (ctx: EventContext) => {
    const connection = ctx.connection;
    const open = connection.remote.open as { container_id: string; desired_capabilities?: string[] | string };
    const desired = open.desired_capabilities === undefined ? [] : ([] as string[]).concat(open.desired_capabilities);
    const decision = decideOpen({ containerId: open.container_id, desiredCapabilities: desired }, clientIds);
    if (decision.kind === 'refuse') {
      // Qpid JMS reads the close as the reason only after an open that says it failed.
      (connection as unknown as { local: { open: { properties?: Record<string, unknown> } } }).local.open.properties = { 'amqp:connection-establishment-failed': true };
      closeWithError(connection as never, symbolicError(decision.condition, decision.description, decision.info));
      events.connectionRefused?.({ containerId: open.container_id, reason: decision.description });
      return;
    }
    if (decision.clientId !== undefined) clientIds.add(decision.clientId);
    const client = new ClientConnection(engine, publisher, decision.clientId, events);
    clients.set(connection, client);
    client.context.catch((error: Error) => {
      connection.close({ condition: error.message.includes('CLIENT_ID') ? 'amqp:invalid-field' : 'amqp:internal-error', description: error.message } as rhea.AmqpError);
    });
    events.connectionOpened?.({ containerId: open.container_id, clientId: decision.clientId, user: (connection as unknown as { sasl_user?: string }).sasl_user });
  });

  const closeClient = (connection: Connection) => {
    const client = clients.get(connection);
    if (!client) return;
    clients.delete(connection);
    if (client.clientId !== undefined) clientIds.delete(client.clientId);
    void client.close().catch((error: Error) => events.error?.({ where: 'connection close', error }));
    events.connectionClosed?.({ containerId: (connection.remote.open as { container_id: string } | undefined)?.container_id ?? '' });
  };
  container.on('connection_close', (ctx: EventContext) => closeClient(ctx.connection));
  container.on('connection_error', (ctx: EventContext) => closeClient(ctx.connection));
  container.on('disconnected', (ctx: EventContext) => closeClient(ctx.connection));
  container.on('error', (error: Error) => events.error?.({ where: 'listener', error }));

  container.on('receiver_open', (ctx: EventContext) => clients.get(ctx.connection)?.receiverOpened(ctx.receiver as Receiver));
  container.on('sender_open', (ctx: EventContext) => clients.get(ctx.connection)?.senderOpened(ctx.sender as Sender));
  container.on('message', (ctx: EventContext) => clients.get(ctx.connection)?.message(ctx.receiver as Receiver, ctx.delivery as RheaDelivery, ctx.message as unknown as Record<string, unknown>));
  container.on('sendable', (ctx: EventContext) => clients.get(ctx.connection)?.consumer(ctx.sender as Sender)?.flow(false));
  container.on('sender_draining', (ctx: EventContext) => clients.get(ctx.connection)?.consumer(ctx.sender as Sender)?.flow(true));
  // 'settled' alone: a client settled without an outcome (the default outcome); after an outcome's event it finds nothing.
  for (const outcome of ['accepted', 'released', 'rejected', 'modified', 'transactional_state', 'settled'] as const) {
    container.on(outcome, (ctx: EventContext) => clients.get(ctx.connection)?.disposition(ctx.sender as Sender, ctx.delivery as RheaDelivery));
  }
  container.on('sender_close', (ctx: EventContext) => clients.get(ctx.connection)?.senderClosed(ctx.sender as Sender));
  container.on('receiver_close', (ctx: EventContext) => clients.get(ctx.connection)?.receiverClosed(ctx.receiver as Receiver));
  container.on('session_close', (ctx: EventContext) => clients.get(ctx.connection)?.sessionClosed(ctx.session));

  return {
    async start() {
      const tls = settings.tls;
      const listenOptions: Record<string, unknown> = {
        host: settings.host,
        port: settings.port,
        offered_capabilities: [...OFFERED_CAPABILITIES],
        autoaccept: false,
        treat_modified_as_released: false,
      };
      if (tls) {
        Object.assign(listenOptions, {
          transport: 'tls',
          cert: readFileSync(tls.cert_file),
          key: readFileSync(tls.key_file),
          ca: tls.ca_file ? readFileSync(tls.ca_file) : undefined,
          requestCert: tls.require_client_cert,
          rejectUnauthorized: tls.require_client_cert,
        });
      }
      server = container.listen(listenOptions as never) as unknown as Server;
      await new Promise<void>((resolve, reject) => {
        server!.once('listening', () => resolve());
        server!.once('error', reject);
      });
      const address = server.address() as AddressInfo;
      return { host: address.address, port: address.port };
    },
    async stop() {
      for (const [connection, client] of [...clients]) {
        clients.delete(connection);
        connection.close({ condition: 'amqp:connection:forced', description: 'the endpoint is stopping' } as rhea.AmqpError);
        await client.close().catch(() => {});
        // server.close() waits for every socket: a client that never answers the close must not hold it.
        setTimeout(() => (connection as unknown as { socket?: { destroy(): void } }).socket?.destroy(), 1_000).unref();
      }
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await publisher.close();
    },
  };
}

/** One client connection: its engine context, its consumers and its transactions. */
class ClientConnection {
  readonly clientId: string | undefined;
  readonly context: Promise<JmsContext>;
  readonly #publisher: RecordPublisher;
  readonly #events: JmsAmqpEvents;
  readonly #consumers = new Map<Sender, ConsumerLink>();
  readonly #unsubscribing = new Map<Sender, string>();
  /** Consumer links closing and unsubscribes running (their detach not answered yet). */
  readonly #closing = new Set<Promise<void>>();
  readonly #producerChains = new Map<Receiver, Promise<void>>();
  /** The links that made temporary destinations (dynamic targets), with what they made. */
  readonly #temporaryNodes = new Map<Receiver, JmsDestination>();
  readonly #transactions: Transactions;
  readonly #connectionId = `amqp-${Math.random().toString(36).slice(2)}`;

  constructor(engine: JmsEngine, publisher: RecordPublisher, clientId: string | undefined, events: JmsAmqpEvents) {
    this.clientId = clientId;
    this.#publisher = publisher;
    this.#events = events;
    this.context = engine.createContext({ clientId, sessionMode: 'AUTO_ACKNOWLEDGE', onException: (error) => events.error?.({ where: 'context', error }) });
    this.#transactions = new Transactions(publisher);
  }

  consumer(sender: Sender): ConsumerLink | undefined {
    return this.#consumers.get(sender);
  }

  /** The client attached a sender: a producer, the coordinator or a temporary destination creator. */
  receiverOpened(receiver: Receiver): void {
    const plan = planLink(attachView(receiver, 'receiver'));
    const remoteTarget = receiver.target as unknown as { address?: string; capabilities?: unknown } | null;
    switch (plan.kind) {
      case 'coordinator':
        setTarget(receiver, Coordinator.create({ capabilities: ['amqp:local-transactions'] }).described());
        return;
      case 'producer':
        receiver.set_target({ address: remoteTarget?.address ?? undefined, capabilities: capabilitiesOf(remoteTarget as never) } as never);
        return;
      case 'temporary':
        deferAttach(receiver as never);
        void this.#temporary(plan.destinationKind).then(
          (d) => {
            // Deleted when this link detaches (Qpid JMS TemporaryQueue.delete()) or the connection closes.
            this.#temporaryNodes.set(receiver, d);
            receiver.set_target({ address: d.name, dynamic: true, capabilities: [plan.destinationKind], expiry_policy: 'link-detach' } as never);
            answerAttach(receiver as never);
          },
          (error: Error) => this.#refuse(receiver, 'target', 'amqp:internal-error', error.message),
        );
        return;
      default:
        this.#refuse(receiver, 'target', 'amqp:not-implemented', `unexpected link ${receiver.name}`);
    }
  }

  /** The client attached a receiver: a consumer, a temporary consumer or the unsubscribe look-up. */
  senderOpened(sender: Sender): void {
    const plan = planLink(attachView(sender, 'sender'));
    const remoteSource = sender.source as unknown as Record<string, unknown> | null;
    if (plan.kind === 'unsubscribe') {
      // Answer with a source, as if it exists; the client's close (closed=true) deletes it.
      sender.set_source({ address: plan.name, capabilities: ['topic'], durable: 2, expiry_policy: 'never' } as rhea.Source);
      this.#unsubscribing.set(sender, plan.name);
      return;
    }
    if (plan.kind === 'refuse') return this.#refuse(sender, 'source', plan.condition, plan.description);
    if (plan.kind !== 'consumer' && plan.kind !== 'temporary') return this.#refuse(sender, 'source', 'amqp:not-implemented', `unexpected link ${sender.name}`);
    deferAttach(sender as never);
    void this.#openConsumer(sender, plan, remoteSource).catch((error: Error) => this.#refuse(sender, 'source', conditionOf(error), error.message));
  }

  message(receiver: Receiver, delivery: RheaDelivery, message: Record<string, unknown>): void {
    const target = receiver.target as unknown;
    if (target instanceof Coordinator) {
      // A discharge covers every transfer the client sent before it: wait until they are held.
      const before = [...this.#producerChains.values()];
      void Promise.all(before)
        .then(() => this.#transactions.control(message.body as RheaTyped, delivery))
        .catch((error: Error) => this.#events.error?.({ where: 'coordinator', error }));
      return;
    }
    const chain = (this.#producerChains.get(receiver) ?? Promise.resolve()).then(() => this.#produce(receiver, delivery, message));
    this.#producerChains.set(receiver, chain.catch(() => {}));
  }

  disposition(sender: Sender, delivery: RheaDelivery): void {
    const link = this.#consumers.get(sender);
    if (!link) return;
    const state = delivery.remote_state as unknown;
    if (state instanceof TransactionalState) {
      const engineDelivery = link.take(delivery as never);
      if (engineDelivery) this.#transactions.holdOutcome(Buffer.from(state.txn_id as Buffer), engineDelivery, dispositionOf(outcomes.unwrap(state.outcome)));
      return;
    }
    void link.settle(delivery as never, dispositionOf(state));
  }

  senderClosed(sender: Sender, answer = true): void {
    const name = this.#unsubscribing.get(sender);
    if (name !== undefined) {
      this.#unsubscribing.delete(sender);
      // Answered once the subscription is gone (or with why not): the client's next durable
      // subscription of that name must not meet the old one. Consumer links still closing go first.
      this.#detachWhenDone(sender, { answer: true, refuseOnError: true, where: `unsubscribe ${name}` }, () =>
        Promise.all([...this.#closing])
          .then(() => this.context)
          .then((c) => c.unsubscribe(name)),
      );
      return;
    }
    const link = this.#consumers.get(sender);
    if (!link) return;
    this.#applyReportedOutcomes(sender, link);
    this.#consumers.delete(sender);
    // Answered once the consumer left its group: a durable subscription is free for the next attach.
    this.#detachWhenDone(sender, { answer, refuseOnError: false, where: 'consumer close' }, () => link.close());
  }

  /**
   * Runs the work a link's detach asked for and answers the detach once it is done (`answer`:
   * false when the link's session already ended); a failure is reported, and with `refuseOnError`
   * the answer carries it (amqp:illegal-state). Tracked in #closing until done.
   */
  #detachWhenDone(link: Sender | Receiver, o: { answer: boolean; refuseOnError: boolean; where: string }, work: () => Promise<unknown>): void {
    if (o.answer) deferDetach(link as never);
    const done = work().then(
      () => {
        if (o.answer) answerDetach(link as never);
      },
      (error: Error) => {
        this.#events.error?.({ where: o.where, error });
        if (o.answer) answerDetach(link as never, o.refuseOnError ? { condition: 'amqp:illegal-state', description: error.message } : undefined);
      },
    );
    this.#closing.add(done);
    void done.finally(() => this.#closing.delete(done));
  }

  /**
   * The client ended a session. Qpid JMS's Session.close() ends it without detaching its links
   * first, and rhea says nothing of the links: they end here as if detached (unsettled
   * deliveries go back counted, so they come again with JMSRedelivered).
   */
  sessionClosed(session: unknown): void {
    for (const sender of [...this.#unsubscribing.keys()]) if (sender.session === session) this.#unsubscribing.delete(sender);
    for (const sender of [...this.#consumers.keys()]) if (sender.session === session) this.senderClosed(sender, false);
    for (const receiver of [...this.#producerChains.keys(), ...this.#temporaryNodes.keys()]) if (receiver.session === session) this.receiverClosed(receiver, false);
  }

  receiverClosed(receiver: Receiver, answer = true): void {
    this.#producerChains.delete(receiver);
    const temporary = this.#temporaryNodes.get(receiver);
    if (temporary === undefined) return;
    this.#temporaryNodes.delete(receiver);
    // Answered once the topic is gone, or with why not (a consumer of it is still open).
    this.#detachWhenDone(receiver, { answer, refuseOnError: true, where: `delete ${temporary.kind} ${temporary.name}` }, () =>
      this.context.then((c) => c.deleteTemporary(temporary)),
    );
  }

  /**
   * Applies the outcomes the client sent just before the link, its session or the connection
   * ended. rhea dispatches dispositions on its next processing pass, after a detach, end or close
   * read in the same chunk (Qpid JMS: acknowledge() then close()); they would be released instead.
   */
  #applyReportedOutcomes(sender: Sender, link: ConsumerLink): void {
    for (const d of link.unsettled) {
      const delivery = d as unknown as RheaDelivery & { remote_settled?: boolean; remote_state?: { constructor?: { composite_type?: string } } };
      if (delivery.remote_settled || delivery.remote_state?.constructor?.composite_type !== undefined) this.disposition(sender, delivery);
    }
  }

  async close(): Promise<void> {
    for (const [sender, link] of this.#consumers) this.#applyReportedOutcomes(sender, link);
    const links = [...this.#consumers.values()];
    this.#consumers.clear();
    this.#transactions.abandonAll();
    await Promise.all(links.map((l) => l.close().catch(() => {})));
    // Consumer closes and unsubscribes the client asked for just before it went finish first.
    await Promise.all([...this.#closing]);
    const context = await this.context.catch(() => undefined);
    await context?.close();
  }

  async #openConsumer(sender: Sender, plan: Extract<LinkPlan, { kind: 'consumer' | 'temporary' }>, remoteSource: Record<string, unknown> | null): Promise<void> {
    const context = await this.context;
    let d: JmsDestination;
    let consumerPromise;
    if (plan.kind === 'temporary') {
      d = await this.#temporary(plan.destinationKind);
      consumerPromise = context.createConsumer(d);
    } else {
      d = destination(plan.destination.kind as DestinationKind, plan.destination.name);
      const s = plan.subscription;
      consumerPromise =
        s.kind === 'durable' ? context.createDurableConsumer(d, s.name, plan.selector, plan.noLocal)
        : s.kind === 'shared' ? context.createSharedConsumer(d, s.name, plan.selector)
        : s.kind === 'shared-durable' ? context.createSharedDurableConsumer(d, s.name, plan.selector)
        : context.createConsumer(d, plan.selector, plan.noLocal);
    }
    const consumer = await consumerPromise;
    sender.set_source({ ...(remoteSource ?? {}), address: d.name, dynamic: plan.kind === 'temporary' } as rhea.Source);
    const link = new ConsumerLink({ name: sender.name, consumer, sender: sender as unknown as SenderLike, publisher: this.#publisher, events: { error: (e) => this.#events.error?.({ where: `consumer ${e.link}`, error: e.error }) } });
    this.#consumers.set(sender, link);
    answerAttach(sender as never);
    link.flow(false);
  }

  async #temporary(kind: 'temporary-queue' | 'temporary-topic'): Promise<JmsDestination> {
    const context = await this.context;
    return kind === 'temporary-topic' ? context.createTemporaryTopic() : context.createTemporaryQueue();
  }

  async #produce(receiver: Receiver, delivery: RheaDelivery, message: Record<string, unknown>): Promise<void> {
    try {
      const record = toRecord(message);
      const d = destinationOf(receiver, record.headers);
      const prepared = await this.#publisher.prepare(d, record, this.#connectionId);
      const txnId = txnIdOf(delivery.remote_state);
      if (txnId) {
        this.#transactions.holdSend(txnId, prepared);
        delivery.update(true, TransactionalState.create({ txn_id: txnId, outcome: outcomes.accepted() }).described());
        return;
      }
      await this.#publisher.send(prepared);
      delivery.accept();
    } catch (error) {
      delivery.reject({ condition: conditionOf(error as Error), description: (error as Error).message } as rhea.AmqpError);
    }
  }

  #refuse(link: Sender | Receiver, side: 'source' | 'target', condition: string, description: string): void {
    // Qpid JMS takes a null terminus followed by a detach as "refused" and reads the detach's error.
    (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach[side] = null;
    answerAttach(link as never);
    link.close({ condition, description } as rhea.AmqpError);
    this.#events.linkRefused?.({ link: link.name, reason: description });
  }
}

function setTarget(link: Receiver, described: unknown): void {
  (link as unknown as { local: { attach: { target: unknown } } }).local.attach.target = described;
}

function attachView(link: Sender | Receiver, role: 'receiver' | 'sender'): AttachView {
  const attach = (link as unknown as { remote: { attach: { name: string; source?: unknown; target?: unknown } } }).remote.attach;
  return {
    name: attach.name,
    role,
    source: (attach.source ?? null) as AttachView['source'],
    target: attach.target instanceof Coordinator ? null : ((attach.target ?? null) as AttachView['target']),
    coordinator: attach.target instanceof Coordinator,
  };
}

const DEST_KINDS: readonly DestinationKind[] = ['queue', 'topic', 'temporary-queue', 'temporary-topic'];

/** The producer's destination: the link's target, or for the anonymous producer the message's `to` (ANONYMOUS-RELAY). */
function destinationOf(receiver: Receiver, headers: Readonly<Record<string, string>>): JmsDestination {
  const plan = planLink(attachView(receiver, 'receiver'));
  if (plan.kind === 'producer' && plan.destination) return destination(plan.destination.kind, plan.destination.name);
  const to = headers['to'];
  if (to === undefined) throw Object.assign(new Error('a message on the anonymous producer link has no `to` address'), { condition: 'amqp:not-found' });
  return destination(DEST_KINDS[Number(headers['x-opt-jms-dest'] ?? 0)] ?? 'queue', to);
}

function txnIdOf(state: unknown): Buffer | undefined {
  if (state instanceof TransactionalState) return Buffer.from(state.txn_id as Buffer);
  // rhea unwraps a transfer's state field, dropping its descriptor: [txn-id, outcome?]. A client's
  // transfer carries no other state here (AMQP 1.0 §2.7.5: resume and transactions only).
  if (Array.isArray(state) && state[0] instanceof Uint8Array) return Buffer.from(state[0]);
  const raw = state as RheaTyped | undefined;
  if (raw?.descriptor && Number(raw.descriptor.value) === TXN_CODES.transactionalState) {
    const fields = raw.value as RheaTyped[];
    return Buffer.from(fields[0].value as Buffer);
  }
  return undefined;
}

/** A rhea outcome object as a DispositionState. */
export function dispositionOf(state: unknown): DispositionState {
  const s = state as { constructor?: { composite_type?: string }; error?: { condition?: string; description?: string }; delivery_failed?: boolean; undeliverable_here?: boolean } | undefined;
  switch (s?.constructor?.composite_type) {
    case 'accepted':
      return { outcome: 'accepted' };
    case 'rejected':
      return { outcome: 'rejected', error: s.error };
    case 'released':
      return { outcome: 'released' };
    case 'modified':
      return { outcome: 'modified', deliveryFailed: s.delivery_failed === true, undeliverableHere: s.undeliverable_here === true };
    default:
      // A settle without an outcome: AMQP 1.0 §3.4 default-outcome; Qpid JMS's is modified{delivery-failed}.
      return { outcome: 'modified', deliveryFailed: true };
  }
}

function conditionOf(error: Error): string {
  const code = (error as { code?: string; condition?: string }).condition ?? (error as { code?: string }).code ?? '';
  if (code.startsWith('amqp:')) return code;
  if (/INVALID_DESTINATION|NOT_FOUND/.test(code)) return 'amqp:not-found';
  if (/INVALID_SELECTOR/.test(code)) return 'amqp:invalid-field';
  if (/ILLEGAL_STATE/.test(code)) return 'amqp:illegal-state';
  if (/CLIENT_ID/.test(code)) return 'amqp:invalid-field';
  return 'amqp:internal-error';
}
