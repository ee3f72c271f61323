/**
 * Constants, structures and MQError of the fake ibmmq driver, written from the package's
 * types/index.d.ts and lib/*.js (v2.1.9): the same field names and defaults, sealed objects as the
 * real constructors make them. Constant values are the real ones; test/unit/connectors/ibm-mq/
 * fake-ibmmq.test.ts compares each against node_modules/ibmmq/lib/mqidefs.js so the fake cannot drift.
 */
import { MQI_CONSTANT_NAMES, type MqiConstantName } from '../../src/connectors/ibm-mq/mqi-api.ts';

/** Every numeric constant the fake knows (the transport's and the reason codes the fake returns). */
export const FAKE_MQC = {
  MQCC_OK: 0,
  MQCC_WARNING: 1,
  MQCC_FAILED: 2,
  MQRC_NONE: 0,
  MQRC_NO_MSG_AVAILABLE: 2033,
  MQRC_TRUNCATED_MSG_FAILED: 2080,
  MQRC_TRUNCATED_MSG_ACCEPTED: 2079,
  MQRC_PROPERTY_NOT_AVAILABLE: 2471,
  MQRC_PROPERTY_VALUE_TOO_BIG: 2469,
  MQRC_PROPERTY_TYPE_ERROR: 2473,
  MQRC_CONNECTION_BROKEN: 2009,
  MQRC_Q_MGR_NOT_AVAILABLE: 2059,
  MQRC_Q_MGR_NAME_ERROR: 2058,
  MQRC_UNKNOWN_OBJECT_NAME: 2085,
  MQRC_NOT_AUTHORIZED: 2035,
  MQRC_UNKNOWN_CHANNEL_NAME: 2540,
  MQRC_HCONN_ERROR: 2018,
  MQRC_HOBJ_ERROR: 2019,
  MQRC_HMSG_ERROR: 2460,
  MQRC_NOT_OPEN_FOR_INPUT: 2037,
  MQRC_NOT_OPEN_FOR_INQUIRE: 2038,
  MQRC_NOT_OPEN_FOR_OUTPUT: 2039,
  MQRC_GET_INHIBITED: 2016,
  MQRC_PUT_INHIBITED: 2051,
  MQRC_Q_FULL: 2053,
  MQRC_MSG_TOO_BIG_FOR_Q: 2030,
  MQRC_SELECTOR_ERROR: 2067,
  MQRC_FORMAT_ERROR: 2110,
  MQRC_NOT_CONVERTED: 2119,
  MQCNO_NONE: 0,
  MQCNO_CLIENT_BINDING: 2048,
  MQCNO_RECONNECT: 16777216,
  MQCNO_RECONNECT_Q_MGR: 67108864,
  MQCNO_RECONNECT_DISABLED: 33554432,
  MQCNO_RECONNECT_AS_DEF: 0,
  MQOT_Q: 1,
  MQOO_INPUT_AS_Q_DEF: 1,
  MQOO_INPUT_SHARED: 2,
  MQOO_INPUT_EXCLUSIVE: 4,
  MQOO_OUTPUT: 16,
  MQOO_INQUIRE: 32,
  MQOO_FAIL_IF_QUIESCING: 8192,
  MQCO_NONE: 0,
  MQGMO_NO_WAIT: 0,
  MQGMO_WAIT: 1,
  MQGMO_SYNCPOINT: 2,
  MQGMO_NO_SYNCPOINT: 4,
  MQGMO_ACCEPT_TRUNCATED_MSG: 64,
  MQGMO_FAIL_IF_QUIESCING: 8192,
  MQGMO_CONVERT: 16384,
  MQGMO_PROPERTIES_AS_Q_DEF: 0,
  MQGMO_PROPERTIES_IN_HANDLE: 134217728,
  MQMO_NONE: 0,
  MQMO_MATCH_MSG_ID: 1,
  MQMO_MATCH_CORREL_ID: 2,
  MQPMO_SYNCPOINT: 2,
  MQPMO_NO_SYNCPOINT: 4,
  MQPMO_NEW_MSG_ID: 64,
  MQPMO_FAIL_IF_QUIESCING: 8192,
  MQIA_CURRENT_Q_DEPTH: 3,
  MQIA_BACKOUT_THRESHOLD: 22,
  MQCA_BACKOUT_REQ_Q_NAME: 2019,
  MQENC_NATIVE: 546,
  MQCCSI_Q_MGR: 0,
  MQPRI_PRIORITY_AS_Q_DEF: -1,
  MQPER_NOT_PERSISTENT: 0,
  MQPER_PERSISTENT: 1,
  MQPER_PERSISTENCE_AS_Q_DEF: 2,
  MQEI_UNLIMITED: -1,
  MQWI_UNLIMITED: -1,
  MQMT_REQUEST: 1,
  MQMT_REPLY: 2,
  MQMT_DATAGRAM: 8,
  MQMF_NONE: 0,
  MQMF_MSG_IN_GROUP: 8,
  MQRO_NONE: 0,
  MQFB_NONE: 0,
  MQAT_NO_CONTEXT: 0,
  MQTYPE_NULL: 2,
  MQTYPE_BOOLEAN: 4,
  MQTYPE_BYTE_STRING: 8,
  MQTYPE_INT8: 16,
  MQTYPE_INT16: 32,
  MQTYPE_INT32: 64,
  MQTYPE_INT64: 128,
  MQTYPE_FLOAT32: 256,
  MQTYPE_FLOAT64: 512,
  MQTYPE_STRING: 1024,
  MQIMPO_INQ_FIRST: 0,
  MQIMPO_NONE: 0,
  MQIMPO_INQ_NEXT: 8,
  MQCMHO_DEFAULT_VALIDATION: 0,
  MQDMHO_NONE: 0,
  MQSMPO_SET_FIRST: 0,
  MQPD_NONE: 0,
  MQHM_NONE: 0,
  MQ_MSG_ID_LENGTH: 24,
} as const;

