/** The bridge-level `redelivery:` block: defaults, and every mistake reported at its file:line:col. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkConfigText } from '../../../src/config/load.ts';
import { bridgeSpec } from '../../../src/config-catalog.ts';

const rootDir = mkdtempSync(join(tmpdir(), 'banyan-redelivery-'));
writeFileSync(join(rootDir, 'orders.yaml'), 'copybook: x.cpy\n');
after(() => rmSync(rootDir, { recursive: true, force: true }));

const bridge = (extra: string) =>
  `name: orders-http\nsource:\n  kafka: { topics: [legacy.orders.v1] }\nmapping: orders.yaml\nsink:\n  http: { name: orders, url: "http://127.0.0.1:9/orders" }\n${extra}`;

function parsed(text: string) {
  const result = checkConfigText('bridges/orders.yaml', text, bridgeSpec.schema, { env: {} });
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.issues));
  return result.config.value;
}

test('redelivery: {} means three tiers of 5 s, 1 min and 10 min, 10% jitter, ordering by key', () => {
  assert.deepEqual(parsed(bridge('redelivery: {}\n')).redelivery, { tiers: [{ delay_ms: 5_000 }, { delay_ms: 60_000 }, { delay_ms: 600_000 }], jitter: 0.1, ordering: 'key' });
  assert.equal(parsed(bridge('')).redelivery, undefined, 'absent: the http sink still runs through the processor with these defaults');
});

test('tiers, jitter and ordering are configurable', () => {
  const r = parsed(bridge('redelivery: { tiers: [{ delay_ms: 250 }, { delay_ms: 1000 }], jitter: 0, ordering: none }\n')).redelivery!;
  assert.deepEqual(r, { tiers: [{ delay_ms: 250 }, { delay_ms: 1000 }], jitter: 0, ordering: 'none' });
});

test('mistakes are reported at their line and column', () => {
  const rows: Array<[string, string, number, RegExp]> = [
    ['no tiers', 'redelivery: { tiers: [] }\n', 7, /at least 1|>=1|too small/i],
    ['a jitter above 1', 'redelivery:\n  jitter: 1.5\n', 8, /1/],
    ['an unknown ordering', 'redelivery:\n  ordering: partition\n', 8, /key|none/],
    ['an unknown key (the retry back-off block is `retry:`)', 'redelivery:\n  initial_ms: 200\n', 8, /initial_ms/],
  ];
  for (const [name, extra, line, message] of rows) {
    const issues = bridgeSpec.check('bridges/orders.yaml', bridge(extra), { rootDir, env: {} });
    assert.equal(issues.length, 1, `${name}: ${JSON.stringify(issues)}`);
    assert.equal(issues[0]!.line, line, name);
    assert.match(issues[0]!.message, message, name);
  }
});
