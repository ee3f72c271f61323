/**
 * The queue port (src/core/queue-port.ts) on AMQP 1.0 through rhea; tested against ActiveMQ
 * Artemis (test/integration/connectors/amqp/).
 *
 * A session is one AMQP connection, as an MQ session is one MQ connection: its unit of work is
 * everything got and put since the last commit or backout.
 * - get: one receiver link per queue, credit granted per call (no prefetch window), autoaccept off;
 *   deliveries stay unsettled, so the broker holds them for this connection alone. After the first
 *   message (or `waitMs`), the link is drained: the broker sends what it has at once and the credit
 *   ends, so no message sits unseen in this process.
 * - put: nothing is sent before commit(), so nothing is visible to others before it (AMQP without
 *   transactions cannot hide a sent message). The message is encoded at put() (bad input throws there).
 * - commit: sends the puts, waits until the broker accepted every one (Artemis answers once a
 *   durable message is journaled), then accepts and settles every got delivery. Puts first: a
 *   failure between the two leaves the gets in flight (redelivered, a duplicate at worst), never a
 *   got message settled without its put. The steps are not atomic: when one put is refused, those
 *   accepted before it stay on their queues; the caller backs out the gets.
 * - backout: each got delivery settled as modified{delivery-failed}, which raises its delivery-count
 *   (Artemis: redelivered, count + 1, the port's backoutCount); pending puts are dropped.
 * - a lost or refused connection, a link the broker closes, or an answer that does not come within
 *   `operationTimeoutMs` breaks the session with a retriable code: the broker returns what was in
 *   flight to its queues (their delivery-count raised) and the caller opens a new session. The
 *   transport never reconnects or gives up by itself (rhea's reconnect is off).
 *
 * rhea's write_dispositions sends one outcome for deliveries whose outcomes were set in the same
 * event-loop pass (jms-amqp notes): every delivery of one call gets the same outcome, and close()
 * settles got and unseen deliveries in separate passes.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextPass } from 'node:timers/promises';
import rhea, { type Connection, type ConnectionOptions, type Delivery, type EventContext, type Receiver, type Sender } from 'rhea';
import type { BanyanError } from '../../core/errors.ts';
import type { OutgoingMessage, QueueAttributes, QueueMessage, QueueSession, QueueTransport } from '../../core/queue-port.ts';
import { errorOfCondition } from './amqp-conditions.ts';
import { AmqpErrors } from './errors.ts';
import { fromAmqpMessage, toAmqpMessage, type AmqpWireMessage } from './message-mapping.ts';
import type { AmqpSinkConfig, AmqpSourceConfig } from './spec.ts';

export interface AmqpTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: boolean;
  /** AMQP container-id; each session adds its own suffix (brokers may refuse two connections with one id). */
  readonly containerId?: string;
  /** How long to wait for the broker's answer to an open, attach, drain or put (default 30 s). */
  readonly operationTimeoutMs?: number;
  /** BOTHRESH / BOQNAME for a queue: AMQP has no such attributes, they come from config. */
  readonly queueAttributes?: (queue: string) => QueueAttributes;
  /** Injected clock (expiry, creation-time). */
  readonly now?: () => Date;
}

/** The transport's options from a bridge file's `amqp:` block. */
export function amqpTransportOptions(config: AmqpSourceConfig | AmqpSinkConfig): AmqpTransportOptions {
  const attributes: QueueAttributes = 'backout_threshold' in config ? { backoutThreshold: config.backout_threshold, backoutQueue: config.backout_queue } : { backoutThreshold: 0, backoutQueue: '' };
  return {
    host: config.host,
    port: config.port,
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    tls: config.tls,
    ...(config.container_id === undefined ? {} : { containerId: config.container_id }),
    operationTimeoutMs: config.operation_timeout_ms,
    queueAttributes: () => attributes,
  };
}

export function createAmqpTransport(options: AmqpTransportOptions): QueueTransport {
  const settings: Settings = {
    ...options,
    operationTimeoutMs: options.operationTimeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
    queueAttributes: options.queueAttributes ?? (() => ({ backoutThreshold: 0, backoutQueue: '' })),
    endpoint: `${options.host}:${options.port}`,
  };
  let sessions = 0;
  return {
    kind: 'amqp',
    connect: () => AmqpQueueSession.open(settings, `${options.containerId ?? 'banyan'}-${process.pid}-${++sessions}`),
  };
}

interface Settings extends AmqpTransportOptions {
  readonly operationTimeoutMs: number;
  readonly now: () => Date;
  readonly queueAttributes: (queue: string) => QueueAttributes;
  readonly endpoint: string;
}

interface Got {
  readonly delivery: Delivery;
  readonly message: AmqpWireMessage;
}

