/**
 * A single-pass encoder of kafkajs 2.2.4's uncompressed Produce request body (v3..v7 share it),
 * byte for byte what kafkajs' own src/protocol/requests/produce/v3/request.js writes, in one buffer:
 *
 * ProduceRequest (v3) => transactional_id acks timeout [topic [partition record_set]]
 *   transactional_id => NULLABLE_STRING   (int16 length, -1 = null)
 *   acks => INT16, timeout => INT32, [..] => INT32 count then items
 *   topic => STRING; partition => INT32; record_set => INT32 size then RecordBatch
 * RecordBatch (magic 2, Kafka DefaultRecordBatch) => firstOffset INT64 (0), length INT32,
 *   partitionLeaderEpoch INT32 (0), magic INT8 (2), crc UINT32 (CRC-32C of what follows),
 *   attributes INT16, lastOffsetDelta INT32, firstTimestamp INT64, maxTimestamp INT64,
 *   producerId INT64, producerEpoch INT16, firstSequence INT32, records [Record] (INT32 count)
 * Record => length VARINT, attributes INT8 (0), timestampDelta VARLONG, offsetDelta VARINT,
 *   key VARINT-bytes (-1 = null), value VARINT-bytes, headers VARINT count of
 *   (key VARINT-string, value VARINT-bytes)
 *
 * Why: kafkajs builds every header and record in its own `new Encoder()` (a zero-filled 512-byte
 * Buffer.alloc each), every varint through `Buffer.from([...])`, then copies each level into the
 * next, and checksums with a byte-at-a-time CRC-32C in JS; at 8 headers per event that was most of
 * a bridge's CPU. Here every length is measured once, one Buffer.allocUnsafe of the exact size is
 * filled front to back, and the CRC-32C is the caller's (native) function.
 *
 * Only what this encoder knows it writes identically is taken: keys and values that are strings,
 * Buffers, null or undefined; header values that are strings or Buffers (or arrays of them). For
 * anything else (compression, numbers, Uint8Arrays, null header values) `encodeProduceRequest`
 * returns undefined and the caller uses kafkajs' own encoder, which also raises kafkajs' own errors.
 * Property-tested against kafkajs' encoder (test/unit/connectors/kafka/produce-request-encoder.test.ts).
 */

/** kafkajs' int64 type (src/utils/long.js), as far as the encoder uses it. */
export interface KafkajsLong {
  getHighBits(): number;
  getLowBits(): number;
}

export interface KafkajsLongModule {
  fromValue(value: unknown): KafkajsLong;
}

/** One message as kafkajs hands it to the Produce request (only these fields are encoded). */
export interface ProduceMessage {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: unknown;
  readonly timestamp?: unknown;
}

/** The Produce request arguments of kafkajs' broker.produce (src/broker/index.js). */
export interface ProduceRequestArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: ReadonlyArray<{
    readonly topic: string;
    readonly partitions: ReadonlyArray<{
      readonly partition: number;
      readonly firstSequence?: number;
      readonly messages: readonly ProduceMessage[];
    }>;
  }>;
}

export interface ProduceEncoderDeps {
  readonly Long: KafkajsLongModule;
  /** CRC-32C (Castagnoli) of the bytes, unsigned. */
  readonly crc32c: (bytes: Buffer) => number;
  /** Date.now, injectable for tests (kafkajs stamps records without a timestamp with it). */
  readonly now?: () => number;
}

const COMPRESSION_NONE = 0;
const MAGIC_BYTE = 2;
const TRANSACTIONAL_MASK = 16;
// firstOffset..firstSequence of a record batch, then the records' count.
const BATCH_PREFIX_BYTES = 8 + 4 + 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

/**
 * The request body's bytes, or undefined when the request holds something only kafkajs' own
 * encoder handles (see the file comment).
 */
export function encodeProduceRequest(args: ProduceRequestArgs, deps: ProduceEncoderDeps): Buffer | undefined {
  if ((args.compression ?? COMPRESSION_NONE) !== COMPRESSION_NONE) return undefined;
  const plan = planRequest(args, deps.now ?? Date.now);
  if (plan === undefined) return undefined;
  const buf = Buffer.allocUnsafe(plan.size);
  writeRequest(buf, args, plan, deps);
  return buf;
}

/** Every length the writer needs, measured once: per record its body size and field lengths. */
interface RequestPlan {
  readonly size: number;
  /** Per partition, in request order. */
  readonly partitions: PartitionPlan[];
}

interface PartitionPlan {
  readonly firstTimestamp: unknown;
  readonly maxTimestamp: unknown;
  readonly timestampDeltas: number[];
  /** Flat per record: bodySize, keyLength, valueLength, headerCount, then per header keyLength, valueLength. */
  readonly lengths: number[];
  /** Per record, its headers flattened to [key, value, key, value, ...]. */
  readonly headers: Array<Array<string | Buffer>>;
  readonly batchSize: number;
}

