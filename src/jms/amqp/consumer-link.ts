/**
 * One JMS consumer's AMQP link (our sender): hands the engine's deliveries out as the client's
 * credit allows, answers drain (receiveNoWait / receive(timeout) / stop in Qpid JMS), and applies
 * the client's outcomes per message (delivery-decisions.ts). Inside a transaction the outcome is
 * held by the transaction until discharge.
 */
import type { JmsConsumer } from '../api/consumer.ts';
import type { Delivery } from '../engine/subscription-feed.ts';
import { toRecord as engineRecordOf } from '../kafka-record-mapping.ts';
import { decideOutcome, type DispositionState } from './delivery-decisions.ts';
import type { RecordPublisher } from './record-publisher.ts';
import { toAmqp, type JmsRecord } from './record-translation.ts';

/** The rhea sender and delivery as this module uses them. */
export interface SenderLike {
  sendable(): boolean;
  send(message: unknown): DeliveryLike;
  set_drained(drained: boolean): void;
  readonly credit: number;
  get_drain?(): boolean;
  is_open(): boolean;
}
export interface DeliveryLike {
  readonly id: number;
}

export interface ConsumerLinkEvents {
  /** A delivery failed in the background (dead letter write, ...); the message stays unacknowledged. */
  error?(e: { link: string; error: Error }): void;
}

export class ConsumerLink {
  readonly consumer: JmsConsumer;
  readonly #sender: SenderLike;
  readonly #publisher: RecordPublisher;
  readonly #events: ConsumerLinkEvents;
  readonly #name: string;
  readonly #inFlight = new Map<DeliveryLike, Delivery>();
  #pumping = false;
  #draining = false;
  #closed = false;

  constructor(o: { name: string; consumer: JmsConsumer; sender: SenderLike; publisher: RecordPublisher; events?: ConsumerLinkEvents }) {
    this.#name = o.name;
    this.consumer = o.consumer;
    this.#sender = o.sender;
    this.#publisher = o.publisher;
    this.#events = o.events ?? {};
  }

  /** Credit arrived (rhea `sendable`) or a drain was asked for (`sender_draining`). */
  flow(draining: boolean): void {
    if (draining) this.#draining = true;
    void this.#pump().catch((error: Error) => this.#events.error?.({ link: this.#name, error }));
  }

  /** The delivery a client disposition is about (undefined: not ours or already settled). */
  deliveryOf(d: DeliveryLike): Delivery | undefined {
    return this.#inFlight.get(d);
  }

  /** The deliveries sent and not settled yet, oldest first. */
  get unsettled(): readonly DeliveryLike[] {
    return [...this.#inFlight.keys()];
  }

  /** Applies a client outcome outside a transaction. */
  async settle(d: DeliveryLike, state: DispositionState): Promise<void> {
    const delivery = this.#inFlight.get(d);
    if (!delivery) return;
    this.#inFlight.delete(d);
    await applyOutcome(delivery, state, this.#publisher).catch((error: Error) => this.#events.error?.({ link: this.#name, error }));
  }

  /** Takes the delivery out of this link's bookkeeping (a transaction now owns its outcome). */
  take(d: DeliveryLike): Delivery | undefined {
    const delivery = this.#inFlight.get(d);
    this.#inFlight.delete(d);
    return delivery;
  }

  /** The link detached: unsettled deliveries go back counted (AMQP 1.0 §2.6.12), then the consumer closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // First stop this link's own waiting receive: it would take what is released next, and a
    // shared feed would then close with the message in hand instead of keeping it for the next consumer.
    this.consumer.feed.cancelReceives(this.consumer);
    const unsettled = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const d of unsettled) d.feed.release([d], true);
    await this.consumer.close();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && this.#sender.is_open()) {
        if (!this.#sender.sendable()) {
          if (this.#draining) this.#finishDrain();
          break;
        }
        // Short waits: a drain is answered promptly, a closed link stops the loop.
        const d = await this.consumer.feed.receive(this.#draining ? 0 : 250, this.consumer.receiveOptions);
        if (this.#closed || !this.#sender.is_open()) {
          if (d) d.feed.release([d], false);
          break;
        }
        if (!d) {
          if (this.#draining) {
            this.#finishDrain();
            break;
          }
          continue;
        }
        const record = stringHeaders(engineRecordOf(d.message));
        const delivery = this.#sender.send(toAmqp(record, d.deliveryCount - 1));
        this.#inFlight.set(delivery, d);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #finishDrain(): void {
    this.#draining = false;
    this.#sender.set_drained(true);
  }
}

/** Acts on a client outcome for one engine delivery. */
export async function applyOutcome(delivery: Delivery, state: DispositionState, publisher: RecordPublisher): Promise<void> {
  const action = decideOutcome(state);
  switch (action.kind) {
    case 'acknowledge':
      delivery.feed.acknowledge(delivery);
      return;
    case 'redeliver':
      delivery.feed.release([delivery], action.counted);
      return;
    case 'dead-letter':
      await publisher.deadLetter(stringHeaders(engineRecordOf(delivery.message)), action.reason, delivery.deliveryCount);
      delivery.feed.acknowledge(delivery);
      return;
  }
}

/** The engine's record (headers may be Buffers) in this endpoint's text form. */
export function stringHeaders(record: { value: Buffer | null; headers: Readonly<Record<string, Buffer | string | undefined>> }): JmsRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.headers)) if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.toString('utf8');
  return { headers, value: record.value };
}
