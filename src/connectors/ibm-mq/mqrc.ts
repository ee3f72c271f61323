/**
 * MQ reason codes onto Banyan's MQ error codes, in one table (kafkajs src/protocol/error.js style).
 * Meanings from IBM MQ docs, "API completion and reason codes" (MQRC 2001-2999). Retriable means a
 * new session later can succeed without anyone changing anything; the pipeline keeps the batch
 * (its gets went back to the queue with the backout) and reconnects with capped back-off, never
 * giving up.
 *
 * Decisions worth stating:
 * - 2003 BACKED_OUT (MQCMIT found the unit of work backed out, e.g. after a failover): retriable;
 *   the messages are on the queue again and are got again (at-least-once, same MsgId).
 * - 2016 GET_INHIBITED / 2051 PUT_INHIBITED: an operator's GET(DISABLED)/PUT(DISABLED) is a pause,
 *   not a fault (IBM's kafka-connect-mq-source retries GET_INHIBITED too): retriable.
 * - 2024 SYNCPOINT_LIMIT_REACHED: the same batch would hit MAXUMSGS again: not retriable, the
 *   message says which knob to turn.
 * - 2035 NOT_AUTHORIZED: IBM's connector retries it; Banyan does not. It needs a person (a
 *   CHLAUTH rule, a password, a setmqaut), and reconnecting every few seconds with a wrong password
 *   locks LDAP/OS accounts out. The bridge stops, not ready, with the MQRC in its status.
 * - 2548 RECONNECT_FAILED / 2556 RECONNECT_TIMED_OUT (MQ client auto-reconnect gave up): retriable,
 *   Banyan's own reconnect (a new session) takes over where the client's stopped (issue 169 of
 *   kafka-connect-mq-source is exactly a connector that gave up here).
 * - 2018 HCONN_ERROR, 2019 HOBJ_ERROR, 2460 HMSG_ERROR, 2037-2039 NOT_OPEN_FOR_*, 2500
 *   HCONN_ASYNC_ACTIVE: the session misused a handle; a bug to fix, not to retry.
 */
import { BanyanError } from '../../core/errors.ts';
import { MqErrors, type MqErrorCode } from './errors.ts';
import { isMqiError } from './mqi-api.ts';

export interface ReasonCode {
  readonly name: string;
  readonly code: MqErrorCode;
}

