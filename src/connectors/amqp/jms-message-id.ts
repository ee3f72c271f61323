/**
 * AMQP message-id / correlation-id <-> the string a JMS application sees as JMSMessageID /
 * JMSCorrelationID, as Qpid JMS writes it (AmqpMessageIdHelper; OASIS AMQP JMS Mapping 1.0 §3.2.1).
 * The descriptor carries that string as UTF-8 bytes: the id's AMQP type travels in its prefix, so
 * every id round-trips exactly and reads the same as in a JMS client.
 *
 *   string "ID:abc"           <-> "ID:abc"
 *   string "abc"              <-> "ID:AMQP_NO_PREFIX:abc"   (message-id; a correlation-id stays "abc")
 *   string "ID:AMQP_UUID:x"   <-> "ID:AMQP_STRING:ID:AMQP_UUID:x" (a string that looks encoded)
 *   uuid                      <-> "ID:AMQP_UUID:01234567-89ab-cdef-0123-456789abcdef"
 *   ulong 42                  <-> "ID:AMQP_ULONG:42"
 *   binary 0x0AFF             <-> "ID:AMQP_BINARY:0AFF"
 */

/** An AMQP id as this module sees it; rhea wire forms are made from it in message-mapping.ts. */
export type AmqpId =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'uuid'; readonly value: Uint8Array }
  | { readonly type: 'ulong'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Uint8Array };

const ID = 'ID:';
const PREFIXES = ['AMQP_UUID:', 'AMQP_ULONG:', 'AMQP_BINARY:', 'AMQP_STRING:', 'AMQP_NO_PREFIX:'] as const;

/** JMSMessageID text of an AMQP message-id. */
export function messageIdToJms(id: AmqpId): string {
  if (id.type !== 'string') return encodeTyped(id);
  if (!id.value.startsWith(ID)) return `${ID}AMQP_NO_PREFIX:${id.value}`;
  return hasTypePrefix(id.value, ID.length) ? `${ID}AMQP_STRING:${id.value}` : id.value;
}

/** JMSCorrelationID text of an AMQP correlation-id: an application string without `ID:` stays as it is. */
export function correlationIdToJms(id: AmqpId): string {
  if (id.type !== 'string') return encodeTyped(id);
  if (!id.value.startsWith(ID)) return id.value;
  return hasTypePrefix(id.value, ID.length) ? `${ID}AMQP_STRING:${id.value}` : id.value;
}

/** The AMQP id a JMS id text stands for (the inverse of both functions above). */
export function jmsToAmqpId(text: string): AmqpId {
  if (!text.startsWith(ID)) return { type: 'string', value: text };
  const rest = text.slice(ID.length);
  if (rest.startsWith('AMQP_NO_PREFIX:')) return { type: 'string', value: rest.slice('AMQP_NO_PREFIX:'.length) };
  if (rest.startsWith('AMQP_STRING:')) return { type: 'string', value: rest.slice('AMQP_STRING:'.length) };
  if (rest.startsWith('AMQP_UUID:')) {
    const hex = rest.slice('AMQP_UUID:'.length).replace(/-/g, '');
    if (/^[0-9a-fA-F]{32}$/.test(hex)) return { type: 'uuid', value: Buffer.from(hex, 'hex') };
  }
  if (rest.startsWith('AMQP_ULONG:')) {
    const digits = rest.slice('AMQP_ULONG:'.length);
    if (/^\d{1,20}$/.test(digits) && BigInt(digits) < 2n ** 64n) return { type: 'ulong', value: BigInt(digits) };
  }
  if (rest.startsWith('AMQP_BINARY:')) {
    const hex = rest.slice('AMQP_BINARY:'.length);
    if (/^([0-9a-fA-F]{2})*$/.test(hex)) return { type: 'binary', value: Buffer.from(hex, 'hex') };
  }
  // "ID:..." with no (or a malformed) type prefix: an ordinary string id, as Qpid JMS treats it.
  return { type: 'string', value: text };
}

function encodeTyped(id: Exclude<AmqpId, { type: 'string' }>): string {
  switch (id.type) {
    case 'uuid':
      return `${ID}AMQP_UUID:${uuidText(id.value)}`;
    case 'ulong':
      return `${ID}AMQP_ULONG:${id.value.toString()}`;
    case 'binary':
      return `${ID}AMQP_BINARY:${Buffer.from(id.value).toString('hex').toUpperCase()}`;
  }
}

function hasTypePrefix(text: string, at: number): boolean {
  return PREFIXES.some((p) => text.startsWith(p, at));
}

function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
