import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFilter, parseSince, replayRecordOf, summarizeParked, type ParkedRecord } from '../../../src/retry/replay.ts';

const h = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Buffer.from(v)]));
const parked = (over: Partial<ParkedRecord> & { extra?: Record<string, string> } = {}): ParkedRecord => ({
  topic: 'orders.dlq',
  partition: 2,
  offset: '41',
  timestamp: 1_700_000_100_000,
  key: Buffer.from('ACC-1'),
  value: Buffer.from('{"id":1}'),
  headers: h({
    'banyan-event-id': 'orders-mq/Q/7',
    'kafka_dlt-original-topic': 'orders',
    'kafka_dlt-original-partition': '2',
    'kafka_dlt-original-offset': '17',
    'kafka_dlt-original-timestamp': '1700000000000',
    'retry_topic-attempts': '4',
    'retry_topic-backoff-timestamp': '1700000090000',
    'kafka_dlt-exception-fqcn': 'HttpStatus',
    'kafka_dlt-exception-message': '503 Service Unavailable',
    'banyan-retry-http-status': '503',
    'banyan-retry-last-failure': '1700000099000',
    'banyan-retry-reason': 'exhausted',
    'x-tenant': 'north',
    ...over.extra,
  }),
  ...over,
});

test('filters: --key matches the key, --since the parking time, --error the error class, status, code or message text', () => {
  const r = parked();
  const rows: Array<[string, Parameters<typeof matchesFilter>[1], boolean]> = [
    ['no filter', {}, true],
    ['same key', { key: 'ACC-1' }, true],
    ['other key', { key: 'ACC-2' }, false],
    ['parked after since', { since: 1_700_000_098_000 }, true],
    ['parked before since', { since: 1_700_000_099_001 }, false],
    ['error class', { error: 'HttpStatus' }, true],
    ['http status', { error: '503' }, true],
    ['message text', { error: 'Unavailable' }, true],
    ['another error', { error: '400' }, false],
  ];
  for (const [name, f, expected] of rows) assert.equal(matchesFilter(r, f), expected, name);
});

test('a replayed record: original topic, event id and event headers kept, attempts and failure dropped, the replay recorded', () => {
  const out = replayRecordOf(parked({ extra: { 'banyan-replay-count': '1' } }), { kind: 'original' }, 1_800_000_000_000);
  assert.equal(out.topic, 'orders');
  assert.equal(out.key?.toString(), 'ACC-1');
  const text = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k, v.toString()]));
  assert.deepEqual(text, {
    'banyan-event-id': 'orders-mq/Q/7',
    'x-tenant': 'north',
    'kafka_dlt-original-topic': 'orders',
    'kafka_dlt-original-partition': '2',
    'kafka_dlt-original-offset': '17',
    'kafka_dlt-original-timestamp': '1700000000000',
    'banyan-replay-count': '2',
    'banyan-replay-at': '1800000000000',
    'banyan-replay-from': 'orders.dlq/2/41',
  });
});

test('an event without a bridge event id gets its original coordinates as id, so a replay keeps the idempotency key the first delivery used', () => {
  const r = parked();
  const { 'banyan-event-id': _drop, ...rest } = r.headers;
  const out = replayRecordOf({ ...r, headers: rest }, { kind: 'topic', topic: 'orders.retry.1' }, 0);
  assert.equal(out.topic, 'orders.retry.1');
  assert.equal(out.headers['banyan-event-id'], 'orders/2/17');
  assert.equal(summarizeParked({ ...r, headers: rest }).eventId, 'orders/2/17');
});

test('a record without its original topic can only go back with --to', () => {
  const bare: ParkedRecord = { ...parked(), headers: h({ 'banyan-event-id': 'x' }) };
  assert.throws(() => replayRecordOf(bare, { kind: 'original' }, 0), /has no kafka_dlt-original-topic header: replay it with --to TOPIC/);
  assert.equal(replayRecordOf(bare, { kind: 'topic', topic: 'orders' }, 0).topic, 'orders');
});

test('the summary dlq list prints', () => {
  assert.deepEqual(summarizeParked(parked()), {
    partition: 2, offset: 41, key: 'ACC-1', eventId: 'orders-mq/Q/7', originalTopic: 'orders', reason: 'exhausted', attempts: 4,
    errorClass: 'HttpStatus', errorMessage: '503 Service Unavailable', httpStatus: 503, parkedAt: new Date(1_700_000_099_000).toISOString(), replays: 0,
  });
  assert.equal(parseSince('2026-12-01T00:00:00Z'), Date.UTC(2026, 11, 1));
  assert.equal(parseSince('1700000000000'), 1_700_000_000_000);
  assert.equal(parseSince('yesterday'), undefined);
});
