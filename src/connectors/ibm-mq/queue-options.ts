/**
 * The bridge-level keys every queue source takes, whichever transport (`ibm_mq`, `amqp`): what the
 * payload is, what keys the Kafka record, whether order matters, where poison messages go.
 * Merged into each transport's source spec.
 */
import { z } from 'zod';
import { boolean, nonEmpty } from '../../config/schema-helpers.ts';

export const queueKeySchema = z.union([
  z.enum(['field', 'correl_id', 'group_id', 'msg_id']),
  z.strictObject({ property: nonEmpty }),
]);

/** Content-based routing by a message header: the first rule whose header has the value picks the topic. */
export const queueRouteSchema = z.strictObject({
  /** A queue header (docs/queue-headers.md), e.g. `mq-property.region` or `mq-queue`. */
  header: nonEmpty,
  equals: z.string(),
  topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249),
});

export const queueSourceOptionsShape = {
  /**
   * Topics chosen by a header (a property the sending program sets, the queue a message came from),
   * before the mapping's own topic; a message no rule matches goes where the mapping says. Routing by
   * a decoded field is the mapping's `segments`.
   */
  routes: z.array(queueRouteSchema).optional(),
  /**
   * `copybook`: the record mapping decodes it (binary, never converted by MQ); `text`: the body as
   * UTF-8 text (MQSTR, converted by MQ when `convert_text` is on); `bytes`: passed through as is.
   */
  payload: z.enum(['copybook', 'text', 'bytes']).default('copybook'),
  /** What keys the Kafka record: the mapping's entity `field` (default), an MQMD id, or a message property. */
  key: queueKeySchema.default('field'),
  /** `false`: order does not matter, every gateway instance may read the queue at once (no single owner). */
  ordered: boolean.default(true),
  /** The queue manager's dead-letter queue, for poison messages of a queue without BOQNAME. */
  dead_letter_queue: nonEmpty.optional(),
  /**
   * The queue holds a legacy server's replies to requests Banyan put for new services: each reply's
   * CorrelId gives back the service's `banyan-correlation-id` header (docs/queue-headers.md).
   */
  restore_correlation_id: boolean.default(false),
};

export type QueueKey = z.output<typeof queueKeySchema>;
export type QueueRoute = z.output<typeof queueRouteSchema>;
