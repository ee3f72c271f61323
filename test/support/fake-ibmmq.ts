/**
 * An in-memory queue manager behind the ibmmq driver's API (v2.1.9, types/index.d.ts), faithful to
 * IBM MQ's MQI semantics where the transport depends on them:
 * - Queues deliver in priority order, FIFO within a priority (MSGDLVSQ(PRIORITY)); expired messages
 *   are discarded when a get meets them; the MQMD Expiry got is what is left.
 * - A get under MQGMO_SYNCPOINT hides the message from every connection until MQCMIT removes it or
 *   MQBACK puts it back in its place with BackoutCount + 1. A put under MQPMO_SYNCPOINT is invisible
 *   (to its own connection too) until MQCMIT; MQBACK discards it. MQCMIT/MQBACK cover everything in
 *   flight on the connection, across queues. A normal MQDISC commits (distributed platforms); a
 *   broken connection is backed out by the queue manager.
 * - Reason codes as MQ returns them: 2033 on an empty queue, 2080 (MQCC_WARNING, DataLength = the
 *   message length, message left on the queue) for a too-small buffer without
 *   MQGMO_ACCEPT_TRUNCATED_MSG, 2085 unknown queue, 2009 on every call of a broken connection,
 *   2059 for connects while the queue manager is away, 2058 for another queue manager's name, 2035 for
 *   a wrong password, 2016/2051 inhibited, 2053 at MAXDEPTH, 2037-2039 for a handle not opened for it.
 * - Message properties in message handles (CrtMh/SetMp/InqMp/DltMh) with the driver's own quirks:
 *   SetMp makes every number an INT32 (truncating, as src/mqmpo.cc's Int32Value does); InqMp returns
 *   INT64/FLOAT/BYTE_STRING as the whole value buffer and NULL as undefined (lib/mqi.js).
 * - MQGMO_CONVERT converts MQSTR bodies between the CCSIDs Banyan's code pages know (1208 UTF-8,
 *   819, and the EBCDIC pages such as 37, 500, 1047, 1140); MQFMT_NONE gives 2110 FORMAT_ERROR and
 *   an unknown CCSID 2119 NOT_CONVERTED, both warnings with the message got unconverted.
 *
 * Not modelled: MQRFH2 headers in the body (properties without a handle are dropped), segmentation,
 * the async Get/MQCB, and MQGMO_WAIT: GetSync with a wait would block the real event loop, so the
 * fake refuses it outright (a test fails if the transport ever asks for it).
 */
import { getCodePage } from '../../src/codec/codepages/index.ts';
import type { MqiApi } from '../../src/connectors/ibm-mq/mqi-api.ts';
import {
  FAKE_MQC,
  FAKE_MQC_STRINGS,
  Lookup,
  MQAttr,
  MQCD,
  MQCMHO,
  MQCNO,
  MQCSP,
  MQDMHO,
  MQError,
  MQGMO,
  MQIMPO,
  MQMD,
  MQOD,
  MQPD,
  MQPMO,
  MQSCO,
  MQSMPO,
} from './fake-ibmmq-structs.ts';
import { endianness } from 'node:os';

const C = FAKE_MQC;
const LE = endianness() === 'LE';

export interface FakeQueueDefinition {
  readonly name: string;
  /** BOTHRESH; 0 = none. */
  readonly backoutThreshold?: number;
  /** BOQNAME; blank = none. */
  readonly backoutQueue?: string;
  readonly maxDepth?: number;
  readonly maxMessageLength?: number;
  readonly defaultPriority?: number;
  readonly defaultPersistence?: number;
}

/** A property as stored: its MQTYPE and value (bigint for INT64, Buffer for BYTE_STRING). */
export interface FakeProperty {
  readonly type: number;
  readonly value: string | number | bigint | boolean | Buffer | null;
}

/** A message as another application put it (committed, visible at once). */
export interface FakeIncomingMessage {
  readonly body: Buffer | string;
  readonly format?: string;
  readonly ccsid?: number;
  readonly encoding?: number;
  readonly priority?: number;
  readonly persistence?: number;
  /** Tenths of a second. */
  readonly expiry?: number;
  readonly msgType?: number;
  readonly msgId?: Buffer;
  readonly correlId?: Buffer;
  readonly groupId?: Buffer;
  readonly msgSeqNumber?: number;
  readonly replyToQ?: string;
  readonly replyToQMgr?: string;
  readonly userIdentifier?: string;
  readonly putApplName?: string;
  readonly putAt?: Date;
  /** Typed like a JMS application sets them: bigint -> INT64, integer -> INT32, other number -> FLOAT64. */
  readonly properties?: Record<string, string | number | bigint | boolean | Buffer | null>;
}

