/**
 * Kafka connector: client factory, Java-compatible keying, topic admin, publisher, readiness probe,
 * local broker. The only folder that knows kafkajs (an architecture test holds it to that).
 */
export { createKafkaClient, type KafkaClient, type KafkaClientDeps } from './client.ts';
export { createKafkaProbe, type KafkaProbe, type KafkaProbeOptions } from './probe.ts';
export { kafkaConnectionSchema, topicSettingsSchema, type KafkaConnectionConfig, type KafkaConnectionInput, type TopicSettings } from './spec.ts';
export { partitionForKey } from './partitioner.ts';
export { createTopicAdmin, type TopicAdmin, type TopicAdminOptions } from './topic-admin.ts';
export { createPublisher, type PublishReceipt, type PublishRecord, type Publisher, type PublisherOptions } from './publisher.ts';
export { publishUntilAcknowledged, type RetryPolicy } from './publish-until-acknowledged.ts';
export { KafkaErrors } from './errors.ts';
export { startLocalKafka, ensureKafkaJars, DEFAULT_KAFKA_VERSION, type LocalKafka, type LocalKafkaOptions } from './local/index.ts';
export { createGroupConsumer, type GroupConsumer, type GroupConsumerOptions, type TopicPartition } from './group-consumer.ts';
export { createGroupAdmin, type GroupAdmin } from './group-admin.ts';
export { createTransactionalProducer, type GroupOffsets, type TransactionalProducer, type TransactionalProducerOptions } from './transactional-producer.ts';
export { readTopicToEnd, type TopicRecord } from './topic-reader.ts';
