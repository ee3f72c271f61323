/**
 * Entity key -> partition, identical to the Java client's default partitioner for keyed records:
 * `Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions` (Kafka clients
 * BuiltInPartitioner.partitionForKey). String keys hash as their UTF-8 bytes, like Java's
 * StringSerializer. kafkajs' DefaultPartitioner implements exactly this (kafkajs 2.0 made it the
 * default); it is reused here rather than re-implemented, and proven against Kafka's own Java code
 * by test/unit/connectors/kafka/partitioner.test.ts. One known divergence: a JS string with a lone
 * UTF-16 surrogate encodes to U+FFFD's bytes here but to '?' in Java's getBytes(UTF_8).
 */
import { Partitioners, type PartitionMetadata } from 'kafkajs';

/** The partition the Java client (and Banyan's publisher) picks for `key` among `partitions`. */
export function partitionForKey(key: string | Buffer, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  return keyed({ topic: '', partitionMetadata: metadataFor(partitions), message: { key, value: null } });
}

const keyed = Partitioners.DefaultPartitioner();
const metadataCache = new Map<number, PartitionMetadata[]>();

// The partitioner only reads the partition count for keyed records; leaders and replicas are
// placeholders.
function metadataFor(partitions: number): PartitionMetadata[] {
  let m = metadataCache.get(partitions);
  if (!m) {
    m = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
    }));
    metadataCache.set(partitions, m);
  }
  return m;
}