export interface StoredMessage {
  readonly seq: number;
  readonly md: MQMD;
  readonly body: Buffer;
  readonly properties: Map<string, FakeProperty>;
  /** Date.now() at put, for expiry. */
  readonly putAtMs: number;
  /** The connection whose unit of work holds it: a get under syncpoint (`got`) or an uncommitted put. */
  heldBy?: { readonly conn: FakeConnection; readonly how: 'got' | 'put' };
}

interface FakeQueue {
  readonly def: Required<FakeQueueDefinition>;
  readonly messages: StoredMessage[];
  getInhibited: boolean;
  putInhibited: boolean;
}

interface FakeHandle {
  readonly queue: FakeQueue;
  readonly options: number;
}

export interface FakeConnection {
  readonly id: number;
  readonly user: string;
  readonly applName: string;
  readonly uow: Set<StoredMessage>;
  readonly handles: Map<number, FakeHandle>;
  readonly msgHandles: Map<bigint, { props: Map<string, FakeProperty>; cursor: number }>;
  state: 'open' | 'broken' | 'disconnected';
}

/** The queue manager the fake driver talks to; tests arrange and inspect it. */
export class FakeQueueManager {
  readonly name: string;
  readonly ccsid: number;
  /** Every MQCNO a ConnxPromise got (TLS, CSP, CCDT assertions). */
  readonly connects: MQCNO[] = [];
  /** Every MQGMO Options a GetSync got. */
  readonly getOptions: number[] = [];
  readonly connections: FakeConnection[] = [];
  private readonly queues = new Map<string, FakeQueue>();
  private readonly passwords: ReadonlyMap<string, string>;
  private available = true;
  private seq = 0;
  private ids = 0;

  constructor(options: { name?: string; ccsid?: number; users?: Record<string, string> } = {}) {
    this.name = options.name ?? 'QM1';
    this.ccsid = options.ccsid ?? 819;
    this.passwords = new Map(Object.entries(options.users ?? {}));
  }

  defineQueue(def: FakeQueueDefinition): this {
    this.queues.set(def.name, {
      def: { backoutThreshold: 0, backoutQueue: '', maxDepth: 5000, maxMessageLength: 4 * 1024 * 1024, defaultPriority: 0, defaultPersistence: 0, ...def },
      messages: [],
      getInhibited: false,
      putInhibited: false,
    });
    return this;
  }

  inhibit(queue: string, what: { get?: boolean; put?: boolean }): void {
    const q = this.queue(queue);
    q.getInhibited = what.get ?? q.getInhibited;
    q.putInhibited = what.put ?? q.putInhibited;
  }

  /** Puts as another application would (outside syncpoint): visible at once. */
  putMessage(queue: string, m: FakeIncomingMessage): StoredMessage {
    const md = new MQMD();
    md.Format = m.format ?? (typeof m.body === 'string' ? FAKE_MQC_STRINGS.MQFMT_STRING : FAKE_MQC_STRINGS.MQFMT_NONE);
    md.CodedCharSetId = m.ccsid ?? (typeof m.body === 'string' ? 1208 : this.ccsid);
    md.Encoding = m.encoding ?? C.MQENC_NATIVE;
    md.Priority = m.priority ?? this.queue(queue).def.defaultPriority;
    md.Persistence = m.persistence ?? C.MQPER_PERSISTENT;
    md.Expiry = m.expiry ?? C.MQEI_UNLIMITED;
    md.MsgType = m.msgType ?? C.MQMT_DATAGRAM;
    md.MsgId = m.msgId ? pad24(m.msgId) : this.newMsgId();
    md.CorrelId = m.correlId ? pad24(m.correlId) : Buffer.alloc(24);
    if (m.groupId) {
      md.GroupId = pad24(m.groupId);
      md.MsgFlags = C.MQMF_MSG_IN_GROUP;
    }
    md.MsgSeqNumber = m.msgSeqNumber ?? 1;
    md.ReplyToQ = m.replyToQ ?? '';
    md.ReplyToQMgr = m.replyToQMgr ?? (m.replyToQ ? this.name : '');
    md.UserIdentifier = m.userIdentifier ?? 'legacy';
    md.PutApplName = m.putApplName ?? 'LEGACYAPP';
    [md.PutDate, md.PutTime] = putDateTime(m.putAt ?? new Date());
    const body = typeof m.body === 'string' ? Buffer.from(m.body, 'utf8') : Buffer.from(m.body);
    const properties = new Map(Object.entries(m.properties ?? {}).map(([k, v]) => [k, inferProperty(v)]));
    const stored: StoredMessage = { seq: ++this.seq, md, body, properties, putAtMs: (m.putAt ?? new Date()).getTime() };
    this.queue(queue).messages.push(stored);
    return stored;
  }

