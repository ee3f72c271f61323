/** The local Apache Kafka launcher: embedded default of `banyan start` and the test broker. */
export { startLocalKafka, type LocalKafka, type LocalKafkaOptions } from './launcher.ts';
export { DEFAULT_KAFKA_VERSION, PREVIOUS_DEFAULT_KAFKA_VERSION, ensureKafkaJars, kafkaCacheRoot } from './jars.ts';
export { runningLocalKafkaBrokers } from './data-dir.ts';