interface QueueReceiver {
  readonly link: Receiver;
  /** Arrived, not yet handed out by get(). */
  readonly arrived: Got[];
  /** Wakes a get() waiting for the first message or the drain's end. */
  wake?: () => void;
  drained: boolean;
}

// rhea keeps at most this many unsettled incoming deliveries per session (its session_buffer_size).
const MAX_UNSETTLED = 2048;

class AmqpQueueSession implements QueueSession {
  readonly #settings: Settings;
  readonly #connection: Connection;
  readonly #receivers = new Map<string, Promise<QueueReceiver>>();
  readonly #senders = new Map<string, Promise<QueueSender>>();
  readonly #onBroken = new Set<(err: BanyanError) => void>();
  #broken: BanyanError | undefined;
  #closed = false;
  #got: Got[] = [];
  #puts: Array<{ readonly queue: string; readonly wire: AmqpWireMessage }> = [];

  private constructor(settings: Settings, connection: Connection) {
    this.#settings = settings;
    this.#connection = connection;
  }

  static async open(settings: Settings, containerId: string): Promise<QueueSession> {
    const container = rhea.create_container({ id: containerId });
    const connection = container.connect({
      host: settings.host,
      port: settings.port,
      transport: settings.tls ? 'tls' : 'tcp',
      ...(settings.username === undefined ? {} : { username: settings.username }),
      ...(settings.password === undefined ? {} : { password: settings.password }),
      reconnect: false,
      idle_time_out: 30_000,
    } as ConnectionOptions);
    const session = new AmqpQueueSession(settings, connection);
    session.#watchConnection();
    try {
      await session.#answer('open', (done) => {
        connection.once('connection_open', () => done());
      });
    } catch (err) {
      const reason = (err as BanyanError).code === 'BANYAN_ERR_AMQP_CONNECTION_LOST' ? ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message : (err as Error).message;
      session.#destroy();
      if ((err as BanyanError).code === 'BANYAN_ERR_AMQP_UNAUTHORIZED') throw err;
      throw new AmqpErrors.BANYAN_ERR_AMQP_CONNECT_FAILED(settings.endpoint, reason, err as Error);
    }
    return session;
  }

  async get(queue: string, options: { readonly max: number; readonly waitMs: number; readonly signal?: AbortSignal }): Promise<QueueMessage[]> {
    this.#usable();
    const r = await this.#receiver(queue);
    const room = Math.max(0, Math.min(options.max, MAX_UNSETTLED - this.#got.length) - r.arrived.length);
    if (room > 0) {
      r.link.add_credit(room);
      if (r.arrived.length === 0 && options.waitMs > 0 && !options.signal?.aborted) await this.#firstArrival(r, options.waitMs, options.signal);
      this.#usable();
      // Whatever else the broker has comes now, up to the credit; then the credit is gone. (With
      // every credit used there is nothing to drain, and Artemis does not answer a drain of none.)
      if (creditOf(r.link) > 0) {
        r.drained = false;
        r.link.drain_credit();
        await this.#answer(`drain of ${queue}`, (done) => {
          r.wake = () => (r.drained || creditOf(r.link) === 0) && done();
          return () => (r.wake = undefined);
        });
        r.link.drain = false;
      }
    }
    const now = this.#settings.now();
    const taken = r.arrived.splice(0, Math.max(0, options.max));
    this.#got.push(...taken);
    return taken.map((g) => fromAmqpMessage(g.message, queue, now));
  }

  async put(queue: string, message: OutgoingMessage): Promise<{ readonly msgId: Uint8Array }> {
    this.#usable();
    const { wire, msgId } = toAmqpMessage(message, queue, { now: this.#settings.now(), newId: () => `ID:${randomUUID()}` });
    this.#puts.push({ queue, wire });
    return { msgId };
  }

  async commit(): Promise<void> {
    this.#usable();
    const puts = this.#puts;
    const outcomes: Array<Promise<void>> = [];
    for (const put of puts) {
      const sender = await this.#sender(put.queue);
      if (!sender.link.sendable()) {
        await this.#answer(`credit to put to ${put.queue}`, (done) => {
          const onSendable = () => done();
          sender.link.once('sendable', onSendable);
          return () => sender.link.removeListener('sendable', onSendable);
        });
      }
      outcomes.push(outcomeOf(put.queue, sender, sender.link.send(put.wire as never)));
    }
    // One wait (and one timeout) for every outcome of the unit, not a timer and listeners per put.
    if (outcomes.length > 0) {
      await this.#answer(`the outcomes of ${outcomes.length} put(s)`, (done, fail) => {
        Promise.all(outcomes).then(() => done(), fail);
      });
    }
    this.#puts = [];
    const got = this.#got;
    this.#got = [];
    for (const g of got) g.delivery.accept();
    // rhea writes dispositions on its next pass: let it, so they are on the wire when commit resolves.
    await nextPass();
  }

  async backout(): Promise<void> {
    this.#puts = [];
    const got = this.#got;
    this.#got = [];
    // A lost connection already returned them to the broker (delivery-count raised there).
    if (this.#broken || this.#closed) return;
    for (const g of got) g.delivery.modified({ delivery_failed: true });
    await nextPass();
  }

  async attributes(queue: string): Promise<QueueAttributes> {
    this.#usable();
    return this.#settings.queueAttributes(queue);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.backout();
    this.#closed = true;
    if (this.#broken) {
      this.#destroy();
      return;
    }
    // Arrived but never handed out: not a failed delivery, so released (delivery-count unchanged).
    for (const p of this.#receivers.values()) {
      const r = await p.catch(() => undefined);
      for (const g of r?.arrived.splice(0) ?? []) g.delivery.release();
    }
    await nextPass();
    try {
      this.#connection.close();
      await this.#answer('close', (done) => {
        this.#connection.once('connection_close', () => done());
        this.#connection.once('disconnected', () => done());
      });
    } catch {
      // Closing anyway: a broker that does not answer the close loses nothing (all settled or backed out).
    } finally {
      this.#destroy();
    }
  }

  #usable(): void {
    if (this.#closed) throw new AmqpErrors.BANYAN_ERR_AMQP_SESSION_CLOSED();
    if (this.#broken) throw this.#broken;
  }

  #watchConnection(): void {
    const c = this.#connection;
    const lost = (why: string, cause?: unknown) => {
      if (this.#closed) return;
      this.#break(new AmqpErrors.BANYAN_ERR_AMQP_CONNECTION_LOST(this.#settings.endpoint, why, cause instanceof Error ? cause : undefined));
    };
    c.on('disconnected', (ctx: EventContext) => lost(describe(ctx.error) ?? 'socket closed', ctx.error));
    c.on('connection_error', (ctx: EventContext) => {
      const err = errorOfCondition(ctx.connection.error, { what: 'connection', node: this.#settings.endpoint });
      if (!this.#closed) this.#break(err);
    });
    c.on('connection_close', () => lost('the broker closed the connection'));
    c.on('protocol_error', (ctx: EventContext) => lost(`protocol error: ${describe(ctx.error) ?? 'unknown'}`, ctx.error));
    c.on('error', (ctx: EventContext) => lost(describe(ctx.error) ?? 'error', ctx.error));
  }

  #break(err: BanyanError): void {
    if (this.#broken) return;
    this.#broken = err;
    for (const notify of [...this.#onBroken]) notify(err);
    this.#destroy();
  }

  #destroy(): void {
    // With an error, so rhea's socket 'error' handler runs and clears its heartbeat timers (a plain
    // destroy() leaves them holding the event loop for twice the idle timeout).
    const socket = this.#connection.socket;
    if (socket && !socket.destroyed) socket.destroy(new Error('AMQP session ended'));
  }

  /** Resolves when `register`'s done() is called; rejects when the session breaks or after the operation timeout (which breaks it). */
  #answer(what: string, register: (done: () => void, fail: (err: BanyanError) => void) => (() => void) | void): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise<void>((resolve, reject) => {
      let cleanup: (() => void) | void;
      const finish = (err?: BanyanError) => {
        clearTimeout(timer);
        this.#onBroken.delete(onBroken);
        if (cleanup) cleanup();
        if (err) reject(err);
        else resolve();
      };
      const onBroken = (err: BanyanError) => once(err);
      const timer = setTimeout(() => {
        const err = new AmqpErrors.BANYAN_ERR_AMQP_TIMEOUT(this.#settings.endpoint, what, this.#settings.operationTimeoutMs);
        once(err);
        this.#break(err);
      }, this.#settings.operationTimeoutMs);
      this.#onBroken.add(onBroken);
      let settled = false;
      const once = (err?: BanyanError) => {
        if (settled) return;
        settled = true;
        finish(err);
      };
      cleanup = register(() => once(), (err) => once(err));
      if (settled && cleanup) cleanup();
    });
  }

  /** Waits up to waitMs for a first message; ends early on abort or a broken session (get() then throws). */
  #firstArrival(r: QueueReceiver, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        r.wake = undefined;
        this.#onBroken.delete(finish);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, waitMs);
      r.wake = () => r.arrived.length > 0 && finish();
      this.#onBroken.add(finish);
      signal?.addEventListener('abort', finish, { once: true });
    });
  }

  #receiver(queue: string): Promise<QueueReceiver> {
    let p = this.#receivers.get(queue);
    if (!p) {
      p = this.#openReceiver(queue);
      this.#receivers.set(queue, p);
      p.catch(() => this.#receivers.delete(queue));
    }
    return p;
  }

  async #openReceiver(queue: string): Promise<QueueReceiver> {
    const link = this.#connection.open_receiver({
      source: { address: queue, capabilities: ['queue'] },
      autoaccept: false,
      credit_window: 0,
    });
    const r: QueueReceiver = { link, arrived: [], drained: false };
    link.on('message', (ctx: EventContext) => {
      r.arrived.push({ delivery: ctx.delivery as Delivery, message: ctx.message as AmqpWireMessage });
      r.wake?.();
    });
    link.on('receiver_drained', () => {
      r.drained = true;
      r.wake?.();
    });
    await this.#attached(link, 'receiver', queue);
    return r;
  }

  #sender(queue: string): Promise<QueueSender> {
    let p = this.#senders.get(queue);
    if (!p) {
      const link = this.#connection.open_sender({ target: { address: queue, capabilities: ['queue'] }, autosettle: true });
      const sender: QueueSender = { link, waiting: new Map() };
      // One listener per outcome for the link, dispatching to the delivery's waiter: listeners per
      // put made every outcome walk (and every removal search) all of a batch's (O(n^2) per commit).
      for (const outcome of OUTCOMES) {
        link.on(outcome, (ctx: EventContext) => {
          const waiter = sender.waiting.get(ctx.delivery as Delivery);
          if (!waiter) return;
          sender.waiting.delete(ctx.delivery as Delivery);
          waiter(outcome, ctx.delivery as Delivery);
        });
      }
      p = this.#attached(link, 'sender', queue).then(() => sender);
      this.#senders.set(queue, p);
      p.catch(() => this.#senders.delete(queue));
    }
    return p;
  }

  /** Waits for the broker's attach; a refusal (detach with an error) is mapped by its condition. */
  #attached(link: Receiver | Sender, kind: 'receiver' | 'sender', queue: string): Promise<void> {
    let refused: BanyanError | undefined;
    const onError = (ctx: EventContext) => {
      const err = errorOfCondition((kind === 'receiver' ? ctx.receiver : ctx.sender)?.error, { what: kind, node: queue });
      refused = err;
      // A link closed later (queue deleted, broker shutting down) breaks the unit of work too.
      this.#break(err);
    };
    link.on(`${kind}_error`, onError);
    link.on(`${kind}_close`, () => {
      if (!this.#closed && !refused) this.#break(new AmqpErrors.BANYAN_ERR_AMQP_LINK_REFUSED(kind, queue, 'the broker closed the link'));
    });
    return this.#answer(`attach of a ${kind} on ${queue}`, (done) => {
      link.once(`${kind}_open`, () => done());
    });
  }

}

