/**
 * The queue port (src/core/queue-port.ts) on IBM MQ through the `ibmmq` driver (mq-mqi-nodejs
 * v2.1.9), loaded lazily: only a bridge with an ibm_mq source or sink imports it, and a machine
 * without IBM's C client gets BANYAN_ERR_MQ_DRIVER_MISSING (how to install it) instead of a crash.
 *
 * One session = one MQCONNX = one unit of work: MQCMIT/MQBACK cover every get and put on the
 * connection, across all its queues (mq-mqi-nodejs#52), so the transport never shares a connection
 * between independent units.
 *
 * Gets: MQGET (GetSync) with MQGMO_SYNCPOINT | MQGMO_NO_WAIT | MQGMO_FAIL_IF_QUIESCING |
 * MQGMO_PROPERTIES_IN_HANDLE, and the wait for the first message done here, by polling with a
 * doubling pause (10 ms up to `poll_interval_ms`) until `waitMs` is over. Why not MQGMO_WAIT: in
 * v2.1.9 GetSync runs MQGET on the JS thread ("it blocks the execution thread until it completes ...
 * not recommended for any times where you want to wait", the package README), which would freeze
 * every bridge, the Kafka heartbeats and /health of the gateway for the wait. Why not the async
 * Get(): it is MQCB/MQCTL underneath, and its open issues hit a bridge's exact needs: 2009 is not
 * surfaced in the callback (mq-mqi-nodejs#173: a broken connection would hang a batch silently),
 * MQRC 2500 HCONN_ASYNC_ACTIVE around MQI calls next to callbacks (#169, #179), a second async Get
 * on one connection (#182; a bridge reads several queues on one), and no buffer to size (so no
 * 2080 handling of our own). A NO_WAIT get is one client round trip; an idle bridge costs one per
 * poll. A worker thread owning the connection would allow MQGMO_WAIT without blocking; see the
 * README for what is left.
 *
 * MQRC 2033 NO_MSG_AVAILABLE ends a poll; 2080 TRUNCATED_MSG_FAILED grows the buffer to the
 * message's length (DataLength) and gets again (the message stayed on the queue); a warning with
 * the message got (2110 FORMAT_ERROR, 2119 NOT_CONVERTED under MQGMO_CONVERT) returns it as MQ gave
 * it, unconverted, with the CCSID it really has: dropping or re-getting it would lose or loop it.
 *
 * Close = MQBACK, MQCLOSE each handle, MQDISC, in that order: a normal MQDISC commits the unit of
 * work on distributed queue managers, so it must never come before the backout.
 */
import type { MessagePropertyValue, OutgoingMessage, QueueAttributes, QueueMessage, QueueSession, QueueTransport } from '../../core/queue-port.ts';
import { BanyanError } from '../../core/errors.ts';
import { MqErrors } from './errors.ts';
import { descriptorFromMd, fillMdForPut, ID_LENGTH } from './mq-descriptor.ts';
import { connectOptions, type IbmMqConnectOptionsConfig } from './mq-connect-options.ts';
import { createHandle, deleteHandle, handleWithProperties, readProperties } from './mq-properties.ts';
import type { MqiApi, MqiAttr, MqiError, MqiObject, MqiQueueManager } from './mqi-api.ts';
import { isConnectionGone, mqrcOf, toMqError } from './mqrc.ts';

export interface IbmMqTransportConfig extends IbmMqConnectOptionsConfig {
  readonly queue_manager: string;
  readonly text_ccsid: number;
  readonly convert_text: boolean;
  readonly poll_interval_ms: number;
}

