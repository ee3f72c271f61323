/**
 * Error codes of the router's data plane (BANYAN_ERR_ROUTER_*). Upstream failures are retriable
 * from the client's point of view (the gateway answers 502/503/504), config and override mistakes
 * are not.
 */
import { defineErrors } from '../core/errors.ts';

export const RouterErrors = defineErrors({
  BANYAN_ERR_ROUTER_NO_ROUTE: { message: 'no route matches %s %s and no default route is configured' },
  BANYAN_ERR_ROUTER_UNKNOWN_ROUTE: { message: 'unknown route "%s"' },
  BANYAN_ERR_ROUTER_INVALID_OVERRIDE: { message: 'invalid override for route "%s": %s' },
  BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT: { message: 'upstream %s did not answer within %s ms', retriable: true },
  BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE: { message: 'upstream %s failed: %s', retriable: true },
  BANYAN_ERR_ROUTER_BREAKER_OPEN: { message: 'breaker of upstream %s is open', retriable: true },
  BANYAN_ERR_ROUTER_INTERNAL: { message: 'the router failed to handle %s: %s' },
});
