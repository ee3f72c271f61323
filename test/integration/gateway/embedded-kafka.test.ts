/**
 * The embedded default end to end: a gateway with no kafka.brokers in a fresh directory starts a
 * real local Kafka (the launcher resolves the broker jars with Maven, see scripts/setup.sh), becomes
 * ready, serves /metrics, stops, and a second gateway on the same directory finds the topic and the
 * record written during the first run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createKafkaClient, createPublisher, createTopicAdmin, type KafkaClient } from '../../../src/connectors/kafka/index.ts';
import { buildGateway, loadGatewayConfig, type Gateway } from '../../../src/index.ts';
import { consumeAll } from '../../support/kafka.ts';

const logger = pino({ level: process.env.BANYAN_TEST_LOG_LEVEL ?? 'silent' });

/** Polls /health/ready until 200; the launcher already waited for Kafka, so this is quick. */
async function waitUntilReady(gateway: Gateway): Promise<{ status: string }> {
  let last = '';
  for (let i = 0; i < 120; i++) {
    const res = await fetch(`${gateway.httpAddress}/health/ready`);
    last = await res.text();
    if (res.status === 200) return JSON.parse(last) as { status: string };
    await sleep(500);
  }
  assert.fail(`gateway never became ready: ${last}`);
}

function client(brokers: readonly string[]): KafkaClient {
  return createKafkaClient({ client_id: 'gateway-test', brokers: [...brokers] });
}

test('with no brokers configured the gateway runs the embedded Kafka, is ready, and its data survives a restart', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-gateway-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'banyan.yaml'), 'http:\n  port: 0\nlog:\n  level: warn\n');
  const config = loadGatewayConfig(join(dir, 'banyan.yaml'), { env: {} });
  assert.equal(config.kafka.brokers, undefined);
  const topic = `gateway-restart-${process.pid}`;

  // First run: start, check health and metrics, write a topic and one record.
  const first = buildGateway(config, { logger });
  t.after(() => first.stop());
  await first.start();
  assert.equal(first.embeddedKafka, true);
  assert.ok(existsSync(join(dir, '.banyan', 'kafka')), 'data lives under ./.banyan/kafka next to banyan.yaml');
  assert.deepEqual(await waitUntilReady(first), { status: 'ready', checks: [{ name: 'kafka', ok: true }] });

  const live = await fetch(`${first.httpAddress}/health/live`);
  assert.equal(live.status, 200);
  const metrics = await (await fetch(`${first.httpAddress}/metrics`)).text();
  assert.match(metrics, /^banyan_ready 1$/m);
  assert.match(metrics, /^process_resident_memory_bytes \d+/m);

  const brokers = first.brokers!;
  const admin = createTopicAdmin({ kafka: client(brokers) });
  assert.deepEqual(await admin.ensureTopics([{ topic, partitions: 2 }]), [topic]);
  await admin.close();
  const publisher = createPublisher({ kafka: client(brokers) });
  await publisher.publish([{ topic, key: 'ACC-1', value: 'survives restarts' }]);
  await publisher.close();

  const address = first.httpAddress!;
  await first.stop();
  await assert.rejects(fetch(`${address}/health/live`), 'the HTTP server is closed after stop()');

  // Second run on the same directory: same broker port (remembered in the data dir), same data.
  const second = buildGateway(loadGatewayConfig(join(dir, 'banyan.yaml'), { env: {} }), { logger });
  t.after(() => second.stop());
  await second.start();
  await waitUntilReady(second);
  assert.deepEqual(second.brokers, brokers);
  const admin2 = createTopicAdmin({ kafka: client(second.brokers!) });
  try {
    assert.equal(await admin2.partitionCount(topic), 2, 'the topic created before the restart still exists');
  } finally {
    await admin2.close();
  }
  // consumeAll reads on to the end offsets, so a duplicate would show as a second record.
  const records = await consumeAll(topic, 1, 30_000, [...second.brokers!]);
  assert.deepEqual(
    records.map((r) => [r.key?.toString(), r.value?.toString()]),
    [['ACC-1', 'survives restarts']],
    'the record written before the restart is still there, once',
  );
  await second.stop();
});