export interface IbmMqTransportOptions {
  /** Loads the driver; default `import('ibmmq')`. Tests hand in the fake (test/support/fake-ibmmq.ts). */
  readonly load?: () => Promise<MqiApi>;
  /** Whether gets from `queue` use MQGMO_CONVERT (MQSTR bodies only); default: the config's `convert_text`. */
  readonly convertText?: (queue: string) => boolean;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** First get buffer; 2080 grows it to the longest message seen. */
const FIRST_BUFFER = 64 * 1024;
const FIRST_POLL_PAUSE_MS = 10;

export function createMqTransport(config: IbmMqTransportConfig, options: IbmMqTransportOptions = {}): QueueTransport {
  const load = options.load ?? importDriver;
  let driver: Promise<MqiApi> | undefined;
  const target = config.ccdt_url ? `${config.queue_manager} (CCDT ${config.ccdt_url})` : `${config.queue_manager} via ${config.channel ?? '?'} at ${config.connection ?? 'the default connection'}`;
  const settings: SessionSettings = {
    qmName: config.queue_manager,
    target,
    textCcsid: config.text_ccsid,
    convertText: options.convertText ?? (() => config.convert_text),
    pollIntervalMs: config.poll_interval_ms,
    sleep: options.sleep ?? abortableSleep,
  };
  return {
    kind: 'ibm_mq',
    async connect() {
      // A driver that cannot load will not load on the next try either: the failure is remembered.
      driver ??= loadDriver(load);
      const mq = await driver;
      let hConn: MqiQueueManager;
      try {
        hConn = await mq.ConnxPromise(config.queue_manager, connectOptions(mq, config));
      } catch (err) {
        throw toMqError(err, 'MQCONNX', target);
      }
      return new IbmMqSession(mq, hConn, settings);
    },
  };
}

interface SessionSettings {
  readonly qmName: string;
  readonly target: string;
  readonly textCcsid: number;
  readonly convertText: (queue: string) => boolean;
  readonly pollIntervalMs: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

type HandlePurpose = 'input' | 'output' | 'inquire';

class IbmMqSession implements QueueSession {
  private readonly handles = new Map<string, MqiObject>();
  private buffer = Buffer.alloc(FIRST_BUFFER);
  private getHandle: bigint | undefined;
  private closed = false;
  /** Set once a call reported the connection gone: close() then skips what cannot work. */
  private broken = false;
  private tail: Promise<unknown> = Promise.resolve();

  private readonly mq: MqiApi;
  private readonly hConn: MqiQueueManager;
  private readonly settings: SessionSettings;

  constructor(mq: MqiApi, hConn: MqiQueueManager, settings: SessionSettings) {
    this.mq = mq;
    this.hConn = hConn;
    this.settings = settings;
  }

  get(queue: string, options: { readonly max: number; readonly waitMs: number; readonly signal?: AbortSignal }): Promise<QueueMessage[]> {
    return this.serial(async () => {
      const hObj = await this.handle(queue, 'input');
      const got: QueueMessage[] = [];
      const deadline = Date.now() + options.waitMs;
      let pause = FIRST_POLL_PAUSE_MS;
      while (got.length < options.max) {
        const message = this.getOne(queue, hObj);
        if (message) {
          got.push(message);
          continue;
        }
        // Wait only for the first message; the rest of a batch is what is there now.
        if (got.length > 0 || options.signal?.aborted) break;
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.settings.sleep(Math.min(pause, left), options.signal);
        this.assertOpen();
        pause = Math.min(pause * 2, this.settings.pollIntervalMs);
      }
      return got;
    });
  }

  put(queue: string, message: OutgoingMessage): Promise<{ readonly msgId: Uint8Array }> {
    return this.serial(async () => {
      const mq = this.mq;
      const C = mq.MQC;
      const hObj = await this.handle(queue, 'output');
      const md = new mq.MQMD();
      const { msgIdGiven } = fillMdForPut(mq, md, message, { textCcsid: this.settings.textCcsid });
      const pmo = new mq.MQPMO();
      pmo.Options = C.MQPMO_SYNCPOINT | C.MQPMO_FAIL_IF_QUIESCING | (msgIdGiven ? 0 : C.MQPMO_NEW_MSG_ID);
      const hMsg = this.guarded('MQSETMP', queue, () => handleWithProperties(mq, this.hConn, message.properties, queue));
      if (hMsg !== undefined) pmo.OriginalMsgHandle = hMsg;
      try {
        await mq.PutPromise(hObj, md, pmo, Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength));
      } catch (err) {
        throw this.failure(err, 'MQPUT', queue);
      } finally {
        if (hMsg !== undefined) deleteHandle(mq, this.hConn, hMsg);
      }
      const msgId = new Uint8Array(ID_LENGTH);
      msgId.set(md.MsgId.subarray(0, ID_LENGTH)); // MQPUT returns the MsgId it gave (MQPMO_NEW_MSG_ID)
      return { msgId };
    });
  }

