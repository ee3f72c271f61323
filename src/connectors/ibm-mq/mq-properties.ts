/**
 * Message properties through message handles (MQCRTMH/MQSETMP/MQINQMP), which IBM prefers over
 * parsing MQRFH2: got with MQGMO_PROPERTIES_IN_HANDLE the queue manager puts the RFH2 `usr`, `jms`
 * and `mqext` folders' properties into the handle, typed.
 *
 * What the ibmmq 2.1.9 driver does (lib/mqi.js InqMp/SetMp, src/mqmpo.cc), and so what this module
 * handles:
 * - InqMp decodes BOOLEAN, STRING, INT8/16/32 itself; INT64, FLOAT32, FLOAT64 and BYTE_STRING come
 *   back as the whole value buffer with the length and MQTYPE beside it (decoded here, native byte
 *   order, the MQIMPO RequestedEncoding default); NULL comes back as `undefined`.
 * - MQRC 2469 PROPERTY_VALUE_TOO_BIG: the value did not fit the buffer; the walk restarts with a
 *   bigger one (whether a failed MQIMPO_INQ_NEXT moved the cursor does not matter then).
 * - SetMp sets every JS number as MQTYPE_INT32 (Int32Value: 2.5 and 2^40 would be silently
 *   changed) and has no INT64/FLOAT type, so only 32-bit integers are put as numbers; other numbers
 *   and bigints outside 32 bits are refused with a coded error rather than altered.
 */
import { endianness } from 'node:os';
import type { MessagePropertyValue } from '../../core/queue-port.ts';
import { MqErrors } from './errors.ts';
import type { MqiApi, MqiError, MqiPropertyValue, MqiQueueManager } from './mqi-api.ts';
import { toMqError } from './mqrc.ts';

const FIRST_VALUE_BUFFER = 4096;
/** IBM MQ limits a property value to 100 MB (the message size limit). */
const MAX_VALUE_BUFFER = 100 * 1024 * 1024;
const LE = endianness() === 'LE';

/** Every property in `hMsg` (after a get with MQGMO_PROPERTIES_IN_HANDLE), typed. */
export function readProperties(mq: MqiApi, hConn: MqiQueueManager, hMsg: bigint, queue: string): Record<string, MessagePropertyValue> {
  const C = mq.MQC;
  let buf = Buffer.alloc(FIRST_VALUE_BUFFER);
  walk: for (;;) {
    const out: Record<string, MessagePropertyValue> = {};
    let options = C.MQIMPO_INQ_FIRST;
    for (;;) {
      const impo = new mq.MQIMPO();
      impo.Options = options;
      let failed: MqiError | null = null;
      let got: { name: string; value: MqiPropertyValue; length: number; type: number } | undefined;
      mq.InqMp(hConn, hMsg, impo, new mq.MQPD(), '%', buf, (err, name, value, length, type) => {
        if (err) failed = err;
        else got = { name, value, length, type };
      });
      if (failed) {
        const rc = (failed as MqiError).mqrc;
        if (rc === C.MQRC_PROPERTY_NOT_AVAILABLE) return out;
        if (rc === C.MQRC_PROPERTY_VALUE_TOO_BIG && buf.length < MAX_VALUE_BUFFER) {
          buf = Buffer.alloc(Math.min(buf.length * 16, MAX_VALUE_BUFFER));
          continue walk;
        }
        throw toMqError(failed, 'MQINQMP', queue);
      }
      if (got) out[got.name] = typedValue(mq, got.value, got.length, got.type, buf);
      options = C.MQIMPO_INQ_NEXT;
    }
  }
}

/**
 * A message handle holding `properties`, for MQPMO.OriginalMsgHandle; the caller deletes it after
 * the put (deleteHandle). Undefined when there are none. Checks every value before creating it.
 */
export function handleWithProperties(
  mq: MqiApi,
  hConn: MqiQueueManager,
  properties: Readonly<Record<string, MessagePropertyValue>> | undefined,
  queue: string,
): bigint | undefined {
  const entries = Object.entries(properties ?? {}).map(([name, value]) => [name, settable(name, value)] as const);
  if (entries.length === 0) return undefined;
  const hMsg = createHandle(mq, hConn, queue);
  try {
    for (const [name, value] of entries) {
      const smpo = new mq.MQSMPO();
      smpo.Options = mq.MQC.MQSMPO_SET_FIRST;
      call('MQSETMP', queue, (cb) => mq.SetMp(hConn, hMsg, smpo, name, new mq.MQPD(), value, cb));
    }
  } catch (err) {
    deleteHandle(mq, hConn, hMsg);
    throw err;
  }
  return hMsg;
}

export function createHandle(mq: MqiApi, hConn: MqiQueueManager, object: string): bigint {
  const cmho = new mq.MQCMHO();
  cmho.Options = mq.MQC.MQCMHO_DEFAULT_VALIDATION;
  let handle: bigint | undefined;
  call('MQCRTMH', object, (cb) => mq.CrtMh(hConn, cmho, (err, h) => ((handle = h), cb(err))));
  return handle!;
}

/** Best effort: a handle of a broken connection is gone with it. */
export function deleteHandle(mq: MqiApi, hConn: MqiQueueManager, hMsg: bigint): void {
  const dmho = new mq.MQDMHO();
  dmho.Options = mq.MQC.MQDMHO_NONE;
  mq.DltMh(hConn, hMsg, dmho, () => {});
}

function typedValue(mq: MqiApi, value: MqiPropertyValue, length: number, type: number, buf: Buffer): MessagePropertyValue {
  const C = mq.MQC;
  switch (type) {
    case C.MQTYPE_NULL:
      return null;
    case C.MQTYPE_INT64:
      return LE ? buf.readBigInt64LE(0) : buf.readBigInt64BE(0);
    case C.MQTYPE_FLOAT32:
      return LE ? buf.readFloatLE(0) : buf.readFloatBE(0);
    case C.MQTYPE_FLOAT64:
      return LE ? buf.readDoubleLE(0) : buf.readDoubleBE(0);
    case C.MQTYPE_BYTE_STRING:
      return new Uint8Array(buf.subarray(0, length)); // a copy: the buffer is reused for the next property
    default:
      return value === undefined ? null : Buffer.isBuffer(value) ? new Uint8Array(value.subarray(0, length)) : value;
  }
}

function settable(name: string, value: MessagePropertyValue): MqiPropertyValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  const asNumber = typeof value === 'bigint' ? Number(value) : value;
  if (Number.isInteger(asNumber) && asNumber >= -(2 ** 31) && asNumber < 2 ** 31) return asNumber;
  throw new MqErrors.BANYAN_ERR_MQ_PROPERTY_UNSUPPORTED(
    name,
    `${String(value)} is not a 32-bit integer; the ibmmq driver sets numbers as MQTYPE_INT32 only (no INT64 or FLOAT64), so it is refused rather than changed`,
  );
}

function call(verb: string, object: string, run: (cb: (err: MqiError | null) => void) => void): void {
  let failed: MqiError | null = null;
  run((err) => (failed = err));
  if (failed) throw toMqError(failed, verb, object);
}
