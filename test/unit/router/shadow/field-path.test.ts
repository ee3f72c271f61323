import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldPattern, formatFieldPath, generalisePath } from '../../../../src/router/shadow/field-path.ts';

test('field paths format with dots and brackets and generalise indices', () => {
  assert.equal(formatFieldPath(['body', 'items', 0, 'price']), 'body.items[0].price');
  assert.equal(formatFieldPath(['body', 3]), 'body[3]');
  assert.equal(generalisePath('body.items[12].tags[0]'), 'body.items[*].tags[*]');
});

test('matches selects exactly the pattern; covers also selects descendants', () => {
  const p = compileFieldPattern('body.items[*].price');
  assert.equal(p.matches(['body', 'items', 4, 'price']), true);
  assert.equal(p.matches(['body', 'items', 'x', 'price']), false);
  assert.equal(p.matches(['body', 'items', 4, 'price', 'cents']), false);
  assert.equal(p.covers(['body', 'items', 4, 'price', 'cents']), true);
  assert.equal(compileFieldPattern('body.**').covers(['body']), true);
  assert.equal(compileFieldPattern('**.id').matches(['body', 'a', 0, 'id']), true);
  assert.equal(compileFieldPattern('body.a[2]').matches(['body', 'a', 2]), true);
  assert.equal(compileFieldPattern('body.a[2]').matches(['body', 'a', 3]), false);
  assert.equal(compileFieldPattern('body.*').matches(['body', 0]), false);
});
