import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientResponseHeaders, requestIdOf, upstreamRequestHeaders } from '../../../../src/router/proxy/headers.ts';

const client = { ip: '10.1.2.3', protocol: 'http' as const, host: 'shop.example' };

test('hop-by-hop headers and those named in Connection are dropped; forwarding headers are appended', () => {
  const out = upstreamRequestHeaders(
    {
      host: 'shop.example',
      connection: 'keep-alive, x-private',
      'x-private': 'secret',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic x',
      'x-forwarded-for': '192.0.2.1',
      forwarded: 'for=192.0.2.1',
      accept: 'application/json',
      'x-drop-me': '1',
    },
    client,
    'req-1',
    { add: { 'x-added': 'yes' }, remove: ['x-drop-me'] },
    { forwardedHeader: true },
  );
  assert.deepEqual(Object.keys(out).sort(), ['accept', 'forwarded', 'traceparent', 'x-added', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-request-id']);
  assert.equal(out['x-forwarded-for'], '192.0.2.1, 10.1.2.3');
  assert.equal(out.forwarded, 'for=192.0.2.1, for=10.1.2.3;proto=http;host="shop.example"');
  assert.equal(out['x-forwarded-host'], 'shop.example');
  assert.equal(out['x-request-id'], 'req-1');
  assert.equal(out['x-added'], 'yes');
});

test('Forwarded is added only when asked for; a client\'s own Forwarded then passes unchanged', () => {
  const out = upstreamRequestHeaders({ forwarded: 'for=192.0.2.1' }, client, 'r', { add: {}, remove: [] }, { forwardedHeader: false });
  assert.equal(out.forwarded, 'for=192.0.2.1');
  assert.equal(out['x-forwarded-for'], '10.1.2.3');
  assert.equal(upstreamRequestHeaders({}, client, 'r', { add: {}, remove: [] }, { forwardedHeader: false }).forwarded, undefined);
});

test('RFC 7239: IPv6 clients are bracketed and quoted, IPv4-mapped addresses unwrapped', () => {
  assert.match(String(upstreamRequestHeaders({}, { ...client, ip: '::1' }, 'r', { add: {}, remove: [] }, { forwardedHeader: true }).forwarded), /^for="\[::1\]";/);
  assert.match(String(upstreamRequestHeaders({}, { ...client, ip: '::ffff:10.0.0.1' }, 'r', { add: {}, remove: [] }, { forwardedHeader: true }).forwarded), /^for=10\.0\.0\.1;/);
});

test('a sane client request id is passed on, anything else replaced by a UUID', () => {
  assert.equal(requestIdOf({ 'x-request-id': 'abc-123' }), 'abc-123');
  assert.match(requestIdOf({}), /^[0-9a-f-]{36}$/);
  assert.match(requestIdOf({ 'x-request-id': 'has space' }), /^[0-9a-f-]{36}$/);
  assert.match(requestIdOf({ 'x-request-id': 'x'.repeat(201) }), /^[0-9a-f-]{36}$/);
});

test('response headers lose hop-by-hop fields, apply the side rules and get the router extras', () => {
  const out = clientResponseHeaders(
    { 'content-type': 'application/json', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', 'set-cookie': ['a=1', 'b=2'], server: 'legacy/1.0' },
    { add: { 'x-served': 'banyan' }, remove: ['server'] },
    { 'x-banyan-upstream': 'legacy' },
  );
  assert.deepEqual(out, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'x-served': 'banyan', 'x-banyan-upstream': 'legacy' });
});
