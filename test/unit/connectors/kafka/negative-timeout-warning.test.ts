/** kafkajs's negative-timeout warning is dropped; every other warning still prints. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const module = new URL('../../../../src/connectors/kafka/negative-timeout-warning.ts', import.meta.url).href;

test("Node's TimeoutNegativeWarning from kafkajs's request queue is dropped, other warnings are printed as before", () => {
  const script = `
    const { dropKafkajsNegativeTimeoutWarning } = await import(${JSON.stringify(module)});
    dropKafkajsNegativeTimeoutWarning();
    setTimeout(() => {}, -1 - Date.now());
    process.emitWarning('something else', 'DeprecationWarning');
    setTimeout(() => {}, 20);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /TimeoutNegativeWarning/);
  assert.match(run.stderr, /DeprecationWarning: something else/);
});
