/**
 * An AMQP 1.0 message as Qpid JMS sends it <-> the Kafka record the JMS engine stores
 * (docs/jms-kafka-mapping.md), both ways without loss. Pure: the endpoint calls these at the wire.
 *
 * OASIS AMQP JMS Mapping 1.0 (§3.2 headers and properties, §3.2.4 / §3.3 body by message type):
 *
 *   properties.message-id / correlation-id  <-> message-id / correlation-id (JMS id text, prefixes
 *                                               AMQP_UUID: / AMQP_ULONG: / ... keep the AMQP type)
 *   properties.subject                      <-> subject (JMSType)
 *   header.priority / header.durable        <-> priority / durable
 *   header.ttl, absolute-expiry-time        <-> ttl, absolute-expiry-time (ms)
 *   creation-time                           <-> creation-time (ms)
 *   to + x-opt-jms-dest                     <-> to + x-opt-jms-dest
 *   reply-to + x-opt-jms-reply-to           <-> reply-to + x-opt-jms-reply-to
 *   x-opt-delivery-time                     <-> x-opt-delivery-time (ms)
 *   x-opt-jms-msg-type                      <-> x-opt-jms-msg-type
 *   group-id / group-sequence / user-id     <-> group-id / group-sequence / user-id
 *   content-type                            <-> content-type
 *   application-properties                  <-> jms-property.<name> = <type>:<text>
 *   body: Text  amqp-value string           <-> UTF-8 bytes (a null text: null value)
 *         Bytes data                        <-> the bytes
 *         Map   amqp-value map              <-> JSON {"name": [type, text]}
 *         Stream amqp-sequence / value list <-> JSON [[type, text], ...]
 *         Object data (java serialized)     <-> the bytes, stored as a BytesMessage (type 3) with
 *                                               its content-type (the engine's ObjectMessage is JSON)
 *         Message: no body                  <-> null value
 *
 * header.delivery-count is the engine's redelivery state, not the record's: the endpoint passes it
 * to toAmqp. A message whose body does not fit its declared JMS type is refused with
 * BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID naming the field.
 */
import { createRequire } from 'node:module';
import { correlationIdToJms, jmsToAmqpId, messageIdToJms, type AmqpId } from '../../connectors/amqp/jms-message-id.ts';
import { JmsAmqpErrors } from './errors.ts';
import { AMQP_RAW, AMQP_TYPES, typeName } from './rhea-patches.ts';
import { amqpValueOf, parsePropertyHeader, propertyHeaderText, typedTextOf, type TypedText, PROPERTY_TYPES } from './typed-values.ts';

const require = createRequire(import.meta.url);
const rheaTypes = require('rhea/lib/types.js') as Record<string, (...v: unknown[]) => unknown>;
const rheaMessage = require('rhea/lib/message.js') as { data_section(b: Buffer): unknown; sequence_section(l: unknown[]): unknown };

/** The record the engine stores: headers as text (docs/jms-kafka-mapping.md) and the body bytes. */
export interface JmsRecord {
  readonly headers: Readonly<Record<string, string>>;
  readonly value: Buffer | null;
}

