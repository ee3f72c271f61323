/** The queue header scheme: every MQMD field and typed property out to Kafka, and back for the sink. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlationToMsgId, msgIdToCorrelation, outgoingFromHeaders, QUEUE_HEADERS, queueMessageHeaders } from '../../../src/core/queue-headers.ts';
import type { QueueMessage } from '../../../src/core/queue-port.ts';

const message: QueueMessage = {
  queue: 'ORDERS.IN',
  body: Buffer.from('x'),
  bodyKind: 'bytes',
  properties: { region: 'EU', count: 7, ratio: 0.5, big: 2n ** 40n, urgent: true, blob: Buffer.from([1, 2]), gone: null },
  descriptor: {
    msgId: Buffer.alloc(24, 0xab),
    correlId: Buffer.alloc(24, 0x01),
    groupId: Buffer.alloc(24, 0),
    format: 'MQSTR   ',
    ccsid: 1047,
    encoding: 785,
    priority: 7,
    persistence: 1,
    expiry: 600,
    msgType: 1,
    replyToQ: 'REPLY.Q                                         ',
    replyToQMgr: 'QM1 ',
    userIdentifier: 'batch01     ',
    putApplName: 'CICS',
    putTime: new Date('2026-12-02T04:00:00.120Z'),
    msgSeqNumber: 1,
    backoutCount: 2,
  },
};

test('a got message becomes mq-* headers: ids as hex and raw bytes, trimmed names, typed properties; no group id when it is all zeros', () => {
  const h = queueMessageHeaders(message);
  assert.equal(h[QUEUE_HEADERS.msgId], 'AB'.repeat(24));
  assert.deepEqual(h[QUEUE_HEADERS.msgIdBytes], Buffer.alloc(24, 0xab));
  assert.equal(h[QUEUE_HEADERS.replyToQ], 'REPLY.Q');
  assert.equal(h[QUEUE_HEADERS.replyToQMgr], 'QM1');
  assert.equal(h[QUEUE_HEADERS.format], 'MQSTR');
  assert.equal(h[QUEUE_HEADERS.ccsid], '1047');
  assert.equal(h[QUEUE_HEADERS.putTime], '2026-12-02T04:00:00.120Z');
  assert.equal(h[QUEUE_HEADERS.backoutCount], '2');
  assert.equal(h[QUEUE_HEADERS.groupId], undefined);
  assert.equal(h['mq-property.region'], 'EU');
  assert.deepEqual(JSON.parse(String(h[QUEUE_HEADERS.propertyTypes])), { region: 'string', count: 'int', ratio: 'double', big: 'long', urgent: 'boolean', blob: 'bytes', gone: 'null' });
});

test('the way back: the headers give the descriptor fields the sink may take and the properties with their types', () => {
  const out = outgoingFromHeaders(queueMessageHeaders(message));
  assert.deepEqual(out.descriptor, { correlId: Buffer.alloc(24, 0x01), replyToQ: 'REPLY.Q', replyToQMgr: 'QM1', format: 'MQSTR', ccsid: 1047, priority: 7, persistence: 1, expiry: 600, msgType: 1 });
  assert.deepEqual(out.properties, { region: 'EU', count: 7, ratio: 0.5, big: 2n ** 40n, urgent: true, blob: Buffer.from([1, 2]), gone: null });
  // Only the hex form given (a service writing headers by hand): the bytes come from it.
  assert.deepEqual(outgoingFromHeaders({ [QUEUE_HEADERS.correlId]: '0A'.repeat(24) }).descriptor, { correlId: Buffer.alloc(24, 0x0a) });
});

test('a service\'s correlation id survives as an MQ MsgId and back: UUIDs in 16 bytes, short ids padded; others do not fit', () => {
  for (const id of ['5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', 'order-42', 'x'.repeat(24), 'ü-7']) {
    const msgId = correlationToMsgId(id);
    assert.equal(msgId?.length, 24, id);
    assert.equal(msgIdToCorrelation(msgId!), id);
  }
  assert.equal(correlationToMsgId('x'.repeat(25)), undefined);
  assert.equal(correlationToMsgId(''), undefined);
  assert.equal(msgIdToCorrelation(Buffer.alloc(24)), undefined, 'an all-zero CorrelId names no request');
  assert.equal(msgIdToCorrelation(Buffer.from('414D5120514D31202020202020202020A1B2C3D4E5F60718', 'hex')), undefined, 'a queue manager\'s own MsgId is no correlation id');
});
