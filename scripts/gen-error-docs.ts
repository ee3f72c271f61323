/**
 * Writes docs/errors.md from the error catalogue: one row per BANYAN_ERR_* code with whether it is
 * retriable and its message. `npm run docs:errors`; test/unit/core/error-catalog.test.ts fails when
 * the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { renderErrorDocs } from '../test/support/error-docs.ts';
import { loadErrorCatalog } from '../src/core/error-modules.ts';

const root = new URL('..', import.meta.url);
const catalog = await loadErrorCatalog(root);
writeFileSync(new URL('docs/errors.md', root), renderErrorDocs(catalog));
console.log(`docs/errors.md: ${catalog.size} codes`);
