/** The bridge-level `delivery` key: at_least_once unless a bridge asks for exactly_once; anything else is an issue at its file:line:col. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkConfigText } from '../../../src/config/load.ts';
import { bridgeSpec } from '../../../src/config-catalog.ts';

const rootDir = mkdtempSync(join(tmpdir(), 'banyan-delivery-'));
writeFileSync(join(rootDir, 'orders.yaml'), 'copybook: x.cpy\n');
after(() => rmSync(rootDir, { recursive: true, force: true }));

const bridge = (extra: string) => `name: orders-file\nsource:\n  file: { dir: inbox }\nmapping: orders.yaml\nsink:\n  kafka: { topic: legacy.orders.v1 }\n${extra}`;

function parsed(text: string) {
  const result = checkConfigText('bridges/orders.yaml', text, bridgeSpec.schema, { env: {} });
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.issues));
  return result.config.value;
}

test('delivery defaults to at_least_once', () => {
  assert.equal(parsed(bridge('')).delivery, 'at_least_once');
});

test('delivery: exactly_once is accepted', () => {
  assert.deepEqual(bridgeSpec.check('bridges/orders.yaml', bridge('delivery: exactly_once\n'), { rootDir, env: {} }), []);
  assert.equal(parsed(bridge('delivery: exactly_once\n')).delivery, 'exactly_once');
});

test('an unknown delivery mode is reported at its line and column, naming both modes', () => {
  const issues = bridgeSpec.check('bridges/orders.yaml', bridge('delivery: exactly-once\n'), { rootDir, env: {} });
  assert.equal(issues.length, 1, JSON.stringify(issues));
  assert.equal(issues[0]!.line, 7);
  assert.equal(issues[0]!.col, 11);
  assert.match(issues[0]!.message, /at_least_once/);
  assert.match(issues[0]!.message, /exactly_once/);
});
