import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runStart } from '../../../src/cli/commands/start.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { LocalKafka, LocalKafkaOptions } from '../../../src/connectors/kafka/local/index.ts';

function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env, cwd };
  return { io, out };
}

test('start with an invalid banyan.yaml prints every issue with file:line:col and exits 1 without starting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-start-'));
  writeFileSync(join(dir, 'banyan.yaml'), 'http:\n  port: 99999\nkafak: {}\n');
  const { io, out } = memoryIo(dir);
  const code = await runStart([], io, { until: Promise.resolve(), launchLocalKafka: () => assert.fail('must not launch Kafka') });
  assert.equal(code, 1);
  const file = join(dir, 'banyan.yaml');
  assert.deepEqual(out.stderr.trimEnd().split('\n'), [
    `${file}:2:9: range: Too big: expected number to be <=65535 (at http.port)`,
    `${file}:3:1: unknown-key: unknown key "kafak" (at kafak)`,
  ]);
});

test('start with jms.amqp and an invalid mappings/jms.yaml prints its issues with file:line:col and exits 1 without starting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-start-'));
  writeFileSync(join(dir, 'banyan.yaml'), 'jms:\n  amqp: { port: 0, users: [{ username: app, password: secret }] }\n');
  mkdirSync(join(dir, 'mappings'));
  writeFileSync(join(dir, 'mappings', 'jms.yaml'), 'max_deliveries: 10\ntopcs: {}\n');
  const { io, out } = memoryIo(dir);
  const code = await runStart([], io, { until: Promise.resolve(), launchLocalKafka: () => assert.fail('must not launch Kafka') });
  assert.equal(code, 1);
  assert.deepEqual(out.stderr.trimEnd().split('\n'), [`${join(dir, 'mappings', 'jms.yaml')}:2:1: unknown-key: unknown key "topcs" (at topcs)`]);
});

test('start --config with a missing file is an error, not the defaults', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-start-'));
  const { io, out } = memoryIo(dir);
  const code = await runStart(['--config', 'nope.yaml'], io, { until: Promise.resolve() });
  assert.equal(code, 1);
  assert.match(out.stderr, /nope\.yaml:1:1: file-unreadable: /);
});

test('start with no kafka.brokers runs the embedded Kafka under .banyan/kafka next to banyan.yaml, logs JSON and stops on the signal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-start-'));
  const { io, out } = memoryIo(dir, { BANYAN_UNUSED: 'x' });
  const launched: LocalKafkaOptions[] = [];
  let stopped = 0;
  const launchLocalKafka = async (o: LocalKafkaOptions): Promise<LocalKafka> => {
    launched.push(o);
    return { brokers: ['127.0.0.1:1'], dataDir: o.dataDir, pid: 1, stop: async () => void stopped++, kill: async () => {} };
  };
  let trigger!: () => void;
  const until = new Promise<void>((r) => (trigger = r));
  let started: { httpAddress: string } | undefined;
  // Only the HTTP port is set (9464 may be taken on a shared machine); Kafka keeps its defaults.
  writeFileSync(join(dir, 'banyan.yaml'), 'http: { port: 0 }\n');
  const done = runStart([], io, { until, launchLocalKafka, onStarted: (info) => ((started = info), trigger()) });
  assert.equal(await done, 0);
  assert.ok(started);
  assert.equal(launched[0]!.dataDir, join(dir, '.banyan/kafka'));
  assert.equal(stopped, 1);
  const lines = out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string; component?: string });
  assert.ok(lines.some((l) => l.msg === 'gateway started' && l.component === 'gateway'));
  assert.ok(lines.some((l) => l.msg === 'gateway stopped'));
});
