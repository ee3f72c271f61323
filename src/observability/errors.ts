/** Error codes of the observability server (/metrics, /health). */
import { defineErrors } from '../core/errors.ts';

export const ObservabilityErrors = defineErrors({
  BANYAN_ERR_OBSERVABILITY_LISTEN_FAILED: { message: 'metrics/health server could not listen on %s:%s: %s' },
});
