import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listReadyFiles, readyFiles } from '../../../../src/connectors/file/inbox.ts';

test('files still in transfer (.tmp, .part) and dot-files are never read; the rest in name order', () => {
  const names = ['B.DAT', 'A.DAT.part', 'C.DAT.tmp', '.A.DAT', 'A.DAT', 'a.dat', 'D.DAT.TMP'];
  assert.deepEqual(readyFiles(names, {}), ['A.DAT', 'B.DAT', 'a.dat']);
});

test('with a trigger suffix a file is ready only once its trigger file exists, and triggers are not data', () => {
  const names = ['A.DAT', 'A.DAT.done', 'B.DAT', 'C.DAT.done'];
  assert.deepEqual(readyFiles(names, { triggerSuffix: '.done' }), ['A.DAT']);
});

test('pattern is a glob on the name (* and ? only, dots literal); after skips names up to and including it', () => {
  const names = ['COMPANY.0101.DAT', 'COMPANY.0102.DAT', 'COMPANYX0103.DAT', 'ORDERS.0101.DAT', 'COMPANY.0103.DAT'];
  assert.deepEqual(readyFiles(names, { pattern: 'COMPANY.????.DAT' }), ['COMPANY.0101.DAT', 'COMPANY.0102.DAT', 'COMPANY.0103.DAT']);
  assert.deepEqual(readyFiles(names, { pattern: 'COMPANY.*', after: 'COMPANY.0101.DAT' }), ['COMPANY.0102.DAT', 'COMPANY.0103.DAT']);
});

test('listReadyFiles reads only regular files of the directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'banyan-inbox-'));
  try {
    await writeFile(join(dir, 'B.DAT'), 'b');
    await writeFile(join(dir, 'A.DAT'), 'a');
    await writeFile(join(dir, 'A.DAT.part'), 'x');
    await mkdir(join(dir, 'archive'));
    assert.deepEqual(await listReadyFiles(dir, {}), ['A.DAT', 'B.DAT']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
