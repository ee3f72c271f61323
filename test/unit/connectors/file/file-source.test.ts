/**
 * The file source on real files in a temp drop directory: V records with IBM RDWs (length counts the
 * 4-byte RDW), read in batches, committed, resumed by a new source instance from the checkpoint.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, test } from 'node:test';
import type { BatchLimits, Source, SourceBatch, SourcePosition } from '../../../../src/core/bridge-contracts.ts';
import { createFileSource, type FileSourceOptions } from '../../../../src/connectors/file/file-source.ts';

const V: FileSourceOptions['framing'] = { format: 'V' };
const limits: BatchLimits = { maxRecords: 3, maxBytes: 1 << 20, maxWaitMs: 0 };
const signal = new AbortController().signal;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'banyan-file-source-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** V records: RDW (big-endian length including the RDW, then 00 00) + `rec-<n>` text. */
function vFile(from: number, to: number, tag = 'rec'): Buffer {
  const parts: Buffer[] = [];
  for (let i = from; i <= to; i++) {
    const data = Buffer.from(`${tag}-${i}`, 'latin1');
    const rdw = Buffer.alloc(4);
    rdw.writeUInt16BE(data.length + 4, 0);
    parts.push(rdw, data);
  }
  return Buffer.concat(parts);
}

async function readAll(source: Source, stopAfterBatches = Infinity): Promise<{ texts: string[]; last?: SourcePosition }> {
  const texts: string[] = [];
  let last: SourcePosition | undefined;
  for (let n = 0; n < stopAfterBatches; n++) {
    const batch = await source.read(limits, signal);
    if ('idle' in batch) break;
    texts.push(...(batch as SourceBatch).records.map((r) => Buffer.from(r.bytes).toString('latin1')));
    await source.commit(batch.position);
    last = batch.position;
  }
  return { texts, ...(last ? { last } : {}) };
}

test('reads every record of every ready file in name order and archives each file once committed', async () => {
  await writeFile(join(dir, 'B.DAT'), vFile(1, 4, 'b'));
  await writeFile(join(dir, 'A.DAT'), vFile(1, 5, 'a'));
  await writeFile(join(dir, 'C.DAT.part'), vFile(1, 2, 'c'));
  const source = createFileSource({ dir, framing: V });
  await source.open(undefined);
  const { texts } = await readAll(source);
  assert.deepEqual(texts, ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'b-1', 'b-2', 'b-3', 'b-4']);
  assert.deepEqual((await readdir(join(dir, 'archive'))).sort(), ['A.DAT', 'B.DAT']);
  assert.ok(existsSync(join(dir, 'C.DAT.part')), 'a file in transfer is left alone');
  assert.deepEqual(await source.read(limits, signal), { idle: 'drained' });
  await source.close();
});

