/**
 * AMQP 1.0 messages <-> the queue port's MQMD-shaped messages (src/core/queue-port.ts), so one
 * bridge and one Kafka header scheme serve IBM MQ and AMQP alike. Pure functions; the transport
 * (amqp-transport.ts) calls them at the wire edge.
 *
 * AMQP 1.0 §3.2 (header, properties, application-properties, body) and the OASIS AMQP JMS Mapping
 * 1.0 (x-opt-jms-* annotations) onto MQMD:
 *
 *   message-id / correlation-id   -> msgId / correlId: the JMS id text as UTF-8 (jms-message-id.ts)
 *   header.delivery-count         -> backoutCount (failed deliveries so far; modified{delivery-failed} raises it)
 *   header.priority (default 4)   -> priority          header.durable -> persistence (1 / 0)
 *   absolute-expiry-time or ttl   -> expiry, tenths of a second left (-1: none)
 *   creation-time                 -> putTime            reply-to -> replyToQ (msgType REQUEST when set)
 *   user-id                       -> userIdentifier     group-id / group-sequence -> groupId / msgSeqNumber
 *   body: amqp-value string, or data with x-opt-jms-msg-type 5 (TextMessage) -> text (UTF-8 bytes);
 *         data sections / amqp-value binary -> bytes, never converted; any other body (JMS Map,
 *         Stream, Object messages) -> bytes holding its AMQP encoding, marked JMS_AMQP_Body.
 *
 * MQMD fields AMQP has no place for (MsgType when not implied by reply-to, Format, CCSID, Encoding,
 * ReplyToQMgr, PutApplName) travel as the application properties IBM MQ's JMS classes use for them
 * (JMS_IBM_MQMD_<Field>), written only when they differ from what the reader would infer. AMQP
 * fields MQMD has no place for become properties named as JMS knows them (RESERVED_PROPERTIES).
 */
import rhea from 'rhea';
import type { MessageDescriptor, MessagePropertyValue, OutgoingMessage, QueueMessage } from '../../core/queue-port.ts';
import { AmqpErrors } from './errors.ts';
import { correlationIdToJms, jmsToAmqpId, messageIdToJms, type AmqpId } from './jms-message-id.ts';

/** The fields of a rhea message this module reads or writes (rhea types them all `any`). */
export interface AmqpWireMessage {
  durable?: boolean;
  priority?: number;
  ttl?: number;
  delivery_count?: number;
  message_id?: unknown;
  user_id?: unknown;
  to?: string;
  subject?: string;
  reply_to?: string;
  correlation_id?: unknown;
  content_type?: string;
  absolute_expiry_time?: Date | number;
  creation_time?: Date | number;
  group_id?: string;
  group_sequence?: number;
  message_annotations?: Record<string, unknown>;
  application_properties?: Record<string, unknown>;
  body?: unknown;
}

/** MQMD constants used here (IBM MQ cmqc.h). */
export const MQ = {
  FMT_STRING: 'MQSTR   ',
  FMT_NONE: '        ',
  CCSID_UTF8: 1208,
  /** Big-endian integers, normal packed decimal, IEEE floats: AMQP's own byte order. */
  ENC_NETWORK: 273,
  MT_REQUEST: 1,
  MT_DATAGRAM: 8,
  PRIORITY_DEFAULT: 4,
  EXPIRY_UNLIMITED: -1,
} as const;

/** OASIS AMQP JMS Mapping: x-opt-jms-msg-type values. */
export const JMS_MSG_TYPE = { MESSAGE: 0, OBJECT: 1, MAP: 2, BYTES: 3, STREAM: 4, TEXT: 5 } as const;
/** OASIS AMQP JMS Mapping: x-opt-jms-dest / x-opt-jms-reply-to values. */
const JMS_DEST_TYPES = ['queue', 'topic', 'temporary-queue', 'temporary-topic'] as const;

/**
 * Properties the transport fills from (and writes back to) AMQP fields, not application-properties.
 * A bridge sees them like any other property; they round-trip through a put.
 */
