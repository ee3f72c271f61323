/**
 * The MQ source against an in-memory queue manager with MQ's unit-of-work rules: batches bounded
 * by count, each batch its own unit of work (committing one never commits the one read ahead),
 * uncommitted gets back on the queue after a crash, and poison messages moved to BOQNAME or the
 * dead-letter queue (behind an MQDLH) in the same unit of work, flagged for the Kafka dead letters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueueSource, DELIVERED_METADATA, POISON_METADATA } from '../../../../src/connectors/ibm-mq/queue-source.ts';
import { decodeMqdlh, MQRC_BACKOUT_THRESHOLD_REACHED } from '../../../../src/connectors/ibm-mq/mqdlh.ts';
import type { SourceBatch } from '../../../../src/core/bridge-contracts.ts';
import { QUEUE_HEADERS } from '../../../../src/core/queue-headers.ts';
import { createMemoryQueueManager } from '../../../support/memory-queue-transport.ts';

const limits = { maxRecords: 3, maxBytes: 1 << 20, maxWaitMs: 50 };
const never = new AbortController().signal;
const text = (s: string) => ({ body: Buffer.from(s), bodyKind: 'text' as const });

test('batches are bounded by count, carry MQMD headers, and committing one does not commit the batch read ahead of it', async () => {
  const qm = createMemoryQueueManager();
  for (let i = 1; i <= 5; i++) qm.putCommitted('ORDERS.IN', { ...text(`m${i}`), descriptor: { correlId: Buffer.alloc(24, i), priority: 4 } });
  const source = createQueueSource({ transport: qm, queues: ['ORDERS.IN'], pollWaitMs: 10 });
  await source.open(undefined);
  const first = (await source.read(limits, never)) as SourceBatch;
  const second = (await source.read(limits, never)) as SourceBatch;
  assert.deepEqual(first.records.map((r) => Buffer.from(r.bytes).toString()), ['m1', 'm2', 'm3']);
  assert.deepEqual(second.records.map((r) => Buffer.from(r.bytes).toString()), ['m4', 'm5']);
  const h = first.records[0]!.metadata;
  assert.equal(h[QUEUE_HEADERS.correlId], '01'.repeat(24));
  assert.deepEqual(h[QUEUE_HEADERS.correlIdBytes], Buffer.alloc(24, 1));
  assert.equal(h[QUEUE_HEADERS.priority], '4');
  assert.equal(h[QUEUE_HEADERS.queue], 'ORDERS.IN');
  assert.equal(first.records[0]!.positionId, h[QUEUE_HEADERS.msgId], 'the MsgId is the stable position id');

  await source.commit(first.position);
  // The bridge dies before the second batch is durable: its messages must come back.
  await source.close();
  assert.equal(qm.depth('ORDERS.IN'), 2);
  assert.deepEqual(qm.browse('ORDERS.IN').map((m) => [Buffer.from(m.body).toString(), m.descriptor.backoutCount]), [['m4', 1], ['m5', 1]]);
});

test('empty queues read as drained; several queues are read in turn', async () => {
  const qm = createMemoryQueueManager();
  const source = createQueueSource({ transport: qm, queues: ['A', 'B'], pollWaitMs: 10 });
  await source.open(undefined);
  assert.deepEqual(await source.read(limits, never), { idle: 'drained' });
  qm.putCommitted('B', text('b1'));
  qm.putCommitted('A', text('a1'));
  const batch = (await source.read({ ...limits, maxRecords: 10 }, never)) as SourceBatch;
  assert.deepEqual(batch.records.map((r) => Buffer.from(r.bytes).toString()).sort(), ['a1', 'b1']);
  await source.commit(batch.position);
  await source.close();
  assert.equal(qm.depth('A') + qm.depth('B'), 0);
});

test('a message at its queue\'s backout threshold moves to BOQNAME in the same unit of work and is flagged as poison', async () => {
  const qm = createMemoryQueueManager();
  qm.setAttributes('IN', { backoutThreshold: 3, backoutQueue: 'IN.BOQ' });
  qm.putCommitted('IN', { ...text('bad'), descriptor: { backoutCount: 3 } });
  qm.putCommitted('IN', text('good'));
  const moved: string[] = [];
  const source = createQueueSource({ transport: qm, queues: ['IN'], pollWaitMs: 10, events: { poisonMoved: (e) => void moved.push(e.to) } });
  await source.open(undefined);
  const batch = (await source.read(limits, never)) as SourceBatch;
  assert.match(String(batch.records[0]!.metadata[POISON_METADATA]), /backed out 3 times \(BOTHRESH 3\); moved to IN\.BOQ/);
  assert.equal(batch.records[1]!.metadata[POISON_METADATA], undefined);
  assert.equal(qm.depth('IN.BOQ'), 0, 'the move is not visible before the batch commits');
  await source.commit(batch.position);
  assert.deepEqual(qm.browse('IN.BOQ').map((m) => Buffer.from(m.body).toString()), ['bad']);
  assert.deepEqual(moved, ['IN.BOQ']);
  await source.close();
});

test('without BOQNAME a poison message goes to the dead-letter queue behind an MQDLH naming its queue and the reason', async () => {
  const qm = createMemoryQueueManager();
  qm.setAttributes('IN', { backoutThreshold: 2, backoutQueue: '' });
  qm.putCommitted('IN', { ...text('payload'), descriptor: { backoutCount: 5, format: 'MQSTR   ', ccsid: 37 } });
  const source = createQueueSource({ transport: qm, queues: ['IN'], deadLetterQueue: 'SYSTEM.DEAD.LETTER.QUEUE', queueManager: 'QM1', pollWaitMs: 10 });
  await source.open(undefined);
  const batch = (await source.read(limits, never)) as SourceBatch;
  await source.commit(batch.position);
  const [dl] = qm.browse('SYSTEM.DEAD.LETTER.QUEUE');
  assert.ok(dl);
  assert.equal(dl.descriptor.format, 'MQDEAD  ');
  const header = decodeMqdlh(dl.body);
  assert.equal(header.reason, MQRC_BACKOUT_THRESHOLD_REACHED);
  assert.equal(header.destQName, 'IN');
  assert.equal(header.destQMgrName, 'QM1');
  assert.equal(header.ccsid, 37);
  assert.equal(header.format, 'MQSTR   ');
  assert.equal(Buffer.from(header.payload).toString(), 'payload');
  await source.close();
});

test('reopened from a checkpoint, messages of the batch Kafka already has (crash before MQCMIT) are marked delivered, once, and committed', async () => {
  const qm = createMemoryQueueManager();
  for (let i = 1; i <= 4; i++) qm.putCommitted('IN', text(`m${i}`));
  const first = createQueueSource({ transport: qm, queues: ['IN'], pollWaitMs: 10 });
  await first.open(undefined);
  const batch = (await first.read(limits, never)) as SourceBatch;
  assert.deepEqual((batch.position as { msgIds: string[] }).msgIds, batch.records.map((r) => r.positionId));
  // Kafka has the batch and its checkpoint; the process dies before MQCMIT: the messages come back.
  await first.close();
  assert.equal(qm.depth('IN'), 4);

  const again = createQueueSource({ transport: qm, queues: ['IN'], pollWaitMs: 10 });
  await again.open(batch.position);
  const next = (await again.read({ ...limits, maxRecords: 10 }, never)) as SourceBatch;
  assert.deepEqual(next.records.map((r) => [Buffer.from(r.bytes).toString(), r.metadata[DELIVERED_METADATA] ?? '']), [['m1', '1'], ['m2', '1'], ['m3', '1'], ['m4', '']]);
  await again.commit(next.position);
  await again.close();
  assert.equal(qm.depth('IN'), 0, 'the delivered ones are committed too, not looped');
});

test('messages without a MsgId (an AMQP sender that set no message-id) are never taken for delivered ones', async () => {
  const qm = createMemoryQueueManager();
  for (let i = 1; i <= 3; i++) qm.putCommitted('IN', { ...text(`n${i}`), descriptor: { msgId: Buffer.alloc(24) } });
  const first = createQueueSource({ transport: qm, queues: ['IN'], pollWaitMs: 10 });
  await first.open(undefined);
  const batch = (await first.read({ ...limits, maxRecords: 1 }, never)) as SourceBatch;
  assert.deepEqual((batch.position as { msgIds: string[] }).msgIds, [], 'no id to recognise it by');
  await first.close();
  const again = createQueueSource({ transport: qm, queues: ['IN'], pollWaitMs: 10 });
  await again.open(batch.position);
  const next = (await again.read({ ...limits, maxRecords: 10 }, never)) as SourceBatch;
  assert.deepEqual(next.records.map((r) => r.metadata[DELIVERED_METADATA]), [undefined, undefined, undefined]);
  assert.equal(new Set(next.records.map((r) => r.positionId)).size, 3, 'position ids still unique');
  await again.close();
});
