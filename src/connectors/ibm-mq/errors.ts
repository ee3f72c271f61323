/**
 * Error codes of the IBM MQ transport. MQ reason codes (MQRC) are mapped onto them in exactly one
 * place, mqrc.ts; every message names the MQI verb, the object and the MQRC number and name.
 * `retriable` tells the pipeline whether to keep the batch and reconnect (queue manager away,
 * connection broken, queue temporarily inhibited) or to stop and surface the problem (unknown
 * queue, not authorized, bad channel/TLS config).
 */
import { defineErrors } from '../../core/errors.ts';

export const MqErrors = defineErrors({
  BANYAN_ERR_MQ_DRIVER_MISSING: {
    message:
      'the ibmmq driver could not be loaded (%s). IBM MQ bridges need the IBM MQ C client: install the MQ redistributable ' +
      'client (or a full MQ client) so that libmqm_r is found (setmqenv, LD_LIBRARY_PATH or /opt/mqm), then reinstall the ' +
      'optional dependency with scripts enabled (npm rebuild ibmmq). MQIJS_NOREDIST=true skips its download of the client, ' +
      'MQIJS_LOCAL_URL points it at a local copy, MQIJS_PREFER_INSTALLED_LIBRARY=true prefers an installed MQ over the download',
  },
  BANYAN_ERR_MQ_CONNECTION_LOST: { message: '%s on %s failed: MQRC %s %s (connection to the queue manager lost; a new session reconnects)', retriable: true },
  BANYAN_ERR_MQ_QMGR_UNAVAILABLE: { message: '%s on %s failed: MQRC %s %s (queue manager, channel or host not available now)', retriable: true },
  BANYAN_ERR_MQ_RESOURCE_PROBLEM: { message: '%s on %s failed: MQRC %s %s (transient queue manager problem)', retriable: true },
  BANYAN_ERR_MQ_INHIBITED: { message: '%s on %s failed: MQRC %s %s (the queue is GET/PUT(DISABLED); waiting until it is enabled again)', retriable: true },
  BANYAN_ERR_MQ_QUEUE_FULL: { message: '%s on %s failed: MQRC %s %s (queue at MAXDEPTH; retrying when its readers drained it)', retriable: true },
  BANYAN_ERR_MQ_BACKED_OUT: { message: '%s on %s failed: MQRC %s %s (the queue manager backed the unit of work out; its gets are back on the queue)', retriable: true },
  BANYAN_ERR_MQ_OBJECT_IN_USE: { message: '%s on %s failed: MQRC %s %s (opened exclusively by another application)', retriable: true },
  BANYAN_ERR_MQ_SYNCPOINT_LIMIT: { message: '%s on %s failed: MQRC %s %s (a batch holds more messages than the queue manager\'s MAXUMSGS; lower batch_size or raise MAXUMSGS)' },
  BANYAN_ERR_MQ_UNKNOWN_OBJECT: { message: '%s on %s failed: MQRC %s %s (no such queue on this queue manager; define it or fix the bridge file)' },
  BANYAN_ERR_MQ_NOT_AUTHORIZED: { message: '%s on %s failed: MQRC %s %s (user, password, CHLAUTH or queue authority refused; see the queue manager\'s error log)' },
  BANYAN_ERR_MQ_CONNECTION_CONFIG: { message: '%s on %s failed: MQRC %s %s (queue manager name, channel or TLS settings do not match the queue manager)' },
  BANYAN_ERR_MQ_MESSAGE_TOO_BIG: { message: '%s on %s failed: MQRC %s %s (message longer than the queue\'s or queue manager\'s MAXMSGL)' },
  BANYAN_ERR_MQ_HANDLE_INVALID: { message: '%s on %s failed: MQRC %s %s (the session used a handle the wrong way; this is a Banyan bug, please report it)' },
  BANYAN_ERR_MQ_CALL_FAILED: { message: '%s on %s failed: MQRC %s %s' },
  BANYAN_ERR_MQ_PROPERTY_UNSUPPORTED: { message: 'message property %s: %s' },
  BANYAN_ERR_MQ_DESCRIPTOR_INVALID: { message: 'message descriptor field %s: %s' },
  BANYAN_ERR_MQ_SESSION_CLOSED: { message: 'IBM MQ session to %s is closed' },
});

export type MqErrorCode = keyof typeof MqErrors;
