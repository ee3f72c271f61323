/** What a queue bridge makes of a got message: poison -> dead letter, copybook -> mapping, text/bytes pass through, keyed as configured. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POISON_CODE, queueRecordDecoder } from '../../../../src/connectors/ibm-mq/queue-decisions.ts';
import { DELIVERED_METADATA, POISON_METADATA } from '../../../../src/connectors/ibm-mq/queue-source.ts';
import type { SourceRecord } from '../../../../src/core/bridge-contracts.ts';

const record = (metadata: SourceRecord['metadata'] = {}): SourceRecord => ({
  bytes: Buffer.from('{"a":1}'),
  recordNumber: 1,
  positionId: 'AB'.repeat(24),
  metadata: { 'mq-correl-id': '01'.repeat(24), 'mq-msg-id': 'AB'.repeat(24), 'mq-property.account': 'ACC-9', ...metadata },
});
const mapped = () => ({ kind: 'event' as const, topic: 'legacy.orders.v1', key: 'ORDER-1', value: '{"order":1}' });

test('a poison message is a dead letter with its reason, whatever the payload', () => {
  const decide = queueRecordDecoder({ payload: 'copybook', key: 'field', decodeRecord: mapped, topic: 't' });
  const d = decide(record({ [POISON_METADATA]: 'backed out 3 times' }));
  assert.equal(d.kind, 'rejected');
  assert.equal(d.kind === 'rejected' && d.rejection.code, POISON_CODE);
  assert.equal(d.kind === 'rejected' && d.rejection.reason, 'backed out 3 times');
});

test('copybook payloads take the mapping\'s topic and entity key unless another key is configured', () => {
  assert.deepEqual(queueRecordDecoder({ payload: 'copybook', key: 'field', decodeRecord: mapped, topic: 't' })(record()), mapped());
  assert.equal((queueRecordDecoder({ payload: 'copybook', key: 'correl_id', decodeRecord: mapped, topic: 't' })(record()) as { key: string }).key, '01'.repeat(24));
  assert.equal((queueRecordDecoder({ payload: 'copybook', key: { property: 'account' }, decodeRecord: mapped, topic: 't' })(record()) as { key: string }).key, 'ACC-9');
});

test('text passes through as text and bytes as bytes, on the sink topic, keyed by an MQMD id', () => {
  const text = queueRecordDecoder({ payload: 'text', key: 'msg_id', decodeRecord: mapped, topic: 'raw.t' })(record());
  assert.deepEqual(text, { kind: 'event', topic: 'raw.t', key: 'AB'.repeat(24), value: '{"a":1}' });
  const bytes = queueRecordDecoder({ payload: 'bytes', key: 'field', decodeRecord: mapped, topic: 'raw.b' })(record());
  assert.equal(bytes.kind === 'event' && Buffer.from(bytes.value as Uint8Array).toString(), '{"a":1}');
  assert.equal(bytes.kind === 'event' && bytes.key, null);
});

test('a message the checkpoint says Kafka already has is skipped (committed, not published again)', () => {
  const decide = queueRecordDecoder({ payload: 'copybook', key: 'field', decodeRecord: mapped, topic: 't' });
  assert.deepEqual(decide(record({ [DELIVERED_METADATA]: '1' })), { kind: 'skipped' });
});

test('header routes pick the topic before the mapping does; the first matching rule wins, no match keeps the mapping\'s topic', () => {
  const routes = [
    { header: 'mq-property.account', equals: 'ACC-9', topic: 'orders.vip' },
    { header: 'mq-property.account', equals: 'ACC-9', topic: 'never' },
    { header: 'mq-queue', equals: 'ORDERS.EU', topic: 'orders.eu' },
  ];
  const decide = queueRecordDecoder({ payload: 'copybook', key: 'field', decodeRecord: mapped, topic: 't', routes });
  assert.equal((decide(record()) as { topic: string }).topic, 'orders.vip');
  assert.equal((decide(record({ 'mq-property.account': 'ACC-1', 'mq-queue': 'ORDERS.EU' })) as { topic: string }).topic, 'orders.eu');
  assert.equal((decide(record({ 'mq-property.account': 'ACC-1' })) as { topic: string }).topic, 'legacy.orders.v1');
  assert.equal(decide(record({ [POISON_METADATA]: 'x' })).kind, 'rejected', 'a dead letter is not routed');
});
