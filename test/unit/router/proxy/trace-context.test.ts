import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childTraceParent, parseTraceParent } from '../../../../src/router/proxy/trace-context.ts';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('a valid traceparent is continued: same trace id and flags, a new span id', () => {
  const child = parseTraceParent(childTraceParent(incoming))!;
  assert.equal(child.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(child.flags, '01');
  assert.match(child.spanId, /^[0-9a-f]{16}$/);
  assert.notEqual(child.spanId, '00f067aa0ba902b7');
  assert.notEqual(parseTraceParent(childTraceParent(incoming))!.spanId, child.spanId);
});

test('missing or invalid traceparents (W3C 3.2.2) start a new sampled trace', () => {
  for (const bad of [undefined, '', 'garbage', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01']) {
    assert.equal(parseTraceParent(bad), undefined, String(bad));
    const fresh = parseTraceParent(childTraceParent(bad))!;
    assert.ok(fresh);
    assert.notEqual(fresh.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(fresh.flags, '01');
  }
  assert.ok(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future'), 'a higher version may carry more fields');
});
