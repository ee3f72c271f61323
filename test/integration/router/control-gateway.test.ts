/**
 * The router as the gateway runs it: banyan.yaml with `router` and `router.admin` (token from
 * `${ENV}`), buildGateway with the router component on the run's Kafka. The admin API refuses
 * without the token, a change made through it is applied to live traffic, persisted to the state
 * file next to banyan.yaml, and audited on the configured Kafka topic.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildGateway, loadGatewayConfig, type Gateway } from '../../../src/index.ts';
import { createRouterComponent, type RouterComponent } from '../../../src/router/admin/router-component.ts';
import type { AuditEvent } from '../../../src/router/audit/audit-event.ts';
import { consumeAll, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { jsonHandler, startUpstream, type TestUpstream } from './data-harness.ts';

const TOKEN = 'gateway-admin-token-0123456789';
const auditTopic = uniqueTopic('banyan.router.audit.gw');
let dir: string;
let legacy: TestUpstream;
let fresh: TestUpstream;
let gateway: Gateway;
let component: RouterComponent;

before(async () => {
  legacy = await startUpstream(jsonHandler('legacy'));
  fresh = await startUpstream(jsonHandler('new'));
  dir = mkdtempSync(join(tmpdir(), 'banyan-router-gw-'));
  mkdirSync(join(dir, 'routes'));
  writeFileSync(
    join(dir, 'routes', 'quotes.yaml'),
    `routes:
  - id: quotes
    match: { path: /quotes/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 0
    cohort: { key: { from: path, name: id } }
`,
  );
  writeFileSync(
    join(dir, 'banyan.yaml'),
    `kafka:
  brokers: \${TEST_BROKERS}
http: { port: 0 }
log: { level: warn }
router:
  port: 0
  routes_dir: routes
  admin:
    port: 0
    tokens:
      - { name: release-bot, token: "\${ROUTER_ADMIN_TOKEN}" }
    state_file: var/router-state.json
    audit_topic: ${auditTopic}
`,
  );
  const config = loadGatewayConfig(join(dir, 'banyan.yaml'), { env: { TEST_BROKERS: testBrokers().join(','), ROUTER_ADMIN_TOKEN: TOKEN } });
  component = createRouterComponent();
  gateway = buildGateway(config, { logger: pino({ level: 'silent' }), components: [component] });
  await gateway.start();
});

after(async () => {
  await gateway?.stop();
  await legacy?.close();
  await fresh?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('banyan.yaml router.admin starts the admin API next to the router; it refuses requests without the token', async () => {
  assert.ok(component.routerUrl && component.adminUrl);
  assert.equal((await fetch(`${component.adminUrl}/admin/routes`)).status, 401);
  const ok = await fetch(`${component.adminUrl}/admin/routes`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  const res = await fetch(`${component.routerUrl}/quotes/1`);
  assert.equal(res.headers.get('x-banyan-upstream'), 'legacy');
  await res.arrayBuffer();
});

test('a change through the admin API moves traffic, lands in the state file next to banyan.yaml and on the audit topic', async () => {
  const res = await fetch(`${component.adminUrl}/admin/routes/quotes/weight`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-banyan-actor': 'dana' },
    body: JSON.stringify({ weight: 100, reason: 'quotes service signed off' }),
  });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { audited: boolean }).audited, true);
  const served = await fetch(`${component.routerUrl}/quotes/2`);
  assert.equal(served.headers.get('x-banyan-upstream'), 'new');
  await served.arrayBuffer();

  const stateFile = join(dir, 'var', 'router-state.json');
  assert.ok(existsSync(stateFile));
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).routes.quotes.override.weight, 100);

  const [record] = await consumeAll(auditTopic, 1, 30_000);
  const event = JSON.parse(record!.value!.toString('utf8')) as AuditEvent;
  assert.deepEqual(
    [event.routeId, event.action, event.actor, event.reason, event.from.weight, event.to.weight],
    ['quotes', 'set-weight', 'release-bot:dana', 'quotes service signed off', 0, 100],
  );
});

test("the router's metrics are on the gateway's registry: one /metrics shows the gateway's and the router's series, as does the admin /metrics", async () => {
  const res = await fetch(`${component.routerUrl}/quotes/3`);
  await res.arrayBuffer();
  const served = res.headers.get('x-banyan-upstream');
  const gatewayText = await (await fetch(`${gateway.httpAddress}/metrics`)).text();
  assert.match(gatewayText, /^banyan_ready [01]$/m, "the gateway's own series");
  assert.match(gatewayText, /^process_resident_memory_bytes \d+/m);
  // The control plane's request counter (fed by the data plane's events) and the data plane's own shadow metrics.
  assert.match(gatewayText, new RegExp(`^banyan_router_requests_total\\{route="quotes",side="${served}",outcome="ok"\\} [1-9]\\d*$`, 'm'));
  assert.match(gatewayText, /^# TYPE banyan_router_shadow_comparisons_total counter$/m);
  assert.match(gatewayText, /^# TYPE banyan_router_upstream_latency_seconds histogram$/m);
  for (const name of new Set(gatewayText.match(/^# TYPE \S+/gm))) {
    assert.equal(gatewayText.split(`${name} `).length - 1, 1, `${name} is declared once in the scrape`);
  }

  const adminText = await (await fetch(`${component.adminUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const routerLines = (text: string) => text.split('\n').filter((l) => l.startsWith('banyan_router_requests_total'));
  assert.ok(routerLines(adminText).length > 0);
  assert.deepEqual(routerLines(adminText), routerLines(gatewayText), 'the admin /metrics serves the same registry');
});