/** The string constants (lib/mqidefs_linuxIntel.js spells them trimmed). */
export const FAKE_MQC_STRINGS = { MQFMT_STRING: 'MQSTR', MQFMT_NONE: '' } as const;

// The transport's constants must all be here (a compile-time check).
const _covers: Record<MqiConstantName, number> = FAKE_MQC;
void _covers;
void MQI_CONSTANT_NAMES;

const C = FAKE_MQC;

export function zeroId(): Buffer {
  return Buffer.alloc(C.MQ_MSG_ID_LENGTH, 0);
}

export class MQMD {
  Report: number = C.MQRO_NONE;
  MsgType: number = C.MQMT_DATAGRAM;
  Expiry: number = C.MQEI_UNLIMITED;
  Feedback: number = C.MQFB_NONE;
  Encoding: number = C.MQENC_NATIVE;
  CodedCharSetId: number = C.MQCCSI_Q_MGR;
  Format: string | null = null;
  Priority: number = C.MQPRI_PRIORITY_AS_Q_DEF;
  Persistence: number = C.MQPER_PERSISTENCE_AS_Q_DEF;
  MsgId: Buffer = zeroId();
  CorrelId: Buffer = zeroId();
  BackoutCount = 0;
  ReplyToQ: string | null = null;
  ReplyToQMgr: string | null = null;
  UserIdentifier: string | null = null;
  AccountingToken: Buffer = Buffer.alloc(32, 0);
  ApplIdentityData: string | null = null;
  PutApplType: number = C.MQAT_NO_CONTEXT;
  PutApplName: string | null = null;
  PutDate: string | null = null;
  PutTime: string | null = null;
  ApplOriginData: string | null = null;
  GroupId: Buffer = zeroId();
  MsgSeqNumber = 1;
  Offset = 0;
  MsgFlags: number = C.MQMF_NONE;
  OriginalLength = -1;
  constructor() {
    Object.seal(this);
  }
}

export class MQGMO {
  Options: number = C.MQGMO_NO_WAIT | C.MQGMO_PROPERTIES_AS_Q_DEF | C.MQGMO_FAIL_IF_QUIESCING;
  WaitInterval: number = C.MQWI_UNLIMITED;
  ResolvedQName: string | null = null;
  MatchOptions: number = C.MQMO_MATCH_MSG_ID | C.MQMO_MATCH_CORREL_ID;
  GroupStatus = ' ';
  SegmentStatus = ' ';
  Segmentation = ' ';
  MsgToken: Buffer = Buffer.alloc(16, 0);
  ReturnedLength = -1; // MQRL_UNDEFINED
  MsgHandle: bigint = BigInt(C.MQHM_NONE);
  OtelOpts: object = {};
  constructor() {
    Object.seal(this);
  }
}

