/**
 * Regression tests for the rhea patches (docs/rhea-patches.md), on a real rhea server and client
 * over loopback: each fails on unpatched rhea 3.0.5.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import rhea, { type Connection, type Container, type EventContext } from 'rhea';
import { answerDetach, Coordinator, Declared, deferDetach, TXN_CODES, installRheaPatches, type RheaTyped } from '../../../../src/jms/amqp/rhea-patches.ts';

const require = createRequire(import.meta.url);
const types = require('rhea/lib/types.js') as { described_nc(d: unknown, v: unknown): unknown; wrap_ulong(n: number): unknown; wrap_list(l: unknown[]): unknown; wrap_binary(b: Buffer): unknown; wrap_boolean(b: boolean): unknown };
const message = require('rhea/lib/message.js') as { encode(m: unknown): Buffer; decode(b: Buffer): { body: RheaTyped } };

installRheaPatches();

describe('rhea patch 1: transactions', () => {
  it('keeps the declare and discharge markers of an amqp-value body', () => {
    const declare = types.described_nc(types.wrap_ulong(TXN_CODES.declare), types.wrap_list([]));
    const txnId = Buffer.from([0, 0, 0, 7]);
    const discharge = types.described_nc(types.wrap_ulong(TXN_CODES.discharge), types.wrap_list([types.wrap_binary(txnId), types.wrap_boolean(true)]));
    const decodedDeclare = message.decode(message.encode({ body: declare })).body;
    assert.equal(Number(decodedDeclare.descriptor?.value), TXN_CODES.declare);
    const decodedDischarge = message.decode(message.encode({ body: discharge })).body;
    assert.equal(Number(decodedDischarge.descriptor?.value), TXN_CODES.discharge);
    const fields = decodedDischarge.value as RheaTyped[];
    assert.deepEqual([Buffer.from(fields[0].value as Buffer), fields[1].value], [txnId, true]);
  });

  it('reads a plain described value (an ordinary amqp-value body) as before', () => {
    const decoded = message.decode(message.encode({ body: 'hello' })).body as unknown;
    assert.equal(decoded, 'hello');
  });

  describe('over a link', () => {
    let server: Container;
    let listener: ReturnType<Container['listen']>;
    let port = 0;
    let client: Connection;
    before(async () => {
      server = rhea.create_container({ id: 'patch-test-server' });
      server.on('receiver_open', (ctx: EventContext) => {
        const target = ctx.receiver?.target as unknown;
        if (target instanceof Coordinator) {
          // Echo the coordinator (Qpid JMS treats a null target as a refused link).
          (ctx.receiver as unknown as { local: { attach: { target: unknown } } }).local.attach.target = new Coordinator(
            (target as { value: unknown[] }).value,
          ).described();
        }
      });
      server.on('message', (ctx: EventContext) => {
        const body = ctx.message?.body as RheaTyped;
        if (Number(body.descriptor?.value) === TXN_CODES.declare) {
          ctx.delivery?.update(true, Declared.create({ txn_id: Buffer.from('txn-1') }).described());
        }
      });
      listener = server.listen({ port: 0, host: '127.0.0.1' });
      await once(listener, 'listening');
      port = (listener.address() as AddressInfo).port;
      client = rhea.create_container({ id: 'patch-test-client' }).connect({ host: '127.0.0.1', port, reconnect: false });
      await once(client, 'connection_open');
    });
    after(async () => {
      client.close();
      listener.close();
    });

    it('attaches a coordinator link, declares and receives declared(txn-id)', async () => {
      const sender = client.open_sender({ name: 'coordinator-1', autosettle: false });
      const attach = (sender as unknown as { local: { attach: { target: unknown } } }).local.attach;
      attach.target = Coordinator.create({ capabilities: ['amqp:local-transactions'] }).described();
      await once(sender, 'sendable');
      const remoteTarget = sender.target as unknown;
      assert.ok(remoteTarget instanceof Coordinator, 'the echoed target is a coordinator');
      assert.deepEqual((remoteTarget as unknown as { capabilities: unknown }).capabilities, ['amqp:local-transactions']);
      sender.send({ body: types.described_nc(types.wrap_ulong(TXN_CODES.declare), types.wrap_list([])) });
      const [ctx] = (await once(sender, 'declared')) as [EventContext];
      const state = ctx.delivery?.remote_state as { txn_id: Buffer };
      assert.equal(Buffer.from(state.txn_id).toString(), 'txn-1');
    });
  });
});

describe('rhea patch 2: outcomes set in one event-loop pass', () => {
  it('accept #0 + reject #1 in one pass reach the client as accepted + rejected', async () => {
    const server = rhea.create_container({ id: 'disposition-server' });
    const held: EventContext['delivery'][] = [];
    server.on('receiver_open', (ctx: EventContext) => ctx.receiver?.set_target({ address: ctx.receiver.target?.address }));
    server.on('message', (ctx: EventContext) => {
      held.push(ctx.delivery);
      if (held.length === 4) {
        // All four outcomes in one pass, the way an engine settling a batch would set them.
        held[0]?.accept();
        held[1]?.reject({ condition: 'amqp:precondition-failed', description: 'no' });
        held[2]?.release();
        held[3]?.modified({ delivery_failed: true, undeliverable_here: false });
      }
    });
    const listener = server.listen({ port: 0, host: '127.0.0.1' });
    await once(listener, 'listening');
    const port = (listener.address() as AddressInfo).port;
    const client = rhea.create_container({ id: 'disposition-client' }).connect({ host: '127.0.0.1', port, reconnect: false });
    try {
      const sender = client.open_sender({ target: { address: 'q' }, autoaccept: false } as rhea.SenderOptions);
      await once(sender, 'sendable');
      const outcomes = new Map<number, string>();
      const done = new Promise<void>((resolve) => {
        for (const outcome of ['accepted', 'rejected', 'released', 'modified'] as const) {
          sender.on(outcome, (ctx: EventContext) => {
            outcomes.set(Number(ctx.delivery?.tag.toString()), outcome);
            if (outcomes.size === 4) resolve();
          });
        }
      });
      for (let i = 0; i < 4; i++) sender.send({ body: `m${i}` }, String(i));
      await done;
      assert.deepEqual([0, 1, 2, 3].map((i) => outcomes.get(i)), ['accepted', 'rejected', 'released', 'modified']);
    } finally {
      client.close();
      listener.close();
    }
  });
});

describe('deferDetach / answerDetach: a detach answered when the server says so', () => {
  it('the client sees the detach answer only after answerDetach, with its error', async () => {
    const server = rhea.create_container({ id: 'detach-server' });
    let closedOnServer: EventContext['sender'] | undefined;
    server.on('sender_open', (ctx: EventContext) => ctx.sender?.set_source({ address: ctx.sender.source?.address }));
    server.on('sender_close', (ctx: EventContext) => {
      closedOnServer = ctx.sender;
      deferDetach(ctx.sender as never);
    });
    const listener = server.listen({ port: 0, host: '127.0.0.1' });
    await once(listener, 'listening');
    const port = (listener.address() as AddressInfo).port;
    const client = rhea.create_container({ id: 'detach-client' }).connect({ host: '127.0.0.1', port, reconnect: false });
    try {
      const receiver = client.open_receiver({ source: { address: 'q' } });
      await once(receiver, 'receiver_open');
      let answered = false;
      const answer = new Promise<EventContext>((resolve) =>
        receiver.once('receiver_close', (ctx: EventContext) => {
          answered = true;
          resolve(ctx);
        }),
      );
      receiver.on('receiver_error', () => {});
      receiver.close();
      // Unpatched, rhea answers on the next tick: give it many.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(closedOnServer, 'the server saw the detach');
      assert.equal(answered, false, 'no answer before answerDetach');
      answerDetach(closedOnServer as never, { condition: 'amqp:illegal-state', description: 'still in use' });
      const ctx = await answer;
      assert.equal((ctx.receiver?.error as { condition?: string } | undefined)?.condition, 'amqp:illegal-state');
    } finally {
      client.close();
      listener.close();
    }
  });
});
