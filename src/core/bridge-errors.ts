/** Error codes of the bridge pipeline itself (src/core/bridge-pipeline.ts). */
import { defineErrors } from './errors.ts';

export const BridgePipelineErrors = defineErrors({
  /** `retry.max_attempts` consecutive retriable failures: the bridge stops instead of retrying on; the cause is the last failure. */
  BANYAN_ERR_BRIDGE_RETRIES_EXHAUSTED: { message: 'bridge gave up after %s consecutive failed attempts (retry.max_attempts) at %s: %s' },
});
