/**
 * MQ -> Kafka through the whole bridge (assembleBridge + the pipeline, real Kafka) with the IBM MQ
 * transport on the faithful fake of the `ibmmq` driver (test/support/fake-ibmmq.ts): no IBM MQ
 * queue manager can run here. Copybook payloads arrive decoded on their mapped topics, keyed by
 * their entity, with the MQMD and properties as headers; an undecodable message and a poison
 * message (backed out BOTHRESH times) reach the dead-letter topic, the poison one also BOQNAME, and
 * the queue is empty afterwards: nothing looped, nothing lost.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assembleBridge, loadBridgeFile } from '../../../src/bridge-assembly.ts';
import { readRecordsSync } from '../../../src/codec/framing/index.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { runBridgePipeline } from '../../../src/core/bridge-pipeline.ts';
import { FakeQueueManager } from '../../support/fake-ibmmq.ts';
import { consumeAll, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/codec/', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-mq-kafka-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('copybook messages from an MQ queue: decoded, keyed by entity, MQMD as headers; bad and poison messages dead-lettered; the queue drained', async () => {
  const company = uniqueTopic('mq-company');
  const contact = uniqueTopic('mq-contact');
  const bridgeName = uniqueTopic('mq-companies').toLowerCase();
  await mkdir(join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'bridges'), { recursive: true });
  await copyFile(join(fixtures, 'company-details.cpy'), join(dir, 'mappings', 'company-details.cpy'));
  const mapping = (await readFile(join(fixtures, 'company-details.mapping.yaml'), 'utf8'))
    .replace('topic: legacy.company.v1', `topic: ${company}`)
    .replace('topic: legacy.company-contact.v1', `topic: ${contact}`);
  await writeFile(join(dir, 'mappings', 'company-details.yaml'), mapping);
  const bridgeFile = join(dir, 'bridges', 'companies-mq.yaml');
  await writeFile(
    bridgeFile,
    [
      `name: ${bridgeName}`,
      'source:',
      '  ibm_mq: { queue_manager: QM1, channel: DEV.APP.SVRCONN, connection: "mq(1414)", queue: COMPANY.IN, wait_interval_ms: 50, poll_interval_ms: 10 }',
      'mapping: mappings/company-details.yaml',
      'sink:',
      `  kafka: { topic: ${company} }`,
      'batch: { max_records: 3, max_wait_ms: 20 }',
      '',
    ].join('\n'),
  );
  const bridge = loadBridgeFile(bridgeFile, dir, {});

  // The four records of the company fixture as four messages, then a bad one and a poison one.
  const records = [...readRecordsSync(await readFile(join(fixtures, 'company-details.v.bin')), { format: 'V', rdw: { byteOrder: 'big', includesHeader: true } })].map((r) => Buffer.from(r.bytes));
  assert.equal(records.length, 4);
  const qm = new FakeQueueManager({ ccsid: 37 })
    .defineQueue({ name: 'COMPANY.IN', backoutThreshold: 3, backoutQueue: 'COMPANY.BOQ' })
    .defineQueue({ name: 'COMPANY.BOQ' });
  const putIds = records.map((body, i) => qm.putMessage('COMPANY.IN', { body, ccsid: 37, priority: 5, correlId: Buffer.alloc(24, i + 1), properties: { region: 'EU', batch: 7 } }).md.MsgId);
  const bad = Buffer.from(records[0]!);
  bad[0] = 0xe7; // segment id 'X' (EBCDIC), which the mapping does not list
  const badId = qm.putMessage('COMPANY.IN', { body: bad, ccsid: 37 }).md.MsgId;
  const poison = qm.putMessage('COMPANY.IN', { body: records[1]!, ccsid: 37 });
  poison.md.BackoutCount = 3; // three earlier gets were backed out (HARDENBO keeps the count)

  const kafka = testKafkaClient();
  const topics = createTopicAdmin({ kafka });
  const assembled = await assembleBridge(bridge, dir, kafka, topics, { ibmMqDriver: async () => qm.driver() });
  const summary = await runBridgePipeline({ ...assembled.options, untilIdle: true }, new AbortController().signal);
  await assembled.close();
  await topics.close();
  assert.deepEqual(summary, { records: 6, published: 4, deadLettered: 2, skipped: 0 });

  const companies = await consumeAll(company, 2, 30_000);
  const contacts = await consumeAll(contact, 2, 30_000);
  const events = [...companies, ...contacts];
  assert.equal(events.length, 4);
  for (const e of events) {
    const value = JSON.parse(e.value!.toString()) as { companyId: string };
    assert.equal(e.key!.toString(), value.companyId, 'keyed by the mapping\'s entity field');
    const i = putIds.findIndex((id) => id.toString('hex').toUpperCase() === e.headers['mq-msg-id']!.toString());
    assert.ok(i >= 0, 'the MsgId travels as a header');
    assert.deepEqual(e.headers['mq-msg-id-bytes'], putIds[i], 'and as its 24 raw bytes');
    assert.equal(e.headers['mq-correl-id']!.toString(), Buffer.alloc(24, i + 1).toString('hex').toUpperCase());
    assert.equal(e.headers['mq-priority']!.toString(), '5');
    assert.equal(e.headers['mq-ccsid']!.toString(), '37');
    assert.equal(e.headers['mq-queue']!.toString(), 'COMPANY.IN');
    assert.equal(e.headers['mq-property.region']!.toString(), 'EU');
    assert.deepEqual(JSON.parse(e.headers['mq-property-types']!.toString()), { region: 'string', batch: 'int' });
    assert.equal(e.headers['banyan-event-id']!.toString(), `${bridgeName}/${putIds[i]!.toString('hex').toUpperCase()}`, 'the event id is bridge + MsgId');
  }

  const dead = await consumeAll(`${company}.dlq`, 2, 30_000);
  const byCode = new Map(dead.map((d) => [d.headers['banyan-error-code']!.toString(), d]));
  assert.deepEqual([...byCode.keys()].sort(), ['BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT', 'BANYAN_ERR_MQ_POISON_MESSAGE']);
  const badLetter = byCode.get('BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT')!;
  assert.deepEqual(badLetter.value, bad, 'the raw message bytes');
  assert.equal(badLetter.headers['mq-msg-id']!.toString(), badId.toString('hex').toUpperCase());
  const poisonLetter = byCode.get('BANYAN_ERR_MQ_POISON_MESSAGE')!;
  assert.match(poisonLetter.headers['banyan-error-reason']!.toString(), /backed out 3 times \(BOTHRESH 3\); moved to COMPANY\.BOQ/);
  assert.deepEqual(poisonLetter.value, records[1]);

  assert.equal(qm.visible('COMPANY.IN').length, 0, 'everything got was committed: the bad message is not looped');
  assert.deepEqual(qm.visible('COMPANY.BOQ').map((m) => m.body), [records[1]]);
});
