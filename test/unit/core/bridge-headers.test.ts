import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BRIDGE_HEADERS, deadLetterHeaders, eventHeaders, eventId } from '../../../src/core/bridge-headers.ts';
import type { SourceRecord } from '../../../src/core/bridge-contracts.ts';

const record: SourceRecord = {
  bytes: new Uint8Array([0xc1]),
  recordNumber: 7,
  positionId: 'COMPANY.DAT:1234:i99@420',
  metadata: { 'banyan-file': 'COMPANY.DAT', [BRIDGE_HEADERS.bridge]: 'spoofed' },
};
const provenance = { bridge: 'companies', mapping: { name: 'company-details', version: '3' }, copybookSha256: 'ab'.repeat(32) };

test('the event id is the bridge name and the record position: the same record read again gets the same id', () => {
  assert.equal(eventId('companies', record), 'companies/COMPANY.DAT:1234:i99@420');
  const readAgain: SourceRecord = { ...record, bytes: new Uint8Array([0xc1]) };
  assert.equal(eventId('companies', readAgain), eventId('companies', record));
});

test('an event carries its id, position, record number, mapping name and version and copybook hash; source metadata cannot override them', () => {
  assert.deepEqual(eventHeaders(provenance, record), {
    'banyan-file': 'COMPANY.DAT',
    'banyan-event-id': 'companies/COMPANY.DAT:1234:i99@420',
    'banyan-bridge': 'companies',
    'banyan-source-position': 'COMPANY.DAT:1234:i99@420',
    'banyan-record-number': '7',
    'banyan-mapping': 'company-details',
    'banyan-mapping-version': '3',
    'banyan-copybook-sha256': 'ab'.repeat(32),
  });
});

test('a dead letter adds code, reason, rule, field, offset and the bad bytes', () => {
  const h = deadLetterHeaders({ bridge: 'companies' }, record, {
    code: 'BANYAN_ERR_DECODE_PACKED_NIBBLE',
    reason: 'record 7: field AMOUNT at offset 12: bytes 1A 2F: packed decimal digit nibble must be 0-9',
    rule: 'packed decimal digit nibble must be 0-9',
    fieldPath: 'COMPANY.AMOUNT',
    offset: 12,
    hex: '1A2F',
  });
  assert.equal(h['banyan-error-code'], 'BANYAN_ERR_DECODE_PACKED_NIBBLE');
  assert.equal(h['banyan-error-rule'], 'packed decimal digit nibble must be 0-9');
  assert.equal(h['banyan-error-field'], 'COMPANY.AMOUNT');
  assert.equal(h['banyan-error-offset'], '12');
  assert.equal(h['banyan-error-hex'], '1A2F');
  assert.equal(h['banyan-event-id'], 'companies/COMPANY.DAT:1234:i99@420');
  assert.equal(h['banyan-mapping'], undefined, 'no mapping given, no mapping header');
});

test('a rejection without a field (unknown segment) has no field, offset or hex headers', () => {
  const h = deadLetterHeaders({ bridge: 'b' }, record, { code: 'BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT', reason: 'record 7: segment X' });
  for (const k of ['banyan-error-field', 'banyan-error-offset', 'banyan-error-hex', 'banyan-error-rule']) assert.equal(h[k], undefined, k);
});
