/**
 * JMS message <-> Kafka record, exactly as docs/jms-kafka-mapping.md lays it out (header names from
 * the OASIS AMQP JMS Mapping, so the AMQP endpoint translates field for field). Pure: no Kafka
 * client here, only the record's key, value and headers.
 *
 * Grammar of a user property header (`jms-property.<name>`): `<type>:<text>`, type one of boolean,
 * byte, short, int, long, float, double, string; the text is Java's String.valueOf of the value
 * (floats: the shortest text that reads back as the same float32).
 */
import { DESTINATION_TYPE_CODES, destination, kindOfCode, type JmsDestination } from './destination.ts';
import { JmsErrors } from './jms-errors.ts';
import {
  BytesMessage,
  DEFAULT_PRIORITY,
  MapMessage,
  Message,
  ObjectMessage,
  StreamMessage,
  TextMessage,
  type AnyMessage,
  type JsonValue,
  type MessageKind,
} from './message.ts';
import { parseText, textOf, typed, type BodyValue, type BodyValueType, type JmsPropertyType } from './typed-value.ts';

/** A record as the mapping sees it (what the engine publishes and what it reads back). */
export interface JmsRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | string | undefined>>;
}

/** Where a record came from, for error messages: `<topic>/<partition>@<offset>`. */
export type RecordOrigin = string;

export const HEADERS = {
  messageId: 'message-id',
  correlationId: 'correlation-id',
  type: 'subject',
  priority: 'priority',
  durable: 'durable',
  expiry: 'absolute-expiry-time',
  ttl: 'ttl',
  creationTime: 'creation-time',
  to: 'to',
  toType: 'x-opt-jms-dest',
  replyTo: 'reply-to',
  replyToType: 'x-opt-jms-reply-to',
  deliveryTime: 'x-opt-delivery-time',
  messageType: 'x-opt-jms-msg-type',
  groupId: 'group-id',
  groupSequence: 'group-sequence',
  userId: 'user-id',
  contentType: 'content-type',
  /** Dead-lettered records only: how many times the message was delivered. */
  deliveryCount: 'delivery-count',
  /** Dead-lettered and expired records: why the engine moved the message. */
  reason: 'x-opt-banyan-reason',
  /** The sending connection (for noLocal consumers; not part of JMS). */
  connectionId: 'x-opt-banyan-connection-id',
} as const;

export const PROPERTY_PREFIX = 'jms-property.';

const MESSAGE_TYPE_CODES: Readonly<Record<MessageKind, number>> = { message: 0, object: 1, map: 2, bytes: 3, stream: 4, text: 5 };
const KIND_BY_CODE: readonly MessageKind[] = ['message', 'object', 'map', 'bytes', 'stream', 'text'];
/** JMSX properties stored in their own AMQP header rather than as `jms-property.*`. */
const JMSX_HEADERS: Readonly<Record<string, { header: string; type: JmsPropertyType }>> = {
  JMSXGroupID: { header: HEADERS.groupId, type: 'string' },
  JMSXGroupSeq: { header: HEADERS.groupSequence, type: 'int' },
  JMSXUserID: { header: HEADERS.userId, type: 'string' },
};
/** Provider-set properties never written to the record (3.5.9: the engine derives them on delivery). */
const DELIVERY_STATE = new Set(['JMSXDeliveryCount']);

export interface ToRecordOptions {
  /** The property whose value is the Kafka key (default JMSXGroupID); no such property: a null key. */
  readonly keyProperty?: string;
  /** The TTL the producer applied, written as `ttl` next to the absolute expiry. */
  readonly timeToLive?: number;
  readonly connectionId?: string;
}

