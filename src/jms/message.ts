/**
 * JMS messages (Jakarta Messaging 3.1, chapter 3): the headers, typed user properties, and the five
 * body types plus the body-less Message. Header fields carry the JMS names (`JMSCorrelationID`,
 * ...) so code ported from Java reads the same. A received message is read-only until clearBody() /
 * clearProperties() (3.10); `acknowledge()` acknowledges through the session that delivered it.
 */
import type { JmsDestination } from './destination.ts';
import { JmsErrors } from './jms-errors.ts';
import { convert, typed, type BodyValue, type JmsPropertyType, type TypedValue } from './typed-value.ts';

export type DeliveryMode = 'PERSISTENT' | 'NON_PERSISTENT';
export type MessageKind = 'message' | 'text' | 'bytes' | 'map' | 'stream' | 'object';
/** A JSON value: the body of an ObjectMessage on the TypeScript side. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const DEFAULT_PRIORITY = 4;

/** Property names a selector or application may use: Java identifiers (3.8.1.1), not NULL/TRUE/... */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['NULL', 'TRUE', 'FALSE', 'NOT', 'AND', 'OR', 'BETWEEN', 'LIKE', 'IN', 'IS', 'ESCAPE']);

export abstract class JmsMessage {
  abstract readonly kind: MessageKind;
  JMSMessageID: string | null = null;
  JMSCorrelationID: string | null = null;
  JMSType: string | null = null;
  JMSPriority = DEFAULT_PRIORITY;
  JMSDeliveryMode: DeliveryMode = 'PERSISTENT';
  /** ms since the epoch; 0 = never expires. */
  JMSExpiration = 0;
  /** ms since the epoch; 0 = not set (timestamps disabled). */
  JMSTimestamp = 0;
  /** ms since the epoch when the message may first be delivered; 0 = not set. */
  JMSDeliveryTime = 0;
  JMSDestination: JmsDestination | null = null;
  JMSReplyTo: JmsDestination | null = null;
  /** Set by the engine on delivery: the message was delivered before (3.4.7). */
  JMSRedelivered = false;
  /** Content type kept from the record (e.g. application/x-java-serialized-object from a Java client). */
  contentType: string | null = null;
  readonly #properties = new Map<string, TypedValue>();
  #propertiesReadOnly = false;
  #bodyReadOnly = false;
  #acknowledge: (() => Promise<void>) | undefined;

  // --- properties (3.5) ---

  propertyNames(): string[] {
    return [...this.#properties.keys()];
  }

  propertyExists(name: string): boolean {
    return this.#properties.has(name);
  }

  /** The typed value, or undefined when the message has no such property. */
  getProperty(name: string): TypedValue | undefined {
    return this.#properties.get(name);
  }

  setProperty(name: string, value: TypedValue): this {
    this.#checkPropertiesWritable(name);
    if (!IDENTIFIER.test(name) || RESERVED.has(name.toUpperCase())) {
      throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`${JSON.stringify(name)} is not a valid property name (a Java identifier, not a selector keyword)`);
    }
    this.#properties.set(name, typed(value.type, value.value));
    return this;
  }

  setBooleanProperty(name: string, v: boolean): this { return this.setProperty(name, { type: 'boolean', value: v }); }
  setByteProperty(name: string, v: number): this { return this.setProperty(name, { type: 'byte', value: v }); }
  setShortProperty(name: string, v: number): this { return this.setProperty(name, { type: 'short', value: v }); }
  setIntProperty(name: string, v: number): this { return this.setProperty(name, { type: 'int', value: v }); }
  setLongProperty(name: string, v: bigint | number): this { return this.setProperty(name, typed('long', v)); }
  setFloatProperty(name: string, v: number): this { return this.setProperty(name, { type: 'float', value: v }); }
  setDoubleProperty(name: string, v: number): this { return this.setProperty(name, { type: 'double', value: v }); }
  setStringProperty(name: string, v: string): this { return this.setProperty(name, { type: 'string', value: v }); }

