import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openRecordCodec } from '../../../src/codec/index.ts';
import { codecProvenance, eventJson, recordDecoder } from '../../../src/codec/record-decisions.ts';
import type { SourceRecord } from '../../../src/core/bridge-contracts.ts';

const copybook = new URL('../../fixtures/codec/accounts.cpy', import.meta.url).pathname;
const records = readFileSync(new URL('../../fixtures/codec/accounts.f.bin', import.meta.url));
const codec = openRecordCodec({ copybook, codePage: 'cp037' });
const length = codec.record.length;
const at = (i: number, bytes = records.subarray(i * length, (i + 1) * length)): SourceRecord => ({ bytes, recordNumber: i + 1, positionId: `f@${(i + 1) * length}`, metadata: {} });

test('a good record becomes an event for the default topic, its value the decoded record as JSON with exact decimals', () => {
  const decide = recordDecoder(codec, 'legacy.accounts.v1');
  const d = decide(at(0));
  assert.equal(d.kind, 'event');
  if (d.kind !== 'event') return;
  assert.equal(d.topic, 'legacy.accounts.v1');
  const value = JSON.parse(d.value as string) as Record<string, unknown>;
  const direct = codec.decode(at(0).bytes, 1);
  assert.equal(direct?.kind, 'event');
  assert.deepEqual(value, JSON.parse(JSON.stringify((direct as { value: unknown }).value)));
  assert.equal(typeof value.BALANCE, 'string', 'packed decimal as an exact decimal string');
});

test('a bad packed nibble is a rejection naming code, rule, field, offset and bytes', () => {
  const bad = Buffer.from(at(0).bytes);
  bad[8] = 0xfa; // first byte of BALANCE (COMP-3 at offset 8): digit nibble F
  const d = recordDecoder(codec, 't')(at(0, bad));
  assert.equal(d.kind, 'rejected');
  if (d.kind !== 'rejected') return;
  assert.equal(d.rejection.code, 'BANYAN_ERR_DECODE_PACKED_NIBBLE');
  assert.equal(d.rejection.rule, 'packed decimal digit nibble must be 0-9');
  assert.equal(d.rejection.fieldPath, 'ACCOUNT.BALANCE');
  assert.equal(d.rejection.offset, 8);
  assert.match(d.rejection.hex ?? '', /^FA/);
  assert.match(d.rejection.reason, /record 1/);
});

test('provenance names the mapping and, for a mapped codec, the copybook hash', () => {
  const mapped = openRecordCodec({ mapping: new URL('../../fixtures/codec/company-details.mapping.yaml', import.meta.url).pathname });
  const p = codecProvenance('companies', mapped, 'company-details', '1');
  assert.deepEqual(p.mapping, { name: 'company-details', version: '1' });
  assert.match(p.copybookSha256 ?? '', /^[0-9a-f]{64}$/);
});

test('event JSON writes a bigint as a decimal string, and keeps doing so for the values after it', () => {
  const toJson = eventJson();
  assert.equal(toJson({ id: 'A1', amount: '12.50', count: 3 }), '{"id":"A1","amount":"12.50","count":3}');
  assert.equal(toJson({ id: 'A2', wide: 123456789012345678901234567890n }), '{"id":"A2","wide":"123456789012345678901234567890"}');
  assert.equal(toJson({ id: 'A3', rows: [{ wide: -9007199254740993n }, { wide: null }] }), '{"id":"A3","rows":[{"wide":"-9007199254740993"},{"wide":null}]}');
  assert.equal(toJson({ id: 'A4', count: 4 }), '{"id":"A4","count":4}');
});
