/**
 * Error codes of the router's data plane (BANYAN_ERR_ROUTER_*), each with the HTTP status the router
 * answers it with. Upstream failures are retriable from the client's point of view (502/503/504),
 * config and override mistakes are not. An override for an unknown route id is the route control
 * port's BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE (rollout/control-errors.ts), the code the admin API answers.
 */
import { defineErrors } from '../core/errors.ts';

export const RouterErrors = defineErrors({
  BANYAN_ERR_ROUTER_NO_ROUTE: { message: 'no route matches %s %s and no default route is configured', status: 404 },
  BANYAN_ERR_ROUTER_INVALID_OVERRIDE: { message: 'invalid override for route "%s": %s', status: 400 },
  BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT: { message: 'upstream %s did not answer within %s ms', retriable: true, status: 504 },
  BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE: { message: 'upstream %s failed: %s', retriable: true, status: 502 },
  BANYAN_ERR_ROUTER_BREAKER_OPEN: { message: 'breaker of upstream %s is open', retriable: true, status: 503 },
  BANYAN_ERR_ROUTER_INTERNAL: { message: 'the router failed to handle %s: %s', status: 500 },
});
