import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileRouteStateStore } from '../../../../src/router/state/file-state-store.ts';
import { createRouteStateBook } from '../../../../src/router/state/state-book.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'banyan-state-'));

test('route state written through the book is read back by a new store on the same file', async () => {
  const file = join(dir(), 'nested', 'routes-state.json');
  const book = createRouteStateBook(createFileRouteStateStore(file), () => 42);
  await book.load();
  await Promise.all([
    book.update('a', { override: { weight: 5 } }),
    book.update('b', { override: { killSwitch: true } }),
    book.update('a', { rollout: { phase: 'paused', stepIndex: 1, lastGoodWeight: 1, attempts: 0, stepStartedAt: 7 } }),
  ]);
  await book.update('b', { override: undefined });

  const again = createRouteStateBook(createFileRouteStateStore(file));
  await again.load();
  assert.deepEqual(again.get('a'), {
    override: { weight: 5 },
    rollout: { phase: 'paused', stepIndex: 1, lastGoodWeight: 1, attempts: 0, stepStartedAt: 7 },
    updatedAt: 42,
  });
  assert.deepEqual(again.get('b'), { updatedAt: 42 });
  assert.deepEqual(readdirSync(join(file, '..')), ['routes-state.json'], 'no temporary file left behind');
});

test('a missing state file is an empty state; a corrupt one is a coded error', async () => {
  const d = dir();
  assert.equal((await createFileRouteStateStore(join(d, 'none.json')).load()).size, 0);
  writeFileSync(join(d, 'bad.json'), '{"version":1,');
  await assert.rejects(createFileRouteStateStore(join(d, 'bad.json')).load(), { code: 'BANYAN_ERR_ROUTERCTL_STATE_UNREADABLE' });
});