/** The fields of a rhea message this module reads and writes (rhea types them `any`). */
export interface AmqpJmsMessage {
  durable?: boolean;
  priority?: number;
  ttl?: number;
  first_acquirer?: boolean;
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

/** OASIS AMQP JMS Mapping: x-opt-jms-msg-type. */
export const JMS_MSG_TYPE = { MESSAGE: 0, OBJECT: 1, MAP: 2, BYTES: 3, STREAM: 4, TEXT: 5 } as const;

/** Qpid JMS's content-type of a Java-serialized ObjectMessage body (OASIS AMQP JMS Mapping §3.2.4.4). */
export const JAVA_SERIALIZED = 'application/x-java-serialized-object';

/** Record header names (docs/jms-kafka-mapping.md). */
export const H = {
  messageId: 'message-id',
  correlationId: 'correlation-id',
  subject: 'subject',
  priority: 'priority',
  durable: 'durable',
  expiry: 'absolute-expiry-time',
  ttl: 'ttl',
  creationTime: 'creation-time',
  to: 'to',
  destType: 'x-opt-jms-dest',
  replyTo: 'reply-to',
  replyToType: 'x-opt-jms-reply-to',
  deliveryTime: 'x-opt-delivery-time',
  msgType: 'x-opt-jms-msg-type',
  groupId: 'group-id',
  groupSequence: 'group-sequence',
  userId: 'user-id',
  contentType: 'content-type',
  propertyPrefix: 'jms-property.',
} as const;

/** A message as received from a JMS producer -> the record to store. */
export function toRecord(message: AmqpJmsMessage): JmsRecord {
  const headers: Record<string, string> = {};
  const annotations = message.message_annotations ?? {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) headers[name] = value;
  };
  if (message.message_id !== undefined && message.message_id !== null) set(H.messageId, messageIdToJms(amqpIdOf(message.message_id)));
  if (message.correlation_id !== undefined && message.correlation_id !== null) set(H.correlationId, correlationIdToJms(amqpIdOf(message.correlation_id)));
  set(H.subject, message.subject);
  if (message.priority !== undefined) set(H.priority, String(message.priority));
  set(H.durable, message.durable === true ? 'true' : 'false');
  set(H.expiry, millisText(message.absolute_expiry_time));
  if (message.ttl !== undefined && message.ttl > 0) set(H.ttl, String(message.ttl));
  set(H.creationTime, millisText(message.creation_time));
  set(H.to, message.to);
  set(H.destType, smallIntText(annotations['x-opt-jms-dest']));
  set(H.replyTo, message.reply_to);
  set(H.replyToType, smallIntText(annotations['x-opt-jms-reply-to']));
  set(H.deliveryTime, millisText(annotations['x-opt-delivery-time'] as Date | number | undefined));
  set(H.groupId, message.group_id);
  if (message.group_sequence !== undefined) set(H.groupSequence, String(message.group_sequence));
  if (message.user_id !== undefined && message.user_id !== null) set(H.userId, Buffer.from(message.user_id as Uint8Array).toString('utf8'));
  set(H.contentType, message.content_type);

  const app = message.application_properties ?? {};
  const appTypes = (app as { [AMQP_TYPES]?: Map<string, string> })[AMQP_TYPES];
  for (const [name, value] of Object.entries(app)) {
    const typed = typedTextOf(value, appTypes?.get(name));
    if (typed === undefined) continue; // JMS has no null property (JMS 2.0 §3.5.5)
    if (!PROPERTY_TYPES.has(typed[0])) throw new JmsAmqpErrors.BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID(headers[H.messageId], `application-properties.${name}`, `a ${typed[0]} is not a JMS property type`);
    headers[H.propertyPrefix + name] = propertyHeaderText(typed);
  }

  const msgType = msgTypeOf(message, annotations['x-opt-jms-msg-type']);
  // A Java-serialized ObjectMessage is bytes to the engine (its ObjectMessage is JSON): stored as a
  // BytesMessage with its content-type, and given back to JMS clients as an ObjectMessage.
  headers[H.msgType] = String(msgType === JMS_MSG_TYPE.OBJECT && message.content_type === JAVA_SERIALIZED ? JMS_MSG_TYPE.BYTES : msgType);
  return { headers, value: bodyToRecord(message, msgType, headers[H.messageId]) };
}

