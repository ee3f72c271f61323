import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineErrors, errorCatalog } from '../../../src/core/errors.ts';

const TestErrors = defineErrors({
  BANYAN_ERR_STATUSTEST_MISSING: { message: 'no %s here', status: 404 },
  BANYAN_ERR_STATUSTEST_PLAIN: { message: 'plain', retriable: true },
});

test('an error spec can carry an HTTP status (fastify createError style); the error and the catalogue carry it', () => {
  const missing = new TestErrors.BANYAN_ERR_STATUSTEST_MISSING('route');
  assert.deepEqual([missing.code, missing.message, missing.status, missing.retriable], ['BANYAN_ERR_STATUSTEST_MISSING', 'no route here', 404, false]);
  assert.equal(errorCatalog().get('BANYAN_ERR_STATUSTEST_MISSING')?.status, 404);
  const plain = new TestErrors.BANYAN_ERR_STATUSTEST_PLAIN();
  assert.deepEqual([plain.status, plain.retriable], [undefined, true]);
});