  /** Committed messages of `queue` (what another application could get), in delivery order. */
  visible(queue: string): StoredMessage[] {
    return deliveryOrder(this.queue(queue).messages.filter((m) => !m.heldBy));
  }

  /** CURDEPTH: every message on the queue, uncommitted ones included. */
  depth(queue: string): number {
    return this.queue(queue).messages.length;
  }

  /** The network drops: every connection breaks (its unit of work backed out), connects fail until comeBack(). */
  goAway(): void {
    this.available = false;
    for (const conn of this.connections) if (conn.state === 'open') this.breakConnection(conn);
  }

  comeBack(): void {
    this.available = true;
  }

  /** The driver module the transport loads (`await import('ibmmq')` in production). */
  driver(): MqiApi {
    return createFakeDriver(this);
  }

  // ----- used by the fake driver -----

  connect(qmName: string, cno: MQCNO): FakeConnection {
    this.connects.push(cno);
    if (!this.available) throw new MQError(C.MQCC_FAILED, C.MQRC_Q_MGR_NOT_AVAILABLE, 'CONNX');
    if (qmName !== '' && qmName !== this.name) throw new MQError(C.MQCC_FAILED, C.MQRC_Q_MGR_NAME_ERROR, 'CONNX');
    const user = cno.SecurityParms?.UserId ?? 'app';
    if (this.passwords.size > 0 && this.passwords.get(user) !== cno.SecurityParms?.Password) throw new MQError(C.MQCC_FAILED, C.MQRC_NOT_AUTHORIZED, 'CONNX');
    const conn: FakeConnection = {
      id: this.connections.length + 1,
      user,
      applName: cno.ApplName ?? 'node',
      uow: new Set(),
      handles: new Map(),
      msgHandles: new Map(),
      state: 'open',
    };
    this.connections.push(conn);
    return conn;
  }

  queue(name: string): FakeQueue {
    const q = this.queues.get(name);
    if (!q) throw new MQError(C.MQCC_FAILED, C.MQRC_UNKNOWN_OBJECT_NAME, 'OPEN');
    return q;
  }

