/**
 * QueueBrowser (5.9): the messages waiting on a queue, without consuming them: the queue's topic
 * from the queue group's committed offsets to its end, selected, unexpired, delivery time reached.
 * A snapshot: messages acknowledged but not yet committed (AUTO_ACKNOWLEDGE commits in batches)
 * may still show.
 */
import { readTopicToEnd } from '../../connectors/kafka/index.ts';
import type { JmsDestination } from '../destination.ts';
import type { EngineCore } from '../engine/engine-core.ts';
import { groupIdOf } from '../engine/naming.ts';
import { fromRecord } from '../kafka-record-mapping.ts';
import type { AnyMessage } from '../message.ts';
import type { MessageSelector } from '../selector/selector-contract.ts';
import { selectorSubjectOf } from '../selector-subject.ts';

export class JmsQueueBrowser {
  readonly queue: JmsDestination;
  readonly messageSelector: string | null;
  readonly #core: EngineCore;
  readonly #selector: MessageSelector | undefined;

  /** Made by JmsContext.createBrowser. */
  constructor(core: EngineCore, queue: JmsDestination, selector: MessageSelector | undefined) {
    this.#core = core;
    this.queue = queue;
    this.#selector = selector;
    this.messageSelector = selector?.text ?? null;
  }

  /** The waiting messages in partition order (Java's getEnumeration()). */
  async getMessages(): Promise<AnyMessage[]> {
    const topic = await this.#core.ensureDestination(this.queue);
    const committed = await this.#core.groups.committedOffsets(groupIdOf(this.queue, { kind: 'queue' }, this.#core.mapping), topic);
    const now = this.#core.clock();
    const out: AnyMessage[] = [];
    await readTopicToEnd(this.#core.kafka, topic, (r) => {
      if (BigInt(r.offset) < (committed.get(r.partition) ?? 0n)) return;
      let m: AnyMessage;
      try {
        m = fromRecord(r, `${r.topic}/${r.partition}@${r.offset}`);
      } catch {
        return; // a consumer moves it to the dead-letter topic
      }
      if (m.JMSExpiration !== 0 && m.JMSExpiration <= now) return;
      if (m.JMSDeliveryTime > now) return;
      if (this.#selector && !this.#selector.matches(selectorSubjectOf(m))) return;
      m.markReceived(undefined);
      out.push(m);
    });
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AnyMessage> {
    yield* await this.getMessages();
  }

  /** Nothing to release: each getMessages() reads with a throwaway group. */
  close(): void {}
}
