import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_CATALOG } from '../../../src/config-catalog.ts';
import { kafkaSettingsSchema } from '../../../src/connectors/kafka/spec.ts';
import { gatewaySchema } from '../../../src/gateway-config.ts';
import { routerSettingsSchema } from '../../../src/router/config/settings.ts';

const src = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier a file imports or re-exports, type-only ones included. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
}

test('src/config is a toolkit: it imports only itself, src/core, node built-ins, zod and yaml', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(join(src, 'config'))) {
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) {
        const area = relative(src, resolve(dirname(file), spec)).split('/')[0];
        if (area !== 'config' && area !== 'core') violations.push(`${relative(src, file)} imports ${spec}`);
      } else if (!spec.startsWith('node:') && spec !== 'zod' && spec !== 'yaml') {
        violations.push(`${relative(src, file)} imports package ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("banyan.yaml's kafka and router sections are the Kafka connector's and the router's own specs", () => {
  assert.equal(gatewaySchema.shape.kafka.def.innerType, kafkaSettingsSchema);
  assert.equal(gatewaySchema.shape.router.def.innerType, routerSettingsSchema);
});

test('the catalog built at the composition root checks banyan.yaml, bridges, route files and record mappings', () => {
  assert.equal(CONFIG_CATALOG.project.fileName, 'banyan.yaml');
  assert.deepEqual(
    CONFIG_CATALOG.kinds.map((k) => k.kind),
    ['bridge', 'route', 'record-mapping'],
  );
  assert.ok(CONFIG_CATALOG.kinds.find((k) => k.kind === 'bridge')!.matches('bridges/orders-mq.yaml'));
  assert.ok(CONFIG_CATALOG.kinds.find((k) => k.kind === 'route')!.matches('mappings/routes/accounts.yaml'));
  assert.ok(CONFIG_CATALOG.kinds.find((k) => k.kind === 'record-mapping')!.matches('mappings/records/orders.yaml'));
});
