import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_MODULES, loadErrorCatalog } from '../../../src/core/error-modules.ts';
import { renderErrorDocs } from '../../support/error-docs.ts';

const root = new URL('../../../', import.meta.url);
const rootPath = root.pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    return statSync(full).isDirectory() ? sourceFiles(full) : e.endsWith('.ts') ? [full] : [];
  });
}

test('every module that defines error codes is listed in the error catalogue', () => {
  const defining = sourceFiles(join(rootPath, 'src'))
    .filter((f) => /\bdefineErrors\(\{/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(rootPath, f))
    .sort();
  assert.deepEqual(defining, [...ERROR_MODULES].sort());
});

test('docs/errors.md documents every error code, and no code that no longer exists', async () => {
  const catalog = await loadErrorCatalog(root);
  assert.ok(catalog.size > 50, `expected the whole catalogue, got ${catalog.size} codes`);
  const docs = readFileSync(new URL('docs/errors.md', root), 'utf8');
  const documented = new Set(docs.match(/`BANYAN_ERR_[A-Z0-9_]+`/g)?.map((c) => c.slice(1, -1)));
  const missing = [...catalog.keys()].filter((c) => !documented.has(c));
  const stale = [...documented].filter((c) => !catalog.has(c));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run `npm run docs:errors`');
  assert.equal(docs, renderErrorDocs(catalog), 'docs/errors.md is out of date: run `npm run docs:errors`');
});

test('every error code follows BANYAN_ERR_<AREA>_<WHAT> and has a message', async () => {
  const catalog = await loadErrorCatalog(root);
  for (const [code, spec] of catalog) {
    assert.match(code, /^BANYAN_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
    assert.ok(spec.message.trim().length > 0, `${code} has no message`);
  }
});
