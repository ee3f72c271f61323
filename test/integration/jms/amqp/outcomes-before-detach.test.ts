/**
 * Outcomes a client sends right before it detaches a consumer link, ends its session or closes the
 * connection count: the messages are acknowledged, not released back to the queue. rhea reports
 * dispositions only on its next processing pass, after a detach, end or close read in the same
 * chunk (Qpid JMS does this: acknowledge() then consumer.close()); the endpoint applies them first.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import rhea, { type Connection, type Delivery, type EventContext } from 'rhea';
import type { JmsAmqpEndpoint } from '../../../../src/jms/amqp/endpoint.ts';
import type { JmsEngine } from '../../../../src/jms/index.ts';
import { drainQueue, sendRaw, uniqueQueue } from '../../../support/amqp.ts';
import { startTestEndpoint, testEngine, uniquePrefix } from '../../../support/jms.ts';

const user = { username: 'outcomes', password: 'outcomes-secret' };
let engine: JmsEngine;
let endpoint: JmsAmqpEndpoint;
let port = 0;
let errors: string[] = [];

before(async () => {
  engine = testEngine(uniquePrefix(), { topics: { partitions: 1 } });
  ({ endpoint, port, errors } = await startTestEndpoint(engine, { users: [user], anonymous: true }));
});

after(async () => {
  await endpoint.stop();
  await engine.close();
});

async function connect(): Promise<Connection> {
  const connection = rhea.create_container({ id: uniqueQueue('outcomes') }).connect({ host: '127.0.0.1', port, reconnect: false, username: user.username, password: user.password });
  await once(connection, 'connection_open');
  return connection;
}

/** Receives `count` messages of `address` without settling them. */
async function receiveUnsettled(connection: Connection, address: string, count: number) {
  const receiver = connection.open_receiver({ source: { address, capabilities: ['queue'] }, autoaccept: false, credit_window: 10 });
  const deliveries: Delivery[] = [];
  await new Promise<void>((resolve) => {
    receiver.on('message', (ctx: EventContext) => {
      deliveries.push(ctx.delivery!);
      if (deliveries.length === count) resolve();
    });
  });
  return { receiver, deliveries };
}

const messages = [0, 1, 2].map((i) => ({ body: `m${i}`, durable: true }));

describe('JMS AMQP outcomes sent just before the link, session or connection ends', () => {
  for (const ending of ['detach', 'end', 'close'] as const) {
    it(`accepted messages are gone after an accept followed at once by ${ending}`, async () => {
      const address = uniqueQueue(`outcomes-${ending}`);
      await sendRaw(port, address, messages);
      const connection = await connect();
      const { receiver, deliveries } = await receiveUnsettled(connection, address, 3);
      // One synchronous block: rhea writes the dispositions and the detach / end / close in one pass.
      for (const d of deliveries) d.accept();
      if (ending === 'detach') receiver.close();
      else if (ending === 'end') receiver.session.close();
      else connection.close();
      if (ending === 'close') await once(connection, 'connection_close');
      else {
        await once(ending === 'detach' ? receiver : receiver.session, ending === 'detach' ? 'receiver_close' : 'session_close');
        connection.close();
      }
      const left = await drainQueue(port, address, 1500);
      assert.deepEqual(left.map((m) => m.body), [], 'nothing comes back');
      assert.deepEqual(errors, []);
    });
  }

  it('a message released just before the detach comes back uncounted, as released says (a detach alone counts it)', async () => {
    const address = uniqueQueue('outcomes-released');
    await sendRaw(port, address, messages.slice(0, 1));
    const connection = await connect();
    const { receiver, deliveries } = await receiveUnsettled(connection, address, 1);
    deliveries[0]!.release();
    receiver.close();
    await once(receiver, 'receiver_close');
    connection.close();
    const left = await drainQueue(port, address, 1500);
    assert.deepEqual(left.map((m) => [m.body, m.delivery_count ?? 0]), [['m0', 0]], 'back with its delivery count unchanged');
  });
});