  // A missing property reads as Boolean.valueOf(null) = false, and as null for String (3.5.4);
  // a missing numeric property is a NumberFormatException in Java: here a MESSAGE_FORMAT error.
  getBooleanProperty(name: string): boolean { const v = this.#property(name); return v === undefined ? false : convert(v, 'boolean'); }
  getByteProperty(name: string): number { return convert(this.#required(name), 'byte'); }
  getShortProperty(name: string): number { return convert(this.#required(name), 'short'); }
  getIntProperty(name: string): number { return convert(this.#required(name), 'int'); }
  getLongProperty(name: string): bigint { return convert(this.#required(name), 'long'); }
  getFloatProperty(name: string): number { return convert(this.#required(name), 'float'); }
  getDoubleProperty(name: string): number { return convert(this.#required(name), 'double'); }
  getStringProperty(name: string): string | null { const v = this.#property(name); return v === undefined ? null : convert(v, 'string'); }

  clearProperties(): void {
    this.#properties.clear();
    this.#propertiesReadOnly = false;
  }

  // --- body ---

  /** Empties the body and makes it writable again (3.10). */
  clearBody(): void {
    this.#bodyReadOnly = false;
    this.resetBody();
  }

  protected abstract resetBody(): void;

  protected checkBodyWritable(): void {
    if (this.#bodyReadOnly) throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_NOT_WRITEABLE('the body of a received message');
  }

  // --- acknowledgement (3.6) ---

  /**
   * CLIENT_ACKNOWLEDGE: acknowledges every message the session delivered so far (JMS 2.0 semantics);
   * other modes: nothing to do.
   */
  async acknowledge(): Promise<void> {
    await this.#acknowledge?.();
  }

  /** Engine use: makes a received message read-only and binds acknowledge() to its session. */
  markReceived(acknowledge: (() => Promise<void>) | undefined): void {
    this.#bodyReadOnly = true;
    this.#propertiesReadOnly = true;
    this.#acknowledge = acknowledge;
  }

  /** Engine use: sets a property even on a read-only message (JMSX* values the provider sets). */
  setProviderProperty(name: string, value: TypedValue): void {
    this.#properties.set(name, value);
  }

  #property(name: string): TypedValue | undefined {
    return this.#properties.get(name);
  }

  #required(name: string): TypedValue {
    const v = this.#properties.get(name);
    if (v === undefined) throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`the message has no property ${name}`);
    return v;
  }

  #checkPropertiesWritable(name: string): void {
    if (this.#propertiesReadOnly) throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_NOT_WRITEABLE(`property ${name} of a received message`);
  }
}

/** A message without a body (3.11.1). */
export class Message extends JmsMessage {
  readonly kind = 'message';
  protected resetBody(): void {}
}

export class TextMessage extends JmsMessage {
  readonly kind = 'text';
  #text: string | null;

  constructor(text: string | null = null) {
    super();
    this.#text = text;
  }

  get text(): string | null {
    return this.#text;
  }

  set text(value: string | null) {
    this.checkBodyWritable();
    this.#text = value;
  }

  protected resetBody(): void {
    this.#text = null;
  }
}

export class BytesMessage extends JmsMessage {
  readonly kind = 'bytes';
  #bytes: Buffer;

  constructor(bytes: Uint8Array = Buffer.alloc(0)) {
    super();
    this.#bytes = Buffer.from(bytes);
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  set bytes(value: Uint8Array) {
    this.checkBodyWritable();
    this.#bytes = Buffer.from(value);
  }

  get bodyLength(): number {
    return this.#bytes.length;
  }

  protected resetBody(): void {
    this.#bytes = Buffer.alloc(0);
  }
}

/** Name -> typed entry (3.11.3); getters convert as properties do. */
export class MapMessage extends JmsMessage {
  readonly kind = 'map';
  readonly #entries = new Map<string, BodyValue>();

  constructor(entries?: Iterable<readonly [string, BodyValue]>) {
    super();
    for (const [k, v] of entries ?? []) this.#entries.set(k, checkedBodyValue(v));
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  itemExists(name: string): boolean {
    return this.#entries.has(name);
  }

  get(name: string): BodyValue | undefined {
    return this.#entries.get(name);
  }

  set(name: string, value: BodyValue): this {
    this.checkBodyWritable();
    if (name === '') throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT('a map entry needs a name');
    this.#entries.set(name, checkedBodyValue(value));
    return this;
  }

  getBoolean(name: string): boolean { const v = this.#entries.get(name); return v === undefined ? false : convert(v, 'boolean'); }
  getInt(name: string): number { return convert(this.#required(name), 'int'); }
  getLong(name: string): bigint { return convert(this.#required(name), 'long'); }
  getDouble(name: string): number { return convert(this.#required(name), 'double'); }
  getString(name: string): string | null { const v = this.#entries.get(name); return v === undefined ? null : convert(v, 'string'); }

  setBoolean(name: string, v: boolean): this { return this.set(name, { type: 'boolean', value: v }); }
  setInt(name: string, v: number): this { return this.set(name, { type: 'int', value: v }); }
  setLong(name: string, v: bigint | number): this { return this.set(name, typed('long', v)); }
  setDouble(name: string, v: number): this { return this.set(name, { type: 'double', value: v }); }
  setString(name: string, v: string): this { return this.set(name, { type: 'string', value: v }); }

  protected resetBody(): void {
    this.#entries.clear();
  }

  #required(name: string): BodyValue {
    const v = this.#entries.get(name);
    if (v === undefined) throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`the map has no entry ${name}`);
    return v;
  }
}

/** A sequence of typed values (3.11.5), written in order and read back in order. */
export class StreamMessage extends JmsMessage {
  readonly kind = 'stream';
  #values: BodyValue[];
  #readAt = 0;

  constructor(values: readonly BodyValue[] = []) {
    super();
    this.#values = values.map(checkedBodyValue);
  }

  get values(): readonly BodyValue[] {
    return this.#values;
  }

  write(value: BodyValue): this {
    this.checkBodyWritable();
    this.#values.push(checkedBodyValue(value));
    return this;
  }

  /** The next value, or undefined at the end of the stream (Java: MessageEOFException). */
  read(): BodyValue | undefined {
    return this.#values[this.#readAt++];
  }

  /** Back to the first value. */
  reset(): void {
    this.#readAt = 0;
  }

  protected resetBody(): void {
    this.#values = [];
    this.#readAt = 0;
  }
}

/** A JSON value as the body (H17: a Java serialized object arrives as a BytesMessage with its content type). */
export class ObjectMessage extends JmsMessage {
  readonly kind = 'object';
  #object: JsonValue;

  constructor(object: JsonValue = null) {
    super();
    this.#object = object;
  }

  get object(): JsonValue {
    return this.#object;
  }

  set object(value: JsonValue) {
    this.checkBodyWritable();
    this.#object = value;
  }

  protected resetBody(): void {
    this.#object = null;
  }
}

export type AnyMessage = Message | TextMessage | BytesMessage | MapMessage | StreamMessage | ObjectMessage;

/** What `producer.send(dest, body)` accepts besides a message (JMS 2.0 JMSProducer.send overloads). */
export type MessageBody = string | Uint8Array | ReadonlyMap<string, BodyValue> | JsonValue;

/** The message a body is sent as: string -> Text, bytes -> Bytes, Map -> Map, other JSON -> Object. */
export function messageOfBody(body: MessageBody): AnyMessage {
  if (typeof body === 'string') return new TextMessage(body);
  if (body instanceof Uint8Array) return new BytesMessage(body);
  if (body instanceof Map) return new MapMessage(body);
  return new ObjectMessage(body as JsonValue);
}

function checkedBodyValue(v: BodyValue): BodyValue {
  if (v.type === 'char') {
    if (v.value.length !== 1) throw new JmsErrors.BANYAN_ERR_JMS_MESSAGE_FORMAT(`a char is one UTF-16 unit, not ${JSON.stringify(v.value)}`);
    return v;
  }
  if (v.type === 'bytes') return { type: 'bytes', value: Buffer.from(v.value) };
  return typed(v.type as JmsPropertyType, v.value);
}
