/**
 * A CLIENT_ACKNOWLEDGE consumer process is killed with SIGKILL mid-stream; a new process then
 * reads the queue. Counted: every message is delivered to one of them; every message the first
 * one received and did not see acknowledged comes again; none it saw acknowledged comes again
 * (acknowledge() resolves only after Kafka has the offsets).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { queue, type JmsEngine } from '../../../src/jms/index.ts';
import { testEngine, uniquePrefix } from '../../support/jms.ts';

const MESSAGES = 400;
const KILL_AFTER = 150;
const prefix = uniquePrefix();
const root = fileURLToPath(new URL('../../../', import.meta.url));
let engine: JmsEngine;

before(() => {
  engine = testEngine(prefix);
});
after(() => engine.close());

interface WorkerRun {
  readonly received: number[];
  readonly acked: Set<number>;
  /** Messages of an acknowledge() begun and not seen resolved: committed or not, the kill decides. */
  readonly acking: Set<number>;
  readonly exited: Promise<number | null>;
  kill(): void;
  /** Resolves once `count` messages were received. */
  receivedAtLeast(count: number): Promise<void>;
}

function startWorker(ackEvery: number, idleMs: number, stallAfter?: number): WorkerRun {
  const args = ['--prefix', prefix, '--ack-every', String(ackEvery), '--idle-ms', String(idleMs), ...(stallAfter === undefined ? [] : ['--stall-after', String(stallAfter)])];
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/integration/jms/client-ack-worker.ts', ...args], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const received: number[] = [];
  const acked = new Set<number>();
  const acking = new Set<number>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { received?: number; acking?: number[]; acked?: number[] };
    if (msg.received !== undefined) received.push(msg.received);
    for (const n of msg.acking ?? []) acking.add(n);
    for (const n of msg.acked ?? []) {
      acked.add(n);
      acking.delete(n);
    }
    for (const w of waiters.filter((x) => received.length >= x.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    received,
    acked,
    acking,
    exited,
    kill: () => void child.kill('SIGKILL'),
    receivedAtLeast: (count) => new Promise((resolve) => (received.length >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

describe('CLIENT_ACKNOWLEDGE consumer killed with SIGKILL', () => {
  it('redelivers every unacknowledged message after a restart and loses none', async () => {
    const ctx = await engine.createContext();
    const producer = ctx.createProducer();
    for (let n = 0; n < MESSAGES; n++) await producer.setIntProperty('n', n).send(queue('crash'), `m${n}`);
    await ctx.close();

    // It stops after KILL_AFTER messages, 3 of them received since its last acknowledge (every 7th).
    const first = startWorker(7, 60_000, KILL_AFTER);
    await first.receivedAtLeast(KILL_AFTER);
    first.kill();
    assert.equal(await first.exited, null, 'killed by the signal');
    // An acknowledge() the kill interrupted may have reached Kafka before it (its messages are done)
    // or not (they come again): those messages are in doubt, each may come again at most once.
    const inDoubt = first.acking;
    const unacknowledged = first.received.filter((n) => !first.acked.has(n) && !inDoubt.has(n));
    assert.ok(first.acked.size > 0 && unacknowledged.length > 0, `killed mid-stream (acked ${first.acked.size}, unacknowledged ${unacknowledged.length})`);

    // The dead member holds its partitions until its session times out (10 s); then the new one reads them.
    const second = startWorker(1, 15_000);
    assert.equal(await second.exited, 0);
    const again = new Set(second.received);
    const lost = Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !first.acked.has(n) && !inDoubt.has(n) && !again.has(n));
    const missingRedeliveries = unacknowledged.filter((n) => !again.has(n));
    const acknowledgedTwice = [...first.acked].filter((n) => again.has(n));
    console.error(
      `crash test: ${MESSAGES} sent, first process received ${first.received.length} (acknowledged ${first.acked.size}) before SIGKILL, ${inDoubt.size} in an acknowledge the kill interrupted (${[...inDoubt].filter((n) => again.has(n)).length} of them came again), second received ${second.received.length}`,
    );
    assert.deepEqual(lost, [], 'no message lost');
    assert.deepEqual(missingRedeliveries, [], 'every unacknowledged message redelivered');
    assert.deepEqual(acknowledgedTwice, [], 'no acknowledged message delivered again');
    assert.equal(second.received.length, new Set(second.received).size, 'the second process got each message once');
  });
});
