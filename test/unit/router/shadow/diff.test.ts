import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompareSchema } from '../../../../src/router/config/schema.ts';
import type { CapturedResponse } from '../../../../src/router/shadow/capture.ts';
import { compileComparison } from '../../../../src/router/shadow/diff.ts';

const res = (body: unknown, status = 200, headers: Record<string, string> = { 'content-type': 'application/json' }): CapturedResponse => ({
  status,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  truncated: false,
});
const compare = (spec: unknown, a: CapturedResponse, b: CapturedResponse) => compileComparison(CompareSchema.parse(spec)).compare(a, b);

test('JSON bodies are compared field by field, with array indices and missing fields in the paths', () => {
  const diffs = compare(
    {},
    res({ id: 1, name: 'a', items: [{ p: 1 }, { p: 2 }], gone: true }),
    res({ id: 1, name: 'b', items: [{ p: 1 }, { p: 3 }, { p: 4 }] }),
  );
  assert.deepEqual(diffs, [
    { path: 'body.name', legacy: 'a', candidate: 'b' },
    { path: 'body.items[1].p', legacy: 2, candidate: 3 },
    { path: 'body.items[2]', legacy: undefined, candidate: { p: 4 } },
    { path: 'body.gone', legacy: true, candidate: undefined },
  ]);
});

test('status and chosen headers are compared; other headers are not', () => {
  const diffs = compare({ headers: ['content-type'] }, res({}, 200, { 'content-type': 'application/json', date: 'x' }), res({}, 201, { 'content-type': 'text/plain', date: 'y' }));
  assert.deepEqual(diffs.map((d) => d.path), ['status', 'header.content-type']);
});

test('ignore rules skip a field and its subtree, with * one key, [*] any index and ** any depth', () => {
  const a = res({ meta: { at: 1, by: 'x' }, items: [{ ts: 1, v: 1 }], deep: { x: { etag: 'a' } }, other: { k: 1 } });
  const b = res({ meta: { at: 2, by: 'y' }, items: [{ ts: 2, v: 1 }], deep: { x: { etag: 'b' } }, other: { k: 2 } });
  assert.deepEqual(compare({ ignore: ['body.meta', 'body.items[*].ts', 'body.**.etag', 'body.*.k'] }, a, b), []);
  assert.deepEqual(compare({ ignore: ['body.items[1].ts'] }, a, b).map((d) => d.path), ['body.meta.at', 'body.meta.by', 'body.items[0].ts', 'body.deep.x.etag', 'body.other.k']);
});

test('normalise rules: numeric tolerance, arrays sorted by a key, regex replace', () => {
  const spec = {
    rules: [
      { path: 'body.total', tolerance: 0.01 },
      { path: 'body.lines', sort_by: 'sku' },
      { path: 'body.lines[*].at', replace: { pattern: 'T.*$', with: '' } },
    ],
  };
  const a = res({ total: 10.004, lines: [{ sku: 'b', at: '2026-01-01T10:00:00Z' }, { sku: 'a', at: '2026-01-02T00:00:00Z' }] });
  const b = res({ total: 10.0, lines: [{ sku: 'a', at: '2026-01-02T23:59:59+01:00' }, { sku: 'b', at: '2026-01-01T01:00:00Z' }] });
  assert.deepEqual(compare(spec, a, b), []);
  assert.deepEqual(compare(spec, res({ total: 10.02, lines: [] }), res({ total: 10.0, lines: [] })).map((d) => d.path), ['body.total']);
});

test('non-JSON bodies are compared as bytes and reported as the single field body', () => {
  assert.deepEqual(compare({}, res('<a/>', 200, {}), res('<a/>', 200, {})), []);
  assert.deepEqual(compare({}, res('<a/>', 200, {}), res('<b/>', 200, {})).map((d) => d.path), ['body']);
  assert.deepEqual(compare({}, res('', 204, {}), res('', 204, {})), []);
});
