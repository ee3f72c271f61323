/**
 * Makes kafkajs 2.2.4 encode Produce requests without most of its CPU, not one byte different on
 * the wire. kafkajs stays the client (unmaintained, last release 2023, takes no patches), so this is
 * the one place Banyan reaches into its internals; createKafkaClient installs it once per process.
 *
 * What is replaced, and only that:
 * - `kafkajs/src/protocol/requests/produce/v{3,4,5,6,7}/request.js`: their module exports in
 *   Node's require cache, the same module instances kafkajs reaches, because
 *   src/protocol/requests/produce/index.js requires `./vN/request` each time it builds a request.
 *   The new v3 keeps kafkajs' request object (apiKey, apiName, expectResponse, response) and swaps
 *   only `encode`: uncompressed requests are written by produce-request-encoder.ts in one exact-size
 *   buffer with a native CRC-32C; everything else (compression, message shapes it does not know)
 *   falls back to kafkajs' own encode. v4..v7 are, as in kafkajs, v3 with their apiVersion.
 * - the key hash of the producer's partitioner (`defaultPartitioner()`, passed as kafkajs'
 *   public `createPartitioner` option by publisher.ts): kafkajs' own DefaultPartitioner factory
 *   (src/producer/partitioners/legacy/partitioner.js, which takes the hash as its argument) with
 *   murmur2 in 32-bit integer arithmetic (Math.imul) instead of kafkajs' BigInt-backed Long. Java's
 *   Utils.murmur2 is int32 arithmetic and kafkajs' Long version keeps only the low 32 bits, so the
 *   partitions are the same (property-tested against kafkajs' murmur2).
 * - the CRC-32C of those batches: @node-rs/crc32's crc32c (SSE4.2/NEON, prebuilt per platform as
 *   npm optional packages), checked against the RFC 3720 check value at install; if it does not
 *   load, kafkajs' own JS crc32C is used and only the encoder is replaced.
 *
 * Why: per event kafkajs made 10+ Encoders (each a zero-filled 512-byte Buffer.alloc), a Buffer
 * per varint, copies at every level, and a byte-at-a-time CRC-32C in JS (about 330 MB/s here); with
 * the 8 bridge headers that was 67-99% of a bridge's CPU (bench/results/bridge.md).
 *
 * Pinned to kafkajs 2.2.4: the internals above are not its API. Any other version is left as it is,
 * with one warning, and nothing is replaced. BANYAN_KAFKAJS_FAST_PATH=off also leaves kafkajs as
 * shipped (for side-by-side benchmarks and for ruling the patch out when chasing a problem).
 */
import { createRequire } from 'node:module';
import { encodeProduceRequest, type KafkajsLongModule, type ProduceRequestArgs } from './produce-request-encoder.ts';

export const KAFKAJS_PINNED_VERSION = '2.2.4';

export type KafkajsFastPathStatus =
  | { readonly installed: true; readonly crc32c: 'native' | 'kafkajs' }
  | { readonly installed: false; readonly reason: string };

/** Installs the fast path once per process; later calls return the first call's status. */
export function installKafkajsFastPath(warn: (message: string) => void = defaultWarn): KafkajsFastPathStatus {
  if (status !== undefined) return status;
  status = install();
  if (!status.installed && status.reason !== DISABLED) warn(`kafkajs produce fast path not installed: ${status.reason}`);
  return status;
}

/**
 * The producer's partitioner factory: kafkajs' DefaultPartitioner with the fast murmur2 when the
 * fast path is installed, kafkajs' own otherwise. Same partition for every message either way.
 */
export function defaultPartitioner(): () => KafkajsPartitioner {
  if (!installKafkajsFastPath().installed) return (require('kafkajs') as { Partitioners: { DefaultPartitioner: () => KafkajsPartitioner } }).Partitioners.DefaultPartitioner;
  const createDefaultPartitioner = require('kafkajs/src/producer/partitioners/legacy/partitioner') as (hash: (key: unknown) => number) => () => KafkajsPartitioner;
  return createDefaultPartitioner(murmur2);
}

/** A kafkajs partitioner (its ICustomPartitioner's product). */
export type KafkajsPartitioner = (args: { topic: string; partitionMetadata: ReadonlyArray<{ partitionId: number; leader: number }>; message: { key?: unknown; partition?: number | null } }) => number;

/**
 * Kafka's Utils.murmur2 (clients/src/main/java/org/apache/kafka/common/utils/Utils.java) on the
 * key's bytes, a string key as UTF-8 as kafkajs' murmur2 takes it (`Buffer.from(String(key))`).
 */
