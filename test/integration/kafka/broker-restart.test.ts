/**
 * The broker dies (SIGKILL) or is stopped cleanly in the middle of a 10,000-event publish and comes
 * back on the same data dir. The caller keeps each batch until Kafka acknowledged it
 * (publishUntilAcknowledged), so afterwards every event must be in Kafka.
 *
 * Duplicate bound asserted: 0 while the producer instance survives the outage. The idempotent
 * producer (KIP-98: producer id + per-partition sequence, acks=all, one request in flight) lets the
 * broker recognise a resent batch it already wrote, and the broker rebuilds producer state from its
 * log after a crash. Only if Kafka forgot the producer (PRODUCER_STATE_LOST, producer re-created)
 * could the one in-flight batch be written twice, so the bound is batches-resent-after-state-loss x
 * batch size; the test reports how often that happened.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BanyanError } from '../../../src/core/errors.ts';
import { pino } from 'pino';
import { createKafkaClient } from '../../../src/connectors/kafka/client.ts';
import { createPublisher, type PublishRecord } from '../../../src/connectors/kafka/publisher.ts';
import { publishUntilAcknowledged } from '../../../src/connectors/kafka/publish-until-acknowledged.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { startLocalKafka, type LocalKafka } from '../../../src/connectors/kafka/local/index.ts';
import { consumeAll, testKafkaVersion, uniqueTopic } from '../../support/kafka.ts';

const EVENTS = 10_000;
const KEYS = 1_000;
const BATCH = 100;
const OUTAGE_AT_BATCH = 40; // of 100
// After SIGTERM, how long stop() waits before SIGKILL (restarted brokers; a clean stop takes ~1 s).
const STOP_TIMEOUT_MS = 10_000;

let dataDir: string;
let broker: LocalKafka;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'banyan-test-kafka-restart-'));
  broker = await startLocalKafka({ dataDir, version: testKafkaVersion() });
});

after(async () => {
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('publishing through a broker outage', () => {
  for (const mode of ['SIGKILL', 'clean stop'] as const) {
    it(`loses no event when the broker is ${mode === 'SIGKILL' ? 'killed (SIGKILL)' : 'stopped cleanly'} and restarted mid-publish, with no duplicates`, async (t) => {
      const brokersBefore = broker.brokers;
      // Two ways through the outage, one per mode. SIGKILL: short client-level retries, so
      // publish() rejects with a retriable error and the caller must keep and resend the batch.
      // Clean stop: kafkajs' default connection retries ride out the restart inside one publish();
      // its error/warn logs are the evidence that publishing went through the outage.
      const clientLog: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => void clientLog.push(line) });
      const kafka = createKafkaClient(
        { brokers: broker.brokers, client_id: 'banyan-test-restart' },
        { logger, retry: mode === 'SIGKILL' ? { retries: 1, initialRetryTimeMs: 100, maxRetryTimeMs: 300 } : undefined },
      );
      const topic = uniqueTopic(`restart-${mode === 'SIGKILL' ? 'kill' : 'stop'}`);
      const admin = createTopicAdmin({ kafka });
      await admin.ensureTopics([{ topic, partitions: 6 }]);
      await admin.close();

      // Short in-call retries so the outage surfaces to the caller, which must keep the batch.
      const publisher = createPublisher({ kafka, retry: { retries: 2, initialRetryTimeMs: 100, maxRetryTimeMs: 1000 } });
      const retries: string[] = [];
      let down: Promise<void> | undefined;
      let outage: Promise<void> | undefined;
      const pidBefore = broker.pid;
      for (let b = 0; b < EVENTS / BATCH; b++) {
        const batch: PublishRecord[] = [];
        for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
          batch.push({ topic, key: `acct-${i % KEYS}`, value: JSON.stringify({ seq: i }), headers: { 'banyan-event-id': String(i) } });
        }
        if (b === OUTAGE_AT_BATCH) {
          // Fire the outage without awaiting it: this batch races the dying broker. The next one
          // waits until the old JVM is gone, so it is certainly published into the outage (a clean
          // stop can otherwise take longer than the rest of the publish).
          down = mode === 'SIGKILL' ? broker.kill() : broker.stop();
          outage = down.then(async () => {
            broker = await startLocalKafka({ dataDir, version: testKafkaVersion(), stopTimeoutMs: STOP_TIMEOUT_MS });
          });
        }
        if (b === OUTAGE_AT_BATCH + 1) await down;
        await publishUntilAcknowledged(publisher, batch, {
          initialBackoffMs: 100,
          maxBackoffMs: 1000,
          onRetry: (err: BanyanError) => retries.push(err.code),
        });
      }
      await outage;
      await publisher.close();
      assert.notEqual(broker.pid, pidBefore, 'the broker was really restarted');
      assert.deepEqual(broker.brokers, brokersBefore, 'the restarted broker kept its port');

      const records = await consumeAll(topic, EVENTS, 120_000, broker.brokers);
      const seen = new Map<number, number>();
      for (const r of records) {
        const id = Number(r.headers['banyan-event-id']?.toString());
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      const missing = Array.from({ length: EVENTS }, (_, i) => i).filter((i) => !seen.has(i));
      const duplicates = records.length - seen.size;
      const stateLost = retries.filter((c) => c === 'BANYAN_ERR_KAFKA_PRODUCER_STATE_LOST').length;
      const clientErrors = clientLog.filter((l) => /"level":(40|50)/.test(l)).length;
      t.diagnostic(
        `${mode}: ${records.length} records read, ${seen.size} distinct events, ${missing.length} missing, ${duplicates} duplicates; ` +
          `caller retried ${retries.length} times (${[...new Set(retries)].join(', ') || 'none'}), kafkajs logged ${clientErrors} connection warnings/errors`,
      );
      if (mode === 'SIGKILL') assert.ok(retries.length > 0, 'publish() rejected during the outage and the caller resent the batch');
      else assert.ok(retries.length + clientErrors > 0, 'publishing went through the outage (kafkajs reconnects or caller retries)');
      assert.deepEqual(missing, [], 'no event lost');
      assert.ok(duplicates <= stateLost * BATCH, `duplicates ${duplicates} within the bound ${stateLost * BATCH}`);
      assert.equal(stateLost, 0, 'the broker kept the idempotent producer state across the restart');

      // Per-key order survived the outage: within each key's partition, sequence numbers ascend.
      const lastSeq = new Map<string, number>();
      for (const r of [...records].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))) {
        const key = r.key?.toString() ?? '';
        const seq = (JSON.parse(r.value?.toString() ?? '{}') as { seq: number }).seq;
        assert.ok(seq > (lastSeq.get(key) ?? -1), `key ${key}: seq ${seq} after ${lastSeq.get(key)}`);
        lastSeq.set(key, seq);
      }
    });
  }

  it('refuses to start a second broker on a data dir in use, and keeps Kafka’s own log in the data dir', async () => {
    await assert.rejects(startLocalKafka({ dataDir, version: testKafkaVersion() }), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_DATA_DIR_IN_USE');
    assert.ok((await stat(join(dataDir, 'kafka.log'))).size > 0);
  });

  it('stop() falls back to SIGKILL when the broker ignores SIGTERM', async () => {
    const { pid } = broker;
    // A stopped (SIGSTOP) process leaves SIGTERM pending forever; only SIGKILL can end it.
    process.kill(pid, 'SIGSTOP');
    await broker.stop();
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the JVM is gone');
  });
});
