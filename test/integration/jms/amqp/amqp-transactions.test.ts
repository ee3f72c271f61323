/**
 * The endpoint's coordinator transactions (transactions.ts) on the run's real Kafka, driven as the
 * endpoint drives them (declare / hold / discharge), with real engine deliveries:
 * - discharge(commit) is one Kafka transaction: the held record becomes visible to read_committed
 *   readers and the consumed message is gone for the queue's next consumer;
 * - a connection that dies between declare and discharge leaves nothing visible, and the consumed
 *   message comes back redelivered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { createRecordPublisher, type RecordPublisher } from '../../../../src/jms/amqp/record-publisher.ts';
import { toRecord, type AmqpJmsMessage } from '../../../../src/jms/amqp/record-translation.ts';
import { outcomes, TXN_CODES, type RheaTyped } from '../../../../src/jms/amqp/rhea-patches.ts';
import { Transactions } from '../../../../src/jms/amqp/transactions.ts';
import { queue, type JmsEngine } from '../../../../src/jms/index.ts';
import { testKafkaClient } from '../../../support/kafka.ts';
import { testEngine, textOf, uniquePrefix } from '../../../support/jms.ts';

const require = createRequire(import.meta.url);
const t = require('rhea/lib/types.js') as { wrap_byte(v: number): unknown };
const wire = require('rhea/lib/message.js') as { encode(x: unknown): Buffer; decode(b: Buffer): AmqpJmsMessage };
let engine: JmsEngine;
let publisher: RecordPublisher;

/** A Qpid JMS TextMessage as the endpoint receives it. */
function amqpText(text: string): AmqpJmsMessage {
  return wire.decode(
    wire.encode({ durable: true, message_id: `ID:test-${text}`, body: text, message_annotations: { 'x-opt-jms-msg-type': t.wrap_byte(5), 'x-opt-jms-dest': t.wrap_byte(0) } }),
  );
}

/** Runs one coordinator transfer; the settled state the endpoint would send back. */
async function control(txns: Transactions, code: number, fields: RheaTyped[]): Promise<RheaTyped> {
  let state: unknown;
  await txns.control({ descriptor: { value: code }, value: fields }, { update: (_settled, s) => (state = s) });
  return state as RheaTyped;
}

async function declare(txns: Transactions): Promise<Buffer> {
  const declared = await control(txns, TXN_CODES.declare, []);
  assert.equal(Number(declared.descriptor?.value), TXN_CODES.declared, 'declare is answered with declared');
  return Buffer.from((declared.value as RheaTyped[])[0]!.value as Buffer);
}

async function seed(name: string, text: string): Promise<void> {
  const ctx = await engine.createContext();
  await ctx.createProducer().send(queue(name), text);
  await ctx.close();
}

/** What the queue's next consumer gets (read_committed), up to `count`, waiting `timeoutMs` for each. */
async function drain(name: string, count: number, timeoutMs: number): Promise<{ text: string | null; redelivered: boolean }[]> {
  const ctx = await engine.createContext();
  const consumer = await ctx.createConsumer(queue(name));
  const out: { text: string | null; redelivered: boolean }[] = [];
  for (;;) {
    const m = out.length < count ? await consumer.receive(timeoutMs) : null;
    if (m === null) break;
    out.push({ text: textOf(m), redelivered: m.JMSRedelivered });
  }
  await ctx.close();
  return out;
}

before(() => {
  engine = testEngine(uniquePrefix(), { topics: { partitions: 1 } });
  publisher = createRecordPublisher({ kafka: testKafkaClient(), mapping: engine.mapping });
});

after(async () => {
  await publisher.close();
  await engine.close();
});

describe('JMS AMQP coordinator transactions as Kafka transactions', () => {
  it('commits the held send and the consumed offset together', async () => {
    await seed('commit-in', 'a');
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('commit-in'));
    const delivery = await consumer.feed.receive(30_000);
    assert.ok(delivery, 'the seeded message is delivered');
    const txns = new Transactions(publisher);
    const id = await declare(txns);
    txns.holdOutcome(id, delivery, { outcome: 'accepted' });
    txns.holdSend(id, await publisher.prepare(queue('commit-out'), toRecord(amqpText('from a')), 'conn-1'));
    assert.deepEqual(await drain('commit-out', 1, 2000), [], 'nothing is visible before the discharge');
    const discharged = await control(txns, TXN_CODES.discharge, [{ value: id }, { value: false }]);
    assert.equal(Number(discharged.descriptor?.value), Number(outcomes.accepted().descriptor?.value), 'the discharge is accepted');
    await ctx.close();
    txns.abandonAll();
    assert.deepEqual(await drain('commit-out', 2, 20_000), [{ text: 'from a', redelivered: false }], 'the committed send is visible once');
    assert.deepEqual(await drain('commit-in', 1, 3000), [], 'the consumed message is gone (its offset was committed in the transaction)');
  });

  it('leaves nothing visible when the connection dies between declare and discharge, and redelivers what it consumed', async () => {
    await seed('abort-in', 'b');
    const ctx = await engine.createContext();
    const consumer = await ctx.createConsumer(queue('abort-in'));
    const delivery = await consumer.feed.receive(30_000);
    assert.ok(delivery, 'the seeded message is delivered');
    const txns = new Transactions(publisher);
    const id = await declare(txns);
    txns.holdOutcome(id, delivery, { outcome: 'accepted' });
    txns.holdSend(id, await publisher.prepare(queue('abort-out'), toRecord(amqpText('from b')), 'conn-2'));
    txns.abandonAll(); // the connection went away: no discharge
    await ctx.close();
    assert.deepEqual(await drain('abort-out', 1, 3000), [], 'nothing of the transaction is visible');
    assert.deepEqual(await drain('abort-in', 2, 20_000), [{ text: 'b', redelivered: true }], 'the consumed message comes back once, redelivered');
  });
});
