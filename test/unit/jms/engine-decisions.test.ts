import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jmsMappingOf } from '../../../src/jms/config/spec.ts';
import { queue, topic } from '../../../src/jms/destination.ts';
import { AckTracker } from '../../../src/jms/engine/ack-tracker.ts';
import { decideDispatch, type DispatchDecision, type DispatchFacts } from '../../../src/jms/engine/dispatch-decision.ts';
import { groupIdOf, kafkaTopicOf } from '../../../src/jms/engine/naming.ts';
import { TextMessage } from '../../../src/jms/message.ts';
import type { MessageSelector } from '../../../src/jms/selector/selector-contract.ts';

describe('ack tracker: commits the contiguous prefix of done offsets', () => {
  const cases: Array<{ name: string; tracked: number[]; done: number[]; expected: number | undefined }> = [
    { name: 'nothing done: the first tracked offset (nothing to advance past)', tracked: [5, 6, 7], done: [], expected: 5 },
    { name: 'all done: after the last', tracked: [5, 6, 7], done: [7, 5, 6], expected: 8 },
    { name: 'a gap holds the commit at the gap', tracked: [5, 6, 7, 8], done: [5, 7, 8], expected: 6 },
    { name: 'out of order acks', tracked: [0, 1, 2, 3], done: [3, 2, 0], expected: 1 },
    { name: 'offsets with holes (compaction, transaction markers)', tracked: [10, 12, 15], done: [10, 12], expected: 15 },
    { name: 'an untracked offset is ignored', tracked: [1, 2], done: [1, 99], expected: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = new AckTracker();
      for (const o of c.tracked) t.track('t/0', BigInt(o));
      for (const o of c.done) t.done('t/0', BigInt(o));
      assert.deepEqual(t.committable(), c.expected === undefined ? [] : [{ tp: 't/0', offset: BigInt(c.expected) }]);
    });
  }

  it('offers an offset once, until more is done', () => {
    const t = new AckTracker();
    t.track('t/0', 0n);
    t.track('t/0', 1n);
    t.done('t/0', 0n);
    const first = t.committable();
    assert.deepEqual(first, [{ tp: 't/0', offset: 1n }]);
    t.markCommitted(first);
    assert.deepEqual(t.committable(), []);
    t.done('t/0', 1n);
    assert.deepEqual(t.committable(), [{ tp: 't/0', offset: 2n }]);
    assert.equal(t.outstanding, 0);
  });

  it('keeps partitions apart and forgets lost ones', () => {
    const t = new AckTracker();
    t.track('t/0', 0n);
    t.track('t/1', 7n);
    t.done('t/1', 7n);
    assert.equal(t.outstanding, 1);
    t.retain(new Set(['t/1']));
    assert.deepEqual(t.committable(), [{ tp: 't/1', offset: 8n }]);
    assert.equal(t.outstanding, 0);
  });

  it('stays correct over many offsets (the head is compacted)', () => {
    const t = new AckTracker();
    for (let i = 0; i < 5000; i++) t.track('t/0', BigInt(i));
    for (let i = 0; i < 4000; i++) t.done('t/0', BigInt(i));
    assert.deepEqual(t.committable(), [{ tp: 't/0', offset: 4000n }]);
    for (let i = 4999; i >= 4000; i--) t.done('t/0', BigInt(i));
    assert.deepEqual(t.committable(), [{ tp: 't/0', offset: 5000n }]);
  });
});

