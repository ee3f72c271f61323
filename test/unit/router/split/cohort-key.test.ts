import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValue, extractCohortKey, type KeySources } from '../../../../src/router/split/cohort-key.ts';

const sources: KeySources = {
  params: { id: '42', empty: '' },
  header: (n) => ({ 'x-customer': 'c-7' })[n],
  cookie: (n) => cookieValue('session=abc; cust="c%209"', n),
  query: () => new URLSearchParams('customer=c-3&x='),
  body: () => Buffer.from('{"customer":{"id":12345,"name":"x"},"list":[1]}'),
  ip: '10.0.0.9',
};

test('the key comes from a path parameter, header, cookie, query parameter, JSON body field or the client address', () => {
  assert.equal(extractCohortKey({ from: 'path', name: 'id' }, sources), '42');
  assert.equal(extractCohortKey({ from: 'header', name: 'X-Customer' }, sources), 'c-7');
  assert.equal(extractCohortKey({ from: 'cookie', name: 'cust' }, sources), 'c 9');
  assert.equal(extractCohortKey({ from: 'query', name: 'customer' }, sources), 'c-3');
  assert.equal(extractCohortKey({ from: 'body', path: 'customer.id' }, sources), '12345');
  assert.equal(extractCohortKey({ from: 'ip' }, sources), '10.0.0.9');
});

test('absent, empty, non-scalar or unparsable sources give no key', () => {
  assert.equal(extractCohortKey({ from: 'path', name: 'empty' }, sources), undefined);
  assert.equal(extractCohortKey({ from: 'query', name: 'x' }, sources), undefined);
  assert.equal(extractCohortKey({ from: 'body', path: 'customer' }, sources), undefined);
  assert.equal(extractCohortKey({ from: 'body', path: 'missing.deep' }, sources), undefined);
  assert.equal(extractCohortKey({ from: 'body', path: 'a' }, { ...sources, body: () => Buffer.from('not json') }), undefined);
  assert.equal(extractCohortKey({ from: 'body', path: 'a' }, { ...sources, body: () => undefined }), undefined);
  assert.equal(cookieValue(undefined, 'a'), undefined);
  assert.equal(cookieValue('ab=1; a=2', 'a'), '2');
});
