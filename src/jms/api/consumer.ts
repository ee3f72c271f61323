/**
 * JMSConsumer (JMS 2.0): receive(timeout?), receiveNoWait(), receiveBody(), a message listener,
 * close(). Whichever is used, messages come from the consumer's subscription feed in the order the
 * feed hands them out; the session decides what delivery means for acknowledgement.
 */
import type { JmsDestination } from '../destination.ts';
import type { Subscription } from '../engine/naming.ts';
import type { Delivery, ReceiveOptions, SubscriptionFeed } from '../engine/subscription-feed.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import { JmsErrors } from '../jms-errors.ts';
import type { AnyMessage, BytesMessage, JsonValue, MapMessage, ObjectMessage, StreamMessage, TextMessage } from '../message.ts';
import type { BodyValue } from '../typed-value.ts';
import type { SessionHooks } from './context.ts';

/** Called for each message; a listener that throws (or rejects) in AUTO_ACKNOWLEDGE gets the message again (8.7). */
export type MessageListener = (message: AnyMessage) => void | Promise<void>;

/** What receiveBody() gives for each message type. */
export type ReceivedBody = string | Buffer | ReadonlyMap<string, BodyValue> | readonly BodyValue[] | JsonValue;

export class JmsConsumer {
  readonly destination: JmsDestination;
  readonly messageSelector: string | null;
  /** Engine use: the subscription this consumer reads. */
  readonly subscription: Subscription;
  /** Engine use. */
  readonly feed: SubscriptionFeed;
  /** A queue consumer's selector, applied to the queue's shared feed (a subscription's is its feed's). */
  readonly ownSelector: MessageSelector | undefined;
  readonly #session: SessionHooks;
  #listener: MessageListener | undefined;
  #listening: Promise<void> | undefined;
  #closed = false;

  /** Made by JmsContext.create*Consumer. */
  constructor(feed: SubscriptionFeed, destination: JmsDestination, selector: string | null, subscription: Subscription, session: SessionHooks, ownSelector?: MessageSelector) {
    this.feed = feed;
    this.ownSelector = ownSelector;
    this.destination = destination;
    this.messageSelector = selector;
    this.subscription = subscription;
    this.#session = session;
  }

  /**
   * The next message, waiting up to `timeoutMs` (none: until one arrives or the consumer closes).
   * Null when none came in time or the consumer is closed (JMS 2.0 receive()).
   */
  async receive(timeoutMs?: number): Promise<AnyMessage | null> {
    if (this.#listener) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('receive() on a consumer with a message listener');
    return this.#receive(timeoutMs);
  }

  receiveNoWait(): Promise<AnyMessage | null> {
    return this.receive(0);
  }

  /** The body of the next message (JMS 2.0 receiveBody): text, bytes, a map, stream values or a JSON value. */
  async receiveBody(timeoutMs?: number): Promise<ReceivedBody | null> {
    const m = await this.receive(timeoutMs);
    return m === null ? null : bodyOf(m);
  }

  get messageListener(): MessageListener | undefined {
    return this.#listener;
  }

  /** Sets (or with undefined, removes) the listener; messages go to it one at a time. */
  setMessageListener(listener: MessageListener | undefined): void {
    if (this.#closed) throw new JmsErrors.BANYAN_ERR_JMS_ILLEGAL_STATE('the consumer is closed');
    this.#listener = listener;
    if (listener && !this.#listening) this.#listening = this.#listen().finally(() => (this.#listening = undefined));
  }

  /** Engine use: what this consumer's receives ask of its (maybe shared) feed. */
  get receiveOptions(): ReceiveOptions {
    return { selector: this.ownSelector, owner: this };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener = undefined;
    await this.feed.close(this);
    await this.#listening;
    await this.#session.consumerClosed(this);
  }

  async #receive(timeoutMs: number | undefined): Promise<AnyMessage | null> {
    if (this.#closed) return null;
    await this.#session.waitUntilStarted();
    const d = await this.feed.receive(timeoutMs, this.receiveOptions);
    if (!d) return null;
    if (this.#closed) {
      this.feed.release([d], false);
      return null;
    }
    this.#session.delivered(this, d, true);
    return d.message;
  }

  async #listen(): Promise<void> {
    while (this.#listener && !this.#closed) {
      await this.#session.waitUntilStarted();
      // Short waits, so removing the listener stops the loop without a message.
      const d: Delivery | undefined = await this.feed.receive(200, this.receiveOptions);
      if (!d) continue;
      const listener = this.#listener;
      if (!listener || this.#closed) {
        this.feed.release([d], false);
        return;
      }
      // AUTO/DUPS_OK: acknowledged when the listener returns; one that throws gets it again (8.7).
      this.#session.delivered(this, d, false);
      try {
        await listener(d.message);
        this.#session.listenerReturned(d);
      } catch {
        this.#session.listenerFailed(d);
      }
    }
  }
}

function bodyOf(m: AnyMessage): ReceivedBody {
  switch (m.kind) {
    case 'message':
      return null;
    case 'text':
      return (m as TextMessage).text;
    case 'bytes':
      return (m as BytesMessage).bytes;
    case 'map': {
      const map = m as MapMessage;
      return new Map(map.names().map((n) => [n, map.get(n)!]));
    }
    case 'stream':
      return (m as StreamMessage).values;
    case 'object':
      return (m as ObjectMessage).object;
  }
}
