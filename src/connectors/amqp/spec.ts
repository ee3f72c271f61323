/**
 * Config spec of an AMQP 1.0 source (`source: { amqp: ... }` in bridges/*.yaml; any AMQP 1.0 broker,
 * tested against ActiveMQ Artemis). The source itself comes with the AMQP bridge issue.
 */
import { z } from 'zod';
import { boolean, nonEmpty, port, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

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
});

export type AmqpSourceConfig = z.output<typeof amqpSourceSchema>;
