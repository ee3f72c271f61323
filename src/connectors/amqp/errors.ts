/**
 * Error codes of the AMQP 1.0 transport (src/connectors/amqp/README.md documents each one).
 * Anything the broker or network can cure by itself is retriable: the transport never gives up on
 * its own, the bridge pipeline retries with back-off and opens a new session. AMQP error
 * conditions (amqp:not-found, amqp:unauthorized-access, ...) are mapped in amqp-conditions.ts.
 */
import { defineErrors } from '../../core/errors.ts';

export const AmqpErrors = defineErrors({
  BANYAN_ERR_AMQP_CONNECT_FAILED: {
    message: 'could not open an AMQP connection to %s: %s',
    retriable: true,
  },
  BANYAN_ERR_AMQP_CONNECTION_LOST: {
    message: 'the AMQP connection to %s was lost (%s); the broker returns the unit of work in flight to its queues',
    retriable: true,
  },
  BANYAN_ERR_AMQP_TIMEOUT: {
    message: 'the AMQP broker at %s did not answer %s within %s ms',
    retriable: true,
  },
  BANYAN_ERR_AMQP_LINK_REFUSED: {
    message: 'the AMQP broker refused a %s link on %s: %s',
    retriable: true,
  },
  BANYAN_ERR_AMQP_NOT_FOUND: {
    message: 'the AMQP broker has no node %s (%s)',
    retriable: false,
  },
  BANYAN_ERR_AMQP_UNAUTHORIZED: {
    message: 'the AMQP broker refused access: %s',
    retriable: false,
  },
  BANYAN_ERR_AMQP_PUT_REJECTED: {
    message: 'the AMQP broker rejected the message put to %s: %s',
    retriable: false,
  },
  BANYAN_ERR_AMQP_PUT_NOT_ACCEPTED: {
    message: 'the AMQP broker did not take the message put to %s (outcome %s)',
    retriable: true,
  },
  BANYAN_ERR_AMQP_TEXT_NOT_UTF8: {
    message: 'a text message put to %s is not valid UTF-8 (AMQP strings are UTF-8; convert it or put it as bytes)',
    retriable: false,
  },
  BANYAN_ERR_AMQP_PROPERTY_INVALID: {
    message: 'property %s of a message put to %s: %s',
    retriable: false,
  },
  BANYAN_ERR_AMQP_SESSION_CLOSED: {
    message: 'the AMQP session was closed; open a new one with connect()',
    retriable: false,
  },
});