test('a restarted source resumes after the last committed record, mid-file, without re-reading or skipping', async () => {
  await writeFile(join(dir, 'A.DAT'), vFile(1, 10, 'a'));
  const first = createFileSource({ dir, framing: V, finished: 'keep' });
  await first.open(undefined);
  const before = await readAll(first, 2);
  // A batch read but never committed (the gateway died before Kafka acknowledged it).
  await first.read(limits, signal);
  await first.close();
  assert.deepEqual(before.texts, ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-6']);

  const checkpoint = JSON.parse(JSON.stringify(before.last)) as SourcePosition; // as stored in Kafka
  const second = createFileSource({ dir, framing: V, finished: 'keep' });
  await second.open(checkpoint);
  const after = await readAll(second);
  assert.deepEqual(after.texts, ['a-7', 'a-8', 'a-9', 'a-10']);
  await second.close();

  // With finished: keep, the finished file is not read again by a third instance.
  const third = createFileSource({ dir, framing: V, finished: 'keep' });
  await third.open(JSON.parse(JSON.stringify(after.last)) as SourcePosition);
  assert.deepEqual(await third.read(limits, signal), { idle: 'drained' });
});

test('event positions are stable: the same record read by two instances has the same position id', async () => {
  await writeFile(join(dir, 'A.DAT'), vFile(1, 3));
  const ids: string[][] = [];
  for (let i = 0; i < 2; i++) {
    const s = createFileSource({ dir, framing: V, finished: 'keep' });
    await s.open(undefined);
    const b = (await s.read(limits, signal)) as SourceBatch;
    ids.push(b.records.map((r) => r.positionId));
    await s.close();
  }
  assert.deepEqual(ids[0], ids[1]);
  assert.equal(new Set(ids[0]).size, 3);
  assert.match(ids[0]![0]!, /^A\.DAT:\d+:\d+:[0-9a-f]{12}@9$/, 'file key @ offset after the first record (4-byte RDW + 5 bytes)');
});

test('a file replaced under the same name is read as new, not resumed at the old offset', async () => {
  await writeFile(join(dir, 'A.DAT'), vFile(1, 6, 'old'));
  const first = createFileSource({ dir, framing: V, finished: 'keep' });
  await first.open(undefined);
  const { last } = await readAll(first, 1);
  await first.close();
  await writeFile(join(dir, 'next.tmp'), vFile(1, 6, 'new'));
  await rm(join(dir, 'A.DAT'));
  await writeFile(join(dir, 'A.DAT'), await readFile(join(dir, 'next.tmp')));
  await rm(join(dir, 'next.tmp'));
  const second = createFileSource({ dir, framing: V, finished: 'keep' });
  await second.open(last);
  assert.deepEqual((await readAll(second)).texts, ['new-1', 'new-2', 'new-3', 'new-4', 'new-5', 'new-6']);
});

test('gzipped files are read, and resumed by re-framing from the start and skipping committed records', async () => {
  await writeFile(join(dir, 'A.DAT.gz'), gzipSync(vFile(1, 7)));
  const first = createFileSource({ dir, framing: V, finished: 'keep' });
  await first.open(undefined);
  const { texts, last } = await readAll(first, 1);
  assert.deepEqual(texts, ['rec-1', 'rec-2', 'rec-3']);
  const second = createFileSource({ dir, framing: V, finished: 'keep' });
  await second.open(JSON.parse(JSON.stringify(last)) as SourcePosition);
  assert.deepEqual((await readAll(second)).texts, ['rec-4', 'rec-5', 'rec-6', 'rec-7']);
});

test('with a trigger suffix a file waits for its trigger', async () => {
  await writeFile(join(dir, 'A.DAT'), vFile(1, 2));
  const source = createFileSource({ dir, framing: V, triggerSuffix: '.done' });
  await source.open(undefined);
  assert.deepEqual(await source.read(limits, signal), { idle: 'drained' });
  await writeFile(join(dir, 'A.DAT.done'), '');
  assert.deepEqual((await readAll(source)).texts, ['rec-1', 'rec-2']);
});

test('a file that cannot be framed goes to error/ with a .reason file, after the records before the bad RDW', async () => {
  const bad = Buffer.concat([vFile(1, 2), Buffer.from([0x00, 0x02, 0x00, 0x00])]); // RDW length 2 < 4
  await writeFile(join(dir, 'A.DAT'), bad);
  await writeFile(join(dir, 'B.DAT'), vFile(1, 1, 'b'));
  const source = createFileSource({ dir, framing: V });
  await source.open(undefined);
  assert.deepEqual((await readAll(source)).texts, ['rec-1', 'rec-2', 'b-1']);
  assert.deepEqual((await readdir(join(dir, 'error'))).sort(), ['A.DAT', 'A.DAT.reason']);
  assert.match(await readFile(join(dir, 'error', 'A.DAT.reason'), 'utf8'), /^BANYAN_ERR_FRAMING_\w+: /);
  assert.deepEqual(await readdir(join(dir, 'archive')), ['B.DAT']);
});

test('reading ahead of commits (the pipeline reads while it writes) never reads a finished file twice', async () => {
  await writeFile(join(dir, 'A.DAT'), vFile(1, 3, 'a'));
  await writeFile(join(dir, 'B.DAT'), vFile(1, 2, 'b'));
  const source = createFileSource({ dir, framing: V, finished: 'keep' });
  await source.open(undefined);
  const batches: SourceBatch[] = [];
  for (;;) {
    const b = await source.read(limits, signal);
    if ('idle' in b) break;
    batches.push(b);
  }
  assert.deepEqual(batches.flatMap((b) => b.records.map((r) => Buffer.from(r.bytes).toString('latin1'))), ['a-1', 'a-2', 'a-3', 'b-1', 'b-2']);
  for (const b of batches) await source.commit(b.position);
  // The last checkpoint says both files are done, even though B's batch was read before A's commit.
  const again = createFileSource({ dir, framing: V, finished: 'keep' });
  await again.open(JSON.parse(JSON.stringify(batches.at(-1)!.position)) as SourcePosition);
  assert.deepEqual(await again.read(limits, signal), { idle: 'drained' });
});

test('a drop directory that does not exist yet is created at open (reported once), and files dropped into it later are read', async () => {
  const inbox = join(dir, 'inbox', 'company-details');
  const created: string[] = [];
  const source = createFileSource({ dir: inbox, framing: V, events: { directoryCreated: (e) => created.push(e.dir) } });
  await source.open(undefined);
  assert.deepEqual(created, [inbox]);
  assert.deepEqual(await source.read(limits, signal), { idle: 'drained' });
  await writeFile(join(inbox, 'A.DAT'), vFile(1, 2, 'a'));
  assert.deepEqual((await readAll(source)).texts, ['a-1', 'a-2']);

  // Removed while the bridge runs: recreated on the next look, not a stopped bridge.
  await rm(inbox, { recursive: true });
  assert.deepEqual(await source.read(limits, signal), { idle: 'drained' });
  assert.deepEqual(created, [inbox, inbox]);
  assert.ok(existsSync(inbox));
  await source.close();

  // An existing directory is not reported.
  const again = createFileSource({ dir: inbox, framing: V, events: { directoryCreated: (e) => created.push(e.dir) } });
  await again.open(undefined);
  assert.equal(created.length, 2);
  await again.close();
});
