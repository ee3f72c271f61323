/**
 * The part of the `ibmmq` package (mq-mqi-nodejs v2.1.9, lib/mqi.js and types/index.d.ts) the
 * transport calls, typed narrowly. The real module and the test fake (test/support/fake-ibmmq.ts)
 * both satisfy it; nothing else in Banyan touches the driver.
 *
 * Facts from the package source that shape these types:
 * - Cmit, Back, Inq, CrtMh, DltMh, SetMp, InqMp and GetSync run the MQI call on the calling thread
 *   (no async form); with a callback they call it synchronously, without one they throw MQError.
 * - Strings read back from MQ structures are trimmed (lib/mqibufs.js bufReadString); a blank
 *   MQCHAR attribute from Inq comes back as one space (src/mqi.cc getMQIString keeps one char).
 * - Message handles are bigint (src/mqmho.cc); MQGMO.MsgHandle and MQPMO.OriginalMsgHandle too.
 */

/** lib/mqitypes.js MQError: what every failing verb reports. */
export interface MqiError extends Error {
  readonly mqcc: number;
  readonly mqrc: number;
  readonly mqrcstr: string;
  readonly verb: string;
}

export type MqiQueueManager = object;
export type MqiObject = object;

export interface MqiMd {
  Report: number;
  MsgType: number;
  Expiry: number;
  Feedback: number;
  Encoding: number;
  CodedCharSetId: number;
  Format: string | null;
  Priority: number;
  Persistence: number;
  MsgId: Buffer;
  CorrelId: Buffer;
  BackoutCount: number;
  ReplyToQ: string | null;
  ReplyToQMgr: string | null;
  UserIdentifier: string | null;
  PutApplType: number;
  PutApplName: string | null;
  PutDate: string | null;
  PutTime: string | null;
  GroupId: Buffer;
  MsgSeqNumber: number;
  Offset: number;
  MsgFlags: number;
}

export interface MqiGmo {
  Options: number;
  WaitInterval: number;
  MatchOptions: number;
  MsgHandle: bigint;
  ReturnedLength: number;
}

export interface MqiPmo {
  Options: number;
  OriginalMsgHandle: bigint;
}

export interface MqiOd {
  ObjectType: number;
  ObjectName: string | null;
}

export interface MqiCd {
  ChannelName: string | null;
  ConnectionName: string | null;
  SSLCipherSpec: string | null;
  SSLPeerName: string | null;
  CertificateLabel: string | null;
}

export interface MqiSco {
  KeyRepository: string | null;
  CertificateLabel: string | null;
}

export interface MqiCsp {
  UserId: string | null;
  Password: string | null;
}

export interface MqiCno {
  Options: number;
  ClientConn: MqiCd | null;
  SSLConfig: MqiSco | null;
  SecurityParms: MqiCsp | null;
  CCDTUrl: string | null;
  ApplName: string | null;
}

export interface MqiAttr {
  selector: number;
  value: number | string | undefined;
}

export interface MqiImpo {
  Options: number;
  ReturnedName: string | null;
}

export interface MqiPd {
  Options: number;
}

export interface MqiOptions {
  Options: number;
}

export type MqiPropertyValue = boolean | string | number | Buffer | null | undefined;

/** The constants the transport uses, by the names lib/mqidefs.js exports them under. */
export type MqiConstants = Readonly<Record<MqiConstantName, number>>;

