/**
 * The migration console end to end in headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core): a real router with real HTTP upstreams, the control plane's admin server, and
 * an operator who types the token once, sees routes with live stats, ramp progress and parity
 * mismatches with field diffs, and approves, changes the weight and rolls back from the page.
 * A screenshot goes to test-output/console.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createControlPlane, type ControlPlane } from '../../../src/router/admin/control-plane.ts';
import { MemoryAuditSink } from '../../../src/router/audit/audit-trail.ts';
import { createFileRouteStateStore } from '../../../src/router/state/file-state-store.ts';
import { jsonHandler, routesDir, startRouter, startUpstream, type RunningRouter, type TestUpstream } from './data-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'console-e2e-token-0123456789';
const repoRoot = new URL('../../../', import.meta.url).pathname;

let legacy: TestUpstream;
let fresh: TestUpstream;
let dir: ReturnType<typeof routesDir>;
let r: RunningRouter;
let cp: ControlPlane;
let adminUrl: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const sink = new MemoryAuditSink();

const body = (side: string) => (req: IncomingMessage) => {
  const id = Number((req.url ?? '').split('/').pop());
  return { account: id, total: side === 'new' && id % 10 === 7 ? `${id}.00` : id };
};

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (scripts/setup.d/40-router.sh installs Debian's chromium)`);
  legacy = await startUpstream(jsonHandler('legacy', body('legacy')));
  fresh = await startUpstream(jsonHandler('new', body('new')));
  dir = routesDir({
    'console.yaml': `
routes:
  - id: accounts
    match: { path: /accounts/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: canary
    weight: 0
    cohort: { key: { from: path, name: id } }
    rollout:
      steps: [{ weight: 5, approve: true }, 50, 100]
      interval: 1h
      min_requests: 10
  - id: balances
    match: { path: /balances/:id }
    legacy: { url: ${legacy.url} }
    new: { url: ${fresh.url} }
    mode: shadow
    shadow:
      compare: { ignore: [body.side, body.path] }
      noise: { rate: 0.2, warmup: 10 }
`,
  });
  r = await startRouter({ routesDir: dir.dir, watch: false });
  const state = mkdtempSync(join(tmpdir(), 'banyan-console-state-'));
  cp = createControlPlane({
    port: r.router.control,
    tokens: [{ name: 'console-e2e', token: TOKEN }],
    store: createFileRouteStateStore(join(state, 'state.json')),
    auditSink: sink,
    registry: r.router.metrics,
    tickMs: 0,
  });
  adminUrl = (await cp.start()).url;
  cp.controller.tick(); // the first step needs approval: the ramp waits for the operator
  for (let i = 0; i < 60; i++) await r.get(`/accounts/${i}`);
  for (let i = 0; i < 60; i++) await r.get(`/balances/${i}`);
  await r.router.shadowIdle();

  profile = mkdtempSync(join(tmpdir(), 'banyan-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1500, height: 950 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  await cp?.stop();
  await r?.close();
  await legacy?.close();
  await fresh?.close();
  dir?.remove();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const row = (id: string) => page.locator(`[data-testid="route-${id}"]`);
const cell = (id: string, testid: string) => row(id).locator(`[data-testid="${testid}"]`);

test('a wrong token is refused and the login form stays', async () => {
  await page.goto(adminUrl);
  await page.fill('#token', 'not-the-token-at-all-123');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#message.error');
  assert.match((await page.textContent('#message')) ?? '', /refused/);
  assert.equal(await page.isVisible('#login'), true);
});

test('after the token is entered once, routes show mode, weight, ramp progress and live stats for both sides', async () => {
  await page.fill('#token', TOKEN);
  await page.click('#login button[type=submit]');
  await row('accounts').waitFor();
  assert.equal(await cell('accounts', 'mode').textContent(), 'canary');
  assert.equal(await cell('accounts', 'weight').textContent(), '0%');
  assert.equal(await cell('accounts', 'phase').textContent(), 'awaiting-approval');
  assert.match((await cell('accounts', 'ramp').textContent()) ?? '', /next 5% needs approval/);
  assert.match((await cell('accounts', 'legacy-stats').textContent()) ?? '', /^\d+(\.\d)?\/s · 0\.0% · [\d.]+ ms$/);
  assert.match((await cell('accounts', 'breakers').textContent()) ?? '', /legacy closed.*new closed/);
  assert.match((await cell('balances', 'shadow').textContent()) ?? '', /of 60/);
  assert.match((await cell('accounts', 'decommission').textContent()) ?? '', /^not ready.*still sends traffic to legacy/);

  await page.reload();
  await row('accounts').waitFor();
  assert.equal(await page.isVisible('#login'), false, 'the token is kept for the session');
});

test('recent parity mismatches show the differing field with both values', async () => {
  const field = page.locator('[data-testid="mismatch-field"]').first();
  await field.waitFor();
  const text = (await field.textContent()) ?? '';
  assert.match(text, /^body\.total\d+"\d+\.00"$/);
});

test('approve, set weight and roll back from the page change the route and are audited with the reason', async () => {
  // No reason typed: the page asks for one and sends nothing.
  const audited = sink.events.length;
  await row('accounts').locator('[data-testid="approve"]').click();
  assert.match((await page.textContent('#message')) ?? '', /reason/);
  assert.equal(sink.events.length, audited);

  await page.fill('#reason', 'e2e: first step approved after parity review');
  await row('accounts').locator('[data-testid="approve"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="route-accounts"] [data-testid="weight"]')?.textContent === '5%');
  assert.equal(r.router.control.listRoutes().find((x) => x.id === 'accounts')!.weight, 5);
  assert.equal(await cell('accounts', 'phase').textContent(), 'progressing');

  await page.fill('#reason', 'e2e: manual weight');
  await row('accounts').locator('[data-testid="weight-input"]').fill('20');
  await row('accounts').locator('[data-testid="set-weight"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="route-accounts"] [data-testid="weight"]')?.textContent === '20%');
  assert.equal(await cell('accounts', 'phase').textContent(), 'paused');

  await page.fill('#reason', 'e2e: roll back');
  await row('accounts').locator('[data-testid="rollback"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="route-accounts"] [data-testid="weight"]')?.textContent === '0%');
  assert.equal(r.router.control.listRoutes().find((x) => x.id === 'accounts')!.weight, 0);

  await page.locator('[data-testid="audit-event"]', { hasText: 'rollback' }).waitFor();
  assert.deepEqual(
    sink.events.map((e) => [e.action, e.actor, e.from.weight, e.to.weight, e.reason]),
    [
      ['await-approval', 'rollout-controller', 0, 0, 'rollout declared; first step needs approval'],
      ['approve', 'console-e2e', 0, 5, 'e2e: first step approved after parity review'],
      ['set-weight', 'console-e2e', 5, 20, 'e2e: manual weight'],
      ['rollback', 'console-e2e', 20, 0, 'e2e: roll back'],
    ],
  );
});

test('a screenshot of the console is written to the test output', async (t) => {
  const out = join(repoRoot, 'test-output');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'console.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(existsSync(file));
  t.diagnostic(`console screenshot: ${file}`);
});