const OUTCOMES = ['accepted', 'rejected', 'released', 'modified'] as const;
type Outcome = (typeof OUTCOMES)[number];

interface QueueSender {
  readonly link: Sender;
  /** Sent deliveries waiting for their outcome. */
  readonly waiting: Map<Delivery, (outcome: Outcome, delivery: Delivery) => void>;
}

/**
 * Resolves when the broker accepted the delivery; rejected -> PUT_REJECTED, released/modified ->
 * PUT_NOT_ACCEPTED (not a broken session: the connection is fine, only this message was refused).
 * The caller bounds the wait (commit's operation timeout).
 */
function outcomeOf(queue: string, sender: QueueSender, delivery: Delivery): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    sender.waiting.set(delivery, (outcome, d) => {
      // rhea names the outcome by its event; the state it keeps is not always decoded (accepted arrives as []).
      if (outcome === 'accepted') resolve();
      else if (outcome === 'rejected') {
        const state = (d as Delivery & { remote_state?: { error?: unknown } }).remote_state;
        reject(new AmqpErrors.BANYAN_ERR_AMQP_PUT_REJECTED(queue, describe(state?.error) ?? 'no reason given'));
      } else reject(new AmqpErrors.BANYAN_ERR_AMQP_PUT_NOT_ACCEPTED(queue, outcome));
    });
  });
}

/** Credit the receiver still grants (rhea counts it down per transfer; its typings do not show it). */
function creditOf(link: Receiver): number {
  return (link as unknown as { credit: number }).credit;
}

function describe(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object') {
    const e = error as { condition?: unknown; description?: unknown; message?: unknown };
    const parts = [e.condition, e.description ?? e.message].filter((p) => p !== undefined && p !== null);
    if (parts.length > 0) return parts.map(String).join(': ');
  }
  return String(error);
}