export const MQI_CONSTANT_NAMES = [
  'MQCC_OK', 'MQCC_WARNING', 'MQCC_FAILED',
  'MQRC_NONE', 'MQRC_NO_MSG_AVAILABLE', 'MQRC_TRUNCATED_MSG_FAILED', 'MQRC_PROPERTY_NOT_AVAILABLE', 'MQRC_PROPERTY_VALUE_TOO_BIG',
  'MQCNO_CLIENT_BINDING', 'MQCNO_RECONNECT', 'MQCNO_RECONNECT_Q_MGR', 'MQCNO_RECONNECT_DISABLED', 'MQCNO_RECONNECT_AS_DEF',
  'MQOT_Q', 'MQOO_INPUT_AS_Q_DEF', 'MQOO_OUTPUT', 'MQOO_INQUIRE', 'MQOO_FAIL_IF_QUIESCING', 'MQCO_NONE',
  'MQGMO_SYNCPOINT', 'MQGMO_NO_WAIT', 'MQGMO_WAIT', 'MQGMO_FAIL_IF_QUIESCING', 'MQGMO_CONVERT', 'MQGMO_PROPERTIES_IN_HANDLE', 'MQGMO_ACCEPT_TRUNCATED_MSG',
  'MQMO_NONE', 'MQMO_MATCH_MSG_ID', 'MQMO_MATCH_CORREL_ID',
  'MQPMO_SYNCPOINT', 'MQPMO_NEW_MSG_ID', 'MQPMO_FAIL_IF_QUIESCING',
  'MQIA_BACKOUT_THRESHOLD', 'MQCA_BACKOUT_REQ_Q_NAME',
  'MQENC_NATIVE', 'MQCCSI_Q_MGR', 'MQPRI_PRIORITY_AS_Q_DEF', 'MQPER_PERSISTENT', 'MQPER_NOT_PERSISTENT', 'MQPER_PERSISTENCE_AS_Q_DEF',
  'MQEI_UNLIMITED', 'MQMT_DATAGRAM', 'MQMF_NONE', 'MQMF_MSG_IN_GROUP',
  'MQTYPE_NULL', 'MQTYPE_BOOLEAN', 'MQTYPE_BYTE_STRING', 'MQTYPE_INT8', 'MQTYPE_INT16', 'MQTYPE_INT32', 'MQTYPE_INT64',
  'MQTYPE_FLOAT32', 'MQTYPE_FLOAT64', 'MQTYPE_STRING',
  'MQIMPO_INQ_FIRST', 'MQIMPO_INQ_NEXT', 'MQCMHO_DEFAULT_VALIDATION', 'MQDMHO_NONE', 'MQSMPO_SET_FIRST',
] as const;

export type MqiConstantName = (typeof MQI_CONSTANT_NAMES)[number];

/** The driver module, as `await import('ibmmq')` gives it (or the fake). */
export interface MqiApi {
  readonly MQC: MqiConstants & { readonly MQFMT_STRING: string; readonly MQFMT_NONE: string };
  readonly MQMD: new () => MqiMd;
  readonly MQGMO: new () => MqiGmo;
  readonly MQPMO: new () => MqiPmo;
  readonly MQOD: new () => MqiOd;
  readonly MQCNO: new () => MqiCno;
  readonly MQCD: new () => MqiCd;
  readonly MQSCO: new () => MqiSco;
  readonly MQCSP: new () => MqiCsp;
  readonly MQAttr: new (selector: number, value?: number | string) => MqiAttr;
  readonly MQCMHO: new () => MqiOptions;
  readonly MQDMHO: new () => MqiOptions;
  readonly MQSMPO: new () => MqiOptions;
  readonly MQIMPO: new () => MqiImpo;
  readonly MQPD: new () => MqiPd;

  ConnxPromise(qMgrName: string, cno: MqiCno): Promise<MqiQueueManager>;
  DiscPromise(hConn: MqiQueueManager): Promise<void>;
  OpenPromise(hConn: MqiQueueManager, od: MqiOd, openOptions: number): Promise<MqiObject>;
  ClosePromise(hObj: MqiObject, closeOptions: number): Promise<void>;
  PutPromise(hObj: MqiObject, md: MqiMd, pmo: MqiPmo, body: Buffer): Promise<void>;
  /** Synchronous: the callback runs before GetSync returns, with the data length also on warnings (2080: the full length). */
  GetSync(hObj: MqiObject, md: MqiMd, gmo: MqiGmo, buf: Buffer, cb: (err: MqiError | null, dataLength: number) => void): void;
  Cmit(hConn: MqiQueueManager, cb: (err: MqiError | null) => void): void;
  Back(hConn: MqiQueueManager, cb: (err: MqiError | null) => void): void;
  Inq(hObj: MqiObject, selectors: MqiAttr[], cb: (err: MqiError | null, selectors: MqiAttr[]) => void): void;
  CrtMh(hConn: MqiQueueManager, cmho: MqiOptions, cb: (err: MqiError | null, hMsg: bigint) => void): void;
  DltMh(hConn: MqiQueueManager, hMsg: bigint, dmho: MqiOptions, cb: (err: MqiError | null) => void): void;
  SetMp(hConn: MqiQueueManager, hMsg: bigint, smpo: MqiOptions, name: string, pd: MqiPd, value: MqiPropertyValue, cb: (err: MqiError | null) => void): void;
  InqMp(
    hConn: MqiQueueManager,
    hMsg: bigint,
    impo: MqiImpo,
    pd: MqiPd,
    name: string,
    valueBuffer: Buffer,
    cb: (err: MqiError | null, name: string, value: MqiPropertyValue, length: number, type: number) => void,
  ): void;
  Lookup(range: string, value: number): string | null;
}

/** True for an error thrown or reported by the driver (it carries an MQRC). */
export function isMqiError(err: unknown): err is MqiError {
  return err instanceof Error && typeof (err as { mqrc?: unknown }).mqrc === 'number';
}
