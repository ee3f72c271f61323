/**
 * Error codes of the router's control plane (rollout, admin API, state, audit): BANYAN_ERR_ROUTERCTL_*.
 * Admin API answers carry `code` so scripts can tell a missing reason from a conflict, and the
 * code's `status` (none: 500). UNKNOWN_ROUTE is also what the data plane's RouteControlPort throws
 * for an override of a route id it does not have.
 */
import { defineErrors } from '../../core/errors.ts';

export const RouterControlErrors = defineErrors({
  BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE: { message: 'unknown route "%s"', status: 404 },
  BANYAN_ERR_ROUTERCTL_NO_ROLLOUT: { message: 'route "%s" has no rollout', status: 409 },
  BANYAN_ERR_ROUTERCTL_PHASE: { message: 'route "%s": cannot %s while the rollout is %s', status: 409 },
  BANYAN_ERR_ROUTERCTL_REASON_REQUIRED: { message: 'a reason is required for every change', status: 400 },
  BANYAN_ERR_ROUTERCTL_INVALID_CHANGE: { message: 'invalid change for route "%s": %s', status: 400 },
  BANYAN_ERR_ROUTERCTL_NO_TOKENS: { message: 'the admin API needs at least one bearer token (router.admin.tokens); refusing to start without one' },
  BANYAN_ERR_ROUTERCTL_UNAUTHORIZED: { message: 'missing or invalid bearer token', status: 401 },
  BANYAN_ERR_ROUTERCTL_STATE_UNREADABLE: { message: 'route state %s cannot be read: %s' },
  BANYAN_ERR_ROUTERCTL_STATE_UNWRITABLE: { message: 'route state %s cannot be written: %s', retriable: true },
});
