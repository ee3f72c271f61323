/**
 * What the retry integration tests share: the processor on the shared test Kafka with short tier
 * delays, its source topic, a publisher for the test's events, and teardown.
 */
import { createPublisher, type Publisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin, type TopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import type { KafkaClient } from '../../../src/connectors/kafka/client.ts';
import { createRetryProcessor, type RetryProcessorEvents, type RetrySummary } from '../../../src/retry/retry-processor.ts';
import type { RedeliveryPolicy } from '../../../src/retry/decide-step.ts';
import type { DeliveryTarget } from '../../../src/retry/delivery-target.ts';
import { testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

export interface RunningProcessor {
  readonly topic: string;
  readonly kafka: KafkaClient;
  readonly admin: TopicAdmin;
  readonly publisher: Publisher;
  /** Publishes test events: `[key, id]` pairs, the id as banyan-event-id and in the JSON body. */
  send(events: ReadonlyArray<readonly [key: string | null, id: string]>): Promise<void>;
  stop(): Promise<RetrySummary>;
}

export async function startProcessor(o: {
  target: DeliveryTarget;
  policy: RedeliveryPolicy;
  partitions?: number;
  events?: RetryProcessorEvents;
  topic?: string;
}): Promise<RunningProcessor> {
  const topic = o.topic ?? uniqueTopic('retry-src');
  const kafka = testKafkaClient();
  const admin = createTopicAdmin({ kafka, defaults: { partitions: o.partitions ?? 3 } });
  const publisher = createPublisher({ kafka });
  await admin.ensureTopics([{ topic, partitions: o.partitions ?? 3 }]);
  const abort = new AbortController();
  const processor = createRetryProcessor({
    bridge: `bridge-${topic}`,
    kafka,
    topics: admin,
    publisher,
    sourceTopics: [topic],
    groupId: `group-${topic}`,
    target: o.target,
    policy: o.policy,
    backlogTopic: `${topic}.keys`,
    ...(o.events ? { events: o.events } : {}),
  });
  const done = processor.run(abort.signal);
  done.catch(() => {});
  return {
    topic,
    kafka,
    admin,
    publisher,
    async send(events) {
      await publisher.publish(events.map(([key, id]) => ({ topic, key, value: JSON.stringify({ id }), headers: { 'banyan-event-id': id } })));
    },
    async stop() {
      abort.abort();
      try {
        return await done;
      } finally {
        await publisher.close();
        await admin.close();
      }
    },
  };
}

export const FAST_TIERS: RedeliveryPolicy = { tierDelaysMs: [300, 400, 500], jitter: 0.1, ordering: 'none' };