export const RESERVED_PROPERTIES = {
  /** properties.subject (JMS Mapping: JMSType). */
  type: 'JMSType',
  /** properties.to (JMSDestination): the address the sender used; a put always targets its queue. */
  destination: 'JMSDestination',
  /** x-opt-jms-dest: queue | topic | temporary-queue | temporary-topic. */
  destinationType: 'JMS_AMQP_DestinationType',
  /** x-opt-jms-reply-to, same values. */
  replyToType: 'JMS_AMQP_ReplyToType',
  /** properties.content-type. */
  contentType: 'JMS_AMQP_ContentType',
  /** x-opt-jms-msg-type as the sender wrote it (0-5). */
  jmsMsgType: 'JMS_AMQP_MsgType',
  /** Set when the body was neither text nor bytes: amqp-value | amqp-sequence (body = its AMQP encoding). */
  body: 'JMS_AMQP_Body',
} as const;

/** IBM MQ JMS's names for the MQMD fields that AMQP cannot carry natively. */
export const MQMD_PROPERTIES = {
  msgType: 'JMS_IBM_MQMD_MsgType',
  format: 'JMS_IBM_MQMD_Format',
  ccsid: 'JMS_IBM_MQMD_CodedCharSetId',
  encoding: 'JMS_IBM_MQMD_Encoding',
  replyToQMgr: 'JMS_IBM_MQMD_ReplyToQMgr',
  putApplName: 'JMS_IBM_MQMD_PutApplName',
} as const;

/** A got AMQP message as the port's QueueMessage; `now` turns absolute expiry into time left. */
export function fromAmqpMessage(wire: AmqpWireMessage, queue: string, now: Date): QueueMessage {
  const annotations = wire.message_annotations ?? {};
  const app = wire.application_properties ?? {};
  const jmsType = typeof annotations['x-opt-jms-msg-type'] === 'number' ? (annotations['x-opt-jms-msg-type'] as number) : undefined;
  const body = bodyOf(wire, jmsType);

  const properties: Record<string, MessagePropertyValue> = {};
  for (const [name, value] of Object.entries(app)) {
    if (!(Object.values(MQMD_PROPERTIES) as string[]).includes(name)) properties[name] = propertyValue(value);
  }
  if (wire.subject !== undefined) properties[RESERVED_PROPERTIES.type] = wire.subject;
  if (wire.to !== undefined) properties[RESERVED_PROPERTIES.destination] = wire.to;
  const destType = destinationType(annotations['x-opt-jms-dest']);
  if (destType) properties[RESERVED_PROPERTIES.destinationType] = destType;
  const replyType = destinationType(annotations['x-opt-jms-reply-to']);
  if (replyType) properties[RESERVED_PROPERTIES.replyToType] = replyType;
  if (wire.content_type !== undefined) properties[RESERVED_PROPERTIES.contentType] = wire.content_type;
  if (jmsType !== undefined) properties[RESERVED_PROPERTIES.jmsMsgType] = jmsType;
  if (body.section) properties[RESERVED_PROPERTIES.body] = body.section;

  const replyToQ = wire.reply_to ?? '';
  const descriptor: MessageDescriptor = {
    msgId: wire.message_id === undefined || wire.message_id === null ? new Uint8Array(0) : utf8(messageIdToJms(wireId(wire.message_id))),
    correlId: wire.correlation_id === undefined || wire.correlation_id === null ? new Uint8Array(0) : utf8(correlationIdToJms(wireId(wire.correlation_id))),
    ...(wire.group_id === undefined ? {} : { groupId: utf8(wire.group_id) }),
    format: stringProp(app, MQMD_PROPERTIES.format)?.padEnd(8) ?? (body.kind === 'text' ? MQ.FMT_STRING : MQ.FMT_NONE),
    ccsid: intProp(app, MQMD_PROPERTIES.ccsid) ?? MQ.CCSID_UTF8,
    encoding: intProp(app, MQMD_PROPERTIES.encoding) ?? MQ.ENC_NETWORK,
    priority: wire.priority ?? MQ.PRIORITY_DEFAULT,
    persistence: wire.durable ? 1 : 0,
    expiry: expiryOf(wire, now),
    msgType: intProp(app, MQMD_PROPERTIES.msgType) ?? (replyToQ ? MQ.MT_REQUEST : MQ.MT_DATAGRAM),
    replyToQ,
    replyToQMgr: stringProp(app, MQMD_PROPERTIES.replyToQMgr) ?? '',
    userIdentifier: wire.user_id === undefined || wire.user_id === null ? '' : Buffer.from(wire.user_id as Uint8Array).toString('utf8'),
    putApplName: stringProp(app, MQMD_PROPERTIES.putApplName) ?? '',
    ...(wire.creation_time === undefined ? {} : { putTime: new Date(wire.creation_time) }),
    msgSeqNumber: wire.group_sequence ?? 1,
    backoutCount: wire.delivery_count ?? 0,
  };
  return { body: body.bytes, bodyKind: body.kind, descriptor, properties, queue };
}