export function murmur2(key: unknown): number {
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= data[tail + 2]! << 16;
    // falls through
    case 2:
      h ^= data[tail + 1]! << 8;
    // falls through
    case 1:
      h ^= data[tail]!;
      h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

/** kafkajs' Produce request encoder as shipped and the fast one, for the byte-identity tests and benchmarks. */
export function produceRequestEncoders(): { kafkajs: ProduceRequestFactory; fast: ProduceRequestFactory; crc32c: 'native' | 'kafkajs' } {
  const internals = loadInternals();
  return { kafkajs: internals.originalV3, fast: fastV3(internals), crc32c: internals.crcSource };
}

/** kafkajs' produce/vN/request.js export: the request object whose encode() yields an Encoder. */
export type ProduceRequestFactory = (args: ProduceRequestArgs) => KafkajsRequest;

export interface KafkajsRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly apiName: string;
  encode(): Promise<KafkajsEncoder>;
  [more: string]: unknown;
}

/** kafkajs' Encoder (src/protocol/encoder.js), as far as a request's caller uses it. */
export interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
}

const DISABLED = 'BANYAN_KAFKAJS_FAST_PATH=off';
const PRODUCE_VERSIONS_ON_V3 = [4, 5, 6, 7] as const;
// CRC-32C of "123456789" (RFC 3720 B.4 check value).
const CRC32C_CHECK = 0xe3069283;

let status: KafkajsFastPathStatus | undefined;
const require = createRequire(import.meta.url);

interface Internals {
  readonly originalV3: ProduceRequestFactory;
  readonly Encoder: new (initialSize?: number) => KafkajsEncoder;
  readonly Long: KafkajsLongModule;
  readonly crc32c: (bytes: Buffer) => number;
  readonly crcSource: 'native' | 'kafkajs';
}

function install(): KafkajsFastPathStatus {
  if (process.env.BANYAN_KAFKAJS_FAST_PATH === 'off') return { installed: false, reason: DISABLED };
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== KAFKAJS_PINNED_VERSION) {
    return { installed: false, reason: `kafkajs is ${version}, the fast path is written against ${KAFKAJS_PINNED_VERSION}` };
  }
  const internals = loadInternals();
  const v3 = fastV3(internals);
  replaceExports('kafkajs/src/protocol/requests/produce/v3/request', v3);
  for (const version of PRODUCE_VERSIONS_ON_V3) {
    replaceExports(`kafkajs/src/protocol/requests/produce/v${version}/request`, (args: ProduceRequestArgs) =>
      Object.assign(v3(args), { apiVersion: version }),
    );
  }
  return { installed: true, crc32c: internals.crcSource };
}

let internals: Internals | undefined;

function loadInternals(): Internals {
  if (internals) return internals;
  const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C') as (bytes: Buffer) => number;
  const native = nativeCrc32c();
  internals = {
    // Taken before any replacement, so it is kafkajs' own even when installed.
    originalV3: require('kafkajs/src/protocol/requests/produce/v3/request') as ProduceRequestFactory,
    Encoder: require('kafkajs/src/protocol/encoder') as Internals['Encoder'],
    Long: require('kafkajs/src/utils/long') as KafkajsLongModule,
    crc32c: native ?? kafkajsCrc,
    crcSource: native ? 'native' : 'kafkajs',
  };
  return internals;
}

function fastV3({ originalV3, Encoder, Long, crc32c }: Internals): ProduceRequestFactory {
  const deps = { Long, crc32c };
  return (args) => {
    const request = originalV3(args);
    return {
      ...request,
      encode: async () => {
        const bytes = encodeProduceRequest(args, deps);
        if (bytes === undefined) return request.encode();
        // An Encoder holding exactly these bytes, as kafkajs' own encode would hand back.
        const encoder = new Encoder(1);
        encoder.buf = bytes;
        encoder.offset = bytes.length;
        return encoder;
      },
    };
  };
}

function nativeCrc32c(): ((bytes: Buffer) => number) | undefined {
  try {
    const { crc32c } = require('@node-rs/crc32') as { crc32c: (input: Uint8Array) => number };
    if (crc32c(Buffer.from('123456789')) !== CRC32C_CHECK) return undefined;
    return (bytes) => crc32c(bytes) >>> 0;
  } catch {
    return undefined;
  }
}

function replaceExports(id: string, exports: unknown): void {
  const resolved = require.resolve(id);
  require(resolved);
  const cached = require.cache[resolved];
  if (!cached) throw new Error(`kafkajs module ${id} is not in the require cache`);
  cached.exports = exports;
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: 'BANYAN_KAFKAJS_FAST_PATH' });
}
