import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCatalog } from '../../../src/core/errors.ts';
import { RouterErrors } from '../../../src/router/errors.ts';

const doc = readFileSync(new URL('../../../src/router/data-plane.md', import.meta.url), 'utf8');

test('every router data-plane error code is documented in src/router/data-plane.md with its retriable flag', () => {
  for (const code of Object.keys(RouterErrors)) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    assert.ok(row, `${code} is not documented`);
    assert.equal(row.split('|')[2].trim(), errorCatalog().get(code)?.retriable ? 'yes' : 'no', `${code}: retriable flag`);
  }
  const documented = [...doc.matchAll(/^\| `(BANYAN_ERR_ROUTER_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.filter((c) => !(c in RouterErrors)), [], 'no documented code is missing from errors.ts');
});
