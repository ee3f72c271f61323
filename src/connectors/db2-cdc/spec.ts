/**
 * Config spec of a Db2 CDC source (`source: { db2_cdc: ... }` in bridges/*.yaml): reads the ASN
 * capture's change-data tables. The source itself comes with the Db2 CDC bridge issue.
 */
import { z } from 'zod';
import { nonEmpty, port, positiveInt } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';

export const db2CdcSourceSchema = z.strictObject({
  host: nonEmpty,
  port: port.default(50000),
  database: nonEmpty,
  user: nonEmpty,
  password: secret(z.string()),
  platform: z.enum(['luw', 'zos']).default('luw'),
  /** Schema of the ASN capture control and CD tables (Debezium's default: ASNCDC). */
  capture_schema: nonEmpty.default('ASNCDC'),
  tables: z.array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'expected SCHEMA.TABLE')).min(1),
  poll_interval_ms: positiveInt.optional(),
  batch_size: positiveInt.optional(),
});

export type Db2CdcSourceConfig = z.output<typeof db2CdcSourceSchema>;
