/**
 * banyan.yaml's `ownership:` section: how gateway instances running the same bridges/ share them.
 * Each bridge is read by one instance, elected through a Kafka consumer group
 * (src/connectors/kafka/group-ownership.ts); these are that group's timings.
 */
import { z } from 'zod';
import { intBetween, nonEmpty, positiveInt } from '../config/schema-helpers.ts';
import { DEFAULT_OWNERSHIP_TOPIC } from '../connectors/kafka/group-ownership.ts';

export const ownershipSettingsSchema = z
  .strictObject({
    /** How this instance appears as a bridge's owner (GET /bridges, metrics); default `<hostname>:<pid>`. */
    instance_id: nonEmpty.optional(),
    /**
     * How long a dead owner keeps its bridges before another instance takes over. The broker only
     * accepts 6-1800 s by default (group.min/max.session.timeout.ms).
     */
    session_timeout_ms: intBetween(6000, 1_800_000).default(10_000),
    heartbeat_interval_ms: positiveInt.default(3000),
    /** The empty one-partition topic the ownership groups subscribe to. */
    topic: z.string().regex(/^[A-Za-z0-9._-]+$/, 'not a valid Kafka topic name').max(249).default(DEFAULT_OWNERSHIP_TOPIC),
  })
  .superRefine((o, ctx) => {
    if (o.heartbeat_interval_ms >= o.session_timeout_ms) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeat_interval_ms'],
        message: 'heartbeat_interval_ms must be below session_timeout_ms (Kafka: typically a third of it)',
        params: { rule: 'range' },
      });
    }
  });

export type OwnershipSettings = z.output<typeof ownershipSettingsSchema>;
