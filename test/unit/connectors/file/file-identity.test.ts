import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileKey, identifyFile, IDENTITY_BLOCK_BYTES, sameFile } from '../../../../src/connectors/file/file-identity.ts';

test('a file is the same file across restarts, and a replaced file with the same name is a new one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'banyan-identity-'));
  try {
    const path = join(dir, 'COMPANY.DAT');
    await writeFile(path, Buffer.alloc(10_000, 0xc1));
    const first = await identifyFile(path);
    assert.ok(sameFile(first, await identifyFile(path)), 'identified twice, same file');
    assert.equal(first.size, 10_000);
    assert.equal(first.name, 'COMPANY.DAT');

    // Next night's file: same name and size, different bytes, written then renamed into place.
    await writeFile(join(dir, 'next.tmp'), Buffer.alloc(10_000, 0xc2));
    await rename(join(dir, 'next.tmp'), path);
    const replaced = await identifyFile(path);
    assert.equal(sameFile(first, replaced), false);
    assert.notEqual(fileKey(first), fileKey(replaced));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('only the first block is hashed: bytes past it change the size, not the head hash', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'banyan-identity-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(a, Buffer.alloc(IDENTITY_BLOCK_BYTES + 10, 1));
    await writeFile(b, Buffer.concat([Buffer.alloc(IDENTITY_BLOCK_BYTES, 1), Buffer.alloc(10, 2)]));
    assert.equal((await identifyFile(a)).headSha256, (await identifyFile(b)).headSha256);
    assert.equal((await identifyFile(join(dir, 'a'))).headSha256.length, 64);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
