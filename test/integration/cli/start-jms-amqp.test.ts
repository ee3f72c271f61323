/**
 * `banyan start` with `jms.amqp` in banyan.yaml opens the JMS AMQP endpoint on the gateway's Kafka
 * (the run's real broker): an AMQP 1.0 client logs in with SASL PLAIN, sends a message to a queue
 * and receives it back, on the topic mappings/jms.yaml names; a wrong password is refused and
 * logged. Stopped by the `until` signal, it closes.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import rhea, { type Connection, type EventContext } from 'rhea';
import { runStart } from '../../../src/cli/commands/start.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { testBrokers } from '../../support/kafka.ts';
import { readWholeTopic } from '../../support/read-topic.ts';

test('banyan start serves JMS AMQP clients when banyan.yaml has jms.amqp', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'banyan-start-jms-'));
  await writeFile(
    join(dir, 'banyan.yaml'),
    [`kafka:`, `  brokers: ${testBrokers().join(',')}`, `http: { port: 0 }`, `jms:`, `  amqp: { host: 127.0.0.1, port: 0, users: [{ username: app, password: "\${JMS_APP_PASSWORD}" }] }`, ''].join('\n'),
  );
  // mappings/jms.yaml (paths.mappings) is the engine's mapping: its queue prefix names the topic.
  await mkdir(join(dir, 'mappings'));
  await writeFile(join(dir, 'mappings', 'jms.yaml'), 'topics: { queue_prefix: legacy.q. }\n');
  const stdout = new PassThrough();
  let log = '';
  stdout.on('data', (c: Buffer) => (log += c.toString()));
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (c: Buffer) => (errors += c.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: { JMS_APP_PASSWORD: 'app-secret' }, cwd: dir };
  let stop!: () => void;
  const until = new Promise<void>((resolve) => (stop = resolve));
  let started!: () => void;
  const up = new Promise<void>((resolve) => (started = resolve));
  const done = runStart([], io, { until, onStarted: () => started() });
  // A start that fails ends runStart before onStarted: say why instead of waiting for the timeout.
  await Promise.race([up, done.then((code) => assert.fail(`banyan start ended with ${code} before it started: ${errors}`))]);

  let client: Connection | undefined;
  const connect = (password: string, port: number) =>
    rhea.create_container({ id: `start-jms-${password}` }).connect({ host: '127.0.0.1', port, reconnect: false, username: 'app', password });
  try {
    const listening = log
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; port?: number; component?: string })
      .find((l) => l.msg === 'JMS AMQP endpoint listening');
    assert.equal(listening?.component, 'jms-amqp');
    const port = listening!.port!;

    // rhea reports a refused SASL login as a connection error, then a disconnect.
    const refused = connect('wrong', port);
    refused.on('disconnected', () => {});
    const refusal = await new Promise<{ condition?: string }>((resolve) => refused.once('connection_error', (ctx: EventContext) => resolve(ctx.error as { condition?: string })));
    assert.equal(refusal.condition, 'amqp:unauthorized-access');

    client = connect('app-secret', port);
    await once(client, 'connection_open');
    const address = `start-jms-${Date.now()}`;
    const receiver = client.open_receiver({ source: { address, capabilities: ['queue'] } } as never);
    const got = new Promise<unknown>((resolve) => receiver.once('message', (ctx: EventContext) => resolve(ctx.message?.body)));
    const sender = client.open_sender({ target: { address, capabilities: ['queue'] } } as never);
    await once(sender, 'sendable');
    sender.send({ body: 'through banyan start', durable: true });
    assert.equal(await got, 'through banyan start');
    const records = await readWholeTopic(`legacy.q.${address}`, { isolation: 'read_committed' });
    assert.equal(records.length, 1, 'the message is one record on the mapped topic');
  } finally {
    client?.close();
    stop();
  }
  assert.equal(await done, 0);
  assert.match(log, /"user":"app","msg":"JMS client login refused"/);
  assert.match(log, /"msg":"gateway stopped"/);
});
