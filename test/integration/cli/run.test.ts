/**
 * `banyan run BRIDGE.yaml --until-idle` on the real broker, as a migration team would use it: a
 * project directory with banyan.yaml, a record mapping, a bridge file and a drop directory.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runBanyan } from '../../support/cli.ts';
import { consumeAll, testBrokers, uniqueTopic } from '../../support/kafka.ts';

const fixtures = new URL('../../fixtures/codec/', import.meta.url).pathname;
let dir: string;
const company = uniqueTopic('run-company');
const contact = uniqueTopic('run-contact');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-run-'));
  await writeFile(join(dir, 'banyan.yaml'), `kafka:\n  brokers: ${testBrokers().join(',')}\n  topics: { partitions: 3 }\n`);
  await mkdir(join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'bridges'));
  await mkdir(join(dir, 'inbox'));
  await copyFile(join(fixtures, 'company-details.cpy'), join(dir, 'mappings', 'company-details.cpy'));
  const mapping = (await readFile(join(fixtures, 'company-details.mapping.yaml'), 'utf8'))
    .replace('topic: legacy.company.v1', `topic: ${company}`)
    .replace('topic: legacy.company-contact.v1', `topic: ${contact}`);
  await writeFile(join(dir, 'mappings', 'company-details.yaml'), mapping);
  await writeFile(
    join(dir, 'bridges', 'companies.yaml'),
    [`name: ${uniqueTopic('companies')}`, 'source:', '  file: { dir: inbox }', 'mapping: mappings/company-details.yaml', 'sink:', `  kafka: { topic: ${company} }`, 'batch: { max_records: 2 }', ''].join('\n'),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('--until-idle reads every dropped file, publishes each record on its mapped topic, archives the file and exits 0', async () => {
  await copyFile(join(fixtures, 'company-details.v.bin'), join(dir, 'inbox', 'COMPANY.DAT'));
  const { code, stderr } = await runBanyan(['run', 'bridges/companies.yaml', '--until-idle'], { cwd: dir });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /4 records read, 4 published, 0 dead-lettered, 0 skipped/);
  const records = [...(await consumeAll(company, 2, 30_000)), ...(await consumeAll(contact, 2, 30_000))];
  assert.equal(records.length, 4);
  assert.deepEqual(await readdir(join(dir, 'inbox', 'archive')), ['COMPANY.DAT']);

  // Run again: nothing new in the inbox, nothing published twice.
  const again = await runBanyan(['run', 'bridges/companies.yaml', '--until-idle'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 records read/);
});

test('a broken bridge file is reported at file:line:col and nothing runs (exit 1)', async () => {
  await writeFile(join(dir, 'bridges', 'broken.yaml'), 'name: broken\nsource:\n  file: { dir: inbox, finished: shred }\nmapping: mappings/company-details.yaml\nsink:\n  kafka: { topic: t }\n');
  const { code, stderr } = await runBanyan(['run', 'bridges/broken.yaml', '--until-idle'], { cwd: dir });
  assert.equal(code, 1);
  assert.match(stderr, /bridges\/broken\.yaml:3:\d+: /);
  assert.match(stderr, /shred|archive/);
});