export function toRecord(message: AnyMessage, options: ToRecordOptions = {}): JmsRecord {
  const h: Record<string, string> = {};
  if (message.JMSMessageID !== null) h[HEADERS.messageId] = message.JMSMessageID;
  if (message.JMSCorrelationID !== null) h[HEADERS.correlationId] = message.JMSCorrelationID;
  if (message.JMSType !== null) h[HEADERS.type] = message.JMSType;
  if (message.JMSPriority !== DEFAULT_PRIORITY) h[HEADERS.priority] = String(message.JMSPriority);
  h[HEADERS.durable] = String(message.JMSDeliveryMode === 'PERSISTENT');
  if (message.JMSExpiration !== 0) h[HEADERS.expiry] = String(message.JMSExpiration);
  if (options.timeToLive !== undefined && options.timeToLive > 0) h[HEADERS.ttl] = String(options.timeToLive);
  if (message.JMSTimestamp !== 0) h[HEADERS.creationTime] = String(message.JMSTimestamp);
  if (message.JMSDestination) writeDestination(h, HEADERS.to, HEADERS.toType, message.JMSDestination);
  if (message.JMSReplyTo) writeDestination(h, HEADERS.replyTo, HEADERS.replyToType, message.JMSReplyTo);
  if (message.JMSDeliveryTime !== 0) h[HEADERS.deliveryTime] = String(message.JMSDeliveryTime);
  h[HEADERS.messageType] = String(MESSAGE_TYPE_CODES[message.kind]);
  if (options.connectionId !== undefined) h[HEADERS.connectionId] = options.connectionId;
  for (const name of message.propertyNames()) {
    if (DELIVERY_STATE.has(name)) continue;
    const v = message.getProperty(name)!;
    const jmsx = JMSX_HEADERS[name];
    if (jmsx) h[jmsx.header] = textOf(v);
    else h[PROPERTY_PREFIX + name] = `${v.type}:${textOf(v)}`;
  }
  const body = bodyOf(message);
  if (body.contentType !== null) h[HEADERS.contentType] = body.contentType;
  const keyValue = message.getProperty(options.keyProperty ?? 'JMSXGroupID');
  return { key: keyValue === undefined ? null : textOf(keyValue), value: body.value, headers: h };
}

/** The message a record holds; throws BANYAN_ERR_JMS_RECORD_INVALID naming the record and header. */
export function fromRecord(record: JmsRecord, origin: RecordOrigin): AnyMessage {
  const header = (name: string): string | undefined => {
    const v = record.headers[name];
    return v === undefined ? undefined : typeof v === 'string' ? v : v.toString('utf8');
  };
  const invalid = (what: string, err?: unknown) =>
    new JmsErrors.BANYAN_ERR_JMS_RECORD_INVALID(origin, err instanceof Error ? `${what}: ${err.message}` : what);
  const integer = (name: string): number | undefined => {
    const t = header(name);
    if (t === undefined) return undefined;
    if (!/^-?\d+$/.test(t)) throw invalid(`header ${name} is ${JSON.stringify(t)}, not an integer`);
    return Number(t);
  };

  const typeCode = integer(HEADERS.messageType) ?? (record.value === null ? 0 : 3);
  const kind = KIND_BY_CODE[typeCode];
  if (kind === undefined) throw invalid(`header ${HEADERS.messageType} is ${typeCode}, not 0..5`);
  let message: AnyMessage;
  try {
    message = messageOf(kind, record.value);
  } catch (err) {
    throw invalid(`the ${kind} body does not parse`, err);
  }
  message.JMSMessageID = header(HEADERS.messageId) ?? null;
  message.JMSCorrelationID = header(HEADERS.correlationId) ?? null;
  message.JMSType = header(HEADERS.type) ?? null;
  const priority = integer(HEADERS.priority) ?? DEFAULT_PRIORITY;
  if (priority < 0 || priority > 9) throw invalid(`header ${HEADERS.priority} is ${priority}, not 0..9`);
  message.JMSPriority = priority;
  // Absent `durable`: a record from a plain Kafka producer, which Kafka keeps like a persistent message.
  message.JMSDeliveryMode = header(HEADERS.durable) === 'false' ? 'NON_PERSISTENT' : 'PERSISTENT';
  message.JMSExpiration = integer(HEADERS.expiry) ?? 0;
  message.JMSTimestamp = integer(HEADERS.creationTime) ?? 0;
  message.JMSDeliveryTime = integer(HEADERS.deliveryTime) ?? 0;
  message.JMSDestination = readDestination(header(HEADERS.to), integer(HEADERS.toType), HEADERS.to, invalid);
  message.JMSReplyTo = readDestination(header(HEADERS.replyTo), integer(HEADERS.replyToType), HEADERS.replyTo, invalid);
  message.contentType = header(HEADERS.contentType) ?? null;
  for (const [name, { header: h, type }] of Object.entries(JMSX_HEADERS)) {
    const t = header(h);
    if (t === undefined) continue;
    try {
      message.setProperty(name, typed(type, parseText(type, t)));
    } catch (err) {
      throw invalid(`header ${h}`, err);
    }
  }
  for (const name of Object.keys(record.headers)) {
    if (!name.startsWith(PROPERTY_PREFIX)) continue;
    const text = header(name)!;
    const colon = text.indexOf(':');
    const type = text.slice(0, colon) as JmsPropertyType;
    if (colon < 0 || !PROPERTY_TYPES.has(type)) throw invalid(`header ${name} is ${JSON.stringify(text)}, not <type>:<text>`);
    try {
      message.setProperty(name.slice(PROPERTY_PREFIX.length), typed(type, parseText(type, text.slice(colon + 1))));
    } catch (err) {
      throw invalid(`header ${name}`, err);
    }
  }
  return message;
}

