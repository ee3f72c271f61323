/**
 * The MQ sink against an in-memory queue manager: a batch is one unit of work (nothing visible
 * before MQCMIT, nothing left after a failed batch), MQMD fields from the event headers, replies to
 * the request's ReplyToQ with CorrelId = request MsgId, and exactly-once through a state queue.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueueSink, MQMT_REPLY } from '../../../../src/connectors/ibm-mq/queue-sink.ts';
import type { SinkRecord } from '../../../../src/core/bridge-contracts.ts';
import { QUEUE_HEADERS } from '../../../../src/core/queue-headers.ts';
import type { QueueSession } from '../../../../src/core/queue-port.ts';
import { createMemoryQueueManager } from '../../../support/memory-queue-transport.ts';

const rec = (value: string, headers: SinkRecord['headers'] = {}, topic = ''): SinkRecord => ({ topic, key: null, value, headers });

test('a batch is put and committed in one unit of work, MQMD fields from headers, to the queue the decoder chose or the default', async () => {
  const qm = createMemoryQueueManager();
  const sink = createQueueSink({ transport: qm, queue: 'OUT', bodyKind: 'text', defaults: { priority: 3 } });
  await sink.write([rec('a', { [QUEUE_HEADERS.priority]: '8', [QUEUE_HEADERS.correlId]: '0C'.repeat(24) }), rec('b', {}, 'OUT.EU')], { p: 1 });
  const [a] = qm.browse('OUT');
  assert.equal(Buffer.from(a!.body).toString(), 'a');
  assert.equal(a!.descriptor.priority, 8);
  assert.deepEqual(a!.descriptor.correlId, Buffer.alloc(24, 0x0c));
  assert.equal(a!.descriptor.persistence, 1);
  assert.equal(qm.browse('OUT.EU')[0]!.descriptor.priority, 3);
  await sink.close();
});

test('a batch that fails before MQCMIT leaves nothing on the queue (backed out), and the retried write puts it once', async () => {
  const qm = createMemoryQueueManager();
  let failNext = true;
  const flaky = {
    kind: 'flaky',
    async connect(): Promise<QueueSession> {
      const s = await qm.connect();
      return {
        ...s,
        async commit() {
          if (failNext) {
            failNext = false;
            throw new Error('MQRC 2009 CONNECTION_BROKEN');
          }
          await s.commit();
        },
      };
    },
  };
  const sink = createQueueSink({ transport: flaky, queue: 'OUT', bodyKind: 'text' });
  await assert.rejects(sink.write([rec('x'), rec('y')], { p: 1 }), /2009/);
  assert.equal(qm.depth('OUT'), 0);
  await sink.write([rec('x'), rec('y')], { p: 1 });
  assert.deepEqual(qm.browse('OUT').map((m) => Buffer.from(m.body).toString()), ['x', 'y']);
  await sink.close();
});

test('reply mode puts each reply on its request\'s ReplyToQ as MQMT_REPLY with CorrelId = the request MsgId', async () => {
  const qm = createMemoryQueueManager();
  const sink = createQueueSink({ transport: qm, queue: 'UNUSED', bodyKind: 'text', mode: 'reply' });
  const requestMsgId = Buffer.alloc(24, 0x5a);
  await sink.write([rec('answer', { [QUEUE_HEADERS.replyToQ]: 'CICS.REPLY', [QUEUE_HEADERS.msgIdBytes]: requestMsgId, [QUEUE_HEADERS.msgId]: '5A'.repeat(24) })], { p: 1 });
  const [reply] = qm.browse('CICS.REPLY');
  assert.equal(reply!.descriptor.msgType, MQMT_REPLY);
  assert.deepEqual(reply!.descriptor.correlId, requestMsgId);
  assert.equal(reply!.descriptor.replyToQ, '');
  assert.notDeepEqual(reply!.descriptor.msgId, requestMsgId, 'the reply gets a MsgId of its own');
  assert.equal(qm.depth('UNUSED'), 0);
  await sink.close();
});

test('exactly-once: the batch position lives on the state queue in the same unit of work, one state message at a time', async () => {
  const qm = createMemoryQueueManager();
  const sink = createQueueSink({ transport: qm, queue: 'OUT', bodyKind: 'text', stateQueue: 'BANYAN.STATE' });
  assert.equal(await sink.checkpoints.load(), undefined);
  await sink.write([rec('1')], { 'orders/0': 1 });
  await sink.write([rec('2')], { 'orders/0': 2 });
  assert.equal(qm.depth('BANYAN.STATE'), 1);
  assert.deepEqual(await sink.checkpoints.load(), { 'orders/0': 2 });
  assert.equal(qm.depth('BANYAN.STATE'), 1, 'load only looks: the state stays');
  await sink.close();
  // A new sink (a restart) reads the same state.
  const again = createQueueSink({ transport: qm, queue: 'OUT', bodyKind: 'text', stateQueue: 'BANYAN.STATE' });
  assert.deepEqual(await again.checkpoints.load(), { 'orders/0': 2 });
  await again.close();
});
