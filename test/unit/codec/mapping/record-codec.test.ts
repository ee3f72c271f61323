import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openRecordCodec, type DecodeOutcome, type RecordEvent } from '../../../../src/codec/index.ts';

const fixtures = fileURLToPath(new URL('../../../fixtures/codec/', import.meta.url));
const data = join(fixtures, 'company-details.v.bin');

function mappingFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-mapping-'));
  const file = join(dir, 'company.yaml');
  writeFileSync(file, `copybook: ${join(fixtures, 'company-details.cpy')}\nframing: { format: V }\n${text}`);
  return file;
}

async function collect(it: AsyncIterable<DecodeOutcome>): Promise<DecodeOutcome[]> {
  const out: DecodeOutcome[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const segments = `segments:
  field: SEGMENT-ID
  cases:
    - { ids: [C], branch: STATIC-DETAILS, topic: legacy.company.v1 }
    - { ids: [P], branch: CONTACTS, topic: legacy.contact.v1, key: [COMPANY-ID, PHONE-NUMBER] }
`;

test('a mapped stream becomes events with entity key, segment topic, raw bytes and record numbers', async () => {
  const codec = openRecordCodec({ mapping: mappingFile(`topic: legacy.default.v1\nkey: COMPANY-ID\n${segments}`) });
  const out = (await collect(codec.decodeStream(createReadStream(data)))) as RecordEvent[];
  assert.deepEqual(
    out.map((e) => [e.kind, e.recordNumber, e.segment, e.topic, e.key, e.raw.length]),
    [
      ['event', 1, 'C', 'legacy.company.v1', '9377942526', 64],
      ['event', 2, 'P', 'legacy.contact.v1', '9377942526|+(277) 944 44 55', 60],
      ['event', 3, 'C', 'legacy.company.v1', '3483483977', 64],
      ['event', 4, 'P', 'legacy.contact.v1', '3483483977|+(174) 970 97 54', 60],
    ],
  );
  assert.deepEqual(out[1]!.value, { segmentId: 'P', companyId: '9377942526', contacts: { phoneNumber: '+(277) 944 44 55', contactPerson: 'Janiece Newcombe' } });
});

test('masked fields are listed by their output paths for log redaction', () => {
  const codec = openRecordCodec({ mapping: mappingFile(`mask: { PHONE-NUMBER: { keep_last: 4 }, TAXPAYER-STR: hash }\n`) });
  assert.deepEqual(codec.sensitivePaths, ['contacts.phoneNumber', 'staticDetails.taxpayer.taxpayerStr']);
});

test('a segment id no case lists is dead-lettered with its raw bytes, or skipped when the mapping says so', async () => {
  const onlyC = `segments:\n  field: SEGMENT-ID\n  cases:\n    - { ids: [C], branch: STATIC-DETAILS }\n`;
  const dlq = await collect(openRecordCodec({ mapping: mappingFile(onlyC) }).decodeStream(createReadStream(data)));
  const dead = dlq.filter((o) => o.kind === 'dlq');
  assert.equal(dead.length, 2);
  assert.equal(dead[0]!.code, 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT');
  assert.equal(dead[0]!.recordNumber, 2);
  assert.equal(dead[0]!.fieldPath, 'COMPANY-DETAILS.SEGMENT-ID');
  // Where the id sits and the rule it broke, like a field's decode error: EBCDIC 'P' + 4 x 00.
  assert.equal(dead[0]!.kind === 'dlq' && dead[0]!.offset, 0);
  assert.equal(dead[0]!.kind === 'dlq' && dead[0]!.hex, 'D700000000');
  assert.equal(dead[0]!.kind === 'dlq' && dead[0]!.rule, "segment id must be one of the ids in the mapping's segments.cases (C)");
  assert.match(dead[0]!.kind === 'dlq' ? dead[0]!.reason : '', /^record 2: segment id "P" in field COMPANY-DETAILS.SEGMENT-ID matches no case of the mapping \(offset 0, bytes D700000000\)$/);
  assert.deepEqual(Buffer.from(dead[0]!.raw), readFileSync(data).subarray(72, 132));
  const skipped = await collect(openRecordCodec({ mapping: mappingFile(`${onlyC}  otherwise: skip\n`) }).decodeStream(createReadStream(data)));
  assert.deepEqual(skipped.map((o) => o.recordNumber), [1, 3]);
});

test('without a mapping, COBOL names are kept and no key or topic is set', () => {
  const codec = openRecordCodec({ copybook: join(fixtures, 'accounts.cpy') });
  const bytes = readFileSync(join(fixtures, 'accounts.f.bin'));
  const ok = codec.decode(bytes.subarray(0, 20), 1);
  assert.deepEqual(ok, { kind: 'event', key: null, value: { 'ACCOUNT-NO': 'ACC00001', BALANCE: '123.45', BRANCH: 42, 'STATUS-CODE': 'OPN' }, topic: undefined, segment: undefined, raw: bytes.subarray(0, 20), recordNumber: 1, nulledFields: undefined });
  const bad = codec.decode(bytes.subarray(20, 40), 2);
  assert.equal(bad?.kind, 'dlq');
  assert.equal(bad?.kind === 'dlq' && bad.offset, 8);
});

test('encodeStream writes event values (mapping names) back to the framed bytes they came from', async () => {
  const taxpayer = 'redefines:\n  - { field: TAXPAYER-STR, by: TAXPAYER-TYPE, cases: { A: TAXPAYER-STR, N: TAXPAYER-NUM } }\n';
  const codec = openRecordCodec({ mapping: mappingFile(`key: COMPANY-ID\n${segments}${taxpayer}`) });
  const bytes = readFileSync(data);
  const events = (await collect(codec.decodeStream(createReadStream(data)))) as RecordEvent[];
  // Only canonical records round-trip byte for byte: the company segments (64 bytes, every field set).
  const companies = events.filter((e) => e.segment === 'C');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await codec.encodeStream(companies.map((e) => e.value), out);
  const written = Buffer.concat(chunks);
  assert.equal(written.length, 2 * 68);
  const again = (await collect(codec.decodeStream(Readable.from([written])))) as RecordEvent[];
  assert.deepEqual(again.map((e) => e.value), companies.map((e) => e.value));
  // COMPANY-ID is byte for byte the source; SEGMENT-ID is written canonically, padded with EBCDIC spaces.
  assert.deepEqual(written.subarray(9, 19), bytes.subarray(9, 19));
  assert.deepEqual([...written.subarray(4, 9)], [0xc3, 0x40, 0x40, 0x40, 0x40]);
});

test('a segment case naming another 01 record decodes that segment with its own layout, key and topic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banyan-mapping-'));
  const file = join(dir, 'batch.yaml');
  writeFileSync(
    file,
    [
      `copybook: ${join(fixtures, 'batch.cpy')}`,
      'record: DETAIL-REC',
      'topic: batch.detail.v1',
      'key: ACCOUNT-NO',
      'segments:',
      '  field: REC-TYPE',
      '  cases:',
      '    - { ids: [H], record: HEADER-REC, topic: batch.header.v1, key: [BATCH-NAME] }',
      '    - { ids: [D] }',
      '',
    ].join('\n'),
  );
  const codec = openRecordCodec({ mapping: file });
  const bytes = readFileSync(join(fixtures, 'batch.f.bin'));
  const out = [0, 1, 2, 3].map((i) => codec.decode(bytes.subarray(i * 20, i * 20 + 20), i + 1));
  assert.deepEqual(
    out.map((o) => (o?.kind === 'event' ? [o.segment, o.topic, o.key, o.value] : [o?.kind, o?.code])),
    [
      ['H', 'batch.header.v1', 'NIGHTLY', { recType: 'H', runDate: 20261123, batchName: 'NIGHTLY' }],
      ['D', 'batch.detail.v1', 'ACC00001', { recType: 'D', accountNo: 'ACC00001', amount: '1234.56' }],
      ['D', 'batch.detail.v1', 'ACC00002', { recType: 'D', accountNo: 'ACC00002', amount: '-1.50' }],
      ['dlq', 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT'],
    ],
  );
});
