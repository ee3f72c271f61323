import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { applyNaming } from '../../../../src/codec/mapping/naming.ts';
import { compileMask } from '../../../../src/codec/mapping/masking.ts';

test('COBOL names become camelCase, snake_case or stay as written', () => {
  assert.equal(applyNaming('COMPANY-ID', 'camelCase'), 'companyId');
  assert.equal(applyNaming('NUMBER-OF-ACCTS', 'camelCase'), 'numberOfAccts');
  assert.equal(applyNaming('ADDRESS', 'camelCase'), 'address');
  assert.equal(applyNaming('WS-AMOUNT-2', 'snake_case'), 'ws_amount_2');
  assert.equal(applyNaming('COMPANY-ID', 'as-is'), 'COMPANY-ID');
});

test('keep_last shows only the last digits of a card number, keep_first only the first', () => {
  assert.equal(compileMask({ keep_last: 4 })('4111111111111111'), '************1111');
  assert.equal(compileMask({ keep_first: 6 })('4111111111111111'), '411111**********');
  assert.equal(compileMask({ keep_last: 4 })('123'), '123');
  assert.equal(compileMask({ keep_last: 4 })(null), null);
});

test('redact nulls the value; hash is sha256, or HMAC-SHA256 with a key, stable across calls', () => {
  assert.equal(compileMask('redact')('secret'), null);
  assert.equal(compileMask('hash')('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(compileMask('hash', 'k')('abc'), createHmac('sha256', 'k').update('abc').digest('hex'));
  assert.equal(compileMask('hash')(12), compileMask('hash')('12'));
});
