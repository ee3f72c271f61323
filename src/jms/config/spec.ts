/**
 * The `jms-mapping` config kind (mappings/jms.yaml): how JMS destinations and subscriptions map
 * onto Kafka topics and consumer groups, which property becomes the Kafka key, and where messages
 * go that are not delivered (dead letters after `max_deliveries`, expired messages). The single
 * source of these rules: the engine takes the parsed value, `banyan validate` checks the file.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, positiveInt } from '../../config/schema-helpers.ts';

/** A prefix that keeps topic and group names within Kafka's characters. */
const prefix = z.string().regex(/^[A-Za-z0-9._-]*$/, 'only A-Z a-z 0-9 . _ - (it starts Kafka topic and group names)');
const topicName = nonEmpty.regex(/^[A-Za-z0-9._-]+$/, 'a Kafka topic name: A-Z a-z 0-9 . _ -');

export const jmsMappingSchema = z.strictObject({
  topics: z
    .strictObject({
      /** Kafka topic of queue `q`: `<queue_prefix>q`. */
      queue_prefix: prefix.default('jms.queue.'),
      /** Kafka topic of topic `t`: `<topic_prefix>t`. */
      topic_prefix: prefix.default('jms.topic.'),
      /** Kafka topic of a temporary queue or topic: `<temporary_prefix><generated name>`. */
      temporary_prefix: prefix.default('jms.temp.'),
      /** Partitions of topics the engine creates (a queue's consumers share them; more partitions, more parallel consumers). */
      partitions: intBetween(1, 1000).default(3),
      /** Create a destination's topic on first use (off: a missing topic is an InvalidDestination). */
      auto_create: boolean.default(true),
    })
    .prefault({}),
  /** Consumer groups are `<group_prefix>queue.<name>`, `<group_prefix>durable.<clientId>.<name>`, ... */
  group_prefix: prefix.default('jms.'),
  /** The property whose value is the Kafka key, so ordering per key holds; a message without it has a null key. */
  key_property: nonEmpty.default('JMSXGroupID'),
  /** Deliveries of one message before it goes to the dead-letter topic (Artemis max-delivery-attempts: 10). */
  max_deliveries: positiveInt.default(10),
  dead_letter_topic: topicName.default('jms.DLQ'),
  expiry_topic: topicName.default('jms.ExpiryQueue'),
  /** AUTO_ACKNOWLEDGE commits acknowledged offsets at most this often (DUPS_OK: 10 x as rarely). */
  commit_interval_ms: positiveInt.default(100),
  /** Messages a consumer fetches ahead of receive() before fetching pauses. */
  prefetch: positiveInt.default(1000),
});

export type JmsMappingInput = z.input<typeof jmsMappingSchema>;
export type JmsMapping = z.output<typeof jmsMappingSchema>;

/** The mapping with every default, from what the caller gave (throws a ZodError on bad input). */
export function jmsMappingOf(input: JmsMappingInput = {}): JmsMapping {
  return Object.freeze(jmsMappingSchema.parse(input));
}
