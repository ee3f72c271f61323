import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openRecordCodec } from '../../../src/codec/index.ts';
import { recordEncoder } from '../../../src/codec/record-encoding.ts';
import type { SourceRecord } from '../../../src/core/bridge-contracts.ts';

const mapping = new URL('../../fixtures/bridges/accounts.mapping.yaml', import.meta.url).pathname;
const canonical = readFileSync(new URL('../../fixtures/bridges/accounts.canonical.f.bin', import.meta.url));
const codec = openRecordCodec({ mapping });
const event = (value: string, offset = 0): SourceRecord => ({ bytes: Buffer.from(value), recordNumber: offset + 1, positionId: `t/0/${offset}`, metadata: {} });

test('an event decoded from a canonical record encodes back to the same bytes', () => {
  const encode = recordEncoder(codec, 'file');
  for (let i = 0; i < canonical.length / 20; i++) {
    const bytes = canonical.subarray(i * 20, (i + 1) * 20);
    const decoded = codec.decode(bytes, i + 1);
    assert.equal(decoded?.kind, 'event');
    const d = encode(event(JSON.stringify(decoded!.kind === 'event' ? decoded!.value : null), i));
    assert.equal(d.kind, 'event');
    if (d.kind === 'event') assert.deepEqual(Buffer.from(d.value as Uint8Array), bytes, `record ${i + 1}`);
  }
});

test('a value that is not JSON is rejected naming the event and the rule', () => {
  const d = recordEncoder(codec, 'file')(event('{"accountNo": ', 41));
  assert.equal(d.kind, 'rejected');
  if (d.kind !== 'rejected') return;
  assert.equal(d.rejection.code, 'BANYAN_ERR_ENCODE_TYPE');
  assert.match(d.rejection.reason, /^event t\/0\/41: the value is not JSON/);
  assert.equal(d.rejection.rule, 'value has the wrong type for the field');
});

test('a value a field cannot hold is rejected naming the field and the rule', () => {
  const d = recordEncoder(codec, 'file')(event(JSON.stringify({ accountNo: 'A1', balance: '99999999.00', branch: 1, statusCode: 'OPN' })));
  assert.equal(d.kind, 'rejected');
  if (d.kind !== 'rejected') return;
  assert.equal(d.rejection.code, 'BANYAN_ERR_ENCODE_OVERFLOW');
  assert.equal(d.rejection.fieldPath, 'ACCOUNT.BALANCE');
  assert.match(d.rejection.reason, /^event t\/0\/0: field ACCOUNT\.BALANCE/);
});

test('a JSON value that is not an object (an array, a tombstone\'s empty value) is rejected, not thrown', () => {
  for (const text of ['[1,2]', '']) {
    const d = recordEncoder(codec, 'file')(event(text));
    assert.equal(d.kind, 'rejected', text);
    if (d.kind === 'rejected') assert.equal(d.rejection.code, 'BANYAN_ERR_ENCODE_TYPE');
  }
});
