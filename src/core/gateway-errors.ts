/** Error codes of the gateway lifecycle (buildGateway's start and stop, src/index.ts). */
import { defineErrors } from './errors.ts';

export const GatewayErrors = defineErrors({
  /** A component, Kafka or the observability server failed while starting; the cause says which. */
  BANYAN_ERR_GATEWAY_START_FAILED: { message: 'gateway failed to start: %s', retriable: true },
  /** start() after stop(): a gateway runs once. */
  BANYAN_ERR_GATEWAY_STOPPED: { message: 'gateway was stopped; build a new one to start again' },
});
