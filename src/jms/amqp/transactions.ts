/**
 * Local transactions through the coordinator link (AMQP 1.0 §4; Qpid JMS transacted sessions):
 * declare -> declared(txn-id); transfers and consumer dispositions carrying transactional-state are
 * held by their transaction; discharge(fail=false) sends the held records and applies the held
 * outcomes, discharge(fail=true) drops the records and hands the consumed messages out again,
 * counted (JMSRedelivered). Then the discharge is accepted.
 *
 * A discharge(commit) is one Kafka transaction, like the engine's SESSION_TRANSACTED commit: the
 * held records and the consumed (accepted) messages' offsets (sendOffsets) of the connection's
 * transactional producer. Until then nothing is in Kafka, so a connection that dies between declare
 * and discharge leaves nothing for read_committed readers, and its consumed messages come back.
 * Only a transaction's other outcomes (released / modified / rejected) are applied after the commit
 * (a rejected one's dead-letter copy by the idempotent publisher).
 */
import { Declared, outcomes, TXN_CODES, type RheaTyped } from './rhea-patches.ts';
import type { PublishRecord, TransactionalProducer } from '../../connectors/kafka/index.ts';
import { commitWithFeeds, type Delivery, type SubscriptionFeed } from '../engine/subscription-feed.ts';
import { applyOutcome } from './consumer-link.ts';
import { decideOutcome, type DispositionState } from './delivery-decisions.ts';
import type { RecordPublisher } from './record-publisher.ts';

interface Transaction {
  readonly sends: PublishRecord[];
  readonly outcomes: { delivery: Delivery; state: DispositionState }[];
}

interface ControlDelivery {
  update(settled: boolean, state: unknown): void;
}

export class Transactions {
  readonly #publisher: RecordPublisher;
  readonly #open = new Map<string, Transaction>();
  #next = 1;
  /** The connection's Kafka transactional producer, made on the first commit. */
  #kafka: TransactionalProducer | undefined;

  constructor(publisher: RecordPublisher) {
    this.#publisher = publisher;
  }

  /** A transfer on the coordinator link: declare or discharge (AMQP 1.0 §4.5.2 / §4.5.3). */
  async control(body: RheaTyped | undefined, delivery: ControlDelivery): Promise<void> {
    const code = Number(body?.descriptor?.value);
    if (code === TXN_CODES.declare) {
      const id = Buffer.alloc(4);
      id.writeUInt32BE(this.#next++);
      this.#open.set(id.toString('hex'), { sends: [], outcomes: [] });
      delivery.update(true, Declared.create({ txn_id: id }).described());
      return;
    }
    if (code !== TXN_CODES.discharge) {
      delivery.update(true, outcomes.rejected('amqp:decode-error', 'expected declare or discharge'));
      return;
    }
    const fields = body?.value as RheaTyped[];
    const id = Buffer.from(fields[0].value as Buffer).toString('hex');
    const fail = fields[1]?.value === true;
    const txn = this.#open.get(id);
    this.#open.delete(id);
    if (!txn) {
      delivery.update(true, outcomes.rejected('amqp:transaction:unknown-id', `no transaction ${id}`));
      return;
    }
    try {
      if (fail) this.#rollback(txn);
      else await this.#commit(txn);
      delivery.update(true, outcomes.accepted());
    } catch (error) {
      this.#rollback({ sends: [], outcomes: txn.outcomes });
      delivery.update(true, outcomes.rejected('amqp:transaction:rollback', (error as Error).message));
    }
  }

  holdSend(txnId: Buffer, record: PublishRecord): void {
    this.#transaction(txnId).sends.push(record);
  }

  holdOutcome(txnId: Buffer, delivery: Delivery, state: DispositionState): void {
    this.#transaction(txnId).outcomes.push({ delivery, state });
  }

  /** The connection went away: open transactions roll back (AMQP 1.0 §4.3). */
  abandonAll(): void {
    for (const txn of this.#open.values()) this.#rollback(txn);
    this.#open.clear();
    const kafka = this.#kafka;
    this.#kafka = undefined;
    void kafka?.close().catch(() => {});
  }

  #transaction(id: Buffer): Transaction {
    const txn = this.#open.get(id.toString('hex'));
    if (!txn) throw new Error(`no transaction ${id.toString('hex')}`);
    return txn;
  }

  async #commit(txn: Transaction): Promise<void> {
    const consumed = txn.outcomes.filter(({ state }) => decideOutcome(state).kind === 'acknowledge').map(({ delivery }) => delivery);
    const feeds = new Set<SubscriptionFeed>();
    for (const d of consumed) {
      d.feed.acknowledge(d);
      feeds.add(d.feed);
    }
    this.#kafka ??= this.#publisher.transactional();
    await commitWithFeeds(this.#kafka, txn.sends, feeds);
    for (const { delivery, state } of txn.outcomes) if (decideOutcome(state).kind !== 'acknowledge') await applyOutcome(delivery, state, this.#publisher);
  }

  #rollback(txn: Transaction): void {
    for (const { delivery } of txn.outcomes) delivery.feed.release([delivery], true);
  }
}
