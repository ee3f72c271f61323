import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { recordMappingSchema } from '../../../src/codec/mapping/schema.ts';
import { checkConfigText } from '../../../src/config/load.ts';
import { formatIssue } from '../../../src/config/issues.ts';
import { acceptsEnvText } from '../../../src/config/schema-helpers.ts';
import { sameValueSchemas } from '../../../src/config/schema-walk.ts';
import { bridgeSpec } from '../../../src/config-catalog.ts';
import { kafkaConnectionSchema, topicSettingsSchema } from '../../../src/connectors/kafka/spec.ts';
import { gatewaySchema } from '../../../src/gateway-config.ts';
import { checkRouteFile } from '../../../src/router/config/load-routes.ts';
import { RouteFileSchema } from '../../../src/router/config/schema.ts';

interface Def {
  type: string;
  [key: string]: unknown;
}

/** Paths of every boolean and number in `schema` that does not accept its `${ENV}` text form. */
function plainScalars(schema: z.core.$ZodType, path = ''): string[] {
  const def = schema._zod.def as unknown as Def;
  const at = (child: unknown, segment: string) => plainScalars(child as z.core.$ZodType, path + segment);
  switch (def.type) {
    case 'boolean':
    case 'number':
      return acceptsEnvText(schema) ? [] : [path || '(root)'];
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) => at(v, `.${k}`));
    case 'array':
      return at(def.element, '[]');
    case 'record':
      return at(def.valueType, '.*');
    case 'union':
      return (def.options as unknown[]).flatMap((o, i) => at(o, `|${i}`));
    default:
      return sameValueSchemas(schema).flatMap((s) => plainScalars(s, path));
  }
}

test('every boolean and number in every spec accepts ${ENV} text the same way', () => {
  const specs: Record<string, z.core.$ZodType> = {
    'banyan.yaml': gatewaySchema,
    'bridges/*.yaml': bridgeSpec.schema,
    'mappings/routes/*.yaml': RouteFileSchema,
    'mappings/records/*.yaml': recordMappingSchema,
    'Kafka connection': kafkaConnectionSchema,
    'Kafka topic settings': topicSettingsSchema,
  };
  const plain = Object.entries(specs).flatMap(([name, schema]) => plainScalars(schema).map((p) => `${name} ${p}`));
  assert.deepEqual(plain, []);
});

test('${FLAG} sets the router booleans true or false; any other value is a type error at its place', () => {
  const yaml = 'router:\n  trust_proxy: ${FLAG}\n  forwarded_header: "${OFF}"\n';
  const on = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: { FLAG: 'true', OFF: 'false' } });
  assert.ok(on.ok);
  assert.deepEqual([on.config.value.router!.trust_proxy, on.config.value.router!.forwarded_header], [true, false]);
  const off = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: { FLAG: 'FALSE', OFF: 'True' } });
  assert.ok(off.ok);
  assert.deepEqual([off.config.value.router!.trust_proxy, off.config.value.router!.forwarded_header], [false, true]);
  const bad = checkConfigText('banyan.yaml', yaml, gatewaySchema, { env: { FLAG: 'yes', OFF: 'false' } });
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.ok ? [] : bad.issues.map(formatIssue), [
    'banyan.yaml:2:16: type: Invalid input: expected boolean, received string (at router.trust_proxy)',
  ]);
});

test('route files take booleans and numbers from ${ENV} too: active, weight, timeouts, shadow and rollout settings', () => {
  const text = [
    'routes:',
    '  - id: a',
    '    match: { path: /a }',
    '    legacy: { url: "http://h", timeout_ms: "${TIMEOUT}" }',
    '    new: { url: "http://n" }',
    '    mode: canary',
    '    active: ${ACTIVE}',
    '    weight: ${WEIGHT}',
    '    shadow: { enabled: "${SHADOW}", percent: "${PERCENT}" }',
    '    rollout: { steps: ["${FIRST_STEP}", 100], interval: "${INTERVAL}", auto_advance: "${AUTO}" }',
    '',
  ].join('\n');
  const env = { TIMEOUT: '2500', ACTIVE: 'false', WEIGHT: '12.5', SHADOW: 'true', PERCENT: '20', FIRST_STEP: '5', INTERVAL: '300000', AUTO: 'false' };
  const r = checkConfigText('r.yaml', text, RouteFileSchema, { env });
  assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
  const route = r.config.value.routes[0]!;
  assert.deepEqual(
    [route.legacy.timeoutMs, route.active, route.weight, route.shadow!.enabled, route.shadow!.percent],
    [2500, false, 12.5, true, 20],
  );
  assert.deepEqual([route.rollout!.steps[0], route.rollout!.intervalMs, route.rollout!.autoAdvance], [{ weight: 5, approve: false }, 300_000, false]);

  assert.deepEqual(checkRouteFile('r.yaml', text, { ...env, ACTIVE: 'maybe', WEIGHT: 'ten' }).map(formatIssue), [
    'r.yaml:7:13: type: Invalid input: expected boolean, received string (at routes[0].active)',
    'r.yaml:8:13: type: Invalid input: expected number, received string (at routes[0].weight)',
  ]);
});
