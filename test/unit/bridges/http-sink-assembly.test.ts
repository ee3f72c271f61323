/**
 * A Kafka -> http bridge validates (src/connectors/http/spec.ts) but runs through the retry
 * processor, which is wired separately: until then assembling one stops with the coded
 * "cannot run" error, before anything connects, instead of being taken for a file sink.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assembleBridge, loadBridgeFile } from '../../../src/bridge-assembly.ts';

const rootDir = mkdtempSync(join(tmpdir(), 'banyan-http-assembly-'));
after(() => rmSync(rootDir, { recursive: true, force: true }));

test('a kafka -> http bridge is refused with BANYAN_ERR_BRIDGE_ENDS_NOT_RUNNABLE before it connects', async () => {
  writeFileSync(join(rootDir, 'accounts.yaml'), 'copybook: x.cpy\n');
  const file = join(rootDir, 'accounts-http.yaml');
  writeFileSync(file, 'name: accounts-http\nsource: { kafka: { topics: [legacy.accounts.v1] } }\nmapping: accounts.yaml\nsink:\n  http: { name: accounts, url: "http://127.0.0.1:9/accounts/{after.ID}" }\n');
  const bridge = loadBridgeFile(file, rootDir, {});
  // The Kafka client and topic admin are never reached: the check comes first.
  await assert.rejects(assembleBridge(bridge, rootDir, undefined as never, undefined as never), {
    code: 'BANYAN_ERR_BRIDGE_ENDS_NOT_RUNNABLE',
    message: /bridge accounts-http: a kafka source with a http sink cannot run/,
  });
});