  newMsgId(): Buffer {
    // MQ's own shape: 'AMQ ' + queue manager name padded to 12 + 8 unique bytes.
    const id = Buffer.alloc(24, 0);
    id.write(`AMQ ${this.name.padEnd(12, ' ').slice(0, 12)}`, 0, 'latin1');
    id.writeBigUInt64BE(BigInt(Date.now()) * 1000n + BigInt(++this.ids % 1000), 16);
    return id;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  commit(conn: FakeConnection): void {
    for (const m of conn.uow) {
      if (m.heldBy?.how === 'got') this.remove(m);
      else m.heldBy = undefined;
    }
    conn.uow.clear();
  }

  backout(conn: FakeConnection): void {
    for (const m of conn.uow) {
      if (m.heldBy?.how === 'got') {
        m.md.BackoutCount += 1;
        m.heldBy = undefined;
      } else this.remove(m);
    }
    conn.uow.clear();
  }

  private breakConnection(conn: FakeConnection): void {
    this.backout(conn); // the queue manager backs out a lost connection's unit of work
    conn.state = 'broken';
  }

  private remove(m: StoredMessage): void {
    for (const q of this.queues.values()) {
      const i = q.messages.indexOf(m);
      if (i >= 0) q.messages.splice(i, 1);
    }
  }
}

/** Priority high to low, then arrival order (MSGDLVSQ(PRIORITY)). */
export function deliveryOrder(messages: StoredMessage[]): StoredMessage[] {
  return [...messages].sort((a, b) => b.md.Priority - a.md.Priority || a.seq - b.seq);
}

interface FakeHConn {
  readonly _hConn: number;
  readonly _name: string;
  readonly conn: FakeConnection;
}
interface FakeHObj {
  readonly _hObj: number;
  readonly _mqQueueManager: FakeHConn;
  readonly _name: string;
}

function createFakeDriver(qm: FakeQueueManager): MqiApi {
  let hObjs = 0;
  let hMsgs = 0n;

  /** The connection of a handle, or the MQError MQ gives for it (2009 broken, 2018 gone). */
  function live(h: FakeHConn, verb: string): FakeConnection {
    if (h.conn.state === 'broken') throw new MQError(C.MQCC_FAILED, C.MQRC_CONNECTION_BROKEN, verb);
    if (h.conn.state === 'disconnected') throw new MQError(C.MQCC_FAILED, C.MQRC_HCONN_ERROR, verb);
    return h.conn;
  }
  function openHandle(o: FakeHObj, verb: string, needs: number, rcIfNot: number): FakeHandle {
    const conn = live(o._mqQueueManager, verb);
    const h = conn.handles.get(o._hObj);
    if (!h) throw new MQError(C.MQCC_FAILED, C.MQRC_HOBJ_ERROR, verb);
    if ((h.options & needs) === 0) throw new MQError(C.MQCC_FAILED, rcIfNot, verb);
    return h;
  }
  function msgHandle(conn: FakeConnection, hMsg: bigint, verb: string) {
    const h = conn.msgHandles.get(hMsg);
    if (!h) throw new MQError(C.MQCC_FAILED, C.MQRC_HMSG_ERROR, verb);
    return h;
  }
  /** The driver's callback convention: with cb errors go to it, without they are thrown. */
  function report<A extends unknown[]>(verb: string, cb: ((err: MQError | null, ...a: A) => void) | undefined, run: () => A, onError: () => A): void {
    let result: A;
    try {
      result = run();
    } catch (err) {
      if (!(err instanceof MQError)) throw err;
      if (!cb) throw err;
      return cb(err, ...onError());
    }
    cb?.(null, ...result);
    void verb;
  }

  const api = {
    MQC: { ...FAKE_MQC, ...FAKE_MQC_STRINGS },
    MQMD,
    MQGMO,
    MQPMO,
    MQOD,
    MQCNO,
    MQCD,
    MQSCO,
    MQCSP,
    MQAttr,
    MQCMHO,
    MQDMHO,
    MQSMPO,
    MQIMPO,
    MQPD,
    Lookup,

    async ConnxPromise(qmName: string, cno: MQCNO): Promise<FakeHConn> {
      if (!(cno instanceof MQCNO)) throw new TypeError('Parameter must be of type MQCNO');
      await Promise.resolve(); // the real call completes on a worker thread
      const conn = qm.connect(qmName, cno);
      return { _hConn: conn.id, _name: qmName, conn };
    },

    async DiscPromise(h: FakeHConn): Promise<void> {
      await Promise.resolve();
      const conn = live(h, 'DISC');
      qm.commit(conn); // MQDISC commits the unit of work (IBM MQ for Multiplatforms)
      conn.handles.clear();
      conn.state = 'disconnected';
    },

    async OpenPromise(h: FakeHConn, od: MQOD, options: number): Promise<FakeHObj> {
      await Promise.resolve();
      const conn = live(h, 'OPEN');
      const queue = qm.queue(od.ObjectName ?? '');
      const hObj = ++hObjs;
      conn.handles.set(hObj, { queue, options });
      return { _hObj: hObj, _mqQueueManager: h, _name: od.ObjectName ?? '' };
    },

    async ClosePromise(o: FakeHObj): Promise<void> {
      await Promise.resolve();
      const conn = live(o._mqQueueManager, 'CLOSE');
      if (!conn.handles.delete(o._hObj)) throw new MQError(C.MQCC_FAILED, C.MQRC_HOBJ_ERROR, 'CLOSE');
    },

    async PutPromise(o: FakeHObj, md: MQMD, pmo: MQPMO, buf: Buffer): Promise<void> {
      await Promise.resolve();
      const h = openHandle(o, 'PUT', C.MQOO_OUTPUT, C.MQRC_NOT_OPEN_FOR_OUTPUT);
      const conn = o._mqQueueManager.conn;
      const q = h.queue;
      if (q.putInhibited) throw new MQError(C.MQCC_FAILED, C.MQRC_PUT_INHIBITED, 'PUT');
      if (q.messages.length >= q.def.maxDepth) throw new MQError(C.MQCC_FAILED, C.MQRC_Q_FULL, 'PUT');
      if (buf.length > q.def.maxMessageLength) throw new MQError(C.MQCC_FAILED, C.MQRC_MSG_TOO_BIG_FOR_Q, 'PUT');
      const stored = new MQMD();
      Object.assign(stored, md, { MsgId: Buffer.from(md.MsgId), CorrelId: Buffer.from(md.CorrelId), GroupId: Buffer.from(md.GroupId) });
      if ((pmo.Options & C.MQPMO_NEW_MSG_ID) !== 0 || md.MsgId.every((b) => b === 0)) stored.MsgId = qm.newMsgId();
      if (stored.Priority === C.MQPRI_PRIORITY_AS_Q_DEF) stored.Priority = q.def.defaultPriority;
      if (stored.Persistence === C.MQPER_PERSISTENCE_AS_Q_DEF) stored.Persistence = q.def.defaultPersistence;
      if (stored.CodedCharSetId === C.MQCCSI_Q_MGR) stored.CodedCharSetId = qm.ccsid;
      stored.Format = (md.Format ?? '').trimEnd();
      stored.ReplyToQ = (md.ReplyToQ ?? '').trim();
      stored.ReplyToQMgr = (md.ReplyToQMgr ?? '').trim() || (stored.ReplyToQ ? qm.name : '');
      // MQPMO default context: the queue manager fills the identity and origin context.
      stored.UserIdentifier = conn.user;
      stored.PutApplName = conn.applName;
      [stored.PutDate, stored.PutTime] = putDateTime(new Date());
      stored.BackoutCount = 0;
      let properties = new Map<string, FakeProperty>();
      if (pmo.OriginalMsgHandle !== BigInt(C.MQHM_NONE)) properties = new Map(msgHandle(conn, pmo.OriginalMsgHandle, 'PUT').props);
      const message: StoredMessage = { seq: qm.nextSeq(), md: stored, body: Buffer.from(buf), properties, putAtMs: Date.now() };
      if ((pmo.Options & C.MQPMO_SYNCPOINT) !== 0) {
        message.heldBy = { conn, how: 'put' };
        conn.uow.add(message);
      }
      q.messages.push(message);
      // MQPUT's output fields.
      md.MsgId = Buffer.from(stored.MsgId);
      md.PutDate = stored.PutDate;
      md.PutTime = stored.PutTime;
    },

    GetSync(o: FakeHObj, md: MQMD, gmo: MQGMO, buf: Buffer, cb: (err: MQError | null, dataLength: number) => void): void {
      qm.getOptions.push(gmo.Options);
      if ((gmo.Options & C.MQGMO_WAIT) !== 0 && gmo.WaitInterval !== 0) {
        throw new Error('fake ibmmq: GetSync with MQGMO_WAIT blocks the event loop for the wait; the transport must not ask for it');
      }
      let length = 0;
      report('GET', cb, () => [(length = getOne(o, md, gmo, buf))] as [number], () => [length] as [number]);
    },

    Cmit(h: FakeHConn, cb?: (err: MQError | null) => void): void {
      report('CMIT', cb, () => (qm.commit(live(h, 'CMIT')), [] as []), () => [] as []);
    },

    Back(h: FakeHConn, cb?: (err: MQError | null) => void): void {
      report('BACK', cb, () => (qm.backout(live(h, 'BACK')), [] as []), () => [] as []);
    },

    Inq(o: FakeHObj, selectors: MQAttr[], cb?: (err: MQError | null, s: MQAttr[]) => void): void {
      report(
        'INQ',
        cb,
        () => {
          const q = openHandle(o, 'INQ', C.MQOO_INQUIRE, C.MQRC_NOT_OPEN_FOR_INQUIRE).queue;
          for (const s of selectors) {
            if (s.selector === C.MQIA_BACKOUT_THRESHOLD) s.value = q.def.backoutThreshold;
            else if (s.selector === C.MQCA_BACKOUT_REQ_Q_NAME) s.value = q.def.backoutQueue.trimEnd() || ' '; // src/mqi.cc getMQIString keeps one blank
            else if (s.selector === C.MQIA_CURRENT_Q_DEPTH) s.value = q.messages.length;
            else throw new MQError(C.MQCC_FAILED, C.MQRC_SELECTOR_ERROR, 'INQ');
          }
          return [selectors] as [MQAttr[]];
        },
        () => [selectors] as [MQAttr[]],
      );
    },

    CrtMh(h: FakeHConn, _cmho: MQCMHO, cb?: (err: MQError | null, hMsg: bigint) => void): bigint | void {
      const conn = live(h, 'MQCRTMH');
      const hMsg = ++hMsgs;
      conn.msgHandles.set(hMsg, { props: new Map(), cursor: 0 });
      if (cb) return cb(null, hMsg);
      return hMsg;
    },

    DltMh(h: FakeHConn, hMsg: bigint, _dmho: MQDMHO, cb?: (err: MQError | null) => void): void {
      report('MQDLTMH', cb, () => {
        const conn = live(h, 'MQDLTMH');
        if (!conn.msgHandles.delete(hMsg)) throw new MQError(C.MQCC_FAILED, C.MQRC_HMSG_ERROR, 'MQDLTMH');
        return [] as [];
      }, () => [] as []);
    },

    SetMp(h: FakeHConn, hMsg: bigint, _smpo: MQSMPO, name: string, _pd: MQPD, value: unknown, cb?: (err: MQError | null) => void): void {
      report('MQSETMP', cb, () => {
        const props = msgHandle(live(h, 'MQSETMP'), hMsg, 'MQSETMP').props;
        props.set(name, driverSetValue(value));
        return [] as [];
      }, () => [] as []);
    },

    InqMp(
      h: FakeHConn,
      hMsg: bigint,
      impo: MQIMPO,
      _pd: MQPD,
      name: string,
      valueBuffer: Buffer,
      cb: (err: MQError | null, name: string, value: unknown, length: number, type: number) => void,
    ): void {
      let failed: MQError | null = null;
      let out: [string, unknown, number, number] = ['', undefined, 0, 0];
      try {
        out = inquireProperty(msgHandle(live(h, 'MQINQMP'), hMsg, 'MQINQMP'), impo, name, valueBuffer);
        impo.ReturnedName = out[0];
      } catch (err) {
        if (!(err instanceof MQError)) throw err;
        failed = err;
      }
      if (failed) cb(failed, '', undefined, 0, 0);
      else cb(null, ...out);
    },
  };

  function getOne(o: FakeHObj, md: MQMD, gmo: MQGMO, buf: Buffer): number {
    const h = openHandle(o, 'GET', C.MQOO_INPUT_AS_Q_DEF | C.MQOO_INPUT_SHARED | C.MQOO_INPUT_EXCLUSIVE, C.MQRC_NOT_OPEN_FOR_INPUT);
    const conn = o._mqQueueManager.conn;
    const q = h.queue;
    if (q.getInhibited) throw new MQError(C.MQCC_FAILED, C.MQRC_GET_INHIBITED, 'GET');
    const matchMsgId = (gmo.MatchOptions & C.MQMO_MATCH_MSG_ID) !== 0 && md.MsgId.some((b) => b !== 0) ? Buffer.from(md.MsgId) : undefined;
    const matchCorrelId = (gmo.MatchOptions & C.MQMO_MATCH_CORREL_ID) !== 0 && md.CorrelId.some((b) => b !== 0) ? Buffer.from(md.CorrelId) : undefined;
    const now = Date.now();
    let found: StoredMessage | undefined;
    for (const m of deliveryOrder(q.messages.filter((x) => !x.heldBy))) {
      if (m.md.Expiry !== C.MQEI_UNLIMITED && now - m.putAtMs >= m.md.Expiry * 100) {
        q.messages.splice(q.messages.indexOf(m), 1); // an expired message is discarded when a get meets it
        continue;
      }
      if (matchMsgId && !matchMsgId.equals(m.md.MsgId)) continue;
      if (matchCorrelId && !matchCorrelId.equals(m.md.CorrelId)) continue;
      found = m;
      break;
    }
    if (!found) throw new MQError(C.MQCC_FAILED, C.MQRC_NO_MSG_AVAILABLE, 'GET');

    let body = found.body;
    let ccsid = found.md.CodedCharSetId;
    let warning = 0;
    if ((gmo.Options & C.MQGMO_CONVERT) !== 0) {
      const converted = convert(found, md.CodedCharSetId);
      if (typeof converted === 'number') warning = converted;
      else [body, ccsid] = converted;
    }
    copyMd(found, md, now);
    md.CodedCharSetId = ccsid;
    gmo.ReturnedLength = Math.min(body.length, buf.length);
    if (body.length > buf.length && (gmo.Options & C.MQGMO_ACCEPT_TRUNCATED_MSG) === 0) {
      // 2080: a warning; the message stays where it was; DataLength says how long it is.
      throw Object.assign(new MQError(C.MQCC_WARNING, C.MQRC_TRUNCATED_MSG_FAILED, 'GET'), { dataLength: body.length });
    }
    body.copy(buf, 0, 0, Math.min(body.length, buf.length));
    if ((gmo.Options & C.MQGMO_SYNCPOINT) !== 0) {
      found.heldBy = { conn, how: 'got' };
      conn.uow.add(found);
    } else {
      q.messages.splice(q.messages.indexOf(found), 1);
    }
    if ((gmo.Options & C.MQGMO_PROPERTIES_IN_HANDLE) !== 0 && gmo.MsgHandle !== BigInt(C.MQHM_NONE)) {
      const target = msgHandle(conn, gmo.MsgHandle, 'GET');
      target.props = new Map(found.properties);
      target.cursor = 0;
    }
    if (body.length > buf.length) throw Object.assign(new MQError(C.MQCC_WARNING, C.MQRC_TRUNCATED_MSG_ACCEPTED, 'GET'), { dataLength: body.length });
    if (warning) throw Object.assign(new MQError(C.MQCC_WARNING, warning, 'GET'), { dataLength: body.length });
    return body.length;
  }

  // GetSync's callback gets DataLength on warnings too: carry it through report().
  const rawGetSync = api.GetSync;
  api.GetSync = function (o, md, gmo, buf, cb) {
    rawGetSync(o, md, gmo, buf, (err, len) => cb(err, err && 'dataLength' in err ? (err as MQError & { dataLength: number }).dataLength : len));
  };

  return api as unknown as MqiApi;
}

function copyMd(m: StoredMessage, md: MQMD, now: number): void {
  const s = m.md;
  Object.assign(md, s, {
    MsgId: Buffer.from(s.MsgId),
    CorrelId: Buffer.from(s.CorrelId),
    GroupId: Buffer.from(s.GroupId),
    AccountingToken: Buffer.from(s.AccountingToken),
    // The Expiry got is what is left (tenths of a second).
    Expiry: s.Expiry === C.MQEI_UNLIMITED ? s.Expiry : Math.max(1, s.Expiry - Math.floor((now - m.putAtMs) / 100)),
  });
}

/** MQGMO_CONVERT of an MQSTR body to `toCcsid`; a number is the warning MQ gives instead. */
function convert(m: StoredMessage, toCcsid: number): [Buffer, number] | number {
  const format = (m.md.Format ?? '').trimEnd();
  if (format === '') return C.MQRC_FORMAT_ERROR; // MQFMT_NONE cannot be converted
  if (format !== 'MQSTR') return C.MQRC_NOT_CONVERTED; // no conversion exit for other formats here
  const from = m.md.CodedCharSetId;
  if (from === toCcsid) return [m.body, from];
  const fromPage = codePageOf(from);
  const toPage = codePageOf(toCcsid);
  if (!fromPage || !toPage) return C.MQRC_NOT_CONVERTED;
  const text = fromPage.decode(m.body, 0, m.body.length);
  if (toPage.name === 'utf8') return [Buffer.from(text, 'utf8'), toCcsid];
  const out = Buffer.alloc(text.length);
  try {
    toPage.encode(text, out, 0, out.length);
  } catch {
    return C.MQRC_NOT_CONVERTED;
  }
  return [out, toCcsid];
}

function codePageOf(ccsid: number) {
  if (ccsid === 1208) return getCodePage('utf8');
  if (ccsid === 819) return getCodePage('latin1');
  try {
    return getCodePage(`cp${String(ccsid).padStart(3, '0')}`);
  } catch {
    return undefined;
  }
}

/** What src/mqmpo.cc SetMp stores for a JS value. */
function driverSetValue(value: unknown): FakeProperty {
  if (typeof value === 'string') return { type: C.MQTYPE_STRING, value };
  if (typeof value === 'number') return { type: C.MQTYPE_INT32, value: value | 0 }; // Int32Value(): truncates
  if (typeof value === 'boolean') return { type: C.MQTYPE_BOOLEAN, value };
  if (Buffer.isBuffer(value)) return { type: C.MQTYPE_BYTE_STRING, value: Buffer.from(value) };
  if (value === null || value === undefined) return { type: C.MQTYPE_NULL, value: null };
  throw new MQError(C.MQCC_FAILED, C.MQRC_PROPERTY_TYPE_ERROR, 'MQSETMP');
}

function inferProperty(value: string | number | bigint | boolean | Buffer | null): FakeProperty {
  if (typeof value === 'bigint') return { type: C.MQTYPE_INT64, value };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: C.MQTYPE_INT32, value } : { type: C.MQTYPE_FLOAT64, value };
  return driverSetValue(value);
}