/** The sending connection of a record (noLocal), if the engine wrote one. */
export function connectionIdOf(record: JmsRecord): string | undefined {
  const v = record.headers[HEADERS.connectionId];
  return v === undefined ? undefined : v.toString();
}

const PROPERTY_TYPES = new Set<string>(['boolean', 'byte', 'short', 'int', 'long', 'float', 'double', 'string']);
const BODY_TYPES = new Set<string>([...PROPERTY_TYPES, 'char', 'bytes']);

function bodyOf(message: AnyMessage): { value: Buffer | null; contentType: string | null } {
  switch (message.kind) {
    case 'message':
      return { value: null, contentType: message.contentType };
    case 'text':
      return { value: message.text === null ? null : Buffer.from(message.text, 'utf8'), contentType: message.contentType };
    case 'bytes':
      return { value: message.bytes, contentType: message.contentType };
    case 'map':
      return {
        value: Buffer.from(JSON.stringify(Object.fromEntries(message.names().map((n) => [n, encodeBodyValue(message.get(n)!)])))),
        contentType: message.contentType,
      };
    case 'stream':
      return { value: Buffer.from(JSON.stringify(message.values.map(encodeBodyValue))), contentType: message.contentType };
    case 'object':
      return { value: Buffer.from(JSON.stringify(message.object)), contentType: message.contentType ?? 'application/json' };
  }
}

function messageOf(kind: MessageKind, value: Buffer | null): AnyMessage {
  switch (kind) {
    case 'message':
      return new Message();
    case 'text':
      return new TextMessage(value === null ? null : value.toString('utf8'));
    case 'bytes':
      return new BytesMessage(value ?? Buffer.alloc(0));
    case 'map': {
      const json: unknown = value === null ? {} : JSON.parse(value.toString('utf8'));
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('a Map body is a JSON object');
      return new MapMessage(Object.entries(json).map(([k, v]) => [k, decodeBodyValue(v)] as const));
    }
    case 'stream': {
      const json: unknown = value === null ? [] : JSON.parse(value.toString('utf8'));
      if (!Array.isArray(json)) throw new Error('a Stream body is a JSON array');
      return new StreamMessage(json.map(decodeBodyValue));
    }
    case 'object':
      return new ObjectMessage(value === null ? null : (JSON.parse(value.toString('utf8')) as JsonValue));
  }
}

function encodeBodyValue(v: BodyValue): [BodyValueType, string] {
  if (v.type === 'bytes') return ['bytes', v.value.toString('base64')];
  if (v.type === 'char') return ['char', v.value];
  return [v.type, textOf(v)];
}

function decodeBodyValue(entry: unknown): BodyValue {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !BODY_TYPES.has(entry[0])) {
    throw new Error(`${JSON.stringify(entry)} is not ["<type>", "<text>"]`);
  }
  const [type, text] = entry as [BodyValueType, string];
  if (type === 'bytes') return { type, value: Buffer.from(text, 'base64') };
  if (type === 'char') return { type, value: text };
  return typed(type, parseText(type, text));
}

function writeDestination(h: Record<string, string>, nameHeader: string, typeHeader: string, d: JmsDestination): void {
  h[nameHeader] = d.name;
  h[typeHeader] = String(DESTINATION_TYPE_CODES[d.kind]);
}

function readDestination(name: string | undefined, code: number | undefined, header: string, invalid: (what: string) => Error): JmsDestination | null {
  if (name === undefined) return null;
  const kind = kindOfCode(code ?? 0);
  if (kind === undefined) throw invalid(`the type of ${header} is ${code}, not 0..3`);
  try {
    return destination(kind, name);
  } catch {
    throw invalid(`header ${header} is ${JSON.stringify(name)}, not a destination name`);
  }
}
