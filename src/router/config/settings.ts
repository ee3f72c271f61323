/**
 * banyan.yaml's `router:` section: the router's own settings (the data plane's listener, where the
 * route files are, proxy header behaviour) and its control plane's (`admin`, src/router/admin/config.ts).
 * banyan.yaml's schema embeds this section as it is (src/gateway-config.ts); the router decides what
 * it accepts. Absent section: the router does not start.
 */
import { z } from 'zod';
import { boolean, nonEmpty, portOrZero } from '../../config/schema-helpers.ts';
import { routerAdminSchema } from '../admin/config.ts';

export const routerSettingsSchema = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: portOrZero.default(8080),
  routes_dir: nonEmpty.default('mappings/routes'),
  /** Kafka topic for shadow-comparison mismatches (request, both responses, differing fields); created on first use. */
  mismatch_topic: nonEmpty.default('banyan.router.mismatches'),
  /** `x-banyan-upstream: legacy|new` on every proxied response. */
  expose_upstream_header: boolean.default(true),
  /** Take the client address and scheme from X-Forwarded-For/-Proto (only behind a proxy you control). */
  trust_proxy: boolean.default(false),
  /** Also send RFC 7239 `Forwarded` upstream, next to X-Forwarded-For/-Proto/-Host. */
  forwarded_header: boolean.default(false),
  /** Admin API, console, rollout state and audit (src/router/admin/config.ts). */
  admin: routerAdminSchema.optional(),
});

export type RouterSettings = z.output<typeof routerSettingsSchema>;
