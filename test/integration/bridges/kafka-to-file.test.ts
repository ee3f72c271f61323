/**
 * Kafka -> file bridges on the real broker, through `banyan run` as a migration team runs them:
 * file -> Kafka -> file gives back the same bytes for canonical input (F on one partition: the very
 * file; V with two segment topics on three partitions: the same records), events that cannot be
 * encoded reach the dead-letter topic with their reason while the others reach the file, with a
 * trailer counting them, and a bridge killed mid-stream (SIGKILL) leaves no partial file and, once
 * restarted, no record missing or written twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { getCodePage, openRecordCodec } from '../../../src/codec/index.ts';
import { readRecordsSync } from '../../../src/codec/framing/index.ts';
import { runBanyan } from '../../support/cli.ts';
import { consumeAll, oracleKafkajs, testBrokers, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/bridges/', import.meta.url).pathname;
const bin = new URL('../../../bin/banyan.js', import.meta.url).pathname;
const cp037 = getCodePage('cp037');
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'banyan-kafka-to-file-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A project directory: banyan.yaml on the test broker, the fixture mapping with `topics` replaced, bridge files. */
async function project(name: string, partitions: number, mapping: 'accounts' | 'company', replace: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(root, `${name}-`));
  await writeFile(join(dir, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n  topics: { partitions: ${partitions} }\n`);
  await mkdir(join(dir, 'mappings'));
  await mkdir(join(dir, 'bridges'));
  await copyFile(join(fixtures, mapping === 'accounts' ? 'accounts.cpy' : 'company-details.cpy'), join(dir, 'mappings', mapping === 'accounts' ? 'accounts.cpy' : 'company-details.cpy'));
  let text = await readFile(join(fixtures, `${mapping}.mapping.yaml`), 'utf8');
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  await writeFile(join(dir, 'mappings', `${mapping}.yaml`), text);
  return dir;
}

async function bridgeFile(dir: string, file: string, lines: string[]): Promise<string> {
  const path = join('bridges', file);
  await writeFile(join(dir, path), `${lines.join('\n')}\n`);
  return path;
}

/** The data files a sink wrote, in name order (its state file and temporaries start with "."). */
async function outputFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
}

test('file -> Kafka -> file: a canonical F file on one partition comes back byte for byte, in files of at most roll.records records', async () => {
  const topic = uniqueTopic('accounts');
  const dir = await project('f-roundtrip', 1, 'accounts', { 'topic: legacy.accounts.v1': `topic: ${topic}` });
  await mkdir(join(dir, 'inbox'));
  await copyFile(join(fixtures, 'accounts.canonical.f.bin'), join(dir, 'inbox', 'ACCOUNTS.DAT'));
  const into = await bridgeFile(dir, 'accounts-in.yaml', [`name: ${uniqueTopic('accounts-in')}`, 'source:', '  file: { dir: inbox }', 'mapping: mappings/accounts.yaml', 'sink:', `  kafka: { topic: ${topic} }`]);
  const out = await bridgeFile(dir, 'accounts-out.yaml', [
    `name: ${uniqueTopic('accounts-out')}`,
    'source:',
    `  kafka: { topics: [${topic}] }`,
    'mapping: mappings/accounts.yaml',
    'sink:',
    '  file: { dir: out, name: "ACCOUNTS.{seq}.DAT", roll: { records: 5, ms: 300 } }',
  ]);
  const validate = await runBanyan(['validate'], { cwd: dir });
  assert.equal(validate.code, 0, `banyan validate accepts both directions: ${validate.stdout}${validate.stderr}`);

  const first = await runBanyan(['run', into, '--until-idle'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr);
  const back = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stderr, /12 records read, 12 published, 0 dead-lettered/);

  const names = await outputFiles(join(dir, 'out'));
  assert.ok(names.length >= 3, `12 records at most 5 a file: ${names.join(', ')}`);
  const parts = await Promise.all(names.map((n) => readFile(join(dir, 'out', n))));
  for (const [i, p] of parts.entries()) assert.ok(p.length > 0 && p.length <= 5 * 20, `${names[i]}: ${p.length} bytes`);
  assert.deepEqual(Buffer.concat(parts), await readFile(join(fixtures, 'accounts.canonical.f.bin')), 'the files, in name order, are the input file');

  // Everything was committed: a second run finds nothing to write.
  const again = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 records read/);
  assert.deepEqual(await outputFiles(join(dir, 'out')), names);
});

test('file -> Kafka -> file: a canonical V file of two segments, spread over two topics of three partitions, comes back as the same records with their RDWs', async () => {
  const company = uniqueTopic('company');
  const contact = uniqueTopic('contact');
  const dir = await project('v-roundtrip', 3, 'company', { 'topic: legacy.company.v1': `topic: ${company}`, 'topic: legacy.company-contact.v1': `topic: ${contact}` });
  await mkdir(join(dir, 'inbox'));
  await copyFile(join(fixtures, 'company.canonical.v.bin'), join(dir, 'inbox', 'COMPANY.DAT'));
  const into = await bridgeFile(dir, 'company-in.yaml', [`name: ${uniqueTopic('company-in')}`, 'source:', '  file: { dir: inbox }', 'mapping: mappings/company.yaml', 'sink:', `  kafka: { topic: ${company} }`]);
  const out = await bridgeFile(dir, 'company-out.yaml', [
    `name: ${uniqueTopic('company-out')}`,
    'source:',
    `  kafka: { topics: [${company}, ${contact}] }`,
    'mapping: mappings/company.yaml',
    'sink:',
    '  file: { dir: out, roll: { ms: 300 } }',
  ]);
  assert.equal((await runBanyan(['run', into, '--until-idle'], { cwd: dir })).code, 0);
  const back = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(back.code, 0, back.stderr);

  const framing = { format: 'V' as const };
  const recordsOf = (bytes: Uint8Array) => [...readRecordsSync(bytes, framing)].map((r) => Buffer.from(r.bytes).toString('hex')).sort();
  const written: string[] = [];
  for (const n of await outputFiles(join(dir, 'out'))) written.push(...recordsOf(await readFile(join(dir, 'out', n))));
  const input = recordsOf(await readFile(join(fixtures, 'company.canonical.v.bin')));
  assert.equal(input.length, 4);
  assert.deepEqual(written.sort(), input, 'every record once, byte for byte (order across partitions is Kafka\'s)');
});

test('an event that cannot be encoded goes to the dead-letter topic with its reason and raw bytes; the others reach the file, between a header and a trailer that counts them', async () => {
  const topic = uniqueTopic('accounts-dlq');
  const dir = await project('dlq', 1, 'accounts', { 'framing: { format: F }': 'framing: { format: F, file_header_bytes: 20, file_trailer_bytes: 20 }' });
  const bridge = uniqueTopic('accounts-dlq-out');
  const out = await bridgeFile(dir, 'out.yaml', [
    `name: ${bridge}`,
    'source:',
    `  kafka: { topics: [${topic}], group: ${bridge}-group }`,
    'mapping: mappings/accounts.yaml',
    'sink:',
    '  file: { dir: out, roll: { ms: 300 }, header: "HDR ACCTS {date}", trailer: "TRL {count:9}" }',
  ]);
  const good = [
    { accountNo: 'ACC00001', balance: '-10.50', branch: 7, statusCode: 'OPN' },
    { accountNo: 'ACC00002', balance: '2000.00', branch: 8, statusCode: 'CLS' },
  ];
  const producer = oracleKafkajs().producer();
  await producer.connect();
  const admin = oracleKafkajs().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  await producer.send({
    topic,
    messages: [
      { value: JSON.stringify(good[0]) },
      { value: 'ACC00003;12.00' },
      { value: JSON.stringify(good[1]) },
      { value: JSON.stringify({ accountNo: 'ACC00004', balance: '123456789.00', branch: 9, statusCode: 'OPN' }) },
    ],
  });
  await producer.disconnect();

  const run = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /4 records read, 2 published, 2 dead-lettered/);

  const dead = await consumeAll(`${bridge}.dlq`, 2, 30_000);
  assert.equal(dead.length, 2);
  const [notJson, overflow] = dead;
  assert.equal(notJson!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_ENCODE_TYPE');
  assert.match(notJson!.headers['banyan-error-reason']!.toString(), new RegExp(`event ${topic}/0/1: the value is not JSON`));
  assert.equal(notJson!.value!.toString(), 'ACC00003;12.00', 'the raw event is the dead letter');
  assert.equal(notJson!.headers['banyan-kafka-offset']!.toString(), '1');
  assert.equal(overflow!.headers['banyan-error-code']!.toString(), 'BANYAN_ERR_ENCODE_OVERFLOW');
  assert.equal(overflow!.headers['banyan-error-field']!.toString(), 'ACCOUNT.BALANCE');
  assert.match(overflow!.headers['banyan-error-reason']!.toString(), /field ACCOUNT\.BALANCE: value has more integer digits than the field holds/);
  assert.match(overflow!.headers['banyan-error-rule']!.toString(), /more integer digits/);

  const codec = openRecordCodec({ mapping: join(dir, 'mappings', 'accounts.yaml') });
  const names = await outputFiles(join(dir, 'out'));
  const events: unknown[] = [];
  let trailerCount = 0;
  for (const n of names) {
    const bytes = await readFile(join(dir, 'out', n));
    assert.match(cp037.decode(bytes, 0, 20), /^HDR ACCTS \d{8}  $/, `${n}: the header, in cp037, padded to file_header_bytes`);
    const trailer = cp037.decode(bytes, bytes.length - 20, bytes.length);
    assert.match(trailer, /^TRL \d{9} {7}$/);
    trailerCount += Number(trailer.slice(4, 13));
    // A file bridge with the same mapping skips header and trailer and reads only the records.
    for (const r of readRecordsSync(bytes, codec.framing)) {
      const outcome = codec.decode(r.bytes, r.recordNumber);
      assert.equal(outcome?.kind, 'event');
      if (outcome?.kind === 'event') events.push(outcome.value);
    }
  }
  assert.deepEqual(events, good);
  assert.equal(trailerCount, 2, 'the trailers count the records written');
});

test('a Kafka -> file bridge killed mid-stream (SIGKILL) leaves no partial file; restarted, it writes every record exactly once', { timeout: 180_000 }, async () => {
  const topic = uniqueTopic('accounts-kill');
  const dir = await project('kill', 3, 'accounts');
  const total = 400;
  const admin = oracleKafkajs().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();
  const producer = oracleKafkajs().producer();
  await producer.connect();
  const values = Array.from({ length: total }, (_, i) => ({ accountNo: `K${String(i).padStart(7, '0')}`, balance: `${i}.25`, branch: i % 10000, statusCode: 'OPN' }));
  await producer.send({ topic, messages: values.map((v) => ({ key: v.accountNo, value: JSON.stringify(v) })) });
  await producer.disconnect();
  const out = await bridgeFile(dir, 'out.yaml', [
    `name: ${uniqueTopic('accounts-kill-out')}`,
    'source:',
    `  kafka: { topics: [${topic}] }`,
    'mapping: mappings/accounts.yaml',
    'sink:',
    '  file: { dir: out, roll: { records: 7, ms: 50 } }',
  ]);
  const outDir = join(dir, 'out');
  await mkdir(outDir);

  // First run in a child process, killed while it writes: at the first temporary file seen after a few finished ones.
  const child = spawn(process.execPath, [bin, 'run', '--config', 'banyan.yaml', out], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let finished = 0;
  let tempAtKill = false;
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(outDir, (_event, name) => {
      if (!name || name.endsWith('.file-sink.json') || name.endsWith('.file-sink.json.tmp')) return;
      if (!name.startsWith('.')) finished++;
      else if (name.endsWith('.dat.tmp') && finished >= 3 && child.exitCode === null) {
        tempAtKill = true;
        child.kill('SIGKILL');
        watcher.close();
        resolve();
      }
    });
    void exited.then(() => {
      watcher.close();
      reject(new Error(`the bridge exited before it was killed: ${stderr}`));
    });
  });
  assert.equal(await exited, 'SIGKILL');
  const afterKill = await readdir(outDir);
  process.stdout.write(`# killed after ${finished} file events; temporaries left by the kill: ${afterKill.filter((n) => n.endsWith('.tmp')).join(', ') || 'none'}\n`);
  const written = (await outputFiles(outDir)).length;
  assert.ok(written < Math.ceil(total / 7), `killed mid-stream: ${written} files of about ${Math.ceil(total / 7)} written`);

  // Restart: it recovers the directory, resumes after what its files hold, and drains the topic.
  const restarted = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(restarted.code, 0, restarted.stderr);
  const leftovers = (await readdir(outDir)).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(leftovers, [], `no temporary file left (after the kill: ${afterKill.filter((n) => n.endsWith('.tmp')).join(', ') || 'none'}; kill seen at a temp: ${tempAtKill})`);

  const codec = openRecordCodec({ mapping: join(dir, 'mappings', 'accounts.yaml') });
  const seen = new Map<string, number>();
  for (const n of await outputFiles(outDir)) {
    const bytes = await readFile(join(outDir, n));
    assert.equal(bytes.length % 20, 0, `${n} holds whole records`);
    for (const r of readRecordsSync(bytes, codec.framing)) {
      const e = codec.decode(r.bytes, r.recordNumber);
      assert.equal(e?.kind, 'event', `${n} record ${r.recordNumber}`);
      if (e?.kind === 'event') seen.set(String(e.value.accountNo), (seen.get(String(e.value.accountNo)) ?? 0) + 1);
    }
  }
  const missing = values.filter((v) => !seen.has(v.accountNo)).length;
  const duplicated = [...seen.values()].filter((c) => c > 1).length;
  assert.deepEqual({ records: seen.size, missing, duplicated }, { records: total, missing: 0, duplicated: 0 });
});