/**
 * A message to put as a rhea message (the caller sends it). `newId` gives the message-id when the
 * descriptor has none (empty or MQMI_NONE, all zeros). Throws TEXT_NOT_UTF8 / PROPERTY_INVALID.
 */
export function toAmqpMessage(
  message: OutgoingMessage,
  queue: string,
  context: { readonly now: Date; readonly newId: () => string },
): { readonly wire: AmqpWireMessage; readonly msgId: Uint8Array } {
  const d = message.descriptor ?? {};
  const props = { ...(message.properties ?? {}) };
  const take = (name: string): MessagePropertyValue | undefined => {
    const v = props[name];
    delete props[name];
    return v;
  };
  const jmsType = message.bodyKind === 'text' ? JMS_MSG_TYPE.TEXT : JMS_MSG_TYPE.BYTES;
  const annotations: Record<string, unknown> = { 'x-opt-jms-msg-type': rhea.types.wrap_byte(jmsType), 'x-opt-jms-dest': rhea.types.wrap_byte(0) };
  const subject = take(RESERVED_PROPERTIES.type);
  take(RESERVED_PROPERTIES.destination);
  take(RESERVED_PROPERTIES.destinationType);
  take(RESERVED_PROPERTIES.jmsMsgType);
  take(RESERVED_PROPERTIES.body);
  const contentType = take(RESERVED_PROPERTIES.contentType);
  const replyType = take(RESERVED_PROPERTIES.replyToType);

  const msgIdText = isNone(d.msgId) ? context.newId() : idText(d.msgId as Uint8Array);
  const wire: AmqpWireMessage = {
    // Port default: persistent unless told otherwise.
    durable: d.persistence !== 0,
    priority: d.priority === undefined || d.priority < 0 ? MQ.PRIORITY_DEFAULT : Math.min(9, d.priority),
    message_id: wireIdOf(jmsToAmqpId(msgIdText)),
    creation_time: d.putTime ?? context.now,
    body: message.bodyKind === 'text' ? textBody(message.body, queue) : rhea.message.data_section(Buffer.from(message.body)),
    message_annotations: annotations,
  };
  if (!isNone(d.correlId)) wire.correlation_id = wireIdOf(jmsToAmqpId(idText(d.correlId as Uint8Array)));
  if (d.groupId !== undefined && !isNone(d.groupId)) wire.group_id = idText(d.groupId);
  if (d.msgSeqNumber !== undefined && d.msgSeqNumber !== 1) wire.group_sequence = d.msgSeqNumber;
  if (d.replyToQ) {
    wire.reply_to = d.replyToQ.trimEnd();
    const t = typeof replyType === 'string' ? JMS_DEST_TYPES.indexOf(replyType as (typeof JMS_DEST_TYPES)[number]) : -1;
    annotations['x-opt-jms-reply-to'] = rhea.types.wrap_byte(t >= 0 ? t : 0);
  }
  if (d.userIdentifier?.trim()) wire.user_id = Buffer.from(d.userIdentifier.trimEnd(), 'utf8');
  if (d.expiry !== undefined && d.expiry > 0) {
    wire.ttl = d.expiry * 100;
    wire.absolute_expiry_time = new Date((d.putTime ?? context.now).getTime() + wire.ttl);
  }
  if (typeof subject === 'string') wire.subject = subject;
  if (typeof contentType === 'string') wire.content_type = contentType;

  // MQMD fields without an AMQP home, only when the reader would not infer them.
  const impliedType = d.replyToQ ? MQ.MT_REQUEST : MQ.MT_DATAGRAM;
  if (d.msgType !== undefined && d.msgType !== impliedType) props[MQMD_PROPERTIES.msgType] = d.msgType;
  const impliedFormat = message.bodyKind === 'text' ? MQ.FMT_STRING : MQ.FMT_NONE;
  if (d.format !== undefined && d.format.padEnd(8) !== impliedFormat) props[MQMD_PROPERTIES.format] = d.format.padEnd(8);
  if (d.ccsid !== undefined && d.ccsid !== MQ.CCSID_UTF8) props[MQMD_PROPERTIES.ccsid] = d.ccsid;
  if (d.encoding !== undefined && d.encoding !== MQ.ENC_NETWORK) props[MQMD_PROPERTIES.encoding] = d.encoding;
  if (d.replyToQMgr?.trim()) props[MQMD_PROPERTIES.replyToQMgr] = d.replyToQMgr.trimEnd();
  if (d.putApplName?.trim()) props[MQMD_PROPERTIES.putApplName] = d.putApplName.trimEnd();

  const application: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(props)) application[name] = wirePropertyOf(name, value, queue);
  if (Object.keys(application).length > 0) wire.application_properties = application;
  return { wire, msgId: utf8(msgIdText) };
}

