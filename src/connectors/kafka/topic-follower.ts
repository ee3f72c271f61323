/**
 * Follows a topic from its beginning for as long as the process needs it, in a throwaway group
 * that never commits (the caller keeps its own position, e.g. in a checkpoint) and is deleted on
 * close. Used for control topics such as the CDC bridge's signal topic.
 */
import type { Consumer } from 'kafkajs';
import { kafkajsOf, type KafkaClient } from './client.ts';
import { deleteThrowawayGroup, throwawayGroupId } from './throwaway-group.ts';

export interface FollowedRecord {
  readonly key: string | null;
  readonly value: string | null;
  /** Offset on the topic (decimal). */
  readonly offset: string;
}

export interface TopicFollower {
  /** Resolves once the consumer is subscribed and running (joining a group takes a few seconds). */
  started(): Promise<void>;
  close(): Promise<void>;
}

/** Starts on the first `started()` call, so a follower nobody asks anything of costs nothing. */
export function followTopic(client: KafkaClient, topic: string, purpose: string, onRecord: (r: FollowedRecord) => void): TopicFollower {
  let consumer: Consumer | undefined;
  let groupId: string | undefined;
  let starting: Promise<void> | undefined;
  const start = async () => {
    groupId = throwawayGroupId(purpose);
    const c = (consumer = kafkajsOf(client).consumer({ groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false }));
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        onRecord({ key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? null, offset: message.offset });
      },
    });
  };
  return {
    started() {
      starting ??= start();
      return starting;
    },
    async close() {
      await starting?.catch(() => {});
      const c = consumer;
      consumer = undefined;
      starting = undefined;
      if (!c) return;
      await c.disconnect().catch(() => {});
      const admin = kafkajsOf(client).admin();
      await admin.connect().catch(() => {});
      await deleteThrowawayGroup(admin, groupId!);
      await admin.disconnect().catch(() => {});
    },
  };
}