/** A stored record -> the message to send to a JMS consumer; deliveryCount = failed deliveries so far. */
export function toAmqp(record: JmsRecord, deliveryCount: number): AmqpJmsMessage {
  const h = record.headers;
  const message: AmqpJmsMessage = {};
  const annotations: Record<string, unknown> = {};
  if (h[H.messageId] !== undefined) message.message_id = wireIdOf(jmsToAmqpId(h[H.messageId]));
  if (h[H.correlationId] !== undefined) message.correlation_id = wireIdOf(jmsToAmqpId(h[H.correlationId]));
  if (h[H.subject] !== undefined) message.subject = h[H.subject];
  if (h[H.priority] !== undefined) message.priority = Number(h[H.priority]);
  message.durable = h[H.durable] === 'true';
  if (h[H.ttl] !== undefined) message.ttl = Number(h[H.ttl]);
  if (h[H.expiry] !== undefined) message.absolute_expiry_time = Number(h[H.expiry]);
  if (h[H.creationTime] !== undefined) message.creation_time = Number(h[H.creationTime]);
  if (h[H.to] !== undefined) message.to = h[H.to];
  if (h[H.destType] !== undefined) annotations['x-opt-jms-dest'] = rheaTypes.wrap_byte(Number(h[H.destType]));
  if (h[H.replyTo] !== undefined) message.reply_to = h[H.replyTo];
  if (h[H.replyToType] !== undefined) annotations['x-opt-jms-reply-to'] = rheaTypes.wrap_byte(Number(h[H.replyToType]));
  if (h[H.deliveryTime] !== undefined) annotations['x-opt-delivery-time'] = rheaTypes.wrap_long(Number(h[H.deliveryTime]));
  if (h[H.groupId] !== undefined) message.group_id = h[H.groupId];
  if (h[H.groupSequence] !== undefined) message.group_sequence = Number(h[H.groupSequence]);
  if (h[H.userId] !== undefined) message.user_id = Buffer.from(h[H.userId], 'utf8');
  if (h[H.contentType] !== undefined) message.content_type = h[H.contentType];
  if (deliveryCount > 0) {
    message.delivery_count = deliveryCount;
    message.first_acquirer = false;
  }

  const app: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(h)) {
    if (!name.startsWith(H.propertyPrefix)) continue;
    const typed = parsePropertyHeader(value);
    if (typed === undefined) throw new JmsAmqpErrors.BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID(h[H.messageId], `header ${name}`, `"${value}" is not <type>:<text>`);
    app[name.slice(H.propertyPrefix.length)] = amqpValueOf(typed);
  }
  if (Object.keys(app).length > 0) message.application_properties = app;

  const stored = h[H.msgType] !== undefined ? Number(h[H.msgType]) : record.value === null ? JMS_MSG_TYPE.MESSAGE : JMS_MSG_TYPE.BYTES;
  const msgType = stored === JMS_MSG_TYPE.BYTES && h[H.contentType] === JAVA_SERIALIZED ? JMS_MSG_TYPE.OBJECT : stored;
  annotations['x-opt-jms-msg-type'] = rheaTypes.wrap_byte(msgType);
  message.message_annotations = annotations;
  const body = bodyToAmqp(record.value, msgType, h[H.messageId]);
  if (body !== undefined) message.body = body;
  return message;
}

function bodyToRecord(message: AmqpJmsMessage, msgType: number, id: string | undefined): Buffer | null {
  const body = message.body;
  switch (msgType) {
    case JMS_MSG_TYPE.TEXT:
      if (body === null || body === undefined) return null;
      if (typeof body === 'string') return Buffer.from(body, 'utf8');
      return dataBytes(body, id, 'a TextMessage');
    case JMS_MSG_TYPE.MAP: {
      if (body === null || body === undefined) return Buffer.from('{}');
      const raw = (body as { [AMQP_RAW]?: unknown[] })[AMQP_RAW];
      if (typeof body !== 'object' || raw === undefined) throw invalid(id, 'body', 'a MapMessage body must be an amqp-value map');
      const out: Record<string, TypedText> = {};
      const entries = raw as { value: unknown }[];
      const decoded = body as Record<string, unknown>;
      for (let i = 0; i + 1 < entries.length; i += 2) {
        const key = String(entries[i].value);
        const typed = typedTextOf(decoded[key], typeName(entries[i + 1]));
        if (typed !== undefined) out[key] = typed;
      }
      return Buffer.from(JSON.stringify(out));
    }
    case JMS_MSG_TYPE.STREAM: {
      const list = streamList(body, id);
      return Buffer.from(JSON.stringify(list));
    }
    case JMS_MSG_TYPE.MESSAGE:
      return null;
    default:
      // Bytes and Object (Java serialized) messages, and anything else: the data section's bytes.
      if (body === null || body === undefined) return msgType === JMS_MSG_TYPE.BYTES ? Buffer.alloc(0) : null;
      return dataBytes(body, id, msgType === JMS_MSG_TYPE.OBJECT ? 'an ObjectMessage' : 'a BytesMessage');
  }
}

function bodyToAmqp(value: Buffer | null, msgType: number, id: string | undefined): unknown {
  switch (msgType) {
    case JMS_MSG_TYPE.TEXT:
      return value === null ? null : value.toString('utf8');
    case JMS_MSG_TYPE.MAP: {
      const entries = parseJson(value, id, 'a MapMessage') as Record<string, TypedText>;
      const map: Record<string, unknown> = {};
      for (const [key, typed] of Object.entries(entries)) map[key] = amqpValueOf(typed);
      return rheaTypes.wrap_map(map);
    }
    case JMS_MSG_TYPE.STREAM: {
      const items = parseJson(value, id, 'a StreamMessage') as TypedText[];
      return rheaMessage.sequence_section(items.map((t) => amqpValueOf(t)));
    }
    case JMS_MSG_TYPE.MESSAGE:
      return undefined;
    default:
      return value === null ? undefined : rheaMessage.data_section(value);
  }
}

