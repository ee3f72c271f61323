/**
 * The bridge pipeline end to end on the real broker: record files in a drop directory -> file
 * source -> codec (mapping) -> Kafka sink -> checkpoint topic -> source commit. Checked: every
 * record on its mapped topic keyed by its entity in file order, the bad one in the dead-letter topic
 * with its raw bytes and reason, the ones after it still delivered, and a restarted bridge resuming
 * from its checkpoint without loss.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRecordCodec } from '../../../src/codec/index.ts';
import { codecProvenance, recordDecoder } from '../../../src/codec/record-decisions.ts';
import { runBridgePipeline, type BridgePipelineOptions } from '../../../src/core/bridge-pipeline.ts';
import type { Sink } from '../../../src/core/bridge-contracts.ts';
import { createFileSource } from '../../../src/connectors/file/file-source.ts';
import { createKafkaCheckpointStore } from '../../../src/connectors/kafka/checkpoint-store.ts';
import { createKafkaSink } from '../../../src/connectors/kafka/kafka-sink.ts';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { consumeAll, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/codec/', import.meta.url).pathname;
const kafka = testKafkaClient();
const admin = createTopicAdmin({ kafka });
const checkpointPublishers: Array<{ close(): Promise<void> }> = [];
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-file-bridge-'));
});
after(async () => {
  for (const p of checkpointPublishers) await p.close();
  await admin.close();
  await rm(dir, { recursive: true, force: true });
});

/** A mapping like the fixture's, with this run's topics (the fixture's names are shared by other tests). */
async function companyMapping(prefix: string): Promise<{ path: string; company: string; contact: string }> {
  const company = uniqueTopic(`${prefix}-company`);
  const contact = uniqueTopic(`${prefix}-contact`);
  const text = (await readFile(join(fixtures, 'company-details.mapping.yaml'), 'utf8'))
    .replace(`copybook: company-details.cpy`, `copybook: ${join(fixtures, 'company-details.cpy')}`)
    .replace('topic: legacy.company.v1', `topic: ${company}`)
    .replace('topic: legacy.company-contact.v1', `topic: ${contact}`)
    .replace('segments:\n  field: SEGMENT-ID', 'segments:\n  otherwise: dlq\n  field: SEGMENT-ID');
  const path = join(dir, `${prefix}.mapping.yaml`);
  await writeFile(path, text);
  return { path, company, contact };
}

function options(bridge: string, inbox: string, mappingPath: string, dlq: string, sink: Sink): BridgePipelineOptions {
  const codec = openRecordCodec({ mapping: mappingPath });
  const publisher = createPublisher({ kafka });
  checkpointPublishers.push(publisher);
  return {
    provenance: codecProvenance(bridge, codec, 'company-details', '1'),
    source: createFileSource({ dir: inbox, framing: codec.framing }),
    decode: recordDecoder(codec, 'unused'),
    sink,
    checkpoints: createKafkaCheckpointStore({ kafka, publisher, admin, bridge, topic: `${bridge}.checkpoints` }),
    deadLetterTopic: dlq,
    limits: { maxRecords: 2, maxBytes: 1 << 20, maxWaitMs: 0 },
    idlePollMs: 50,
    backoff: { initialMs: 100, maxMs: 1000 },
    untilIdle: true,
  };
}

