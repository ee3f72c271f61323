import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadGatewayConfig } from '../../../src/gateway-config.ts';
import { ConfigError, formatIssue } from '../../../src/config/issues.ts';
import { renderServerProperties } from '../../../src/connectors/kafka/local/broker-config.ts';
import { DEFAULT_KAFKA_VERSION, kafkaMajorVersion } from '../../../src/connectors/kafka/local/jars.ts';
import { loadBridgeFiles } from '../../../src/bridges/bridge-files.ts';

const root = new URL('../../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as {
  services: Record<string, { image?: string; build?: unknown; depends_on?: string[] | Record<string, unknown>; environment?: Record<string, unknown> | string[]; ports?: string[]; volumes?: string[] }>;
};
const banyanYamlPath = new URL('banyan.yaml', root).pathname;

/** docker compose's own `${VAR:-default}` interpolation, with an empty shell environment. */
function composeValue(v: unknown): string {
  return String(v).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback?: string) => fallback ?? '');
}

function environmentOf(service: string): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  const entries = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(env);
  return Object.fromEntries(entries.map(([k, v]) => [k, composeValue(v ?? '')]));
}

/** `${VAR}` names used in the values of a YAML file (comments do not count). */
function referencedVariables(file: string): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parse(readFileSync(file, 'utf8')));
  return names;
}

test('compose runs Kafka (apache/kafka), IBM MQ developer edition, Db2 community edition and Banyan built from the Dockerfile', () => {
  const s = compose.services;
  assert.match(s.kafka?.image ?? '', /^apache\/kafka:/);
  assert.match(s.mq?.image ?? '', /^icr\.io\/ibm-messaging\/mq(:|$)/);
  assert.match(s.db2?.image ?? '', /^icr\.io\/db2_community\/db2(:|$)/);
  assert.ok(s.banyan?.build, 'banyan is built from the Dockerfile');
  assert.equal(s.banyan?.image, undefined);
  const pinnedMajor = readFileSync(new URL('.node-version', root), 'utf8').trim().split('.')[0];
  const imageMajor = /^FROM node:(\d+)/m.exec(readFileSync(new URL('Dockerfile', root), 'utf8'))?.[1];
  assert.equal(imageMajor, pinnedMajor, 'the image runs the Node major that .node-version pins');
});

test('compose runs the same Apache Kafka version as the embedded default', () => {
  assert.equal(compose.services.kafka?.image, `apache/kafka:${DEFAULT_KAFKA_VERSION}`, 'docker-compose.yml and DEFAULT_KAFKA_VERSION (src/connectors/kafka/local/jars.ts) drifted');
});

test('compose sets every internal-topic replication setting the embedded broker sets, to the same value', () => {
  // apache/kafka maps KAFKA_<KEY> to <key> with "_" for "." (its docker/README).
  const env = environmentOf('kafka');
  const launcher = renderServerProperties({ dataDir: '/d', port: 1, controllerPort: 2, major: kafkaMajorVersion(DEFAULT_KAFKA_VERSION) })
    .split('\n')
    .filter((l) => /(replication\.factor|min\.isr)=/.test(l))
    .map((l) => l.split('='));
  assert.ok(launcher.some(([k]) => k!.startsWith('share.coordinator.')) === kafkaMajorVersion(DEFAULT_KAFKA_VERSION) >= 4);
  for (const [key, value] of launcher) {
    const name = `KAFKA_${key!.toUpperCase().replaceAll('.', '_')}`;
    assert.equal(env[name], value, `${name} (${key}) in docker-compose.yml`);
  }
});

test('Banyan starts after Kafka', () => {
  const deps = compose.services.banyan?.depends_on ?? [];
  assert.ok((Array.isArray(deps) ? deps : Object.keys(deps)).includes('kafka'));
});

