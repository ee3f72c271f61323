/**
 * The consumer process of the CLIENT_ACKNOWLEDGE crash test (client-ack-crash.test.ts), not a
 * test itself. Reads queue `crash` of an engine named by `--prefix`, acknowledging every
 * `--ack-every` messages, and prints one JSON line per message received (`{"received":n}`) and
 * per acknowledge() begun (`{"acking":[n, ...]}`) and resolved (`{"acked":[n, ...]}`). Exits after `--idle-ms` without a message; with `--stall-after N` it waits (for its SIGKILL) after N messages.
 */
import { parseArgs } from 'node:util';
import { queue } from '../../../src/jms/index.ts';
import { testEngine } from '../../support/jms.ts';

const { values } = parseArgs({ options: { prefix: { type: 'string' }, 'ack-every': { type: 'string' }, 'idle-ms': { type: 'string' }, 'stall-after': { type: 'string' } } });
const ackEvery = Number(values['ack-every']);
// After this many messages the worker stops (to be killed) holding the ones since its last acknowledge.
const stallAfter = values['stall-after'] === undefined ? Infinity : Number(values['stall-after']);
const engine = testEngine(values.prefix!);
const ctx = await engine.createContext({ sessionMode: 'CLIENT_ACKNOWLEDGE' });
const consumer = await ctx.createConsumer(queue('crash'));
console.log(JSON.stringify({ ready: true }));
let unacked: number[] = [];
let stallLeft = stallAfter;
for (;;) {
  const m = await consumer.receive(Number(values['idle-ms']));
  if (m === null) break;
  const n = m.getIntProperty('n');
  console.log(JSON.stringify({ received: n, redelivered: m.JMSRedelivered }));
  unacked.push(n);
  if (unacked.length >= ackEvery) {
    console.log(JSON.stringify({ acking: unacked }));
    await m.acknowledge();
    console.log(JSON.stringify({ acked: unacked }));
    unacked = [];
  }
  if (--stallLeft <= 0) await new Promise(() => {});
}
await ctx.acknowledge();
if (unacked.length > 0) console.log(JSON.stringify({ acked: unacked }));
await engine.close();
