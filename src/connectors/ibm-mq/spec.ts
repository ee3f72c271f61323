/**
 * Config spec of an IBM MQ source (`source: { ibm_mq: ... }` in bridges/*.yaml). The source itself
 * (reading under syncpoint, committing after Kafka acknowledged) comes with the MQ bridge issue; the
 * spec is here now so `banyan validate` checks bridge files against the connector that will run them.
 */
import { z } from 'zod';
import { nonEmpty, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

// IBM MQ object names: at most 48 characters (queue manager, queue) or 20 (channel) from
// A-Z a-z 0-9 . / _ % (IBM MQ docs, "Rules for naming IBM MQ objects").
const mqName = (max: number) => z.string().regex(/^[A-Za-z0-9./_%]+$/, 'not a valid IBM MQ name').max(max);

export const ibmMqSourceSchema = z.strictObject({
  queue_manager: mqName(48),
  channel: mqName(20),
  queue: mqName(48),
  /** CONNAME syntax: `host(port)`, comma-separated for multi-instance queue managers. */
  connection: z.string().regex(/^[^\s(),]+\(\d{1,5}\)(,[^\s(),]+\(\d{1,5}\))*$/, 'expected host(port)[,host(port)...]').optional(),
  user: nonEmpty.optional(),
  password: secret(z.string()).optional(),
  cipher_spec: nonEmpty.optional(),
  batch_size: positiveInt.optional(),
  wait_interval_ms: positiveInt.optional(),
});

export type IbmMqSourceConfig = z.output<typeof ibmMqSourceSchema>;
