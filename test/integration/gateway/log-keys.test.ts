/**
 * Each key once per JSON log line, read from the raw text the root logger writes (JSON.parse keeps
 * only the last of a repeated key, so a parsed line cannot show the repetition). `component` is added
 * once, at the root of each component; the factories under it (the router's data plane, its control
 * plane, the Kafka publisher) take that logger and never add it again.
 *
 * The gateway runs the router component on the run's Kafka with an audit topic Kafka refuses (an
 * invalid name), so one admin change makes the router, the control plane and the publisher log, and a
 * component whose stop() fails makes the gateway log about it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildGateway, loadGatewayConfig } from '../../../src/index.ts';
import { createRootLogger } from '../../../src/observability/logger.ts';
import { createRouterComponent } from '../../../src/router/admin/router-component.ts';
import { repeatedJsonKeys } from '../../support/json-keys.ts';
import { testBrokers } from '../../support/kafka.ts';
import { jsonHandler, startUpstream } from '../router/data-harness.ts';

const TOKEN = 'log-keys-admin-token-0123456789';

test('no line logged by the router, its control plane, the publisher or the gateway repeats a key; each names its component once', async () => {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  const legacy = await startUpstream(jsonHandler('legacy'));
  const fresh = await startUpstream(jsonHandler('new'));
  const dir = mkdtempSync(join(tmpdir(), 'banyan-log-keys-'));
  try {
    mkdirSync(join(dir, 'routes'));
    writeFileSync(
      join(dir, 'routes', 'quotes.yaml'),
      `routes:\n  - id: quotes\n    match: { path: /quotes/:id }\n    legacy: { url: ${legacy.url} }\n    new: { url: ${fresh.url} }\n    mode: canary\n    weight: 0\n`,
    );
    writeFileSync(
      join(dir, 'banyan.yaml'),
      `kafka:\n  brokers: \${TEST_BROKERS}\nhttp: { port: 0 }\nrouter:\n  port: 0\n  routes_dir: routes\n  admin:\n    port: 0\n` +
        `    tokens:\n      - { name: release-bot, token: "\${ROUTER_ADMIN_TOKEN}" }\n    state_file: var/router-state.json\n    audit_topic: "not a valid topic!"\n`,
    );
    const config = loadGatewayConfig(join(dir, 'banyan.yaml'), { env: { TEST_BROKERS: testBrokers().join(','), ROUTER_ADMIN_TOKEN: TOKEN } });
    const router = createRouterComponent();
    const stuck = { name: 'stuck', start: async () => {}, stop: async () => Promise.reject(new Error('stuck component')) };
    const gateway = buildGateway(config, { logger: createRootLogger({ level: 'info', destination }), components: [router, stuck] });
    await gateway.start();
    try {
      const res = await fetch(`${router.adminUrl}/admin/routes/quotes/weight`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ weight: 100, reason: 'log keys' }),
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { audited: boolean }).audited, false, 'Kafka refuses the audit topic');
      await fresh.close();
      const served = await fetch(`${router.routerUrl}/quotes/1`);
      assert.equal(served.headers.get('x-banyan-upstream'), 'legacy');
      await served.arrayBuffer();
    } finally {
      await gateway.stop();
    }
  } finally {
    await legacy.close();
    await fresh.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }

  for (const line of raw) assert.deepEqual(repeatedJsonKeys(line), [], `repeated keys in ${line}`);
  const parsed = raw.map((l) => JSON.parse(l) as { msg?: string; component?: string });
  const componentOf = (msg: string) => {
    const line = parsed.find((l) => l.msg === msg);
    assert.ok(line, `no "${msg}" line in:\n${raw.join('\n')}`);
    return line.component;
  };
  const expected: Record<string, string> = {
    'audit topic could not be created; audit writes will fail until it exists': 'router', // router-component.ts
    'route override applied': 'router', // router/server.ts
    'new side failed; falling back to legacy': 'router', // router/proxy/route-request.ts
    'router admin API and console listening': 'router', // router/admin/control-plane.ts
    'audit event could not be published': 'router', // router/audit/audit-trail.ts, under the control plane
    'publish failed': 'router', // connectors/kafka/publisher.ts, the router's publisher
    'starting gateway': 'gateway', // index.ts
    'component failed to stop': 'gateway', // index.ts
  };
  assert.deepEqual(Object.fromEntries(Object.keys(expected).map((msg) => [msg, componentOf(msg)])), expected);
});
