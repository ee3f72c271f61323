/**
 * `banyan start` runs bridges/ (issue 12): each bridge file becomes a running bridge, visible on
 * GET /bridges, /health/ready and /metrics; a bridge that cannot run stops alone while the others
 * go on; and with two gateways on the same bridges/ exactly one reads each bridge, and when the
 * owner is SIGKILLed the other takes over within the group's session timeout plus 5 s, resumes
 * from the checkpoint and loses nothing.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BridgeStatus } from '../../../src/bridges/bridge-host.ts';
import { consumeAll, testBrokers, uniqueTopic } from '../../support/kafka.ts';
import { eventually, getJson, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';

const fixtures = new URL('../../fixtures/codec/', import.meta.url).pathname;
const SESSION_TIMEOUT_MS = 6000;

interface Project {
  readonly dir: string;
  readonly bridge: string;
  readonly company: string;
  readonly contact: string;
}

/** A project directory: banyan.yaml on the test broker, the company mapping, one file bridge, an inbox. */
async function project(prefix: string, batch: number, extraBridges: Record<string, string> = {}): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), `banyan-${prefix}-`));
  const company = uniqueTopic(`${prefix}-company`);
  const contact = uniqueTopic(`${prefix}-contact`);
  const bridge = uniqueTopic(`${prefix}-companies`).toLowerCase();
  await mkdir(join(dir, 'mappings'), { recursive: true });
  await mkdir(join(dir, 'bridges'));
  await mkdir(join(dir, 'inbox'));
  await copyFile(join(fixtures, 'company-details.cpy'), join(dir, 'mappings', 'company-details.cpy'));
  const mapping = (await readFile(join(fixtures, 'company-details.mapping.yaml'), 'utf8'))
    .replace('topic: legacy.company.v1', `topic: ${company}`)
    .replace('topic: legacy.company-contact.v1', `topic: ${contact}`);
  await writeFile(join(dir, 'mappings', 'company-details.yaml'), mapping);
  await writeFile(
    join(dir, 'bridges', 'companies.yaml'),
    [`name: ${bridge}`, 'source:', '  file: { dir: inbox }', 'mapping: mappings/company-details.yaml', 'sink:', `  kafka: { topic: ${company} }`, `batch: { max_records: ${batch} }`, ''].join('\n'),
  );
  for (const [file, text] of Object.entries(extraBridges)) await writeFile(join(dir, 'bridges', file), text);
  return { dir, bridge, company, contact };
}

