import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectOnce, type Connectable } from '../../../../src/connectors/kafka/connect-once.ts';

/** A stand-in for a kafkajs producer/admin whose connect() succeeds or fails as scripted, and waits for `gate`. */
class FakeConnection implements Connectable {
  connects = 0;
  disconnects = 0;
  readonly #fail: Error | undefined;
  readonly #gate: Promise<void>;

  constructor(fail?: Error, gate: Promise<void> = Promise.resolve()) {
    this.#fail = fail;
    this.#gate = gate;
  }

  async connect(): Promise<void> {
    this.connects++;
    await this.#gate;
    if (this.#fail) throw this.#fail;
  }

  async disconnect(): Promise<void> {
    this.disconnects++;
  }
}

/** create() for connectOnce: one scripted outcome per attempt (undefined: the connect succeeds). */
function scripted(outcomes: Array<Error | undefined>, gate?: Promise<void>) {
  const made: FakeConnection[] = [];
  const create = () => {
    const c = new FakeConnection(outcomes[made.length], gate);
    made.push(c);
    return c;
  };
  return { create, made };
}

describe('connectOnce', () => {
  it('connects once and remembers the connection: later calls get the same instance without connecting again', async () => {
    const { create, made } = scripted([undefined]);
    const connection = connectOnce(create);
    const first = await connection.get();
    const second = await connection.get();
    assert.equal(first, second);
    assert.equal(made.length, 1);
    assert.equal(first.connects, 1);
  });

  it('concurrent callers share one attempt: one instance, one connect()', async () => {
    let open!: () => void;
    const { create, made } = scripted([undefined], new Promise<void>((resolve) => (open = resolve)));
    const connection = connectOnce(create);
    const waiting = [connection.get(), connection.get(), connection.get()];
    open();
    const got = await Promise.all(waiting);
    assert.equal(made.length, 1);
    assert.equal(made[0]!.connects, 1);
    assert.ok(got.every((c) => c === made[0]));
  });

  it('a failed connect is not remembered: every caller sharing it gets its error, the half-made instance is disconnected, and the next call retries with a new one', async () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');
    let open!: () => void;
    const { create, made } = scripted([refused, undefined], new Promise<void>((resolve) => (open = resolve)));
    const connection = connectOnce(create);
    const sharing = [connection.get(), connection.get()];
    open();
    for (const attempt of await Promise.allSettled(sharing)) assert.deepEqual(attempt, { status: 'rejected', reason: refused });
    assert.equal(made.length, 1, 'the two callers shared one attempt');
    assert.equal(made[0]!.disconnects, 1, 'the failed instance was disconnected');

    const retried = await connection.get();
    assert.equal(made.length, 2, 'the next call made a new attempt');
    assert.equal(retried, made[1]);
    assert.equal(await connection.get(), retried, 'and remembers it once it succeeded');
  });

  it('disconnect() forgets and disconnects the connection; the next call connects a new one', async () => {
    const { create, made } = scripted([undefined, undefined]);
    const connection = connectOnce(create);
    const first = await connection.get();
    await connection.disconnect();
    assert.equal(first.disconnects, 1);
    const second = await connection.get();
    assert.notEqual(second, first);
    assert.equal(made.length, 2);
  });

  it('disconnect() during a connect waits for it and disconnects that instance, which is then not remembered', async () => {
    let open!: () => void;
    const { create, made } = scripted([undefined, undefined], new Promise<void>((resolve) => (open = resolve)));
    const connection = connectOnce(create);
    const inFlight = connection.get();
    const closing = connection.disconnect();
    open();
    await closing;
    assert.equal((await inFlight).disconnects, 1);
    const next = await connection.get();
    assert.notEqual(next, made[0]);
    assert.equal(next.disconnects, 0);
  });

  it('disconnect() with nothing connected, or after a failed connect, resolves and disconnects nothing more', async () => {
    const { create, made } = scripted([new Error('down')]);
    const connection = connectOnce(create);
    await connection.disconnect();
    await assert.rejects(connection.get(), /down/);
    await connection.disconnect();
    assert.equal(made[0]!.disconnects, 1, 'only the cleanup of the failed attempt');
  });
});
