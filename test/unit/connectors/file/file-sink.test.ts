/**
 * The file sink's durability protocol on a real directory: files appear only under their final name
 * once complete, the state file records the batch's position with them, a restart rolls a recorded
 * batch forward and removes what an unfinished one left, a retried write is not written twice, and
 * headers and trailers carry the record count in the bytes the mapping's framing reserves.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { getCodePage } from '../../../../src/codec/index.ts';
import { readRecordsSync, type FramingOptions } from '../../../../src/codec/framing/index.ts';
import type { SinkRecord } from '../../../../src/core/bridge-contracts.ts';
import { checkNoEnvelope, envelopeRenderer, renderText } from '../../../../src/connectors/file/file-envelope.ts';
import { createFileSink, type FileSinkOptions, type FileSinkState } from '../../../../src/connectors/file/file-sink.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'banyan-file-sink-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const F4: FramingOptions = { format: 'F', recordLength: 4 };
const cp037 = getCodePage('cp037');

function records(...texts: string[]): SinkRecord[] {
  return texts.map((t) => {
    const bytes = new Uint8Array(t.length);
    cp037.encode(t, bytes, 0, t.length);
    return { topic: 'file', key: null, value: bytes, headers: {} };
  });
}

async function sinkIn(name: string, options: Partial<FileSinkOptions> = {}) {
  const dir = await mkdtemp(join(root, `${name}-`));
  const o: FileSinkOptions = { dir, bridge: 'orders-out', name: 'ORDERS.{seq}.DAT', framing: F4, rollBytes: 1 << 20, ...options };
  return { dir, o, files: createFileSink(o) };
}

const statePath = (dir: string) => join(dir, '.orders-out.file-sink.json');
const readState = async (dir: string) => JSON.parse(await readFile(statePath(dir), 'utf8')) as FileSinkState;

test('a batch becomes one file under its final name, its position recorded beside it, no temporary file left', async () => {
  const { dir, files } = await sinkIn('one');
  assert.equal(await files.checkpoints.load(), undefined, 'a new directory has no position');
  await files.sink.write(records('AAAA', 'BBBB', 'CCCC'), { offsets: { 't/0': '3' } });
  assert.deepEqual(await readdir(dir), ['.orders-out.file-sink.json', 'ORDERS.000000001.DAT']);
  assert.equal((await readFile(join(dir, 'ORDERS.000000001.DAT'))).length, 12);
  const state = await readState(dir);
  assert.deepEqual(state.position, { offsets: { 't/0': '3' } });
  assert.equal(state.seq, 1);

  await files.sink.write(records('DDDD'), { offsets: { 't/0': '4' } });
  assert.deepEqual((await readdir(dir)).filter((n) => !n.startsWith('.')), ['ORDERS.000000001.DAT', 'ORDERS.000000002.DAT'], 'names sort in writing order');
  assert.deepEqual(await createFileSink({ dir, bridge: 'orders-out', name: 'ORDERS.{seq}.DAT', framing: F4, rollBytes: 1 << 20 }).checkpoints.load(), { offsets: { 't/0': '4' } });
});

test('a batch larger than roll.bytes is split into files of at most that many framed bytes', async () => {
  const { dir, files } = await sinkIn('split', { framing: { format: 'V' }, rollBytes: 20 });
  // V: 4-byte RDW + 4 data bytes = 8 bytes a record, so two records a file.
  await files.sink.write(records('AAAA', 'BBBB', 'CCCC', 'DDDD', 'EEEE'), { offsets: { 't/0': '5' } });
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.'));
  assert.deepEqual(names, ['ORDERS.000000001.DAT', 'ORDERS.000000002.DAT', 'ORDERS.000000003.DAT']);
  const counts = [];
  for (const n of names) counts.push([...readRecordsSync(await readFile(join(dir, n)), { format: 'V' })].length);
  assert.deepEqual(counts, [2, 2, 1]);
  assert.deepEqual((await readState(dir)).files.map((f) => f.records), [2, 2, 1]);
});

test('a write retried with the position already recorded writes nothing: no record twice', async () => {
  const { dir, files } = await sinkIn('retry');
  const batch = records('AAAA', 'BBBB');
  await files.sink.write(batch, { offsets: { 't/0': '2' } });
  await files.sink.write(batch, { offsets: { 't/0': '2' } });
  // A fresh sink (a restart) told to write the same batch again.
  const again = createFileSink({ dir, bridge: 'orders-out', name: 'ORDERS.{seq}.DAT', framing: F4, rollBytes: 1 << 20 });
  await again.sink.write(batch, { offsets: { 't/0': '2' } });
  assert.deepEqual((await readdir(dir)).filter((n) => !n.startsWith('.')), ['ORDERS.000000001.DAT']);
});

test('a restart rolls forward the files a recorded batch left under their temporary names', async () => {
  const { dir, o } = await sinkIn('forward');
  // The state a crash between "state written" and "files renamed" leaves.
  await writeFile(join(dir, '.ORDERS.000000007.DAT.tmp'), 'AAAABBBB');
  const state: FileSinkState = { version: 1, seq: 7, position: { offsets: { 't/0': '9' } }, files: [{ temp: '.ORDERS.000000007.DAT.tmp', name: 'ORDERS.000000007.DAT', records: 2 }] };
  await writeFile(statePath(dir), JSON.stringify(state));
  const files = createFileSink(o);
  assert.deepEqual(await files.checkpoints.load(), { offsets: { 't/0': '9' } });
  assert.deepEqual(await readdir(dir), ['.orders-out.file-sink.json', 'ORDERS.000000007.DAT']);
  assert.equal(await readFile(join(dir, 'ORDERS.000000007.DAT'), 'utf8'), 'AAAABBBB');
  await files.sink.write(records('CCCC'), { offsets: { 't/0': '10' } });
  assert.ok((await readdir(dir)).includes('ORDERS.000000008.DAT'), 'the sequence goes on after the rolled-forward file');
});

test('a restart removes the temporary files of a batch whose state was never written, and keeps other names alone', async () => {
  const { dir, o } = await sinkIn('partial');
  const first = createFileSink(o);
  await first.sink.write(records('AAAA'), { offsets: { 't/0': '1' } });
  // A crash while writing the next batch: its temporary file is there, the state still says batch 1.
  await writeFile(join(dir, '.ORDERS.000000002.DAT.tmp'), 'BB');
  await writeFile(join(dir, '.OTHER.000000001.DAT.tmp'), 'not ours');
  await writeFile(join(dir, '.orders-out.file-sink.json.tmp'), '{"half');
  const restarted = createFileSink(o);
  assert.deepEqual(await restarted.checkpoints.load(), { offsets: { 't/0': '1' } }, 'resumes after the last complete file');
  assert.deepEqual(await readdir(dir), ['.OTHER.000000001.DAT.tmp', '.orders-out.file-sink.json', 'ORDERS.000000001.DAT']);
  await restarted.sink.write(records('BBBB'), { offsets: { 't/0': '2' } });
  assert.deepEqual(await readFile(join(dir, 'ORDERS.000000002.DAT')), Buffer.from([0xc2, 0xc2, 0xc2, 0xc2]), 'cp037 BBBB, written anew');
});

test('sequence numbers are never reused, even when the state file was lost and the files kept', async () => {
  const { dir, o } = await sinkIn('lost-state');
  await writeFile(join(dir, 'ORDERS.000000041.DAT'), 'AAAA');
  const files = createFileSink(o);
  assert.equal(await files.checkpoints.load(), undefined);
  await files.sink.write(records('BBBB'), { offsets: { 't/0': '1' } });
  assert.ok((await readdir(dir)).includes('ORDERS.000000042.DAT'));
});

test('an all-dead-lettered batch (no records) records its position and writes no file', async () => {
  const { dir, files } = await sinkIn('empty');
  await files.sink.write([], { offsets: { 't/0': '5' } });
  assert.deepEqual(await readdir(dir), ['.orders-out.file-sink.json']);
  assert.deepEqual((await readState(dir)).position, { offsets: { 't/0': '5' } });
});

test('a state file that is not the sink\'s is reported with its code, not overwritten', async () => {
  const { dir, o } = await sinkIn('bad-state');
  await writeFile(statePath(dir), '{"version": 2}');
  await assert.rejects(createFileSink(o).checkpoints.load(), { code: 'BANYAN_ERR_FILE_SINK_STATE_INVALID' });
  assert.equal(await readFile(statePath(dir), 'utf8'), '{"version": 2}');
});

test('header and trailer carry the file\'s record count in the bytes the framing reserves; a file source with the same framing reads only the records', async () => {
  const framing: FramingOptions = { format: 'F', recordLength: 4, fileStartOffset: 12, fileEndOffset: 10 };
  const at = new Date(Date.UTC(2026, 11, 1, 8, 5, 9));
  const header = envelopeRenderer('header', 'HDR{date}', 12, cp037, { maxCount: 99 });
  const trailer = envelopeRenderer('trailer', 'TRL{count:7}', 10, cp037, { maxCount: 99 });
  const { dir, files } = await sinkIn('envelope', { framing, header, trailer, now: () => at });
  await files.sink.write(records('AAAA', 'BBBB', 'CCCC'), { offsets: { 't/0': '3' } });
  const bytes = await readFile(join(dir, 'ORDERS.000000001.DAT'));
  assert.equal(bytes.length, 12 + 3 * 4 + 10);
  assert.equal(cp037.decode(bytes, 0, 12), 'HDR20261201 ', 'header padded with spaces');
  assert.equal(cp037.decode(bytes, bytes.length - 10, bytes.length), 'TRL0000003');
  const read = [...readRecordsSync(bytes, framing)].map((r) => cp037.decode(r.bytes, 0, r.bytes.length));
  assert.deepEqual(read, ['AAAA', 'BBBB', 'CCCC']);
});

test('a header that cannot fit, or a framing that reserves bytes no template fills, is refused before anything runs', () => {
  assert.throws(() => envelopeRenderer('trailer', 'TRAILER {count}', 10, cp037, { maxCount: 10_000 }), {
    code: 'BANYAN_ERR_FILE_SINK_ENVELOPE',
    message: /TRAILER 10000.*does not fit the 10 bytes of file_trailer_bytes/,
  });
  assert.throws(() => envelopeRenderer('header', 'HDR', 0, cp037, { maxCount: 1 }), { code: 'BANYAN_ERR_FILE_SINK_ENVELOPE', message: /no file_header_bytes/ });
  assert.throws(() => checkNoEnvelope('header', 80), { code: 'BANYAN_ERR_FILE_SINK_ENVELOPE', message: /file_header_bytes: 80/ });
  assert.equal(checkNoEnvelope('trailer', 0), undefined);
  assert.equal(renderText('{seq}/{count}/{count:3}/{time}', { count: 7, seq: 12, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }), '12/7/007/030405');
});