function planRequest(args: ProduceRequestArgs, now: () => number): RequestPlan | undefined {
  let size = 2 + stringBytes(args.transactionalId ?? null) + 2 + 4 + 4;
  const partitions: PartitionPlan[] = [];
  for (const topicData of args.topicData) {
    size += 2 + stringBytes(topicData.topic) + 4;
    for (const partitionData of topicData.partitions) {
      const plan = planPartition(partitionData.messages, now);
      if (plan === undefined) return undefined;
      partitions.push(plan);
      size += 4 + 4 + plan.batchSize;
    }
  }
  return { size, partitions };
}

function planPartition(messages: readonly ProduceMessage[], now: () => number): PartitionPlan | undefined {
  // kafkajs (produce/v3/request.js partitionsEncoder): messages' own timestamps, sorted as
  // Array.prototype.sort sorts them (as strings), else Date.now() read once per partition.
  for (const m of messages) if (m === null || typeof m !== 'object') return undefined;
  const dateNow = now();
  let firstTimestamp: unknown = dateNow;
  let maxTimestamp: unknown = dateNow;
  if (messages.some((m) => m.timestamp != null)) {
    const sorted = messages.map((m) => m.timestamp).filter((t) => t != null).sort();
    firstTimestamp = sorted[0];
    maxTimestamp = sorted[sorted.length - 1];
  }
  const timestampDeltas: number[] = [];
  const lengths: number[] = [];
  const headers: Array<Array<string | Buffer>> = [];
  let batchSize = BATCH_PREFIX_BYTES;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const delta = (((m.timestamp as number) || dateNow) as number) - (firstTimestamp as number);
    if (!isPlainVarLong(delta)) return undefined;
    const keyLength = bytesLength(m.key);
    const valueLength = bytesLength(m.value);
    const flat = flattenHeaders(m.headers);
    if (keyLength === undefined || valueLength === undefined || flat === undefined) return undefined;
    const at = lengths.length;
    lengths.push(0, keyLength, valueLength, flat.length / 2);
    let bodySize =
      1 + sizeOfVarLong(delta) + sizeOfVarInt(i) + sizeOfVarInt(keyLength) + Math.max(keyLength, 0) +
      sizeOfVarInt(valueLength) + Math.max(valueLength, 0) + sizeOfVarInt(flat.length / 2);
    for (let h = 0; h < flat.length; h += 2) {
      const hk = utf8Length(flat[h] as string);
      const hv = bytesLength(flat[h + 1]) as number;
      lengths.push(hk, hv);
      bodySize += sizeOfVarInt(hk) + hk + sizeOfVarInt(hv) + hv;
    }
    lengths[at] = bodySize;
    timestampDeltas.push(delta);
    headers.push(flat);
    batchSize += sizeOfVarInt(bodySize) + bodySize;
  }
  return { firstTimestamp, maxTimestamp, timestampDeltas, lengths, headers, batchSize };
}

function writeRequest(buf: Buffer, args: ProduceRequestArgs, plan: RequestPlan, deps: ProduceEncoderDeps): void {
  const { Long, crc32c } = deps;
  const producerId = Long.fromValue(args.producerId === undefined ? -1 : args.producerId);
  const producerEpoch = args.producerEpoch === undefined ? 0 : args.producerEpoch;
  const attributes = COMPRESSION_NONE | (args.transactionalId ? TRANSACTIONAL_MASK : 0);
  let o = writeString(buf, 0, args.transactionalId ?? null);
  o = buf.writeInt16BE(args.acks, o);
  o = buf.writeInt32BE(args.timeout, o);
  o = buf.writeInt32BE(args.topicData.length, o);
  let p = 0;
  for (const topicData of args.topicData) {
    o = writeString(buf, o, topicData.topic);
    o = buf.writeInt32BE(topicData.partitions.length, o);
    for (const partitionData of topicData.partitions) {
      const part = plan.partitions[p++]!;
      const messages = partitionData.messages;
      o = buf.writeInt32BE(partitionData.partition, o);
      o = buf.writeInt32BE(part.batchSize, o);
      o = writeInt64(buf, o, Long.fromValue(0));
      o = buf.writeInt32BE(part.batchSize - 12, o);
      o = buf.writeInt32BE(0, o); // partitionLeaderEpoch
      o = buf.writeInt8(MAGIC_BYTE, o);
      const crcAt = o;
      o += 4;
      const bodyAt = o;
      o = buf.writeInt16BE(attributes, o);
      o = buf.writeInt32BE(messages.length - 1, o);
      o = writeInt64(buf, o, Long.fromValue(part.firstTimestamp));
      o = writeInt64(buf, o, Long.fromValue(part.maxTimestamp));
      o = writeInt64(buf, o, producerId);
      o = buf.writeInt16BE(producerEpoch, o);
      o = buf.writeInt32BE(partitionData.firstSequence === undefined ? 0 : partitionData.firstSequence, o);
      o = buf.writeInt32BE(messages.length, o);
      let l = 0;
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        const bodySize = part.lengths[l++]!;
        const keyLength = part.lengths[l++]!;
        const valueLength = part.lengths[l++]!;
        const headerCount = part.lengths[l++]!;
        o = writeVarInt(buf, o, bodySize);
        buf[o++] = 0; // record attributes
        o = writeVarLong(buf, o, part.timestampDeltas[i]!);
        o = writeVarInt(buf, o, i);
        o = writeBytes(buf, o, m.key as string | Buffer | null | undefined, keyLength);
        o = writeBytes(buf, o, m.value as string | Buffer | null | undefined, valueLength);
        o = writeVarInt(buf, o, headerCount);
        const flat = part.headers[i]!;
        for (let h = 0; h < flat.length; h += 2) {
          o = writeBytes(buf, o, flat[h]!, part.lengths[l++]!);
          o = writeBytes(buf, o, flat[h + 1]!, part.lengths[l++]!);
        }
      }
      buf.writeUInt32BE(crc32c(buf.subarray(bodyAt, o)), crcAt);
    }
  }
}