/** banyan.yaml for one gateway instance of a project. */
async function gatewayConfig(p: Project, instance: string): Promise<string> {
  const file = join(p.dir, `${instance}.banyan.yaml`);
  await writeFile(
    file,
    [
      `kafka:`,
      `  brokers: ${testBrokers().join(',')}`,
      `  topics: { partitions: 3 }`,
      `http: { port: 0 }`,
      `log: { level: info }`,
      `ownership: { instance_id: ${instance}, session_timeout_ms: ${SESSION_TIMEOUT_MS}, heartbeat_interval_ms: 1000 }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Drops a file the way a transfer does: written under a .part name, then renamed. */
async function drop(p: Project, name: string, bytes: Buffer): Promise<void> {
  await writeFile(join(p.dir, 'inbox', `${name}.part`), bytes);
  await rename(join(p.dir, 'inbox', `${name}.part`), join(p.dir, 'inbox', name));
}

async function bridgeStatus(g: GatewayProcess, name: string): Promise<BridgeStatus | undefined> {
  const { body } = await getJson<{ bridges: BridgeStatus[] }>(`${g.http}/bridges`);
  return body.bridges.find((b) => b.name === name);
}

test('banyan start runs every bridge in bridges/; GET /bridges, /health/ready and /metrics show each; a bridge that cannot run stops alone', { timeout: 180_000 }, async (t) => {
  const mq = uniqueTopic('mq-orders').toLowerCase();
  const off = uniqueTopic('cdc-off').toLowerCase();
  const p = await project('start', 2, {
    // `enabled: false` (here through ${VAR:-false}, as bridges/getwell-cdc.yaml has it): start leaves it alone.
    'cdc-off.yaml': [`name: ${off}`, 'enabled: ${BANYAN_TEST_UNSET_FLAG:-false}', 'source:', '  db2_cdc: { driver: postgres, host: 127.0.0.1, port: 9, database: x, user: x, password: x, tables: [GW.MEMBER] }', 'sink:', `  kafka: { topic: ${off} }`, ''].join('\n'),
    'orders-mq.yaml': [`name: ${mq}`, 'source:', '  ibm_mq: { queue_manager: QM1, channel: DEV.APP.SVRCONN, queue: ORDERS.IN, connection: "mq(1414)" }', 'mapping: mappings/company-details.yaml', 'sink:', `  kafka: { topic: ${uniqueTopic('orders')} }`, ''].join('\n'),
  });
  t.after(() => rm(p.dir, { recursive: true, force: true }));
  const g = await startGatewayProcess(p.dir, await gatewayConfig(p, 'gw-a'));
  t.after(() => g.kill('SIGKILL'));

  await drop(p, 'COMPANY.DAT', await readFile(join(fixtures, 'company-details.v.bin')));
  const done = await eventually('the file bridge publishes the 4 records', 60_000, async () => {
    const s = await bridgeStatus(g, p.bridge);
    return s && s.records.published === 4 && s.lastCommitAt !== null ? s : undefined;
  });
  assert.equal(done.state, 'running');
  assert.equal(done.owner, 'gw-a');
  assert.equal(done.instance, 'gw-a');
  assert.equal(done.source, 'file');
  assert.equal(done.sink, 'kafka');
  assert.deepEqual(done.records, { read: 4, published: 4, deadLettered: 0, skipped: 0 });
  assert.equal((await consumeAll(p.company, 2, 30_000)).length + (await consumeAll(p.contact, 2, 30_000)).length, 4);

  // The MQ bridge cannot load IBM's client library on this machine (the `ibmmq` driver is optional and
  // loaded lazily): it stops alone, with the code that says how to install it.
  const stopped = await eventually('the MQ bridge reports stopped', 30_000, async () => {
    const s = await bridgeStatus(g, mq);
    return s?.state === 'stopped' ? s : undefined;
  });
  assert.equal(stopped.error?.code, 'BANYAN_ERR_MQ_DRIVER_MISSING');
  const ready = await getJson<{ status: string; checks: Array<{ name: string; ok: boolean; reason?: string }> }>(`${g.http}/health/ready`);
  assert.equal(ready.status, 503);
  const checks = new Map(ready.body.checks.map((c) => [c.name, c]));
  assert.equal(checks.get(`bridge:${p.bridge}`)?.ok, true);
  assert.equal(checks.get(`bridge:${mq}`)?.ok, false);
  assert.match(checks.get(`bridge:${mq}`)?.reason ?? '', /BANYAN_ERR_MQ_DRIVER_MISSING/);
  assert.equal(checks.get('kafka')?.ok, true);
  assert.equal(checks.has(`bridge:${off}`), false, 'a bridge with enabled: false is not started');
  assert.equal(await bridgeStatus(g, off), undefined);
  assert.ok(g.lines.some((l) => l.bridge === off && l.msg === 'bridge not started: enabled is false in its file'), 'the log says why it is not started');

  const metrics = await (await fetch(`${g.http}/metrics`)).text();
  assert.match(metrics, new RegExp(`banyan_bridge_records_total\\{bridge="${p.bridge}",outcome="published"\\} 4`));
  assert.match(metrics, new RegExp(`banyan_bridge_owner\\{bridge="${p.bridge}",instance="gw-a"\\} 1`));
  assert.match(metrics, new RegExp(`banyan_bridge_state\\{bridge="${mq}",state="stopped"\\} 1`));
  // Two batches of two records, and the empty batch that commits the end of the file (archiving it).
  const batches = Number(new RegExp(`banyan_bridge_batch_seconds_count\\{bridge="${p.bridge}"\\} (\\d+)`).exec(metrics)?.[1]);
  assert.ok(batches >= 2, `batch histogram count ${batches}`);

  g.kill('SIGTERM');
  assert.equal(await g.exited, 0, g.stderr());
});

test('two gateways on one bridges/: exactly one reads the bridge; SIGKILL the owner and the other takes over within session timeout + 5 s, resumes from the checkpoint, loses nothing', { timeout: 300_000 }, async (t) => {
  const BATCH = 50;
  const p = await project('takeover', BATCH);
  t.after(() => rm(p.dir, { recursive: true, force: true }));
  const gateways = new Map<string, GatewayProcess>();
  for (const id of ['gw-1', 'gw-2']) {
    const g = await startGatewayProcess(p.dir, await gatewayConfig(p, id));
    t.after(() => g.kill('SIGKILL'));
    gateways.set(id, g);
  }

  // Exactly one owner, and the standby knows who it is.
  const roles = await eventually('one owner and one standby', 60_000, async () => {
    const s = await Promise.all([...gateways].map(async ([id, g]) => [id, await bridgeStatus(g, p.bridge)] as const));
    const owners = s.filter(([, b]) => b?.state === 'running');
    const standbys = s.filter(([, b]) => b?.state === 'standby');
    return owners.length === 1 && standbys.length === 1 && standbys[0]![1]!.owner === owners[0]![0] ? { owner: owners[0]![0], standby: standbys[0]![0] } : undefined;
  });

  // 5,000 copies of the 4-record company file: 20,000 records, read 50 at a time.
  const copies = 5000;
  const one = await readFile(join(fixtures, 'company-details.v.bin'));
  await drop(p, 'COMPANY.BIG.DAT', Buffer.concat(Array.from({ length: copies }, () => one)));
  const total = copies * 4;

  const owner = gateways.get(roles.owner)!;
  const standby = gateways.get(roles.standby)!;
  await eventually('the owner has published part of the file', 60_000, async () => {
    const s = await bridgeStatus(owner, p.bridge);
    return s && s.records.published >= 2000 ? s : undefined;
  });
  const before = (await bridgeStatus(owner, p.bridge))!.records.published;
  owner.kill('SIGKILL');
  const killedAt = Date.now();
  await owner.exited;
  assert.ok(before < total, `the owner finished the whole file (${before} records) before it was killed: the test proves nothing`);

  const took = await eventually('the standby takes over', SESSION_TIMEOUT_MS + 30_000, async () => {
    const s = await bridgeStatus(standby, p.bridge);
    return s && (s.state === 'running' || s.state === 'starting') && s.owner === roles.standby ? Date.now() - killedAt : undefined;
  });
  t.diagnostic(`takeover: ${took} ms after SIGKILL (session timeout ${SESSION_TIMEOUT_MS} ms); the owner had published about ${before} of ${total} records`);
  assert.ok(took <= SESSION_TIMEOUT_MS + 5000, `takeover took ${took} ms, more than the session timeout + 5 s`);

  const resumed = await eventually('the survivor finishes the file', 120_000, async () => {
    const s = await bridgeStatus(standby, p.bridge);
    return s && (await archived(p, 'COMPANY.BIG.DAT')) ? s : undefined;
  });
  // Resumed from the checkpoint, not from the start of the file: it read only what was left (plus at most one batch again).
  assert.ok(resumed.records.read <= total - before + BATCH, `the survivor read ${resumed.records.read} records; the dead owner had published ${before}`);

  const events = [...(await consumeAll(p.company, 1, 60_000)), ...(await consumeAll(p.contact, 1, 60_000))];
  const ids = new Map<string, number>();
  for (const e of events) {
    const id = e.headers['banyan-event-id']!.toString();
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  const duplicates = events.length - ids.size;
  t.diagnostic(`${events.length} events, ${ids.size} distinct event ids of ${total} records, ${duplicates} duplicates (bound: one batch of ${BATCH})`);
  assert.equal(ids.size, total, 'every record of the file is in Kafka');
  assert.ok(duplicates <= BATCH, `${duplicates} duplicates, more than one batch`);

  standby.kill('SIGTERM');
  assert.equal(await standby.exited, 0, standby.stderr());
});

async function archived(p: Project, name: string): Promise<boolean> {
  try {
    await readFile(join(p.dir, 'inbox', 'archive', name));
    return true;
  } catch {
    return false;
  }
}


test('SIGTERM mid-file finishes and commits the batch in flight: the restarted gateway goes on from there with no record twice', { timeout: 240_000 }, async (t) => {
  const p = await project('sigterm', 100);
  t.after(() => rm(p.dir, { recursive: true, force: true }));
  const config = await gatewayConfig(p, 'gw-term');
  const first = await startGatewayProcess(p.dir, config);
  t.after(() => first.kill('SIGKILL'));
  const one = await readFile(join(fixtures, 'company-details.v.bin'));
  const total = 5000 * 4;
  await drop(p, 'COMPANY.BIG.DAT', Buffer.concat(Array.from({ length: 5000 }, () => one)));
  await eventually('part of the file is published', 60_000, async () => {
    const s = await bridgeStatus(first, p.bridge);
    return s && s.records.published >= 2000 ? s : undefined;
  });
  first.kill('SIGTERM');
  assert.equal(await first.exited, 0, first.stderr());
  assert.equal(await archived(p, 'COMPANY.BIG.DAT'), false, 'the file was finished before SIGTERM: the test proves nothing');

  // SIGTERM left the group, so the restart owns the bridge at once (no session timeout to wait for).
  const second = await startGatewayProcess(p.dir, config);
  t.after(() => second.kill('SIGKILL'));
  await eventually('the restarted gateway finishes the file', 120_000, async () => ((await archived(p, 'COMPANY.BIG.DAT')) ? true : undefined));
  const events = [...(await consumeAll(p.company, 1, 60_000)), ...(await consumeAll(p.contact, 1, 60_000))];
  const ids = new Set(events.map((e) => e.headers['banyan-event-id']!.toString()));
  t.diagnostic(`${events.length} events for ${total} records after a SIGTERM and a restart`);
  assert.equal(ids.size, total, 'every record is in Kafka');
  assert.equal(events.length, total, 'no record was published twice');
  second.kill('SIGTERM');
  assert.equal(await second.exited, 0, second.stderr());
});