/** The bridge files of the directory the compose Banyan runs (BANYAN_BRIDGES_DIR, relative to /app = the repository). */
function composeBridgeFiles(): string[] {
  const dir = new URL(`${environmentOf('banyan').BANYAN_BRIDGES_DIR}/`, root);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => new URL(f, dir).pathname);
}

test('every environment variable the Banyan service sets is read by banyan.yaml or a compose bridge, and the result validates', () => {
  const env = environmentOf('banyan');
  const used = new Set([...referencedVariables(banyanYamlPath), ...composeBridgeFiles().flatMap((f) => [...referencedVariables(f)])]);
  for (const name of Object.keys(env)) assert.ok(used.has(name), `${name} is set by docker-compose.yml but banyan.yaml never reads it`);
  let config;
  try {
    config = loadGatewayConfig(banyanYamlPath, { env });
  } catch (err) {
    if (err instanceof ConfigError) assert.fail(err.issues.map(formatIssue).join('\n'));
    throw err;
  }
  assert.deepEqual(config.kafka.brokers, ['kafka:9092'], 'Banyan uses the compose Kafka, not the embedded one');
  assert.equal(config.http.host, '0.0.0.0');
  assert.ok(compose.services.banyan?.ports?.includes(`127.0.0.1:${config.http.port}:${config.http.port}`), 'the metrics port is published on loopback');
});

test('the broker address Banyan is given is one Kafka advertises', () => {
  const advertised = environmentOf('kafka').KAFKA_ADVERTISED_LISTENERS ?? '';
  const brokers = environmentOf('banyan').BANYAN_KAFKA_BROKERS ?? '';
  for (const b of brokers.split(',')) assert.ok(advertised.split(',').some((l) => l.endsWith(`//${b}`)), `${b} not in ${advertised}`);
});

test('without the compose variables the shipped banyan.yaml runs the embedded Kafka on loopback', () => {
  const config = loadGatewayConfig(banyanYamlPath, { env: {} });
  assert.equal(config.kafka.brokers, undefined);
  assert.equal(config.http.host, '127.0.0.1');
  assert.ok(config.kafka.embedded.data_dir.endsWith('/.banyan/kafka'));
});

test('every service publishes its ports on the host loopback only', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port} beyond loopback`);
  }
});

test('the compose bridges validate, and every MQ queue they read is defined by the MQSC file the MQ container runs', () => {
  const mqsc = readFileSync(new URL('deploy/mq/banyan.mqsc', root), 'utf8');
  const defined = new Set([...mqsc.matchAll(/^DEFINE QLOCAL\(([^)]+)\)/gm)].map((m) => m[1]!));
  assert.ok(compose.services.mq?.volumes?.some((v) => v.startsWith('./deploy/mq/banyan.mqsc:/etc/mqm/')), 'the MQ container runs the MQSC file at start');
  let bridges;
  try {
    bridges = loadBridgeFiles(composeBridgeFiles(), new URL('.', root).pathname, environmentOf('banyan'));
  } catch (err) {
    if (err instanceof ConfigError) assert.fail(err.issues.map(formatIssue).join('\n'));
    throw err;
  }
  const mqBridges = bridges.filter((b) => b.source.ibm_mq);
  assert.ok(mqBridges.length > 0, 'compose runs at least one MQ bridge');
  for (const b of mqBridges) {
    const queues = b.source.ibm_mq!.queues ?? [b.source.ibm_mq!.queue!];
    for (const q of queues) {
      const name = typeof q === 'string' ? q : q.name;
      assert.ok(defined.has(name), `${b.name} reads ${name}, which deploy/mq/banyan.mqsc does not define`);
      const line = mqsc.split('\n').find((l) => l.startsWith(`DEFINE QLOCAL(${name})`)) ?? '';
      assert.match(line, /BOTHRESH\(\d+\) BOQNAME\(([^)]+)\)/, `${name} has a backout threshold and queue, so poison messages leave it`);
      assert.ok(defined.has(/BOQNAME\(([^)]+)\)/.exec(line)![1]!), 'its backout queue is defined too');
    }
  }
});
