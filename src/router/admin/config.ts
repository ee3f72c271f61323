/**
 * `router.admin` in banyan.yaml: the control plane's own settings. snake_case like the rest of
 * banyan.yaml. Tokens come from `${ENV}` so they never sit in git; there must be at least one, or
 * the admin API refuses to start (issue 3: "bearer token; refuses without one").
 *
 * ```yaml
 * router:
 *   admin:
 *     port: 9901
 *     tokens:
 *       - { name: release-bot, token: "${BANYAN_ADMIN_TOKEN}" }
 *     state_file: var/router-state.json
 *     audit_topic: banyan.router.audit.v1
 *     decommission: { legacy_zero_days: 14, min_match_rate: 0.999, min_comparisons: 1000 }
 * ```
 */
import { z } from 'zod';
import { fromEnv, nonEmpty, nonNegativeInt, numberBetween, portOrZero } from '../../config/schema-helpers.ts';
import { secret } from '../../config/secrets.ts';
import { DEFAULT_AUDIT_TOPIC } from '../audit/kafka-audit-sink.ts';

export const adminTokenSchema = z.strictObject({
  /** Recorded as the actor of every change made with this token. */
  name: z.string().regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, ".", "_", "@" and "-"'),
  /** At least 16 characters: a guessable admin token would defeat the point. */
  token: secret(z.string().min(16, 'an admin token needs at least 16 characters')),
});

export const routerAdminSchema = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: portOrZero.default(9901),
  tokens: z.array(adminTokenSchema).min(1, 'at least one admin token is required'),
  /** Where overrides and rollout progress survive restarts. */
  state_file: nonEmpty.default('var/router-state.json'),
  audit_topic: nonEmpty.default(DEFAULT_AUDIT_TOPIC),
  decommission: z
    .strictObject({
      legacy_zero_days: fromEnv(z.number().min(0)).default(14),
      min_match_rate: numberBetween(0, 1).default(0.999),
      min_comparisons: nonNegativeInt.default(1000),
    })
    .prefault({}),
});

export type RouterAdminConfig = z.output<typeof routerAdminSchema>;
export type AdminToken = z.output<typeof adminTokenSchema>;
