import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PARSER_TYPES_URL, PARSER_URL, renderSelectorParser } from '../../../../scripts/selector-parser-source.ts';

test('the committed selector parser is what selector.peggy generates (run `npm run gen:selector-parser`)', () => {
  const { js, dts } = renderSelectorParser();
  assert.equal(readFileSync(PARSER_URL, 'utf8'), js, 'selector-parser.generated.js is out of date');
  assert.equal(readFileSync(PARSER_TYPES_URL, 'utf8'), dts, 'selector-parser.generated.d.ts is out of date');
});