  commit(): Promise<void> {
    return this.serial(async () => this.syncCall('MQCMIT', this.settings.qmName, (cb) => this.mq.Cmit(this.hConn, cb)));
  }

  backout(): Promise<void> {
    return this.serial(async () => this.syncCall('MQBACK', this.settings.qmName, (cb) => this.mq.Back(this.hConn, cb)));
  }

  attributes(queue: string): Promise<QueueAttributes> {
    return this.serial(async () => {
      const mq = this.mq;
      const hObj = this.handles.get(key(queue, 'input')) ?? (await this.handle(queue, 'inquire'));
      const selectors = [new mq.MQAttr(mq.MQC.MQIA_BACKOUT_THRESHOLD), new mq.MQAttr(mq.MQC.MQCA_BACKOUT_REQ_Q_NAME)];
      let values: MqiAttr[] = selectors;
      this.syncCall('MQINQ', queue, (cb) => mq.Inq(hObj, selectors, (err, s) => ((values = s), cb(err))));
      return {
        backoutThreshold: Number(values[0].value ?? 0),
        backoutQueue: String(values[1].value ?? '').trim(), // a blank BOQNAME comes back as ' '
      };
    });
  }

  close(): Promise<void> {
    if (this.closed) return this.tail.then(() => {});
    this.closed = true;
    return this.serialClosing(async () => {
      const mq = this.mq;
      let backoutFailure: BanyanError | undefined;
      if (!this.broken) {
        try {
          this.syncCall('MQBACK', this.settings.qmName, (cb) => mq.Back(this.hConn, cb));
        } catch (err) {
          if (!this.broken) backoutFailure = err as BanyanError;
        }
      }
      if (this.getHandle !== undefined) deleteHandle(mq, this.hConn, this.getHandle);
      for (const hObj of this.handles.values()) await mq.ClosePromise(hObj, mq.MQC.MQCO_NONE).catch(() => {});
      this.handles.clear();
      // MQDISC after a failed MQBACK on a live connection would commit the gets: leave the
      // connection to be backed out when the process ends, and say so.
      if (backoutFailure) throw backoutFailure;
      await mq.DiscPromise(this.hConn).catch(() => {});
    });
  }