export class MQPMO {
  Options: number = C.MQPMO_FAIL_IF_QUIESCING;
  Context: object | null = null;
  ResolvedQName: string | null = null;
  ResolvedQMgrName: string | null = null;
  OriginalMsgHandle: bigint = BigInt(C.MQHM_NONE);
  NewMsgHandle: bigint = BigInt(C.MQHM_NONE);
  Action = 0;
  PubLevel = 9;
  OtelOpts: object = {};
  constructor() {
    Object.seal(this);
  }
}

export class MQOD {
  ObjectType: number = C.MQOT_Q;
  ObjectName: string | null = null;
  ObjectQMgrName: string | null = null;
  DynamicQName = 'AMQ.*';
  AlternateUserId: string | null = null;
  constructor() {
    Object.seal(this);
  }
}

export class MQCD {
  ChannelName: string | null = null;
  ConnectionName: string | null = null;
  MaxMsgLength = 4194304;
  HeartbeatInterval = 1;
  SSLCipherSpec: string | null = null;
  SSLPeerName: string | null = null;
  CertificateLabel: string | null = null;
  constructor() {
    Object.seal(this);
  }
}

export class MQSCO {
  KeyRepository: string | null = null;
  CertificateLabel: string | null = null;
  constructor() {
    Object.seal(this);
  }
}

export class MQCSP {
  UserId: string | null = null;
  Password: string | null = null;
  InitialKey: string | null = null;
  Token: string | null = null;
  constructor() {
    Object.seal(this);
  }
}

export class MQCNO {
  Options: number = C.MQCNO_NONE;
  SecurityParms: MQCSP | null = null;
  CCDTUrl: string | null = null;
  ClientConn: MQCD | null = null;
  SSLConfig: MQSCO | null = null;
  ApplName: string | null = null;
  BalanceParms: object | null = null;
  constructor() {
    Object.seal(this);
  }
}

export class MQAttr {
  selector: number;
  value: number | string | undefined;
  _length = 0;
  constructor(selector: number, value?: number | string) {
    this.selector = selector;
    this.value = value;
    Object.seal(this);
  }
}

export class MQCMHO {
  Options: number = C.MQCMHO_DEFAULT_VALIDATION;
  constructor() {
    Object.seal(this);
  }
}
export class MQDMHO {
  Options: number = C.MQDMHO_NONE;
  constructor() {
    Object.seal(this);
  }
}
export class MQSMPO {
  Options: number = C.MQSMPO_SET_FIRST;
  constructor() {
    Object.seal(this);
  }
}
export class MQIMPO {
  Options: number = C.MQIMPO_NONE;
  ReturnedName: string | null = null;
  TypeString: string | null = null;
  ReturnedEncoding: number = C.MQENC_NATIVE;
  ReturnedCCSID = -3; // MQCCSI_APPL
  constructor() {
    Object.seal(this);
  }
}
export class MQPD {
  Options: number = C.MQPD_NONE;
  Support = 1; // MQPD_SUPPORT_OPTIONAL
  Context = 0; // MQPD_NO_CONTEXT
  CopyOptions = 22; // MQCOPY_DEFAULT
  constructor() {
    Object.seal(this);
  }
}

const RC_NAMES = new Map<number, string>(Object.entries(FAKE_MQC).filter(([n]) => n.startsWith('MQRC_')).map(([n, v]) => [v, n]));
const CC_NAMES = new Map<number, string>([
  [0, 'MQCC_OK'],
  [1, 'MQCC_WARNING'],
  [2, 'MQCC_FAILED'],
]);

/** lib/mqitypes.js Lookup, for the ranges the fake knows. */
export function Lookup(range: string, value: number): string | null {
  if (range === 'MQRC') return RC_NAMES.get(value) ?? null;
  if (range === 'MQCC') return CC_NAMES.get(value) ?? null;
  return null;
}

/** lib/mqitypes.js MQError: the same fields and message format. */
export class MQError extends Error {
  readonly mqcc: number;
  readonly mqccstr: string;
  readonly mqrc: number;
  readonly mqrcstr: string;
  readonly version = '2.1.9';
  readonly verb: string;
  constructor(mqcc: number, mqrc: number, verb: string) {
    super();
    this.name = 'MQError';
    this.mqcc = mqcc;
    this.mqrc = mqrc;
    this.verb = verb;
    this.mqrcstr = Lookup('MQRC', mqrc) ?? 'Unknown';
    this.mqccstr = Lookup('MQCC', mqcc) ?? 'Unknown';
    this.message = `${verb}: MQCC = ${this.mqccstr} [${mqcc}] MQRC = ${this.mqrcstr} [${mqrc}]`;
  }
}
