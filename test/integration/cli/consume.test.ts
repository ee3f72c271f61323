/**
 * `banyan consume` on the real broker, run in-process through the CLI entry with captured output:
 * one JSON object per record, JSON bytes as JSON and other bytes as base64, and the stop rules.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runBanyan } from '../../support/cli.ts';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { testBrokers, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

let dir: string;
const topic = uniqueTopic('consume');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-consume-'));
  await writeFile(join(dir, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n`);
  const kafka = testKafkaClient();
  const admin = createTopicAdmin({ kafka });
  await admin.ensureTopics([{ topic, partitions: 1 }]);
  await admin.close();
  const publisher = createPublisher({ kafka });
  await publisher.publish([
    { topic, key: '9377942526', value: JSON.stringify({ companyId: '9377942526', amount: '12.50' }), headers: { 'banyan-record-number': '1', 'banyan-file': 'COMPANY.DAT' } },
    { topic, key: null, value: Buffer.from([0xc1, 0xc2, 0x00, 0xff]), headers: { 'banyan-error-code': 'BANYAN_ERR_DECODE_PACKED_NIBBLE', 'legacy-msg-id': Buffer.from([0xc1, 0x00, 0xff]) } },
    { topic, key: 'k3', value: null },
  ]);
  await publisher.close();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function consume(args: string[]): Promise<{ code: number; lines: Array<Record<string, unknown>>; stderr: string }> {
  const { code, stdout, stderr } = await runBanyan(['consume', ...args], { cwd: dir });
  return { code, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), stderr };
}

test('--from-beginning --max N prints N records as JSON: JSON values as JSON, other bytes as base64, headers as their text', async () => {
  const { code, lines } = await consume([topic, '--from-beginning', '--max', '3']);
  assert.equal(code, 0);
  assert.equal(lines.length, 3);
  assert.deepEqual(Object.keys(lines[0]!), ['topic', 'partition', 'offset', 'timestamp', 'key', 'headers', 'value']);
  assert.deepEqual(lines[0]!.value, { companyId: '9377942526', amount: '12.50' });
  assert.equal(lines[0]!.key, '9377942526', 'a key is its text, never re-read as a number');
  assert.deepEqual(lines[0]!.headers, { 'banyan-record-number': '1', 'banyan-file': 'COMPANY.DAT' });
  assert.deepEqual(lines[1]!.value, { base64: Buffer.from([0xc1, 0xc2, 0x00, 0xff]).toString('base64') });
  assert.equal(lines[1]!.key, null);
  assert.deepEqual(lines[1]!.headers, { 'banyan-error-code': 'BANYAN_ERR_DECODE_PACKED_NIBBLE', 'legacy-msg-id': { base64: Buffer.from([0xc1, 0x00, 0xff]).toString('base64') } });
  assert.equal(lines[2]!.value, null);
  assert.deepEqual(lines.map((l) => l.offset), [0, 1, 2]);
  assert.equal(lines[0]!.topic, topic);
});

test('--idle-ms ends the read after that long without a record; without --from-beginning only new records are read', async () => {
  const all = await consume([topic, '--from-beginning', '--idle-ms', '3000']);
  assert.equal(all.code, 0);
  assert.equal(all.lines.length, 3, 'all three, then idle');
  const fresh = await consume([topic, '--idle-ms', '1500']);
  assert.equal(fresh.code, 0);
  assert.equal(fresh.lines.length, 0, 'nothing new was published');
});

test('with --group the offsets are committed: a second run continues after the first', async () => {
  const group = uniqueTopic('consume-group');
  const first = await consume([topic, '--from-beginning', '--group', group, '--max', '2']);
  assert.deepEqual(first.lines.map((l) => l.offset), [0, 1]);
  const second = await consume([topic, '--from-beginning', '--group', group, '--idle-ms', '3000']);
  assert.deepEqual(second.lines.map((l) => l.offset), [2]);
});

test('a missing TOPIC or a bad count is a usage error (exit 2) naming the problem', async () => {
  assert.equal((await consume([])).code, 2);
  const bad = await consume([topic, '--max', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max needs a positive whole number, got "lots"/);
});

test('a topic that does not exist is one clear error, not a stack trace', async () => {
  await assert.rejects(consume(['no-such-topic-' + topic, '--max', '1']), { code: 'BANYAN_ERR_KAFKA_TOPIC_MISSING', message: /topic no-such-topic-\S+ does not exist/ });
});
