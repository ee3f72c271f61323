import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FileErrors } from '../../../../src/connectors/file/errors.ts';
import { errorCatalog } from '../../../../src/core/errors.ts';

const readme = readFileSync(new URL('../../../../src/connectors/file/README.md', import.meta.url), 'utf8');

describe('file connector error codes', () => {
  it('documents every code with its retriable flag in src/connectors/file/README.md', () => {
    const codes = Object.keys(FileErrors);
    assert.equal(codes.length, 4);
    for (const code of codes) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is not documented`);
      const retriable = errorCatalog().get(code)?.retriable === true;
      assert.equal(row.split('|')[2]!.trim(), retriable ? 'yes' : 'no', `${code}: documented retriable flag`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...readme.matchAll(/^\| `(BANYAN_ERR_FILE_[A-Z_]+)` \|/gm)].map((m) => m[1]!);
    assert.deepEqual(documented.filter((c) => !(c in FileErrors)), []);
  });
});
