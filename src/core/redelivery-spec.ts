/**
 * A bridge file's `redelivery:` block: the non-blocking retry path of a Kafka -> target bridge
 * (issue 15; Uber's reliable reprocessing, Spring Kafka's @RetryableTopic). Not to be confused with
 * `retry:`, the back-off of the bridge's own connections (Kafka or the source unavailable).
 *
 * ```yaml
 * redelivery:
 *   tiers: [{ delay_ms: 5000 }, { delay_ms: 60000 }, { delay_ms: 600000 }]   # <topic>.retry.1 .. .3
 *   jitter: 0.1        # each delay drawn from delay * (1 +- jitter)
 *   ordering: key      # key: a key in retry holds its later records behind it; none: independent
 * ```
 * After the last tier a record is parked on `<topic>.dlq` (or `dead_letter.topic`).
 */
import { z } from 'zod';
import { numberBetween, positiveInt } from '../config/schema-helpers.ts';

export const DEFAULT_REDELIVERY_TIERS = [{ delay_ms: 5_000 }, { delay_ms: 60_000 }, { delay_ms: 600_000 }] as const;

export const redeliverySchema = z.strictObject({
  /** One retry topic per tier, `<topic>.retry.<n>`, each waited on for `delay_ms` after the failure. At most 10. */
  tiers: z
    .array(z.strictObject({ delay_ms: positiveInt }))
    .min(1)
    .max(10)
    .default(DEFAULT_REDELIVERY_TIERS.map((t) => ({ ...t }))),
  /** Fraction of each delay drawn at random either way, so records that failed together do not retry together. */
  jitter: numberBetween(0, 1).default(0.1),
  /** `key` (entity-keyed topics): per-key order kept through the retry path. `none`: each record retries alone. */
  ordering: z.enum(['key', 'none']).default('key'),
});

export type RedeliveryConfig = z.output<typeof redeliverySchema>;