/** kafkajs record/v0: `Object.keys(headers)`, an array value becoming one header per element. */
function flattenHeaders(headers: unknown): Array<string | Buffer> | undefined {
  if (headers === undefined) return [];
  if (headers === null || typeof headers !== 'object') return undefined;
  const flat: Array<string | Buffer> = [];
  for (const key of Object.keys(headers)) {
    const value = (headers as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const v of value) {
        if (!isBytesValue(v)) return undefined;
        flat.push(key, v);
      }
    } else {
      if (!isBytesValue(value)) return undefined;
      flat.push(key, value);
    }
  }
  return flat;
}

function isBytesValue(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

/** Byte length of a VARINT-bytes field (-1 = null), undefined for what kafkajs would stringify. */
function bytesLength(value: unknown): number | undefined {
  if (value == null) return -1;
  if (typeof value === 'string') return utf8Length(value);
  if (Buffer.isBuffer(value)) return value.length;
  return undefined;
}

// Event headers are short ASCII strings; for those a JS loop beats the native byteLength/write
// calls (each a C++ crossing), 4 of them per header. Longer or non-ASCII strings go native.
const SHORT_STRING = 64;

function utf8Length(value: string): number {
  const n = value.length;
  if (n > SHORT_STRING) return Buffer.byteLength(value, 'utf8');
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) > 0x7f) return Buffer.byteLength(value, 'utf8');
  return n;
}

function writeUtf8(buf: Buffer, o: number, value: string, length: number): number {
  if (length === value.length && length <= SHORT_STRING) {
    // byte length == UTF-16 length only when every unit is ASCII.
    for (let i = 0; i < length; i++) buf[o + i] = value.charCodeAt(i);
    return o + length;
  }
  return o + buf.write(value, o, length, 'utf8');
}

function stringBytes(value: string | null): number {
  return value == null ? 0 : Buffer.byteLength(value, 'utf8');
}

function writeString(buf: Buffer, o: number, value: string | null): number {
  if (value == null) return buf.writeInt16BE(-1, o);
  const length = Buffer.byteLength(value, 'utf8');
  o = buf.writeInt16BE(length, o);
  return o + buf.write(value, o, length, 'utf8');
}

function writeBytes(buf: Buffer, o: number, value: string | Buffer | null | undefined, length: number): number {
  o = writeVarInt(buf, o, length);
  if (value == null) return o;
  if (typeof value === 'string') return writeUtf8(buf, o, value, length);
  if (length <= SHORT_STRING) {
    for (let i = 0; i < length; i++) buf[o + i] = value[i]!;
    return o + length;
  }
  value.copy(buf, o);
  return o + length;
}

function writeInt64(buf: Buffer, o: number, value: KafkajsLong): number {
  o = buf.writeInt32BE(value.getHighBits(), o);
  return buf.writeInt32BE(value.getLowBits(), o);
}

// Varints exactly as kafkajs' Encoder writes them: 32-bit zig-zag, then LEB128 7 bits at a time.
function sizeOfVarInt(value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  let bytes = 1;
  while ((encoded & 0xffffff80) !== 0) {
    bytes += 1;
    encoded >>>= 7;
  }
  return bytes;
}

function writeVarInt(buf: Buffer, o: number, value: number): number {
  let encoded = (value << 1) ^ (value >> 31);
  while ((encoded & 0xffffff80) !== 0) {
    buf[o++] = (encoded & 0x7f) | 0x80;
    encoded >>>= 7;
  }
  buf[o++] = encoded & 0x7f;
  return o;
}

// Timestamp deltas are VARLONGs (64-bit zig-zag). Within ±2^52 the zig-zag value stays below 2^53,
// so double arithmetic (exact there: *2, /128, %128) gives kafkajs' BigInt result; anything else
// (NaN, fractions, larger) goes to kafkajs' encoder.
function isPlainVarLong(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= 2 ** 52;
}

function zigZag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function sizeOfVarLong(value: number): number {
  let encoded = zigZag64(value);
  let bytes = 1;
  while (encoded >= 0x80) {
    bytes += 1;
    encoded = Math.floor(encoded / 0x80);
  }
  return bytes;
}

function writeVarLong(buf: Buffer, o: number, value: number): number {
  let encoded = zigZag64(value);
  while (encoded >= 0x80) {
    buf[o++] = (encoded % 0x80) | 0x80;
    encoded = Math.floor(encoded / 0x80);
  }
  buf[o++] = encoded;
  return o;
}
