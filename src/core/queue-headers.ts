/**
 * One header scheme for queue messages in Kafka, whatever carried them (IBM MQ's MQMD and message
 * properties / RFH2, or AMQP 1.0 with the OASIS JMS mapping annotations; both arrive as the port's
 * MessageDescriptor, src/core/queue-port.ts), and the way back: the MQ sink and the JMS facade
 * read the same names. Documented in docs/queue-headers.md.
 *
 * Ids travel twice, as 48 hex characters (what people and IBM's connector show, without `ID:`) and
 * as the raw 24 bytes (`-bytes`), so a reply can carry the exact CorrelId. Properties travel as
 * `mq-property.<name>` text, with their JMS types in one JSON header, `mq-property-types`, so an
 * int stays an int on the way back (IBM's connector types them through Connect's header schema).
 */
import type { MessageDescriptor, MessagePropertyValue, OutgoingMessage, QueueMessage } from './queue-port.ts';

export const QUEUE_HEADERS = {
  msgId: 'mq-msg-id',
  msgIdBytes: 'mq-msg-id-bytes',
  correlId: 'mq-correl-id',
  correlIdBytes: 'mq-correl-id-bytes',
  groupId: 'mq-group-id',
  groupIdBytes: 'mq-group-id-bytes',
  format: 'mq-format',
  ccsid: 'mq-ccsid',
  encoding: 'mq-encoding',
  priority: 'mq-priority',
  persistence: 'mq-persistence',
  expiry: 'mq-expiry',
  msgType: 'mq-msg-type',
  replyToQ: 'mq-reply-to-q',
  replyToQMgr: 'mq-reply-to-q-mgr',
  userIdentifier: 'mq-user-identifier',
  putApplName: 'mq-put-appl-name',
  putTime: 'mq-put-time',
  msgSeqNumber: 'mq-msg-seq-number',
  backoutCount: 'mq-backout-count',
  queue: 'mq-queue',
  bodyKind: 'mq-body',
  propertyPrefix: 'mq-property.',
  propertyTypes: 'mq-property-types',
  /** A new service's request id, carried through a legacy server's MQ request/reply (correlationToMsgId). */
  correlation: 'banyan-correlation-id',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Marks a MsgId that holds a UUID's 16 bytes (the other 8 bytes of the 24). */
const UUID_MARK = Buffer.from('BANYANU1', 'latin1');

/**
 * The MsgId of the MQ request Banyan puts for a new service's request, chosen so the legacy
 * server's reply (CorrelId = request MsgId, MQRO_COPY_MSG_ID_TO_CORREL_ID) gives the service's id
 * back: a UUID as its 16 bytes plus a marker, other ids of at most 24 UTF-8 bytes as themselves,
 * padded with X'00'. Longer ids do not fit a MsgId: undefined.
 */
export function correlationToMsgId(id: string): Uint8Array | undefined {
  if (UUID.test(id)) return Buffer.concat([Buffer.from(id.replaceAll('-', ''), 'hex'), UUID_MARK]);
  const bytes = Buffer.from(id, 'utf8');
  if (bytes.length === 0 || bytes.length > 24 || bytes.includes(0)) return undefined;
  return Buffer.concat([bytes, Buffer.alloc(24 - bytes.length)]);
}

/** The reverse of correlationToMsgId, for a reply's CorrelId; undefined when it was not made by it. */
export function msgIdToCorrelation(id: Uint8Array): string | undefined {
  const b = Buffer.from(id.buffer, id.byteOffset, id.byteLength);
  if (b.length !== 24) return undefined;
  if (b.subarray(16).equals(UUID_MARK)) {
    const h = b.subarray(0, 16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const end = b.indexOf(0);
  const text = b.subarray(0, end === -1 ? 24 : end);
  if (text.length === 0 || b.subarray(text.length).some((x) => x !== 0)) return undefined;
  const s = text.toString('utf8');
  return Buffer.from(s, 'utf8').equals(text) && !s.includes('\uFFFD') ? s : undefined;
}

/** JMS property types (Jakarta Messaging 3.5.4), as `mq-property-types` names them. */
export type PropertyType = 'string' | 'int' | 'long' | 'double' | 'boolean' | 'bytes' | 'null';

/** The Kafka headers of a got message: every descriptor field, its properties, the queue. */
export function queueMessageHeaders(m: QueueMessage): Record<string, string | Uint8Array> {
  const d = m.descriptor;
  const h: Record<string, string | Uint8Array> = {
    [QUEUE_HEADERS.msgId]: hex(d.msgId),
    [QUEUE_HEADERS.msgIdBytes]: d.msgId,
    [QUEUE_HEADERS.correlId]: hex(d.correlId),
    [QUEUE_HEADERS.correlIdBytes]: d.correlId,
    [QUEUE_HEADERS.format]: d.format.trimEnd(),
    [QUEUE_HEADERS.ccsid]: String(d.ccsid),
    [QUEUE_HEADERS.encoding]: String(d.encoding),
    [QUEUE_HEADERS.priority]: String(d.priority),
    [QUEUE_HEADERS.persistence]: String(d.persistence),
    [QUEUE_HEADERS.expiry]: String(d.expiry),
    [QUEUE_HEADERS.msgType]: String(d.msgType),
    [QUEUE_HEADERS.replyToQ]: d.replyToQ.trimEnd(),
    [QUEUE_HEADERS.replyToQMgr]: d.replyToQMgr.trimEnd(),
    [QUEUE_HEADERS.userIdentifier]: d.userIdentifier.trimEnd(),
    [QUEUE_HEADERS.putApplName]: d.putApplName.trimEnd(),
    [QUEUE_HEADERS.msgSeqNumber]: String(d.msgSeqNumber),
    [QUEUE_HEADERS.backoutCount]: String(d.backoutCount),
    [QUEUE_HEADERS.queue]: m.queue,
    [QUEUE_HEADERS.bodyKind]: m.bodyKind,
  };
  if (d.groupId && d.groupId.some((b) => b !== 0)) {
    h[QUEUE_HEADERS.groupId] = hex(d.groupId);
    h[QUEUE_HEADERS.groupIdBytes] = d.groupId;
  }
  if (d.putTime) h[QUEUE_HEADERS.putTime] = d.putTime.toISOString();
  const types: Record<string, PropertyType> = {};
  for (const [name, value] of Object.entries(m.properties)) {
    const [type, text] = propertyText(value);
    types[name] = type;
    h[`${QUEUE_HEADERS.propertyPrefix}${name}`] = text;
  }
  if (Object.keys(types).length > 0) h[QUEUE_HEADERS.propertyTypes] = JSON.stringify(types);
  return h;
}

/**
 * The descriptor fields and properties an outgoing message takes from an event's headers (the
 * way back: Kafka -> MQ). Only what the headers name is set; the sink's configuration and the
 * transport's defaults fill the rest. `fields` picks which descriptor fields may come from headers.
 */
export function outgoingFromHeaders(
  headers: Readonly<Record<string, Uint8Array | string | undefined>>,
  fields: ReadonlySet<keyof MessageDescriptor> = new Set(['correlId', 'replyToQ', 'replyToQMgr', 'priority', 'persistence', 'expiry', 'format', 'ccsid', 'msgType']),
): Pick<OutgoingMessage, 'descriptor' | 'properties'> {
  const text = (name: string) => {
    const v = headers[name];
    return v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  };
  const bytes = (raw: string, hexName: string): Uint8Array | undefined => {
    const v = headers[raw];
    if (v !== undefined) return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const h = text(hexName);
    return h !== undefined && /^(?:[0-9A-Fa-f]{2})+$/.test(h) ? Buffer.from(h, 'hex') : undefined;
  };
  const int = (name: string) => {
    const t = text(name);
    return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : undefined;
  };
  const d: { -readonly [K in keyof MessageDescriptor]?: MessageDescriptor[K] } = {};
  const take = <K extends keyof MessageDescriptor>(k: K, v: MessageDescriptor[K] | undefined) => {
    if (v !== undefined && fields.has(k)) d[k] = v;
  };
  take('correlId', bytes(QUEUE_HEADERS.correlIdBytes, QUEUE_HEADERS.correlId));
  take('msgId', bytes(QUEUE_HEADERS.msgIdBytes, QUEUE_HEADERS.msgId));
  take('groupId', bytes(QUEUE_HEADERS.groupIdBytes, QUEUE_HEADERS.groupId));
  take('replyToQ', text(QUEUE_HEADERS.replyToQ));
  take('replyToQMgr', text(QUEUE_HEADERS.replyToQMgr));
  take('format', text(QUEUE_HEADERS.format));
  take('ccsid', int(QUEUE_HEADERS.ccsid));
  take('priority', int(QUEUE_HEADERS.priority));
  take('persistence', int(QUEUE_HEADERS.persistence));
  take('expiry', int(QUEUE_HEADERS.expiry));
  take('msgType', int(QUEUE_HEADERS.msgType));

  const properties: Record<string, MessagePropertyValue> = {};
  let types: Record<string, PropertyType> = {};
  try {
    types = JSON.parse(text(QUEUE_HEADERS.propertyTypes) ?? '{}') as Record<string, PropertyType>;
  } catch {
    types = {};
  }
  for (const name of Object.keys(headers)) {
    if (!name.startsWith(QUEUE_HEADERS.propertyPrefix)) continue;
    const prop = name.slice(QUEUE_HEADERS.propertyPrefix.length);
    properties[prop] = propertyValue(types[prop] ?? 'string', text(name) ?? '');
  }
  return { descriptor: d, properties };
}

/** 48 hex characters for a 24-byte id (upper case, as MQ Explorer and IBM's connector show them). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

function propertyText(value: MessagePropertyValue): [PropertyType, string] {
  if (value === null) return ['null', ''];
  if (typeof value === 'string') return ['string', value];
  if (typeof value === 'boolean') return ['boolean', String(value)];
  if (typeof value === 'bigint') return ['long', value.toString()];
  if (typeof value === 'number') return [Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? 'int' : 'double', String(value)];
  return ['bytes', Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')];
}

function propertyValue(type: PropertyType, text: string): MessagePropertyValue {
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return text === 'true';
    case 'int':
    case 'double':
      return Number(text);
    case 'long':
      return /^-?\d+$/.test(text) ? BigInt(text) : text;
    case 'bytes':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}