/** MQINQMP through lib/mqi.js: the value as the JS layer hands it to the callback. */
function inquireProperty(
  handle: { props: Map<string, FakeProperty>; cursor: number },
  impo: MQIMPO,
  name: string,
  buf: Buffer,
): [string, unknown, number, number] {
  let entry: [string, FakeProperty] | undefined;
  let next = handle.cursor;
  if (name === '%') {
    const all = [...handle.props.entries()];
    const at = (impo.Options & C.MQIMPO_INQ_NEXT) !== 0 ? handle.cursor : 0;
    entry = all[at];
    next = at + 1;
  } else {
    const p = handle.props.get(name);
    entry = p ? [name, p] : undefined;
  }
  if (!entry) throw new MQError(C.MQCC_FAILED, C.MQRC_PROPERTY_NOT_AVAILABLE, 'MQINQMP');
  const [propName, { type, value }] = entry;
  const bytes = valueBytes(type, value);
  if (bytes.length > buf.length) throw new MQError(C.MQCC_FAILED, C.MQRC_PROPERTY_VALUE_TOO_BIG, 'MQINQMP'); // cursor stays
  bytes.copy(buf);
  handle.cursor = next;
  switch (type) {
    case C.MQTYPE_NULL:
      return [propName, undefined, 0, type]; // lib/mqi.js sets result.value, not value
    case C.MQTYPE_STRING:
      return [propName, buf.toString('utf8', 0, bytes.length), bytes.length, type];
    case C.MQTYPE_BOOLEAN:
      return [propName, value as boolean, 4, type];
    case C.MQTYPE_INT32:
      return [propName, value as number, 4, type];
    default:
      return [propName, buf, bytes.length, type]; // INT64, FLOAT64, BYTE_STRING: the whole buffer
  }
}