function streamList(body: unknown, id: string | undefined): TypedText[] {
  if (body === null || body === undefined) return [];
  // amqp-sequence (Qpid JMS's default) arrives as a Section; an amqp-value list as an array.
  const section = body as { typecode?: number; content?: unknown; multiple?: boolean };
  const decoded = section.typecode === 0x76 ? section.content : body;
  if (section.typecode === 0x76 && section.multiple) throw invalid(id, 'body', 'a StreamMessage must have one amqp-sequence section');
  const raw = (decoded as { [AMQP_RAW]?: unknown[] } | undefined)?.[AMQP_RAW];
  if (!Array.isArray(decoded) || raw === undefined) throw invalid(id, 'body', 'a StreamMessage body must be a list');
  return decoded.map((item, i) => {
    const typed = typedTextOf(item, typeName(raw[i]));
    if (typed === undefined) throw invalid(id, `body[${i}]`, 'a StreamMessage item may not be null');
    return typed;
  });
}

function dataBytes(body: unknown, id: string | undefined, what: string): Buffer {
  const section = body as { typecode?: number; content?: unknown; multiple?: boolean };
  if (section.typecode === 0x75) {
    const parts = section.multiple ? (section.content as Buffer[]) : [section.content as Buffer];
    return Buffer.concat(parts.map((p) => Buffer.from(p ?? [])));
  }
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw invalid(id, 'body', `${what} body must be a data section or binary`);
}

function msgTypeOf(message: AmqpJmsMessage, annotated: unknown): number {
  if (typeof annotated === 'number' && annotated >= 0 && annotated <= 5) return annotated;
  // No annotation (a non-JMS AMQP sender): OASIS AMQP JMS Mapping §3.2.4.2's inference.
  const body = message.body as { typecode?: number } | undefined | null;
  if (typeof body === 'string') return JMS_MSG_TYPE.TEXT;
  if (body === undefined || body === null) return JMS_MSG_TYPE.MESSAGE;
  if (body.typecode === 0x75) return message.content_type === 'application/x-java-serialized-object' ? JMS_MSG_TYPE.OBJECT : /^text\//.test(message.content_type ?? '') ? JMS_MSG_TYPE.TEXT : JMS_MSG_TYPE.BYTES;
  if (body.typecode === 0x76 || Array.isArray(body)) return JMS_MSG_TYPE.STREAM;
  if (typeof body === 'object' && AMQP_RAW in body) return JMS_MSG_TYPE.MAP;
  return JMS_MSG_TYPE.BYTES;
}

function parseJson(value: Buffer | null, id: string | undefined, what: string): unknown {
  if (value === null) return what === 'a MapMessage' ? {} : [];
  try {
    return JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new JmsAmqpErrors.BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID(id, 'record value', `${what} body is not JSON: ${(err as Error).message}`);
  }
}

function invalid(id: string | undefined, field: string, rule: string): Error {
  return new JmsAmqpErrors.BANYAN_ERR_JMS_AMQP_MESSAGE_INVALID(id, field, rule);
}

function millisText(value: Date | number | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value instanceof Date ? value.getTime() : Number(value));
}

function smallIntText(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : undefined;
}

function amqpIdOf(value: unknown): AmqpId {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return { type: 'ulong', value: BigInt(value) };
  if (typeof value === 'bigint') return { type: 'ulong', value };
  // rhea reads uuid and binary ids both as Buffers: a uuid is 16 bytes (Qpid JMS sends string ids).
  if (value instanceof Uint8Array) return value.length === 16 ? { type: 'uuid', value } : { type: 'binary', value };
  return { type: 'string', value: String(value) };
}

function wireIdOf(id: AmqpId): unknown {
  switch (id.type) {
    case 'string':
      return id.value;
    case 'uuid':
      return rheaTypes.wrap_uuid(Buffer.from(id.value));
    case 'ulong': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(id.value);
      return rheaTypes.wrap_ulong(b);
    }
    case 'binary':
      return rheaTypes.wrap_binary(Buffer.from(id.value));
  }
}
