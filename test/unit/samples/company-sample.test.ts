/**
 * The shipped sample file (samples/company-details/COMPANY.SAMPLE.DAT) is what its generator
 * writes, and decodes through the shipped mapping as the README's "First run" says: every company
 * and contact an event keyed by its company, exactly one record dead-lettered, for a reason a reader
 * can act on.
 */
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openRecordCodec, type DecodeOutcome } from '../../../src/codec/index.ts';
import { BROKEN_RECORD_NUMBER, SAMPLE_FILE, SHIPPED_MAPPING, companySampleFile } from '../../../scripts/make-sample-company-file.ts';

test('the committed sample file is exactly what scripts/make-sample-company-file.ts writes', () => {
  assert.deepEqual(readFileSync(SAMPLE_FILE), companySampleFile());
});

test('the sample decodes with the shipped mapping: 3 companies and 7 contacts keyed by company, record 6 dead-lettered as an unknown segment', async () => {
  const outcomes: DecodeOutcome[] = [];
  for await (const out of openRecordCodec({ mapping: SHIPPED_MAPPING }).decodeStream(createReadStream(SAMPLE_FILE))) outcomes.push(out);
  assert.equal(outcomes.length, 11);
  const events = outcomes.filter((o) => o.kind === 'event');
  const byTopic = (t: string) => events.filter((e) => e.topic === t).map((e) => e.key);
  assert.deepEqual(byTopic('legacy.company.v1'), ['1000000001', '1000000002', '1000000004']);
  assert.deepEqual(byTopic('legacy.company-contact.v1'), ['1000000001', '1000000001', '1000000002', '1000000003', '1000000004', '1000000004', '1000000004']);
  const dead = outcomes.filter((o) => o.kind === 'dlq');
  assert.equal(dead.length, 1);
  assert.equal(dead[0]!.recordNumber, BROKEN_RECORD_NUMBER);
  assert.equal(dead[0]!.code, 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT');
  assert.equal(dead[0]!.reason, 'record 6: segment id "X" in field COMPANY-DETAILS.SEGMENT-ID matches no case of the mapping (offset 0, bytes E740404040)');
  // The masked phone keeps its last 4 digits only (the mapping's `mask`).
  assert.deepEqual(events[1]!.value, { segmentId: 'P', companyId: '1000000001', contacts: { phoneNumber: '************0101', contactName: 'Ada Whitworth' } });
});
