/**
 * The README's "First run" on the real broker: the shipped bridge (bridges/company-details-file.yaml
 * with the shipped mapping and copybook) run by `banyan run --until-idle` on the shipped sample
 * file (samples/company-details/COMPANY.SAMPLE.DAT), then read back with `banyan consume`.
 *
 * The project is a temp copy of the shipped files, with this run's topic and bridge names put in
 * place of the shipped ones (other tests share the broker); every replacement is checked to have
 * hit, so the rest is the shipped text.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { openRecordCodec } from '../../../src/codec/index.ts';
import { runBanyan } from '../../support/cli.ts';
import { consumeAll, testBrokers, uniqueTopic, type ConsumedRecord } from '../../support/kafka.ts';

const repo = new URL('../../../', import.meta.url).pathname;
const BRIDGE = 'bridges/company-details-file.yaml';
const MAPPING = 'mappings/records/company-details.yaml';
const COPYBOOK = 'mappings/copybooks/company-details.cpy';
const SAMPLE = 'samples/company-details/COMPANY.SAMPLE.DAT';

const topics = { company: uniqueTopic('first-run-company'), contact: uniqueTopic('first-run-contact') };
const dlq = `${topics.company}.dlq`;
const bridgeName = uniqueTopic('company-details-file').toLowerCase();
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'banyan-first-run-'));
  await writeFile(join(root, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n  topics: { partitions: 3 }\n`);
  await copyInto(COPYBOOK, (t) => t);
  // The mapping names the company topic twice (its default and the C case), the contact topic once.
  await copyInto(MAPPING, (t) => replaceEach(replaceEach(t, 'topic: legacy.company.v1\n', `topic: ${topics.company}\n`, 2), 'topic: legacy.company-contact.v1\n', `topic: ${topics.contact}\n`, 1));
  await copyInto(BRIDGE, (t) => replaceEach(replaceEach(t, 'name: company-details-file\n', `name: ${bridgeName}\n`, 1), 'topic: legacy.company.v1 ', `topic: ${topics.company} `, 1));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('the shipped bridge on the shipped sample: companies and contacts on their topics keyed by companyId in file order, the broken record in the dead-letter topic with its bytes and reason', async () => {
  // Before anyone made the inbox: the bridge creates it and says so.
  const empty = await runBanyan(['run', BRIDGE, '--until-idle'], { cwd: root });
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stderr, /created the drop directory .*inbox\/company-details/);
  assert.match(empty.stderr, /0 records read/);

  // README: cp samples/company-details/COMPANY.SAMPLE.DAT inbox/company-details/
  await copyFile(join(repo, SAMPLE), join(root, 'inbox', 'company-details', 'COMPANY.SAMPLE.DAT'));
  const run = await runBanyan(['run', BRIDGE, '--until-idle'], { cwd: root });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`${bridgeName}: 11 records read, 10 published, 1 dead-lettered, 0 skipped`));
  assert.deepEqual(await readdir(join(root, 'inbox', 'company-details', 'archive')), ['COMPANY.SAMPLE.DAT'], 'the file is archived once committed');

  // What the shipped mapping makes of each record, in file order (the codec alone, no Kafka).
  const file = await readFile(join(repo, SAMPLE));
  const records = vRecords(file);
  const codec = openRecordCodec({ mapping: join(repo, MAPPING) });
  const expected = records.map((bytes, i) => codec.decode(bytes, i + 1)!);

  const companies = await consumeAll(topics.company, 3, 30_000);
  const contacts = await consumeAll(topics.contact, 7, 30_000);
  assert.equal(companies.length, 3, 'each company once');
  assert.equal(contacts.length, 7, 'each contact once');
  assert.deepEqual(keysInOrder(companies), { '1000000001': [1], '1000000002': [4], '1000000004': [8] });
  assert.deepEqual(keysInOrder(contacts), { '1000000001': [2, 3], '1000000002': [5], '1000000003': [7], '1000000004': [9, 10, 11] });
  for (const r of [...companies, ...contacts]) {
    const n = Number(r.headers['banyan-record-number']!.toString());
    const want = expected[n - 1]!;
    assert.equal(want.kind, 'event');
    assert.deepEqual(JSON.parse(r.value!.toString()), want.kind === 'event' ? want.value : undefined, `record ${n} decoded as the mapping says`);
    assert.equal(r.key!.toString(), want.kind === 'event' ? want.key : undefined);
    assert.equal(r.headers['banyan-bridge']!.toString(), bridgeName);
  }
  assert.equal(JSON.parse(contacts.find((c) => c.headers['banyan-record-number']!.toString() === '2')!.value!.toString()).contacts.phoneNumber, '************0101', 'phone masked but its last 4');

  const [dead, ...more] = await consumeAll(dlq, 1, 30_000);
  assert.equal(more.length, 0, 'one dead letter');
  assert.deepEqual(dead!.value, records[5], 'the value is record 6 exactly as the file holds it (no RDW)');
  const header = (name: string) => dead!.headers[name]?.toString();
  assert.equal(header('banyan-record-number'), '6');
  assert.equal(header('banyan-error-code'), 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT');
  assert.equal(header('banyan-error-reason'), 'record 6: segment id "X" in field COMPANY-DETAILS.SEGMENT-ID matches no case of the mapping (offset 0, bytes E740404040)');
  assert.equal(header('banyan-error-field'), 'COMPANY-DETAILS.SEGMENT-ID');
  assert.equal(header('banyan-error-offset'), '0');
  assert.equal(header('banyan-error-rule'), "segment id must be one of the ids in the mapping's segments.cases (C, P)");
  assert.equal(header('banyan-error-hex'), 'E740404040');
  assert.equal(header('banyan-file'), 'COMPANY.SAMPLE.DAT');

  // README: banyan consume <dlq> --from-beginning --idle-ms 3000 shows the same, headers as text.
  const shown = await runBanyan(['consume', dlq, '--from-beginning', '--idle-ms', '3000'], { cwd: root });
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: unknown; headers: Record<string, unknown>; value: { base64: string } });
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.headers['banyan-error-reason'], header('banyan-error-reason'));
  assert.equal(lines[0]!.headers['banyan-error-rule'], header('banyan-error-rule'));
  assert.deepEqual(Buffer.from(lines[0]!.value.base64, 'base64'), records[5]);

  // Run again: the file is archived, nothing is read or published twice.
  const again = await runBanyan(['run', BRIDGE, '--until-idle'], { cwd: root });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 records read/);
});

/** Copies a shipped file into the temp project at the same relative path, through `edit`. */
async function copyInto(path: string, edit: (text: string) => string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), edit(await readFile(join(repo, path), 'utf8')));
}

/** `text` with each of the `times` occurrences of `from` replaced; fails when the shipped text has another count. */
function replaceEach(text: string, from: string, to: string, times: number): string {
  const parts = text.split(from);
  assert.equal(parts.length - 1, times, `the shipped text has "${from.trim()}" ${times} time(s)`);
  return parts.join(to);
}

/** The records of a V file (big-endian RDW length including itself), without their RDWs. */
function vRecords(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < file.length; offset += file.readUInt16BE(offset)) out.push(file.subarray(offset + 4, offset + file.readUInt16BE(offset)));
  return out;
}

/** Record numbers per key, in the order the topic holds them (one partition per key, so partition order). */
function keysInOrder(records: readonly ConsumedRecord[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const partitionOf = new Map<string, number>();
  for (const r of [...records].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
    const key = r.key!.toString();
    assert.equal(partitionOf.get(key) ?? r.partition, r.partition, `key ${key} on one partition`);
    partitionOf.set(key, r.partition);
    (out[key] ??= []).push(Number(r.headers['banyan-record-number']!.toString()));
  }
  return out;
}
