/**
 * Follows a topic and hands each record to a callback, for `banyan consume`: from the beginning or
 * from now, stopping after `max` records, after `idleMs` without one, or when `signal` aborts.
 * With a group the consumed offsets are committed (a second run continues where the first one
 * stopped, like kafka-console-consumer --group); without one it reads in a throwaway group (throwaway-group.ts).
 */
import { kafkajsOf, type KafkaClient } from './client.ts';
import { KafkaErrors } from './errors.ts';
import type { TopicRecord } from './topic-reader.ts';
import { deleteThrowawayGroup, throwawayGroupId } from './throwaway-group.ts';

export interface TailOptions {
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly groupId?: string;
  readonly max?: number;
  /** Stop once this long passed without a record (counted from joining the group until the first one). */
  readonly idleMs?: number;
  readonly signal?: AbortSignal;
}

/** Resolves with the number of records handed to `onRecord`. */
export async function tailTopic(client: KafkaClient, options: TailOptions, onRecord: (r: TopicRecord) => void): Promise<number> {
  const kafka = kafkajsOf(client);
  const admin = kafka.admin();
  await admin.connect();
  // A consumer subscribing to a missing topic fails deep in kafkajs' metadata refresh: say it plainly first.
  if (!(await admin.listTopics()).includes(options.topic)) {
    await admin.disconnect().catch(() => {});
    throw new KafkaErrors.BANYAN_ERR_KAFKA_TOPIC_MISSING(options.topic);
  }
  const groupId = options.groupId ?? throwawayGroupId('consume');
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let count = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const armIdle = () => {
    if (options.idleMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(finish, options.idleMs);
  };
  options.signal?.addEventListener('abort', () => finish(), { once: true });
  try {
    // The idle clock starts once the group is joined: joining can take seconds, reading nothing.
    consumer.on(consumer.events.GROUP_JOIN, () => armIdle());
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning });
    let done = false;
    const running = consumer.run({
      autoCommit: options.groupId !== undefined,
      // Offsets are resolved one by one as records are handed out, so with --max a group's commit
      // covers exactly what was printed, not the rest of the fetched batch.
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, isRunning }) => {
        for (const message of batch.messages) {
          if (done || !isRunning()) break;
          count++;
          onRecord({
            topic: options.topic,
            partition: batch.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            key: message.key,
            value: message.value,
            headers: message.headers as TopicRecord['headers'],
          });
          resolveOffset(message.offset);
          if (options.max !== undefined && count >= options.max) {
            done = true;
            finish();
          }
        }
        if (options.groupId !== undefined) await commitOffsetsIfNecessary();
        if (!done) armIdle();
      },
    });
    await Promise.race([finished, running.then(() => finished)]);
  } finally {
    clearTimeout(idleTimer);
    await consumer.disconnect().catch(() => {});
    if (options.groupId === undefined) await deleteThrowawayGroup(admin, groupId);
    await admin.disconnect().catch(() => {});
  }
  return count;
}
