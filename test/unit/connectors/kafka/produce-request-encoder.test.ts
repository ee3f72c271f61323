import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  installKafkajsFastPath,
  produceRequestEncoders,
  type ProduceRequestFactory,
} from '../../../../src/connectors/kafka/kafkajs-fast-path.ts';
import { encodeProduceRequest, type KafkajsLongModule, type ProduceRequestArgs } from '../../../../src/connectors/kafka/produce-request-encoder.ts';

const require = createRequire(import.meta.url);
const Long = require('kafkajs/src/utils/long') as KafkajsLongModule;
const crc32CKafkajs = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;
const { kafkajs, fast, crc32c } = produceRequestEncoders();

// Both encoders stamp records that carry no timestamp with Date.now(): pin it so they agree.
const PINNED_NOW = 1_767_225_600_123;
async function bytesOf(factory: ProduceRequestFactory, args: ProduceRequestArgs, now = PINNED_NOW): Promise<Buffer> {
  const realNow = Date.now;
  Date.now = () => now;
  try {
    return Buffer.from((await factory(args).encode()).buffer);
  } finally {
    Date.now = realNow;
  }
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // astral planes and lone surrogates: UTF-8 lengths differ from .length
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 120, maxLength: 3_000 }), // varint lengths of 2 bytes
);
const bytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
const field = fc.oneof(text, bytes, fc.constant(null), fc.constant(undefined));
const headerValue = fc.oneof(text, bytes);
const headers = fc.option(
  fc.dictionary(fc.string({ unit: 'binary', maxLength: 24 }), fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: 10 }),
  { nil: undefined },
);
// Near "now" (small deltas either side, 1- to 3-byte varlongs) or anywhere in decades (deltas past 2^32).
const timestamp = fc.option(
  fc.oneof(fc.integer({ min: 1_767_225_500_000, max: 1_767_225_700_000 }), fc.integer({ min: 1_000_000_000_000, max: 2_500_000_000_000 })),
  { nil: undefined, freq: 3 },
);
const message = fc.record({ key: field, value: field, headers, timestamp }, { requiredKeys: ['key', 'value'] });
const partition = fc.record(
  {
    partition: fc.nat({ max: 200 }),
    firstSequence: fc.nat({ max: 2 ** 31 - 1 }),
    messages: fc.array(message, { minLength: 1, maxLength: 12 }),
  },
  { requiredKeys: ['partition', 'messages'] },
);
const request = fc.record(
  {
    acks: fc.constantFrom(-1, 0, 1),
    timeout: fc.nat({ max: 120_000 }),
    transactionalId: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
    producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }).map((v) => Long.fromValue(v)),
    producerEpoch: fc.nat({ max: 32_767 }),
    topicData: fc.array(
      fc.record({ topic: fc.string({ minLength: 1, maxLength: 40 }), partitions: fc.array(partition, { minLength: 1, maxLength: 4 }) }),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ['acks', 'timeout', 'topicData'] },
) as fc.Arbitrary<ProduceRequestArgs>;