describe('dispatch decision', () => {
  const now = 1_000_000;
  const message = (f: (m: TextMessage) => void = () => {}) => {
    const m = new TextMessage('x');
    f(m);
    return m;
  };
  const selecting = (match: boolean): MessageSelector => ({ text: 'a = 1', matches: () => match });
  const base: Omit<DispatchFacts, 'message'> = { nowMs: now, deliveries: 0, maxDeliveries: 3 };
  const cases: Array<[string, DispatchFacts, DispatchDecision['action']]> = [
    ['a plain message is delivered', { ...base, message: message() }, 'deliver'],
    ['a message whose expiration passed is expired', { ...base, message: message((m) => (m.JMSExpiration = now - 1)) }, 'expire'],
    ['expiring exactly now counts as expired', { ...base, message: message((m) => (m.JMSExpiration = now)) }, 'expire'],
    ['a future expiration is delivered', { ...base, message: message((m) => (m.JMSExpiration = now + 1)) }, 'deliver'],
    ['a future delivery time is delayed', { ...base, message: message((m) => (m.JMSDeliveryTime = now + 500)) }, 'delay'],
    ['a delivery time reached is delivered', { ...base, message: message((m) => (m.JMSDeliveryTime = now)) }, 'deliver'],
    ['delivered the maximum number of times: dead letter', { ...base, deliveries: 3, message: message() }, 'dead-letter'],
    ['one below the maximum: delivered again', { ...base, deliveries: 2, message: message() }, 'deliver'],
    ['dead letter wins over expiry', { ...base, deliveries: 3, message: message((m) => (m.JMSExpiration = 1)) }, 'dead-letter'],
    ['a selector that does not match skips', { ...base, selector: selecting(false), message: message() }, 'skip'],
    ['a selector that matches delivers', { ...base, selector: selecting(true), message: message() }, 'deliver'],
    ['noLocal skips the connection’s own message', { ...base, noLocalConnection: 'c1', senderConnection: 'c1', message: message() }, 'skip'],
    ['noLocal delivers another connection’s message', { ...base, noLocalConnection: 'c1', senderConnection: 'c2', message: message() }, 'deliver'],
    ['an expired message is expired even when the selector would skip it', { ...base, selector: selecting(false), message: message((m) => (m.JMSExpiration = 5)) }, 'expire'],
  ];
  for (const [name, facts, action] of cases) {
    it(name, () => assert.equal(decideDispatch(facts).action, action));
  }

  it('says why, and until when', () => {
    assert.deepEqual(decideDispatch({ ...base, message: message((m) => (m.JMSDeliveryTime = now + 5)) }), { action: 'delay', untilMs: now + 5 });
    assert.match((decideDispatch({ ...base, deliveries: 3, message: message() }) as { reason: string }).reason, /delivered 3 times, the maximum is 3/);
  });
});

describe('naming of topics and consumer groups', () => {
  const m = jmsMappingOf({});
  it('maps destinations onto prefixed topics', () => {
    assert.equal(kafkaTopicOf(queue('orders'), m), 'jms.queue.orders');
    assert.equal(kafkaTopicOf(topic('prices'), m), 'jms.topic.prices');
    assert.equal(kafkaTopicOf({ kind: 'temporary-queue', name: 'abc' }, m), 'jms.temp.abc');
  });
  it('gives a queue one group, each subscription its own', () => {
    assert.equal(groupIdOf(queue('orders'), { kind: 'queue' }, m), 'jms.queue.jms.queue.orders');
    assert.equal(groupIdOf(topic('t'), { kind: 'durable', clientId: 'app', name: 'sub' }, m), 'jms.durable.app.sub');
    assert.equal(groupIdOf(topic('t'), { kind: 'shared', name: 'sub' }, m), 'jms.shared..sub');
    assert.equal(groupIdOf(topic('t'), { kind: 'shared-durable', clientId: 'app', name: 'sub' }, m), 'jms.shared-durable.app.sub');
    assert.equal(groupIdOf(topic('t'), { kind: 'non-durable', id: 'x1' }, m), 'jms.subscriber.x1');
  });
  it('rejects prefixes Kafka cannot name', () => {
    assert.throws(() => jmsMappingOf({ group_prefix: 'a b' }));
    assert.equal(jmsMappingOf({ topics: { partitions: 6 } }).topics.queue_prefix, 'jms.queue.');
  });
});
