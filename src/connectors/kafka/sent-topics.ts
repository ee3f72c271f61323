/**
 * Which topics a kafkajs producer instance sent to, and whether one of them was deleted since. A
 * kafkajs producer asks for the metadata of every topic it ever sent to (its Cluster.targetTopics
 * only grows) and, once one is gone, every refresh fails with UNKNOWN_TOPIC_OR_PARTITION, so no
 * send to a new topic gets through: its owner replaces it before the next send (publisher.ts,
 * transactional-producer.ts).
 */
export class SentTopics {
  #sent = new Set<string>();
  #deleted = false;

  add(topic: string): void {
    this.#sent.add(topic);
  }

  /** These topics were deleted: true from now on if the producer sent to one of them. */
  forget(topics: readonly string[]): void {
    if (topics.some((t) => this.#sent.has(t))) this.#deleted = true;
  }

  /** The producer must be replaced before its next send (then reset()). */
  get replacementDue(): boolean {
    return this.#deleted;
  }

  /** A new producer instance: it has sent to nothing yet. */
  reset(): void {
    this.#sent = new Set();
    this.#deleted = false;
  }
}
