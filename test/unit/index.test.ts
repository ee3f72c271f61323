import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildGateway, type BanyanContext, type GatewayComponent } from '../../src/index.ts';
import { checkConfigText } from '../../src/config/load.ts';
import { gatewaySchema, resolveGatewayConfig } from '../../src/gateway-config.ts';
import type { LocalKafka, LocalKafkaOptions } from '../../src/connectors/kafka/local/index.ts';
import { createRootLogger } from '../../src/observability/logger.ts';
import { repeatedJsonKeys } from '../support/json-keys.ts';

const logger = pino({ level: 'silent' });
// Port 1 on loopback refuses connections at once: a "Kafka" that is down, without a broker.
const DOWN = '127.0.0.1:1';

function config(yaml: string) {
  const r = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: {} });
  assert.ok(r.ok);
  return resolveGatewayConfig(r.config.value, '/srv/banyan');
}

function fakeLauncher() {
  const calls: LocalKafkaOptions[] = [];
  let stops = 0;
  const launch = async (options: LocalKafkaOptions): Promise<LocalKafka> => {
    calls.push(options);
    return { brokers: [DOWN], dataDir: options.dataDir, pid: 4242, stop: async () => void stops++, kill: async () => {} };
  };
  return { launch, calls, stops: () => stops };
}

test('with brokers configured the gateway never launches the embedded Kafka, and reports not-ready while they are down', async () => {
  const launcher = fakeLauncher();
  const gw = buildGateway(config(`kafka: { brokers: ["${DOWN}"] }\nhttp: { port: 0 }\n`), { logger, launchLocalKafka: launcher.launch });
  await gw.start();
  assert.equal(launcher.calls.length, 0);
  assert.equal(gw.embeddedKafka, false);
  assert.deepEqual(gw.brokers, [DOWN]);
  const live = await fetch(`${gw.httpAddress}/health/live`);
  assert.equal(live.status, 200);
  const ready = await fetch(`${gw.httpAddress}/health/ready`);
  assert.equal(ready.status, 503);
  const body = (await ready.json()) as { checks: Array<{ name: string; ok: boolean }> };
  assert.deepEqual(body.checks.map((c) => [c.name, c.ok]), [['kafka', false]]);
  await gw.stop();
});

test('with no brokers the embedded Kafka is launched with the data dir next to banyan.yaml and stopped with the gateway', async () => {
  const launcher = fakeLauncher();
  const gw = buildGateway(config('http: { port: 0 }\nkafka: { embedded: { port: 39092 } }\n'), { logger, launchLocalKafka: launcher.launch });
  await gw.start();
  assert.equal(launcher.calls.length, 1);
  assert.equal(launcher.calls[0]!.dataDir, '/srv/banyan/.banyan/kafka');
  assert.equal(launcher.calls[0]!.port, 39092);
  assert.equal(gw.embeddedKafka, true);
  assert.deepEqual(gw.brokers, [DOWN]);
  await gw.stop();
  await gw.stop();
  assert.equal(launcher.stops(), 1, 'stop() is idempotent');
  await assert.rejects(gw.start(), { code: 'BANYAN_ERR_GATEWAY_STOPPED' });
});

test('components start after Kafka and the HTTP server, in order, and stop in reverse', async () => {
  const events: string[] = [];
  const component = (name: string): GatewayComponent => ({
    name,
    start: async () => void events.push(`start ${name}`),
    stop: async () => void events.push(`stop ${name}`),
  });
  const gw = buildGateway(config(`kafka: { brokers: ["${DOWN}"] }\nhttp: { port: 0 }\n`), { logger, components: [component('a'), component('b')] });
  await gw.start();
  await gw.stop();
  assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
});

test('a component gets the gateway config, its Kafka client and topic admin, the logger, the gateway registry, readiness and report pages, nothing else', async () => {
  let seen: BanyanContext | undefined;
  const component: GatewayComponent<BanyanContext> = { name: 'probe', start: async (ctx) => void (seen = ctx), stop: async () => {} };
  const gw = buildGateway(config(`kafka: { brokers: ["${DOWN}"] }\nhttp: { port: 0 }\n`), { logger, components: [component] });
  await gw.start();
  await gw.stop();
  assert.ok(seen);
  assert.deepEqual(Object.keys(seen).sort(), ['config', 'health', 'kafka', 'logger', 'metrics', 'reports']);
  assert.deepEqual(Object.keys(seen.kafka).sort(), ['client', 'topics']);
  assert.equal(seen.config, gw.config);
  assert.equal(seen.logger, gw.logger);
  assert.equal(seen.metrics, gw.metrics.registry, 'components register on the registry the gateway serves on /metrics');
});

test('a failing start undoes what it started (embedded Kafka stopped, port released) and throws a coded error', async () => {
  const launcher = fakeLauncher();
  const failing: GatewayComponent = { name: 'bad', start: async () => Promise.reject(new Error('queue missing')), stop: async () => {} };
  const gw = buildGateway(config('http: { port: 0 }\n'), { logger, launchLocalKafka: launcher.launch, components: [failing] });
  await assert.rejects(gw.start(), (err: { code?: string; message?: string }) => {
    assert.equal(err.code, 'BANYAN_ERR_GATEWAY_START_FAILED');
    assert.match(err.message ?? '', /queue missing/);
    return true;
  });
  assert.equal(launcher.stops(), 1);
  await gw.stop();
  assert.equal(launcher.stops(), 1, 'stop after a failed start does not stop twice');
});

test('the raw-text key check finds the repeated keys JSON.parse hides', () => {
  const text = '{"pid":1,"a":{"x":1,"y":[{"z":1,"z":2}],"x":"}"},"pid":2,"e":"\\"pid\\""}';
  assert.equal((JSON.parse(text) as { pid: number }).pid, 2, 'JSON.parse keeps only the last pid');
  assert.deepEqual(repeatedJsonKeys(text), ['/a/y/0/z', '/a/x', '/pid']);
  assert.deepEqual(repeatedJsonKeys('{"pid":1,"brokerPid":2,"nested":{"pid":3}}'), []);
});

test('the "embedded Kafka is up" line logs the broker JVM pid as brokerPid, and no log line repeats a key', async () => {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  const root = createRootLogger({ level: 'info', destination });
  const launcher = fakeLauncher();
  const gw = buildGateway(config('http: { port: 0 }\n'), { logger: root, launchLocalKafka: launcher.launch });
  await gw.start();
  await gw.stop();

  const up = raw.find((l) => (JSON.parse(l) as { msg?: string }).msg === 'embedded Kafka is up');
  assert.ok(up, `no "embedded Kafka is up" line in:\n${raw.join('\n')}`);
  assert.deepEqual(repeatedJsonKeys(up), [], `repeated keys in ${up}`);
  const line = JSON.parse(up) as { pid?: number; brokerPid?: number };
  assert.equal(line.pid, process.pid, 'pid is this process (the root logger base)');
  assert.equal(line.brokerPid, 4242, 'brokerPid is the JVM the launcher started');
  for (const l of raw) assert.deepEqual(repeatedJsonKeys(l), [], `repeated keys in ${l}`);
});
