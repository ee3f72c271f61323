import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli.ts';
import type { CliIo } from '../../../src/cli/io.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/codec/', import.meta.url));
const fx = (name: string) => join(fixtures, name);

/** Runs `banyan ...argv` in-process; stdout collected as bytes, stderr as text. */
async function banyan(argv: string[], stdin: Uint8Array | string = ''): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const io: CliIo = { stdin: Readable.from([Buffer.from(stdin)]), stdout: out, stderr: err, env: {}, cwd: fixtures };
  const code = await main(argv, io);
  return { code, stdout: Buffer.concat(outChunks), stderr: Buffer.concat(errChunks).toString('utf8') };
}

const lines = (b: Buffer) => b.toString('utf8').split('\n').filter((l) => l !== '');

test('decode writes one JSON object per record with the copybook names (V records with IBM RDWs)', async () => {
  const r = await banyan(['decode', '--copybook', 'company-details.cpy', '--format', 'V', 'company-details.v.bin']);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.deepEqual(lines(r.stdout), lines(readFileSync(fx('company-details.expected.jsonl'))));
  const first = JSON.parse(lines(r.stdout)[0]!) as Record<string, unknown>;
  assert.equal(first['COMPANY-ID'], '9377942526');
});

test('decode reads stdin when no INPUT is given', async () => {
  const r = await banyan(['decode', '--copybook', 'company-details.cpy', '--format', 'V'], readFileSync(fx('company-details.v.bin')));
  assert.equal(r.code, 0);
  assert.deepEqual(lines(r.stdout), lines(readFileSync(fx('company-details.expected.jsonl'))));
});

test('a mapping renames fields, masks, keeps the segment branch and applies REDEFINES rules', async () => {
  const r = await banyan(['decode', '--mapping', 'company-details.mapping.yaml', 'company-details.v.bin']);
  assert.equal(r.code, 0, r.stderr);
  const [company, contact] = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
  assert.deepEqual(company, {
    segmentId: 'C',
    companyId: '9377942526',
    staticDetails: { companyName: 'Joan Q & Z', address: '10 Sandton, Johannesburg', taxpayer: { taxpayerType: 'A', taxpayerStr: '92714306' } },
  });
  assert.deepEqual(contact, { segmentId: 'P', companyId: '9377942526', contacts: { phoneNumber: '************4 55', contactName: 'Janiece Newcombe' } });
});

test('decimals are exact strings; a bad record goes to stderr as a dead letter with raw bytes and the run exits 1', async () => {
  const r = await banyan(['decode', '--copybook', 'accounts.cpy', 'accounts.f.bin']);
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [
    { 'ACCOUNT-NO': 'ACC00001', BALANCE: '123.45', BRANCH: 42, 'STATUS-CODE': 'OPN' },
    { 'ACCOUNT-NO': 'ACC00003', BALANCE: '-1.50', BRANCH: 44, 'STATUS-CODE': 'CLS' },
  ]);
  const [dead, summary] = r.stderr.split('\n');
  const dl = JSON.parse(dead!) as Record<string, unknown>;
  assert.equal(dl.recordNumber, 2);
  assert.equal(dl.code, 'BANYAN_ERR_DECODE_PACKED_NIBBLE');
  assert.equal(dl.fieldPath, 'ACCOUNT.BALANCE');
  assert.equal(dl.offset, 8);
  assert.equal(dl.rawHex, 'C1C3C3F0F0F0F0F200123A456CF0F0F4F3D6D7D5');
  assert.equal(Buffer.from(dl.raw as string, 'base64').toString('hex').toUpperCase(), dl.rawHex);
  assert.match(summary!, /1 record\(s\) could not be decoded/);
});

test('--dlq FILE collects dead letters in a file instead of stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-dlq-'));
  const r = await banyan(['decode', '--copybook', 'accounts.cpy', '--dlq', join(dir, 'dead.jsonl'), 'accounts.f.bin']);
  assert.equal(r.code, 1);
  const dead = lines(readFileSync(join(dir, 'dead.jsonl'))).map((l) => JSON.parse(l) as { recordNumber: number });
  assert.deepEqual(dead.map((d) => d.recordNumber), [2]);
});

test('--on-error fail stops at the first bad record naming record, field, offset and rule', async () => {
  const r = await banyan(['decode', '--copybook', 'accounts.cpy', '--on-error', 'fail', 'accounts.f.bin']);
  assert.equal(r.code, 1);
  assert.equal(lines(r.stdout).length, 1);
  assert.match(r.stderr, /BANYAN_ERR_DECODE_PACKED_NIBBLE: record 2, field ACCOUNT\.BALANCE at byte 8 \[00123A456C\]: packed decimal digit nibble must be 0-9/);
});