  private getOne(queue: string, hObj: MqiObject): QueueMessage | undefined {
    const mq = this.mq;
    const C = mq.MQC;
    const convert = this.settings.convertText(queue);
    const hMsg = (this.getHandle ??= this.guarded('MQCRTMH', queue, () => createHandle(mq, this.hConn, queue)));
    for (;;) {
      const md = new mq.MQMD();
      const gmo = new mq.MQGMO();
      gmo.Options =
        C.MQGMO_SYNCPOINT | C.MQGMO_NO_WAIT | C.MQGMO_FAIL_IF_QUIESCING | C.MQGMO_PROPERTIES_IN_HANDLE | (convert ? C.MQGMO_CONVERT : 0);
      gmo.MatchOptions = C.MQMO_NONE;
      gmo.MsgHandle = hMsg;
      if (convert) {
        // What MQGMO_CONVERT converts MQSTR bodies to (MQMD CodedCharSetId/Encoding are input fields then).
        md.CodedCharSetId = this.settings.textCcsid;
        md.Encoding = C.MQENC_NATIVE;
      }
      let failed: MqiError | null = null;
      let length = 0;
      mq.GetSync(hObj, md, gmo, this.buffer, (err, dataLength) => {
        failed = err;
        length = dataLength;
      });
      if (failed) {
        const err = failed as MqiError;
        if (err.mqrc === C.MQRC_NO_MSG_AVAILABLE) return undefined;
        if (err.mqrc === C.MQRC_TRUNCATED_MSG_FAILED) {
          this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2));
          continue;
        }
        if (err.mqcc !== C.MQCC_WARNING) throw this.failure(err, 'MQGET', queue);
      }
      const descriptor = descriptorFromMd(md);
      return {
        body: new Uint8Array(this.buffer.subarray(0, Math.min(length, this.buffer.length))), // a copy: the buffer is reused
        bodyKind: descriptor.format.trimEnd() === 'MQSTR' ? 'text' : 'bytes',
        descriptor,
        properties: this.guarded('MQINQMP', queue, (): Record<string, MessagePropertyValue> => readProperties(mq, this.hConn, hMsg, queue)),
        queue,
      };
    }
  }

  private async handle(queue: string, purpose: HandlePurpose): Promise<MqiObject> {
    const k = key(queue, purpose);
    const open = this.handles.get(k);
    if (open) return open;
    const mq = this.mq;
    const C = mq.MQC;
    const od = new mq.MQOD();
    od.ObjectType = C.MQOT_Q;
    od.ObjectName = queue;
    const options =
      purpose === 'input'
        ? C.MQOO_INPUT_AS_Q_DEF | C.MQOO_INQUIRE | C.MQOO_FAIL_IF_QUIESCING
        : purpose === 'output'
          ? C.MQOO_OUTPUT | C.MQOO_FAIL_IF_QUIESCING
          : C.MQOO_INQUIRE | C.MQOO_FAIL_IF_QUIESCING;
    let hObj: MqiObject;
    try {
      hObj = await mq.OpenPromise(this.hConn, od, options);
    } catch (err) {
      throw this.failure(err, 'MQOPEN', queue);
    }
    this.handles.set(k, hObj);
    return hObj;
  }

  /** Runs a driver call that reports through a synchronous callback (Cmit, Back, Inq). */
  private syncCall(verb: string, object: string, run: (cb: (err: MqiError | null) => void) => void): void {
    let failed: MqiError | null = null;
    try {
      run((err) => (failed = err));
    } catch (err) {
      throw this.failure(err, verb, object);
    }
    if (failed) throw this.failure(failed, verb, object);
  }

  /** Runs code that throws mapped errors (properties), noting a connection that went away. */
  private guarded<T>(verb: string, object: string, run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw this.failure(err, verb, object);
    }
  }

  private failure(err: unknown, verb: string, object: string): BanyanError {
    const mapped = toMqError(err, verb, object);
    const rc = mqrcOf(mapped);
    if (rc !== undefined && isConnectionGone(rc)) this.broken = true;
    return mapped;
  }

  private assertOpen(): void {
    if (this.closed) throw new MqErrors.BANYAN_ERR_MQ_SESSION_CLOSED(this.settings.target);
  }

  /** One MQI call sequence at a time per connection: a unit of work is a sequence, and the driver locks the hConn anyway. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    return this.serialClosing(async () => {
      this.assertOpen();
      return run();
    });
  }

  private serialClosing<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }
}

function key(queue: string, purpose: HandlePurpose): string {
  return `${purpose}:${queue}`;
}

async function loadDriver(load: () => Promise<MqiApi>): Promise<MqiApi> {
  try {
    return await load();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new MqErrors.BANYAN_ERR_MQ_DRIVER_MISSING(reason, err instanceof Error ? err : undefined);
  }
}

async function importDriver(): Promise<MqiApi> {
  // A variable specifier: the optional dependency may be absent, and its types are not needed here.
  const specifier = 'ibmmq';
  const mod = (await import(specifier)) as { default?: MqiApi } & MqiApi;
  return mod.default ?? mod;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
