/** Error codes of the observability server and the gateway lifecycle (src/index.ts). */
import { defineErrors } from '../core/errors.ts';

export const ObservabilityErrors = defineErrors({
  BANYAN_ERR_OBSERVABILITY_LISTEN_FAILED: { message: 'metrics/health server could not listen on %s:%s: %s' },
  BANYAN_ERR_GATEWAY_START_FAILED: { message: 'gateway failed to start: %s', retriable: true },
  BANYAN_ERR_GATEWAY_STOPPED: { message: 'gateway was stopped; build a new one to start again' },
});