function valueBytes(type: number, value: FakeProperty['value']): Buffer {
  const b8 = Buffer.alloc(8);
  const b4 = Buffer.alloc(4);
  switch (type) {
    case C.MQTYPE_STRING:
      return Buffer.from(value as string, 'utf8');
    case C.MQTYPE_BYTE_STRING:
      return value as Buffer;
    case C.MQTYPE_INT64:
      LE ? b8.writeBigInt64LE(value as bigint) : b8.writeBigInt64BE(value as bigint);
      return b8;
    case C.MQTYPE_FLOAT64:
      LE ? b8.writeDoubleLE(value as number) : b8.writeDoubleBE(value as number);
      return b8;
    case C.MQTYPE_INT32:
      LE ? b4.writeInt32LE(value as number) : b4.writeInt32BE(value as number);
      return b4;
    case C.MQTYPE_BOOLEAN:
      LE ? b4.writeInt32LE(value ? 1 : 0) : b4.writeInt32BE(value ? 1 : 0);
      return b4;
    default:
      return Buffer.alloc(0);
  }
}

function pad24(id: Buffer): Buffer {
  const out = Buffer.alloc(24, 0);
  id.copy(out, 0, 0, 24);
  return out;
}

/** PutDate `YYYYMMDD`, PutTime `HHMMSSTH`, GMT. */
function putDateTime(at: Date): [string, string] {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return [
    `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}`,
    `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}${p(Math.floor(at.getUTCMilliseconds() / 10))}`,
  ];
}