test('--on-error null keeps the record with the bad field null and flags the field on stderr', async () => {
  const r = await banyan(['decode', '--copybook', 'accounts.cpy', '--on-error', 'null', 'accounts.f.bin']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(lines(r.stdout)[1]!), { 'ACCOUNT-NO': 'ACC00002', BALANCE: null, BRANCH: 43, 'STATUS-CODE': 'OPN' });
  assert.deepEqual(JSON.parse(r.stderr.split('\n')[0]!), {
    recordNumber: 2,
    nulled: [{ fieldPath: 'ACCOUNT.BALANCE', code: 'BANYAN_ERR_DECODE_PACKED_NIBBLE', offset: 8, hex: '00123A456C' }],
  });
});

test('encode writes V records with IBM RDWs that decode back to the same JSON Lines', async () => {
  const jsonl = (await banyan(['decode', '--copybook', 'accounts.cpy', '--on-error', 'null', 'accounts.f.bin'])).stdout;
  const fixedOnly = lines(jsonl).filter((l) => !l.includes('null')).join('\n');
  const r = await banyan(['encode', '--copybook', 'accounts.cpy', '--format', 'V'], fixedOnly);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.deepEqual([...r.stdout.subarray(0, 4)], [0, 24, 0, 0]);
  const again = await banyan(['decode', '--copybook', 'accounts.cpy', '--format', 'V'], r.stdout);
  assert.deepEqual(lines(again.stdout), fixedOnly.split('\n'));
});

test('encode of fixed records writes canonical bytes: decode(encode(v)) = v and encode(decode(b)) = b', async () => {
  const good = readFileSync(fx('accounts.f.bin')).subarray(0, 20);
  const decoded = await banyan(['decode', '--copybook', 'accounts.cpy'], good);
  const encoded = await banyan(['encode', '--copybook', 'accounts.cpy', '--format', 'F', '--record-length', '20'], decoded.stdout);
  assert.equal(encoded.code, 0, encoded.stderr);
  assert.deepEqual(encoded.stdout, good);
});

test('encode reports a value that does not fit, with the line and the rule, and exits 1', async () => {
  const input = '{"ACCOUNT-NO":"ACC00009","BALANCE":"123456789.00","BRANCH":1,"STATUS-CODE":"OPN"}\n';
  const r = await banyan(['encode', '--copybook', 'accounts.cpy', '--on-error', 'fail'], input);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^banyan encode: line 1: BANYAN_ERR_ENCODE_OVERFLOW: field ACCOUNT\.BALANCE/);
  const dlq = await banyan(['encode', '--copybook', 'accounts.cpy'], `${input}{"ACCOUNT-NO":"A","BALANCE":"1.00","BRANCH":1,"STATUS-CODE":"X"}\n`);
  assert.equal(dlq.code, 1);
  assert.equal(dlq.stdout.length, 20);
  assert.equal((JSON.parse(dlq.stderr.split('\n')[0]!) as { line: number }).line, 1);
  const notJson = await banyan(['encode', '--copybook', 'accounts.cpy', '--on-error', 'fail'], '{"ACCOUNT-NO": \n');
  assert.equal(notJson.code, 1);
  assert.match(notJson.stderr, /line 1: BANYAN_ERR_MAPPING_BAD_VALUE: not a JSON record: /);
});

test('usage errors exit 2 with the usage line; a missing copybook exits 1 naming the file', async () => {
  const r = await banyan(['decode', '--format', 'X', '--copybook', 'a.cpy']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be F, FB, V or VB/);
  assert.match(r.stderr, /usage: banyan decode --copybook F/);
  const none = await banyan(['decode']);
  assert.equal(none.code, 2);
  const missing = await banyan(['decode', '--copybook', 'nope.cpy', 'accounts.f.bin']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.cpy/);
});

test('a framing error stops decode after the records before it, with the framing code and byte offset', async () => {
  const truncated = readFileSync(fx('company-details.v.bin')).subarray(0, 68 + 10);
  const r = await banyan(['decode', '--copybook', 'company-details.cpy', '--format', 'V'], truncated);
  assert.equal(r.code, 1);
  assert.equal(lines(r.stdout).length, 1);
  assert.match(r.stderr, /^banyan decode: BANYAN_ERR_FRAMING_TRUNCATED: record 2 at byte offset 72 .*input ends 6 bytes into a 60-byte record/);
});

test('a mapping with errors is reported as file:line:col: rule lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-map-'));
  writeFileSync(join(dir, 'm.yaml'), `copybook: ${fx('accounts.cpy')}\nkey: NOPE\n`);
  const r = await banyan(['decode', '--mapping', join(dir, 'm.yaml'), 'accounts.f.bin']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /m\.yaml:2:6: unknown-field: field "NOPE" is not in record ACCOUNT/);
});