test('offsets recorded with the files win over the group\'s commit: a crash after the rename but before the offset commit writes nothing twice', async () => {
  const topic = uniqueTopic('accounts-recorded');
  const dir = await project('recorded', 1, 'accounts');
  const admin = oracleKafkajs().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = oracleKafkajs().producer();
  await producer.connect();
  const values = Array.from({ length: 10 }, (_, i) => ({ accountNo: `R${String(i).padStart(7, '0')}`, balance: `${i}.00`, branch: i, statusCode: 'OPN' }));
  await producer.send({ topic, messages: values.map((v) => ({ value: JSON.stringify(v) })) });
  await producer.disconnect();
  const bridge = uniqueTopic('accounts-recorded-out');
  const out = await bridgeFile(dir, 'out.yaml', [`name: ${bridge}`, 'source:', `  kafka: { topics: [${topic}] }`, 'mapping: mappings/accounts.yaml', 'sink:', '  file: { dir: out, roll: { ms: 200 } }']);
  // What a bridge killed between renaming its file (records 0-5) and committing offset 6 leaves: a
  // file, the state recording offset 6, and a group that never committed.
  const outDir = join(dir, 'out');
  await mkdir(outDir);
  await writeFile(join(outDir, `${bridge}.000000001.dat`), Buffer.alloc(6 * 20));
  await writeFile(join(outDir, `.${bridge}.file-sink.json`), JSON.stringify({ version: 1, seq: 1, position: { offsets: { [`${topic}/0`]: '6' } }, files: [] }));

  const run = await runBanyan(['run', out, '--until-idle'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /4 records read, 4 published/);
  const names = await outputFiles(outDir);
  assert.equal(names[0], `${bridge}.000000001.dat`);
  const codec = openRecordCodec({ mapping: join(dir, 'mappings', 'accounts.yaml') });
  const accounts: string[] = [];
  for (const n of names.slice(1)) {
    for (const r of readRecordsSync(await readFile(join(outDir, n)), codec.framing)) {
      const e = codec.decode(r.bytes, r.recordNumber);
      if (e?.kind === 'event') accounts.push(String(e.value.accountNo));
    }
  }
  assert.deepEqual(accounts, values.slice(6).map((v) => v.accountNo), 'only the records after the recorded offset, once');
});
