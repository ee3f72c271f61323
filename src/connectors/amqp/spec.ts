/**
 * Config spec of an AMQP 1.0 source (`source: { amqp: ... }` in bridges/*.yaml; any AMQP 1.0 broker,
 * tested against ActiveMQ Artemis). The connection keys feed the transport (amqp-transport.ts,
 * `amqpTransportOptions`); README.md documents every key.
 */
import { z } from 'zod';
import { boolean, intBetween, nonEmpty, nonNegativeInt, port, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';
import { queueSourceOptionsShape } from '../ibm-mq/queue-options.ts';

export const amqpSourceSchema = z.strictObject({
  host: nonEmpty,
  port: port.default(5672),
  /** AMQP 1.0 node address (queue name on Artemis). */
  address: nonEmpty,
  username: nonEmpty.optional(),
  password: secret(z.string()).optional(),
  tls: boolean.default(false),
  container_id: nonEmpty.optional(),
  credit: positiveInt.optional(),
  /**
   * AMQP has no BOTHRESH/BOQNAME queue attributes: they are configured here, so the bridge's
   * poison-message logic is the same on both transports. 0: no threshold.
   */
  backout_threshold: nonNegativeInt.default(0),
  /** Where messages over the threshold go; blank: the bridge's dead-letter handling. */
  backout_queue: z.string().default(''),
  /** How long the transport waits for the broker to answer (open, attach, a put's outcome). */
  operation_timeout_ms: positiveInt.default(30_000),
  /** At most this many messages per batch (one unit of work); default the bridge's `batch.max_records`. */
  batch_size: positiveInt.optional(),
  /** How long a get waits for a first message before the bridge polls again. */
  wait_interval_ms: positiveInt.optional(),
  ...queueSourceOptionsShape,
});

export type AmqpSourceConfig = z.output<typeof amqpSourceSchema>;

/** `sink: { amqp: ... }`: Kafka -> an AMQP 1.0 address (JMS applications on Artemis), the same sink as IBM MQ's (queue-sink.ts). */
export const amqpSinkSchema = z.strictObject({
  host: nonEmpty,
  port: port.default(5672),
  /** Where records go (replies go to their request's reply-to instead, in `reply` mode). */
  address: nonEmpty,
  username: nonEmpty.optional(),
  password: secret(z.string()).optional(),
  tls: boolean.default(false),
  container_id: nonEmpty.optional(),
  operation_timeout_ms: positiveInt.default(30_000),
  /** `copybook`: encoded by the mapping (a JMS BytesMessage); `text`: a JMS TextMessage; `bytes`: as is. */
  payload: z.enum(['copybook', 'text', 'bytes']).default('copybook'),
  mode: z.enum(['put', 'reply']).default('put'),
  persistent: boolean.default(true),
  priority: intBetween(0, 9).optional(),
  /** Tenths of a second; absent: unlimited. */
  expiry: positiveInt.optional(),
});

export type AmqpSinkConfig = z.output<typeof amqpSinkSchema>;
