/**
 * A broker crash under the AMQP transport: this file starts its own Artemis (not the run's shared
 * one), kills it with SIGKILL while a unit of work is in flight, and restarts it on the same
 * journal and port. The session in use fails with a retriable code (the pipeline's cue to back off
 * and reconnect); a new session works again, the unit got before the crash but never committed
 * comes back once with its backout count raised, and nothing is lost. Duplicates are counted: only
 * the unit committed just before the crash may come back (Artemis does not sync a plain accept).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAmqpTransport } from '../../../../src/connectors/amqp/amqp-transport.ts';
import type { BanyanError } from '../../../../src/core/errors.ts';
import { drainQueue, sendRaw, uniqueQueue } from '../../../support/amqp.ts';
import { startLocalArtemis, type LocalArtemis } from '../../../support/artemis.ts';

describe('AMQP transport across an Artemis crash and restart', () => {
  let dataDir: string;
  let artemis: LocalArtemis;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'banyan-artemis-restart-'));
    artemis = await startLocalArtemis({ dataDir });
  });
  after(async () => {
    await artemis.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('surfaces a retriable error on the broken session, works on a new one, and loses nothing', async () => {
    const queue = uniqueQueue('amqp.restart');
    const bodies = Array.from({ length: 20 }, (_, i) => `durable-${i}`);
    await sendRaw(artemis.port, queue, bodies.map((body) => ({ body, durable: true })));
    const transport = createAmqpTransport({ host: '127.0.0.1', port: artemis.port, operationTimeoutMs: 10_000 });

    const before = await transport.connect();
    const committed = await before.get(queue, { max: 5, waitMs: 5_000 });
    await before.commit();
    const inFlight = await before.get(queue, { max: 5, waitMs: 5_000 });
    await before.put(`${queue}.OUT`, { body: Buffer.from('never committed'), bodyKind: 'text' });
    assert.deepEqual([committed.length, inFlight.length], [5, 5]);

    await artemis.kill();
    const failure = (await before.commit().then(
      () => undefined,
      (err: unknown) => err,
    )) as BanyanError | undefined;
    assert.ok(failure, 'commit on a session whose broker died must fail');
    assert.equal(failure.retriable, true, `${failure.code}: ${failure.message}`);
    assert.match(failure.code, /^BANYAN_ERR_AMQP_(CONNECTION_LOST|TIMEOUT)$/);
    await before.backout();
    await before.close();

    // Down: connecting is refused, retriably.
    await assert.rejects(transport.connect(), (err: BanyanError) => err.code === 'BANYAN_ERR_AMQP_CONNECT_FAILED' && err.retriable);

    artemis = await startLocalArtemis({ dataDir, port: artemis.port });
    const afterRestart = await transport.connect();
    const rest = [];
    for (;;) {
      const got = await afterRestart.get(queue, { max: 50, waitMs: 2_000 });
      if (got.length === 0) break;
      rest.push(...got);
    }
    await afterRestart.commit();
    await afterRestart.close();

    const text = (m: { body: Uint8Array }) => Buffer.from(m.body).toString('utf8');
    const seen = [...committed, ...rest].map(text);
    assert.deepEqual([...new Set(seen)].sort(), [...bodies].sort(), 'every message arrives: none lost over the crash');
    // Artemis journals a non-transacted accept without waiting for the disk, so a crash right after
    // commit may redeliver the last committed unit (at-least-once): duplicates come from it alone.
    const duplicates = seen.filter((b, i) => seen.indexOf(b) !== i);
    console.error(`broker-restart: ${seen.length} deliveries of ${bodies.length} messages, ${duplicates.length} duplicate(s): ${duplicates.join(', ') || 'none'}`);
    assert.ok(duplicates.every((b) => committed.some((m) => text(m) === b)), `duplicates ${duplicates} outside the last committed unit`);
    const redelivered = rest.filter((m) => inFlight.some((f) => text(f) === text(m)));
    assert.equal(redelivered.length, 5, 'the unit in flight at the crash comes back once');
    // Artemis raises a delivery count in its journal before delivering (persist-delivery-count-
    // before-delivery), but writes it without waiting for the disk: a SIGKILL on a loaded machine
    // can lose the raise (seen once in CI: durable-5 came back with 0). The count is reported, not
    // asserted; what must hold across the crash is above: nothing lost, the unit back once.
    const counted = redelivered.filter((m) => m.descriptor.backoutCount >= 1).length;
    console.error(`broker-restart: ${counted} of ${redelivered.length} redelivered messages kept their raised backout count over the crash`);
    assert.equal((await drainQueue(artemis.port, `${queue}.OUT`)).length, 0, 'the put of the broken unit never appears');
  });
});
