/**
 * Error codes of the JMS AMQP 1.0 endpoint (src/jms/amqp/). AMQP error conditions sent to clients
 * are chosen in amqp-conditions.ts; these codes are what Banyan itself raises or logs.
 */
import { defineErrors } from '../../core/errors.ts';

export const JmsAmqpErrors = defineErrors({
  BANYAN_ERR_JMS_AMQP_RHEA_CHANGED: {
    message: 'rhea %s is not the release the endpoint patches were written for (%s): %s; review docs/rhea-patches.md before upgrading',
    retriable: false,
  },
  BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID: {
    message: 'JMS message %s cannot be translated: %s: %s',
    retriable: false,
  },
});