test('a multi-segment V file: each record on its segment topic keyed by company, the unknown segment dead-lettered, the rest still delivered', async () => {
  const inbox = await mkdtemp(join(dir, 'inbox-'));
  const { path, company, contact } = await companyMapping('seg');
  const dlq = `${company}.dlq`;
  await admin.ensureTopics([{ topic: company, partitions: 3 }, { topic: contact, partitions: 3 }, { topic: dlq, partitions: 1 }]);
  // The fixture file, with its third record's segment id turned into an unknown one (EBCDIC 'X' = 0xE7).
  const file = Buffer.from(await readFile(join(fixtures, 'company-details.v.bin')));
  const codec = openRecordCodec({ mapping: path });
  const expected: Array<{ topic: string; key: string | null; value: string }> = [];
  let offset = 0;
  let n = 0;
  while (offset < file.length) {
    const length = file.readUInt16BE(offset);
    n++;
    if (n === 3) file[offset + 4] = 0xe7;
    const out = codec.decode(file.subarray(offset + 4, offset + length), n);
    if (out?.kind === 'event') expected.push({ topic: out.topic!, key: out.key, value: JSON.stringify(out.value) });
    offset += length;
  }
  await writeFile(join(inbox, 'COMPANY.DAT'), file);

  const bridge = uniqueTopic('bridge-seg');
  const sink = createKafkaSink(createPublisher({ kafka }));
  const summary = await runBridgePipeline(options(bridge, inbox, path, dlq, sink), new AbortController().signal);
  await sink.close();
  assert.deepEqual(summary, { records: n, published: n - 1, deadLettered: 1, skipped: 0 });

  const companies = await consumeAll(company, expected.filter((e) => e.topic === company).length, 30_000);
  const contacts = await consumeAll(contact, expected.filter((e) => e.topic === contact).length, 30_000);
  const got = [...companies, ...contacts];
  assert.equal(got.length, n - 1, 'every good record once');
  for (const topic of [company, contact]) {
    // Per key, in file order.
    const byKey = new Map<string, string[]>();
    for (const r of got.filter((g) => g.topic === topic)) byKey.set(r.key!.toString(), [...(byKey.get(r.key!.toString()) ?? []), r.value!.toString()]);
    const want = new Map<string, string[]>();
    for (const e of expected.filter((x) => x.topic === topic)) want.set(e.key!, [...(want.get(e.key!) ?? []), e.value]);
    assert.deepEqual(byKey, want, topic);
  }
  const partitionsByKey = new Map<string, Set<number>>();
  for (const r of got) partitionsByKey.set(`${r.topic}/${r.key}`, (partitionsByKey.get(`${r.topic}/${r.key}`) ?? new Set()).add(r.partition));
  for (const [k, parts] of partitionsByKey) assert.equal(parts.size, 1, `${k} on one partition`);

  const [dead] = await consumeAll(dlq, 1, 30_000);
  assert.equal(dead!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT');
  assert.equal(dead!.headers['banyan-record-number']!.toString(), '3');
  assert.equal(dead!.headers['banyan-bridge']!.toString(), bridge);
  assert.match(dead!.headers['banyan-error-reason']!.toString(), /record 3/);
  assert.equal(dead!.value![0], 0xe7, 'the raw record bytes are the value');
  assert.deepEqual(await readdir(join(inbox, 'archive')), ['COMPANY.DAT'], 'the committed file is archived');
  assert.equal(got[0]!.headers['banyan-copybook-sha256']!.toString().length, 64);
});

test('a restarted bridge resumes from its Kafka checkpoint: nothing lost, nothing read twice', async () => {
  const inbox = await mkdtemp(join(dir, 'inbox-'));
  const { path, company, contact } = await companyMapping('resume');
  const dlq = `${company}.dlq`;
  await admin.ensureTopics([{ topic: company, partitions: 3 }, { topic: contact, partitions: 3 }, { topic: dlq, partitions: 1 }]);
  await copyFile(join(fixtures, 'company-details.v.bin'), join(inbox, 'COMPANY.DAT'));
  const bridge = uniqueTopic('bridge-resume');

  // First run: stop after the first batch is committed (its sink aborts the run on its first write).
  const stop = new AbortController();
  const publisher = createPublisher({ kafka });
  const kafkaSink = createKafkaSink(publisher);
  const stoppingSink: Sink = {
    async write(records, position) {
      await kafkaSink.write(records, position);
      stop.abort();
    },
    close: () => kafkaSink.close(),
  };
  // One record a batch: batch 1's write stops the run, batch 2 was read ahead and is finished too.
  const firstRun = { ...options(bridge, inbox, path, dlq, stoppingSink), untilIdle: false, limits: { maxRecords: 1, maxBytes: 1 << 20, maxWaitMs: 0 } };
  const first = await runBridgePipeline(firstRun, stop.signal);
  await stoppingSink.close();
  assert.equal(first.records, 2, 'the batch in flight at shutdown was written and committed');
  assert.deepEqual(await readdir(inbox), ['COMPANY.DAT'], 'half-read: not archived');

  const sink = createKafkaSink(createPublisher({ kafka }));
  const second = await runBridgePipeline(options(bridge, inbox, path, dlq, sink), new AbortController().signal);
  await sink.close();
  const total = first.records + second.records;
  const records = [...(await consumeAll(company, 1, 30_000)), ...(await consumeAll(contact, 1, 30_000))];
  const ids = records.map((r) => r.headers['banyan-event-id']!.toString());
  assert.equal(new Set(ids).size, ids.length, 'no event id twice');
  assert.equal(second.records, 2, 'the restarted bridge read only what the checkpoint did not cover');
  assert.equal(total, 4, 'the fixture file has 4 records');
  assert.equal(records.length, total, `${first.records} + ${second.records} records, each once`);
  assert.deepEqual(await readdir(join(inbox, 'archive')), ['COMPANY.DAT']);
});