/** Tenths of a second left: absolute-expiry-time first (it already counts time in the broker), then ttl. */
export function expiryOf(wire: Pick<AmqpWireMessage, 'ttl' | 'absolute_expiry_time'>, now: Date): number {
  if (wire.absolute_expiry_time !== undefined && new Date(wire.absolute_expiry_time).getTime() > 0) {
    // Still delivered after its expiry (the broker had not swept it yet): 1, the least MQ can say.
    return Math.max(1, Math.ceil((new Date(wire.absolute_expiry_time).getTime() - now.getTime()) / 100));
  }
  if (wire.ttl !== undefined && wire.ttl > 0) return Math.max(1, Math.ceil(wire.ttl / 100));
  return MQ.EXPIRY_UNLIMITED;
}

/**
 * rhea decodes uuid and binary ids both to a Buffer and a ulong to a number (a Buffer above
 * 2^53): a 16-byte Buffer is read as a uuid (what brokers and JMS clients generate), any other as
 * binary. A binary id of exactly 16 bytes therefore reads as AMQP_UUID.
 */
export function wireId(value: unknown): AmqpId {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return { type: 'ulong', value: BigInt(value) };
  if (typeof value === 'bigint') return { type: 'ulong', value };
  if (value instanceof Uint8Array) return value.length === 16 ? { type: 'uuid', value } : { type: 'binary', value };
  return { type: 'string', value: String(value) };
}

function wireIdOf(id: AmqpId): unknown {
  switch (id.type) {
    case 'string':
      return id.value;
    case 'uuid':
      return rhea.types.wrap_uuid(Buffer.from(id.value));
    case 'ulong': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(id.value);
      return rhea.types.wrap_ulong(b);
    }
    case 'binary':
      return rhea.types.wrap_binary(Buffer.from(id.value));
  }
}

interface Body {
  readonly kind: 'text' | 'bytes';
  readonly bytes: Uint8Array;
  readonly section?: 'amqp-value' | 'amqp-sequence';
}

