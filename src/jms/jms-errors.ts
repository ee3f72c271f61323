/**
 * Error codes of the JMS facade (src/jms/): one code per JMS exception kind the API can raise
 * (Jakarta Messaging 3.1, chapter 10 "Exceptions": IllegalStateException, InvalidDestinationException,
 * InvalidClientIDException, TransactionRolledBackException, MessageFormatException, ...), so an AMQP
 * endpoint in front of the same engine maps each code to its AMQP condition in one table. Kafka
 * failures underneath keep their own BANYAN_ERR_KAFKA_* codes and arrive as `cause`.
 */
import { defineErrors } from '../core/errors.ts';

export const JmsErrors = defineErrors({
  BANYAN_ERR_JMS_ILLEGAL_STATE: {
    message: '%s',
    retriable: false,
  },
  BANYAN_ERR_JMS_INVALID_DESTINATION: {
    message: 'invalid destination %s: %s',
    retriable: false,
  },
  BANYAN_ERR_JMS_INVALID_CLIENT_ID: {
    message: 'invalid client id %s: %s',
    retriable: false,
  },
  BANYAN_ERR_JMS_TRANSACTION_ROLLED_BACK: {
    message: 'the transaction was rolled back: %s',
    retriable: true,
  },
  BANYAN_ERR_JMS_MESSAGE_FORMAT: {
    message: 'message format: %s',
    retriable: false,
  },
  BANYAN_ERR_JMS_MESSAGE_NOT_WRITEABLE: {
    message: 'the message is read-only: %s (call clearBody() / clearProperties() first)',
    retriable: false,
  },
  BANYAN_ERR_JMS_RECORD_INVALID: {
    message: 'Kafka record %s is not a valid JMS message: %s',
    retriable: false,
  },
  BANYAN_ERR_JMS_SEND_FAILED: {
    message: 'sending to %s failed: %s',
    retriable: true,
  },
  BANYAN_ERR_JMS_ACKNOWLEDGE_FAILED: {
    message: 'acknowledging on %s failed: %s',
    retriable: true,
  },
});