describe('the fast Produce request encoder', () => {
  it('writes the same bytes as kafkajs 2.2.4 for 600 random requests with keys, values, headers and timestamps', async () => {
    let records = 0;
    let headerCount = 0;
    await fc.assert(
      fc.asyncProperty(request, async (args) => {
        for (const t of args.topicData) {
          for (const p of t.partitions) {
            records += p.messages.length;
            for (const m of p.messages) headerCount += m.headers ? Object.values(m.headers as object).flat().length : 0;
          }
        }
        // Straight to the encoder: every generated request is of a shape it takes on itself (no
        // fallback to kafkajs hiding a difference).
        const fastBytes = encodeProduceRequest(args, { Long, crc32c: nativeCrcOf, now: () => PINNED_NOW });
        assert.ok(fastBytes !== undefined, 'the fast encoder took the request');
        assert.deepEqual(fastBytes, await bytesOf(kafkajs, args));
        assert.deepEqual(await bytesOf(fast, args), fastBytes);
      }),
      { numRuns: 600, seed: 20261202 },
    );
    // The runs covered real batches, not just empty ones.
    assert.ok(records > 3_000 && headerCount > 10_000, `${records} records, ${headerCount} headers`);
  });

  it('writes the same bytes as kafkajs for a bridge-shaped batch: 500 events, 8 headers each, 12 partitions', async () => {
    const events = Array.from({ length: 500 }, (_, i) => ({
      key: `CUST${String(i % 97).padStart(6, '0')}`,
      value: JSON.stringify({ id: i, name: 'Müller & Søn', balance: '-12.50', items: Array.from({ length: i % 7 }, (_, k) => k) }),
      headers: {
        'banyan-event-id': `customers/f1:${i}`,
        'banyan-bridge': 'customers',
        'banyan-source-position': `f1:${i}`,
        'banyan-record-number': String(i + 1),
        'banyan-mapping': 'customer',
        'banyan-mapping-version': '3',
        'banyan-copybook-hash': 'sha256:0123456789abcdef',
        'banyan-file': 'inbox/CUST.D20261202.dat',
      },
    }));
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      producerId: Long.fromValue(4711),
      producerEpoch: 3,
      topicData: [
        {
          topic: 'customers.v1',
          partitions: Array.from({ length: 12 }, (_, p) => ({
            partition: p,
            firstSequence: p * 1_000,
            messages: events.filter((_, i) => i % 12 === p),
          })),
        },
      ],
    };
    const fastBytes = await bytesOf(fast, args);
    assert.deepEqual(fastBytes, await bytesOf(kafkajs, args));
    assert.ok(fastBytes.length > 500 * 200, `${fastBytes.length} bytes`);
  });

  it('falls back to kafkajs for what it does not encode itself (compression, number values, null header values), same bytes or same error', async () => {
    const base = { acks: -1, timeout: 1_000, producerId: Long.fromValue(1), producerEpoch: 0 };
    const gzip: ProduceRequestArgs = { ...base, compression: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v'.repeat(500) }] }] }] };
    assert.deepEqual(await bytesOf(fast, gzip), await bytesOf(kafkajs, gzip));
    const numberValue: ProduceRequestArgs = { ...base, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 42 }] }] }] };
    await assert.rejects(bytesOf(kafkajs, numberValue));
    await assert.rejects(bytesOf(fast, numberValue));
    const stringTimestamps: ProduceRequestArgs = {
      ...base,
      topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'a', value: 'x', timestamp: '1700000000005' }, { key: 'b', value: 'y', timestamp: '1700000000010' }] }] }],
    };
    assert.deepEqual(await bytesOf(fast, stringTimestamps), await bytesOf(kafkajs, stringTimestamps));
    const nullHeader: ProduceRequestArgs = { ...base, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', headers: { h: null } }] }] }] };
    const kafkajsError = await bytesOf(kafkajs, nullHeader).then(() => undefined, (err: Error) => err.message);
    const fastError = await bytesOf(fast, nullHeader).then(() => undefined, (err: Error) => err.message);
    assert.ok(kafkajsError !== undefined);
    assert.equal(fastError, kafkajsError);
  });

  it('checksums with a CRC-32C that agrees with kafkajs on random buffers', () => {
    assert.equal(crc32c, 'native', 'the native CRC-32C is expected to load on this platform');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (a) => {
        const buf = Buffer.from(a);
        assert.equal(nativeCrcOf(buf), crc32CKafkajs(buf));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('once installed, kafkajs builds every Produce version it speaks to Kafka 4 (3..7) with the fast encoder, same bytes, same apiVersion', async () => {
    const status = installKafkajsFastPath(() => assert.fail('no warning expected on kafkajs 2.2.4'));
    assert.deepEqual(status, { installed: true, crc32c: 'native' });
    const produce = require('kafkajs/src/protocol/requests/produce') as {
      protocol(v: { version: number }): (args: ProduceRequestArgs) => { request: { apiVersion: number; encode(): Promise<{ buffer: Buffer }> } };
    };
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 5_000,
      producerId: Long.fromValue(9),
      topicData: [{ topic: 'orders', partitions: [{ partition: 3, messages: [{ key: 'o1', value: 'v1', headers: { a: 'b', c: ['d', Buffer.from([0, 255])] } }] }] }],
    };
    for (const version of [3, 4, 5, 6, 7]) {
      const { request } = produce.protocol({ version })(args);
      assert.equal(request.apiVersion, version);
      assert.equal(request.encode.toString().includes('encodeProduceRequest'), true, `v${version} goes through the fast encoder`);
      const realNow = Date.now;
      Date.now = () => 1_767_225_600_000;
      try {
        assert.deepEqual(Buffer.from((await request.encode()).buffer), await bytesOf(kafkajs, args, 1_767_225_600_000));
      } finally {
        Date.now = realNow;
      }
    }
  });
});

function nativeCrcOf(buf: Buffer): number {
  const { crc32c } = require('@node-rs/crc32') as { crc32c(b: Uint8Array): number };
  return crc32c(buf) >>> 0;
}
