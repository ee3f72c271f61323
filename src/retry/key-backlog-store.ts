/**
 * The durable copy of the key backlogs (key-backlog.ts): a compacted topic, one record per key that was
 * ever in retry (`<bridge>/<topic>/<key, base64>` -> the backlog as JSON). A key out of retry keeps
 * its record with an empty backlog, not a tombstone: its `next` is how a copy left by a crash is
 * recognised (a sequence number below it that is no longer outstanding). Read to its end when the processor gets partitions (Kafka Connect's KafkaBasedLog
 * pattern, as the bridges' checkpoints), written after every change and before the offset commit
 * that depends on it.
 */
import type { KafkaClient } from '../connectors/kafka/client.ts';
import type { TopicAdmin } from '../connectors/kafka/topic-admin.ts';
import { readTopicToEnd } from '../connectors/kafka/topic-reader.ts';
import type { Publish } from './coalescing-publish.ts';
import { decodeBacklog, encodeBacklog, type KeyBacklog } from './key-backlog.ts';

export const DEFAULT_BACKLOG_TOPIC = 'banyan.retry-keys';

export interface KeyBacklogStore {
  /** Creates the topic when missing and reads every backlog of this bridge. */
  load(): Promise<Map<string, KeyBacklog>>;
  /** Writes one key's backlog; resolves when Kafka acknowledged. */
  save(keyId: string, backlog: KeyBacklog): Promise<void>;
}

/** The id of a key's backlog: the source topic and the key bytes. */
export function backlogKeyId(originalTopic: string, key: Buffer): string {
  return `${originalTopic}/${key.toString('base64')}`;
}

export function createKeyBacklogStore(o: { kafka: KafkaClient; topics: TopicAdmin; publish: Publish; bridge: string; topic?: string }): KeyBacklogStore {
  const topic = o.topic ?? DEFAULT_BACKLOG_TOPIC;
  const prefix = `${o.bridge}/`;
  return {
    async load() {
      await o.topics.ensureTopics([{ topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
      const backlogs = new Map<string, KeyBacklog>();
      await readTopicToEnd(o.kafka, topic, (r) => {
        const k = r.key?.toString('utf8');
        if (k === undefined || !k.startsWith(prefix)) return;
        const id = k.slice(prefix.length);
        const b = r.value === null ? undefined : decodeBacklog(r.value.toString('utf8'));
        if (b) backlogs.set(id, b);
        else backlogs.delete(id);
      }, { isolation: 'read_uncommitted' });
      return backlogs;
    },
    async save(keyId, backlog) {
      await o.publish([{ topic, key: `${prefix}${keyId}`, value: encodeBacklog(backlog) }]);
    },
  };
}
