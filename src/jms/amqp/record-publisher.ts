/**
 * Writes the records JMS producers send through the endpoint, as they are: the client chose the
 * JMSMessageID, timestamp and expiry, so the engine's JmsProducer (which sets them itself) is not
 * used. Topics come from the engine's naming (kafkaTopicOf) and are created on first use like the
 * engine does; sends share one batching idempotent publisher (the engine's send batcher).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPublisher, createTopicAdmin, createTransactionalProducer, type KafkaClient, type PublishRecord, type TransactionalProducer } from '../../connectors/kafka/index.ts';
import type { JmsMapping } from '../config/spec.ts';
import { isTemporary, type JmsDestination } from '../destination.ts';
import { kafkaTopicOf } from '../engine/naming.ts';
import { createSendBatcher } from '../engine/send-batcher.ts';
import { JmsErrors } from '../jms-errors.ts';
import type { JmsRecord } from './record-translation.ts';

export interface RecordPublisher {
  /** The Kafka record for `record` sent to `destination` (topic, key), without sending it. */
  prepare(destination: JmsDestination, record: JmsRecord, connectionId: string): Promise<PublishRecord>;
  /** Resolves once Kafka acknowledged it. */
  send(record: PublishRecord): Promise<void>;
  /** Copies a delivered record to the dead-letter topic with the reason (x-opt-banyan-reason). */
  deadLetter(record: JmsRecord, reason: string, deliveryCount: number): Promise<void>;
  /** A Kafka transactional producer of its own (one per connection's coordinator; the caller closes it). */
  transactional(): TransactionalProducer;
  /** Topics were deleted (temporary destinations; JmsEngine.onTopicsDeleted). */
  forgetTopics(topics: readonly string[]): void;
  close(): Promise<void>;
}

export function createRecordPublisher(o: { kafka: KafkaClient; mapping: JmsMapping }): RecordPublisher {
  const publisher = createPublisher({ kafka: o.kafka });
  const batcher = createSendBatcher(publisher);
  const topics = createTopicAdmin({ kafka: o.kafka, defaults: { partitions: o.mapping.topics.partitions } });
  const known = new Set<string>();
  /** The coordinators' transactional producers still open (they hear of deleted topics too). */
  const coordinators = new Set<TransactionalProducer>();

  const topicOf = async (d: JmsDestination): Promise<string> => {
    const topic = kafkaTopicOf(d, o.mapping);
    if (known.has(topic)) return topic;
    if (o.mapping.topics.auto_create && !isTemporary(d)) await topics.ensureTopics([{ topic }]);
    else if ((await topics.partitionCount(topic)) === undefined) {
      throw new JmsErrors.BANYAN_ERR_JMS_INVALID_DESTINATION(`${d.kind} ${d.name}`, `Kafka topic ${topic} does not exist`);
    }
    known.add(topic);
    return topic;
  };

  return {
    async prepare(destination, record, connectionId) {
      const topic = await topicOf(destination);
      const headers = { ...record.headers, 'x-opt-banyan-connection-id': connectionId };
      return { topic, key: keyOf(record, o.mapping.key_property), value: record.value, headers };
    },
    send: (record) => sendRetrying(() => batcher.send(record)),
    async deadLetter(record, reason, deliveryCount) {
      const topic = o.mapping.dead_letter_topic;
      if (!known.has(topic)) {
        await topics.ensureTopics([{ topic }]);
        known.add(topic);
      }
      const headers = { ...record.headers, 'x-opt-banyan-reason': reason, 'delivery-count': String(deliveryCount) };
      await batcher.send({ topic, key: keyOf(record, o.mapping.key_property), value: record.value, headers });
    },
    transactional() {
      const id = randomUUID();
      const producer = createTransactionalProducer({ kafka: o.kafka, transactionalId: `${o.mapping.group_prefix}amqp-tx.${id}`, owner: `jms amqp coordinator ${id}` });
      coordinators.add(producer);
      return {
        commit: (records, offsets) => producer.commit(records, offsets),
        forgetTopics: (topics) => producer.forgetTopics(topics),
        close: () => {
          coordinators.delete(producer);
          return producer.close();
        },
      };
    },
    forgetTopics(deleted) {
      for (const t of deleted) known.delete(t);
      publisher.forgetTopics(deleted);
      for (const producer of coordinators) producer.forgetTopics(deleted);
    },
    async close() {
      await batcher.drain().catch(() => {});
      await publisher.close();
      await topics.close();
    },
  };
}

/**
 * Retriable publish failures (a topic created a moment ago and not yet in every broker's metadata:
 * UNKNOWN_TOPIC_OR_PARTITION) are tried again with a short back-off, for up to ~10 s.
 */
async function sendRetrying(send: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable !== true || attempt >= 20) throw err;
      await sleep(Math.min(100 * attempt, 1000));
    }
  }
}

/** The Kafka key: the key property's value (docs/jms-kafka-mapping.md), JMSXGroupID by default. */
function keyOf(record: JmsRecord, keyProperty: string): string | null {
  if (keyProperty === 'JMSXGroupID') return record.headers['group-id'] ?? null;
  const typed = record.headers[`jms-property.${keyProperty}`];
  return typed === undefined ? null : typed.slice(typed.indexOf(':') + 1);
}