function bodyOf(wire: AmqpWireMessage, jmsType: number | undefined): Body {
  const b = wire.body;
  if (typeof b === 'string') return { kind: 'text', bytes: utf8(b) };
  if (b === undefined || b === null) return { kind: jmsType === JMS_MSG_TYPE.TEXT ? 'text' : 'bytes', bytes: new Uint8Array(0) };
  if (isSection(b) && b.typecode === 0x75) {
    const parts = b.multiple ? (b.content as Buffer[]) : [b.content as Buffer];
    const bytes = new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p ?? []))));
    const text = jmsType === JMS_MSG_TYPE.TEXT || (jmsType === undefined && /^text\//.test(wire.content_type ?? ''));
    return { kind: text ? 'text' : 'bytes', bytes };
  }
  if (b instanceof Uint8Array) return { kind: 'bytes', bytes: new Uint8Array(b) };
  // JMS Map/Stream/Object messages and other AMQP values: kept whole, as their AMQP encoding.
  const section = isSection(b) && b.typecode === 0x76 ? 'amqp-sequence' : 'amqp-value';
  return { kind: 'bytes', bytes: new Uint8Array(rhea.message.encode({ body: b } as never)), section };
}

function isSection(b: unknown): b is { typecode: number; content: unknown; multiple?: boolean } {
  return typeof b === 'object' && b !== null && 'typecode' in b && 'content' in b && typeof (b as { typecode: unknown }).typecode === 'number';
}

function textBody(body: Uint8Array, queue: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (err) {
    throw new AmqpErrors.BANYAN_ERR_AMQP_TEXT_NOT_UTF8(queue, err as Error);
  }
}

/** Application-property values as the port types them; non-primitive AMQP values keep their text form. */
function propertyValue(v: unknown): MessagePropertyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date) return v.getTime();
  if (v instanceof Uint8Array) return new Uint8Array(v);
  return JSON.stringify(v);
}

function wirePropertyOf(name: string, v: MessagePropertyValue, queue: string): unknown {
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new AmqpErrors.BANYAN_ERR_AMQP_PROPERTY_INVALID(name, queue, `${v} does not fit an AMQP long`);
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return rhea.types.wrap_long(b);
  }
  if (typeof v === 'number') {
    // Signed types, as JMS has them: int, then long, else double.
    if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return rhea.types.wrap_int(v);
    if (Number.isSafeInteger(v)) return rhea.types.wrap_long(v);
    return rhea.types.wrap_double(v);
  }
  if (v instanceof Uint8Array) return rhea.types.wrap_binary(Buffer.from(v));
  throw new AmqpErrors.BANYAN_ERR_AMQP_PROPERTY_INVALID(name, queue, `unsupported value type ${typeof v}`);
}

function destinationType(v: unknown): string | undefined {
  return typeof v === 'number' ? JMS_DEST_TYPES[v] : undefined;
}

function stringProp(app: Record<string, unknown>, name: string): string | undefined {
  return typeof app[name] === 'string' ? (app[name] as string) : undefined;
}

function intProp(app: Record<string, unknown>, name: string): number | undefined {
  return typeof app[name] === 'number' && Number.isInteger(app[name]) ? (app[name] as number) : undefined;
}

/** Empty, or MQ's "none" (MQMI_NONE / MQCI_NONE: all zero bytes). */
function isNone(id: Uint8Array | undefined): boolean {
  return id === undefined || id.length === 0 || id.every((b) => b === 0);
}

/**
 * An id's bytes as JMS id text when they are printable UTF-8 (what fromAmqpMessage produced);
 * anything else (an MQ MsgId: 24 bytes, often with zeros) goes as a binary id, byte for byte.
 */
function idText(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!/[\u0000-\u001f\u007f]/.test(text)) return text;
  } catch {
    // not UTF-8: binary below
  }
  return `ID:AMQP_BINARY:${Buffer.from(bytes).toString('hex').toUpperCase()}`;
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