export const REASON_CODES: ReadonlyMap<number, ReasonCode> = new Map<number, ReasonCode>([
  // Connection lost: a new session reconnects.
  [2009, { name: 'MQRC_CONNECTION_BROKEN', code: 'BANYAN_ERR_MQ_CONNECTION_LOST' }],
  [2202, { name: 'MQRC_CONNECTION_QUIESCING', code: 'BANYAN_ERR_MQ_CONNECTION_LOST' }],
  [2203, { name: 'MQRC_CONNECTION_STOPPING', code: 'BANYAN_ERR_MQ_CONNECTION_LOST' }],
  [2548, { name: 'MQRC_RECONNECT_FAILED', code: 'BANYAN_ERR_MQ_CONNECTION_LOST' }],
  [2556, { name: 'MQRC_RECONNECT_TIMED_OUT', code: 'BANYAN_ERR_MQ_CONNECTION_LOST' }],
  // Queue manager, channel or host away (restart, failover, network).
  [2059, { name: 'MQRC_Q_MGR_NOT_AVAILABLE', code: 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE' }],
  [2161, { name: 'MQRC_Q_MGR_QUIESCING', code: 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE' }],
  [2162, { name: 'MQRC_Q_MGR_STOPPING', code: 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE' }],
  [2537, { name: 'MQRC_CHANNEL_NOT_AVAILABLE', code: 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE' }],
  [2538, { name: 'MQRC_HOST_NOT_AVAILABLE', code: 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE' }],
  // Transient queue manager trouble.
  [2195, { name: 'MQRC_UNEXPECTED_ERROR', code: 'BANYAN_ERR_MQ_RESOURCE_PROBLEM' }],
  [2071, { name: 'MQRC_STORAGE_NOT_AVAILABLE', code: 'BANYAN_ERR_MQ_RESOURCE_PROBLEM' }],
  [2102, { name: 'MQRC_RESOURCE_PROBLEM', code: 'BANYAN_ERR_MQ_RESOURCE_PROBLEM' }],
  [2016, { name: 'MQRC_GET_INHIBITED', code: 'BANYAN_ERR_MQ_INHIBITED' }],
  [2051, { name: 'MQRC_PUT_INHIBITED', code: 'BANYAN_ERR_MQ_INHIBITED' }],
  [2053, { name: 'MQRC_Q_FULL', code: 'BANYAN_ERR_MQ_QUEUE_FULL' }],
  [2003, { name: 'MQRC_BACKED_OUT', code: 'BANYAN_ERR_MQ_BACKED_OUT' }],
  [2042, { name: 'MQRC_OBJECT_IN_USE', code: 'BANYAN_ERR_MQ_OBJECT_IN_USE' }],
  // Needs a change by someone: not retriable.
  [2024, { name: 'MQRC_SYNCPOINT_LIMIT_REACHED', code: 'BANYAN_ERR_MQ_SYNCPOINT_LIMIT' }],
  [2085, { name: 'MQRC_UNKNOWN_OBJECT_NAME', code: 'BANYAN_ERR_MQ_UNKNOWN_OBJECT' }],
  [2052, { name: 'MQRC_Q_DELETED', code: 'BANYAN_ERR_MQ_UNKNOWN_OBJECT' }],
  [2035, { name: 'MQRC_NOT_AUTHORIZED', code: 'BANYAN_ERR_MQ_NOT_AUTHORIZED' }],
  [2063, { name: 'MQRC_SECURITY_ERROR', code: 'BANYAN_ERR_MQ_NOT_AUTHORIZED' }],
  [2058, { name: 'MQRC_Q_MGR_NAME_ERROR', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2277, { name: 'MQRC_CD_ERROR', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2371, { name: 'MQRC_CHANNEL_SSL_ERROR', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2393, { name: 'MQRC_SSL_INITIALIZATION_ERROR', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2398, { name: 'MQRC_SSL_PEER_NAME_MISMATCH', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2539, { name: 'MQRC_CHANNEL_CONFIG_ERROR', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2540, { name: 'MQRC_UNKNOWN_CHANNEL_NAME', code: 'BANYAN_ERR_MQ_CONNECTION_CONFIG' }],
  [2030, { name: 'MQRC_MSG_TOO_BIG_FOR_Q', code: 'BANYAN_ERR_MQ_MESSAGE_TOO_BIG' }],
  [2031, { name: 'MQRC_MSG_TOO_BIG_FOR_Q_MGR', code: 'BANYAN_ERR_MQ_MESSAGE_TOO_BIG' }],
  [2018, { name: 'MQRC_HCONN_ERROR', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2019, { name: 'MQRC_HOBJ_ERROR', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2460, { name: 'MQRC_HMSG_ERROR', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2037, { name: 'MQRC_NOT_OPEN_FOR_INPUT', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2038, { name: 'MQRC_NOT_OPEN_FOR_INQUIRE', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2039, { name: 'MQRC_NOT_OPEN_FOR_OUTPUT', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
  [2500, { name: 'MQRC_HCONN_ASYNC_ACTIVE', code: 'BANYAN_ERR_MQ_HANDLE_INVALID' }],
]);

/** Reason codes after which the connection itself is gone (the session must not be reused). */
export function isConnectionGone(mqrc: number): boolean {
  const code = REASON_CODES.get(mqrc)?.code;
  return code === 'BANYAN_ERR_MQ_CONNECTION_LOST' || code === 'BANYAN_ERR_MQ_QMGR_UNAVAILABLE';
}

/**
 * The Banyan error for a failed MQI call: `verb` is the MQI verb (MQGET, MQCMIT, ...), `object` the
 * queue or queue manager it was about. `driverName` is the driver's own name for the MQRC
 * (MQError.mqrcstr), used for codes outside the table.
 */
export function toMqError(err: unknown, verb: string, object: string): BanyanError {
  if (err instanceof BanyanError) return err;
  if (!isMqiError(err)) {
    const e = err instanceof Error ? err : new Error(String(err));
    return new MqErrors.BANYAN_ERR_MQ_CALL_FAILED(verb, object, '-', e.message, e);
  }
  const known = REASON_CODES.get(err.mqrc);
  const name = known?.name ?? (err.mqrcstr && err.mqrcstr !== 'Unknown' ? err.mqrcstr : 'unknown reason code');
  const Factory = MqErrors[known?.code ?? 'BANYAN_ERR_MQ_CALL_FAILED'];
  return new Factory(verb, object, err.mqrc, name, err);
}

/** The MQRC an error carries, from the driver's error or a Banyan error caused by one. */
export function mqrcOf(err: unknown): number | undefined {
  if (isMqiError(err)) return err.mqrc;
  if (err instanceof Error && err.cause !== undefined) return mqrcOf(err.cause);
  return undefined;
}
