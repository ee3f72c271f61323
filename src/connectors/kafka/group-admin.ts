/**
 * Consumer groups and topics as things with a lifetime: what a group has committed, starting a new
 * group at the end of its topics (a subscription that sees only what is published after it was
 * made), deleting a group (a JMS unsubscribe), deleting topics (temporary destinations). The
 * topic admin (topic-admin.ts) creates topics; this module ends them.
 */
import type { Admin } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { connectOnce } from './connect-once.ts';
import { KafkaErrors } from './errors.ts';
import { kafkajsErrorFacts } from './kafkajs-errors.ts';

export interface GroupAdmin {
  /** Per partition of `topic`, the offset `groupId` committed (undefined: none). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint | undefined>>;
  /** Per partition of `topic`, the offset the next record will get (the high watermark). */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** Per partition of `topic`, its first offset still held (low) and the high watermark. */
  offsetRange(topic: string): Promise<Map<number, { low: bigint; high: bigint }>>;
  /**
   * Commits the current end offsets of `topics` for `groupId` where the group has no committed
   * offset yet, so a group that joins later starts exactly here. Resolves with true when the
   * group had no offsets at all (a new group).
   */
  startAtEndIfNew(groupId: string, topics: readonly string[]): Promise<boolean>;
  /** Deletes the groups (missing ones are fine). Rejects when a group still has members. */
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  /** Deletes the topics (missing ones are fine). */
  deleteTopics(topics: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export function createGroupAdmin(kafka: KafkaClient): GroupAdmin {
  const admin = connectOnce<Admin>(() => kafkajsOf(kafka).admin());

  const committedOffsets = async (groupId: string, topic: string) => {
    const a = await admin.get();
    const [entry] = await a.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset) < 0n ? undefined : BigInt(p.offset)]));
  };
  const endOffsets = async (topic: string) => {
    const a = await admin.get();
    return new Map((await a.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  };

  const offsetRange = async (topic: string) => {
    const a = await admin.get();
    return new Map((await a.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]));
  };

  const startAtEndIfNew = async (groupId: string, topics: readonly string[]) => {
    const a = await admin.get();
    let isNew = true;
    for (const topic of topics) {
      const committed = await committedOffsets(groupId, topic);
      const ends = await endOffsets(topic);
      const missing = [...ends].filter(([p]) => committed.get(p) === undefined);
      if (missing.length < ends.size) isNew = false;
      if (missing.length > 0) await a.setOffsets({ groupId, topic, partitions: missing.map(([partition, offset]) => ({ partition, offset: String(offset) })) });
    }
    return isNew;
  };

  return {
    committedOffsets,
    endOffsets,
    offsetRange,
    startAtEndIfNew: (groupId, topics) => retrying(groupId, () => startAtEndIfNew(groupId, topics)),
    async deleteGroups(groupIds) {
      if (groupIds.length === 0) return;
      const a = await admin.get();
      try {
        await a.deleteGroups([...groupIds]);
      } catch (err) {
        // kafkajs reports per group; a group that never committed does not exist, which is fine.
        const groups = (err as { groups?: Array<{ groupId: string; error?: { type?: string; message?: string } }> }).groups ?? [];
        const failures = groups.filter((g) => g.error && g.error.type !== 'GROUP_ID_NOT_FOUND');
        if (groups.length > 0 && failures.length === 0) return;
        const reason = failures.map((g) => `${g.groupId}: ${g.error?.type ?? g.error?.message}`).join('; ') || kafkajsErrorFacts(err).root.message;
        throw new KafkaErrors.BANYAN_ERR_KAFKA_GROUP_DELETE_FAILED(groupIds.join(', '), reason, err as Error);
      }
    },
    async deleteTopics(topics) {
      if (topics.length === 0) return;
      const a = await admin.get();
      const existing = new Set(await a.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length > 0) await a.deleteTopics({ topics: present, timeout: 10_000 });
    },
    close: () => admin.disconnect(),
  };
}

/**
 * Runs `step` again while it fails with a retriable error (a new group's coordinator is still
 * loading: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS), for up to ~10 s.
 */
async function retrying<T>(groupId: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const facts = kafkajsErrorFacts(err);
      if (!facts.retriable || attempt >= 10) throw new KafkaErrors.BANYAN_ERR_KAFKA_COMMIT_FAILED(groupId, facts.root.message, err as Error);
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2000)));
    }
  }
}
