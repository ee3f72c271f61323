/**
 * Error codes of the Kafka connector: the local broker launcher, topic admin and the publisher.
 * `retriable` tells the pipeline whether to keep the batch and try again (broker away, leader
 * moving) or to stop and surface the problem (record rejected, producer fenced, bad config).
 * kafkajs errors are mapped onto these codes in kafkajs-errors.ts.
 */
import { defineErrors } from '../../core/errors.ts';

export const KafkaErrors = defineErrors({
  // Local broker (local/)
  BANYAN_ERR_KAFKA_TOOL_MISSING: { message: '%s was not found on PATH; the local Kafka needs Java 17+ and Maven (run scripts/setup.sh)' },
  BANYAN_ERR_KAFKA_JARS_UNAVAILABLE: { message: 'could not resolve Apache Kafka %s jars with Maven: %s' },
  BANYAN_ERR_KAFKA_STORAGE_FORMAT_FAILED: { message: 'formatting KRaft storage in %s failed: %s' },
  BANYAN_ERR_KAFKA_DATA_DIR_IN_USE: { message: 'data dir %s is used by a running Kafka (pid %s); stop it first' },
  BANYAN_ERR_KAFKA_DATA_DIR_INVALID: { message: 'data dir %s: %s' },
  BANYAN_ERR_KAFKA_DATA_DIR_TOO_NEW: {
    message:
      'data dir %s was formatted by Kafka %s, whose metadata Kafka %s cannot read (Kafka never lowers metadata.version); ' +
      'run Kafka %s or newer on it (remove kafka.embedded.version), or give the older Kafka a new data dir',
  },
  BANYAN_ERR_KAFKA_BROKER_EXITED: { message: 'local Kafka exited while starting (%s); last log lines:\n%s', retriable: true },
  BANYAN_ERR_KAFKA_BROKER_START_TIMEOUT: { message: 'local Kafka did not answer describeCluster within %s ms; see %s', retriable: true },
  // Client configuration and topic admin
  BANYAN_ERR_KAFKA_CONFIG_INVALID: { message: 'kafka client config: %s' },
  BANYAN_ERR_KAFKA_TOPIC_CREATE_FAILED: { message: 'creating topic %s failed: %s', retriable: true },
  BANYAN_ERR_KAFKA_TOPIC_PARTITIONS_MISMATCH: {
    message: 'topic %s exists with %s partitions but %s are configured; entity keys would map differently, so Banyan will not change it',
  },
  // Publisher
  BANYAN_ERR_KAFKA_BATCH_INVALID: { message: 'publish batch invalid: %s' },
  BANYAN_ERR_KAFKA_PUBLISHER_CLOSED: { message: 'publisher is closed' },
  BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE: { message: 'Kafka unavailable while publishing %s records: %s', retriable: true },
  BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE: { message: 'publishing %s records failed, retry later: %s', retriable: true },
  BANYAN_ERR_KAFKA_RECORD_REJECTED: { message: 'Kafka rejected %s records: %s' },
  BANYAN_ERR_KAFKA_PRODUCER_STATE_LOST: {
    message: 'idempotent producer state lost while publishing %s records (%s); the producer was re-created, so a retry may write duplicates',
    retriable: true,
  },
  BANYAN_ERR_KAFKA_AUTH_FAILED: { message: 'Kafka authentication or authorization failed: %s' },
  // Transactional sink (transactional-sink.ts)
  BANYAN_ERR_KAFKA_PRODUCER_FENCED: {
    message:
      'bridge %s: transactional id %s was fenced (%s): another instance took over the bridge (or a transaction outlived the transaction timeout); this instance stops writing and its open transaction is aborted',
  },
  // Reading (topic-tail.ts)
  BANYAN_ERR_KAFKA_TOPIC_MISSING: { message: 'topic %s does not exist' },
  // A bridge's Kafka source (kafka-source.ts)
  BANYAN_ERR_KAFKA_CONSUMER_FAILED: { message: 'Kafka consumer of group %s failed: %s', retriable: true },
  BANYAN_ERR_KAFKA_COMMIT_FAILED: { message: 'committing offsets of group %s failed: %s' },
  BANYAN_ERR_KAFKA_GROUP_DELETE_FAILED: { message: 'deleting consumer group %s failed: %s (a group with active members cannot be deleted)' },
  // Reading a topic to its end (topic-reader.ts: checkpoints at a bridge's start, banyan consume)
  BANYAN_ERR_KAFKA_READ_RETRIABLE: { message: 'reading topic %s failed, retry later: %s', retriable: true },
  BANYAN_ERR_KAFKA_READ_FAILED: { message: 'reading topic %s failed: %s' },
  // Bridge checkpoints (checkpoint-store.ts)
  BANYAN_ERR_KAFKA_CHECKPOINT_INVALID: {
    message: 'checkpoint topic %s holds a value at offset %s that is not a Banyan checkpoint; fix or tombstone it (a null value for the bridge key resets the bridge)',
  },
});
