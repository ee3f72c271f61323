import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRolloutController, type RolloutController } from '../../../../src/router/rollout/controller.ts';
import { rolloutSpecSchema, type RolloutSpecInput } from '../../../../src/router/rollout/spec.ts';
import { createAuditTrail, MemoryAuditSink } from '../../../../src/router/audit/audit-trail.ts';
import { MemoryRouteStateStore } from '../../../../src/router/state/route-state.ts';
import { createRouteStateBook } from '../../../../src/router/state/state-book.ts';
import type { RequestOutcome } from '../../../../src/router/contracts.ts';
import { FakePort, routeView } from './fake-port.ts';

const ops = { actor: 'ops', reason: 'test' };

interface Rig {
  port: FakePort;
  sink: MemoryAuditSink;
  store: MemoryRouteStateStore;
  ctl: RolloutController;
  clock: { t: number };
  /** Sends n requests through the route: `failNew` of those chosen for new fail and fall back. */
  traffic(n: number, opts?: { failNew?: boolean; newLatency?: number }): void;
  weight(): number;
  actions(): string[];
}

async function rig(rollout: RolloutSpecInput, opts: { store?: MemoryRouteStateStore; mode?: 'canary' | 'shadow' } = {}): Promise<Rig> {
  const clock = { t: 1_000_000 };
  const spec = rolloutSpecSchema.parse(rollout);
  const port = new FakePort([routeView('accounts', { rollout: spec, mode: opts.mode ?? 'canary' })]);
  const sink = new MemoryAuditSink();
  const store = opts.store ?? new MemoryRouteStateStore();
  const now = () => clock.t;
  const ctl = createRolloutController({
    port,
    book: createRouteStateBook(store, now),
    audit: createAuditTrail({ sink, now }),
    now,
    tickMs: 0,
  });
  await ctl.start();
  const weight = () => port.listRoutes()[0]!.weight;
  let i = 0;
  return {
    port,
    sink,
    store,
    ctl,
    clock,
    weight,
    actions: () => sink.events.map((e) => `${e.action}:${e.to.weight}`),
    traffic(n, o = {}) {
      for (let k = 0; k < n; k++, i++) {
        // Deterministic split: request i goes to new when (i mod 100) < weight.
        const toNew = i % 100 < weight();
        const fail = toNew && o.failNew === true;
        const outcome: RequestOutcome = {
          routeId: 'accounts',
          chosen: toNew ? 'new' : 'legacy',
          servedBy: toNew && !fail ? 'new' : 'legacy',
          status: 200,
          latencyMs: toNew && !fail ? (o.newLatency ?? 1) : 1,
          chosenFailed: fail,
          fellBack: fail,
          at: clock.t,
        };
        port.emit('request', outcome);
      }
    },
  };
}

const basic: RolloutSpecInput = {
  steps: [10, 50, 100],
  interval: '1m',
  min_requests: 5,
  gates: { error_rate: { max_increase: 0.01 }, p99: { max_ratio: 2 } },
  on_failure: { rollback_to: 'last-good', resume: 'auto', resume_after: '30s', max_attempts: 2 },
};

test('a canary route with a rollout starts at its first step and advances only after the interval with enough traffic', async () => {
  const r = await rig(basic);
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 10);
  assert.deepEqual(r.actions(), ['rollout-start:10']);

  r.traffic(200);
  r.clock.t += 59_000;
  r.ctl.tick();
  assert.equal(r.weight(), 10, 'interval not over yet');

  r.clock.t += 1_000;
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 50);
  const step = r.sink.events.at(-1)!;
  assert.equal(step.action, 'step');
  assert.equal(step.actor, 'rollout-controller');
  assert.deepEqual([step.from.weight, step.to.weight], [10, 50]);
  assert.ok(step.gates!.some((g) => g.gate === 'errorRate' && g.verdict === 'pass' && g.observed === 0));
});

test('a step without the minimum requests to new does not advance however long it runs', async () => {
  const r = await rig({ ...basic, min_requests: 1000 });
  r.ctl.tick();
  r.traffic(100);
  r.clock.t += 3_600_000;
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 10);
  assert.equal(r.ctl.status('accounts').rollout!.stepRequests, 10);
});

test('the ramp completes at the last step and stays there', async () => {
  const r = await rig(basic);
  r.ctl.tick();
  for (let s = 0; s < 3; s++) {
    r.traffic(200);
    r.clock.t += 60_000;
    r.ctl.tick();
  }
  await r.ctl.idle();
  assert.deepEqual(r.actions(), ['rollout-start:10', 'step:50', 'step:100', 'complete:100']);
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'completed');
});

test('a failing error-rate gate rolls back to the last good weight with the gate values, then retries the step after resumeAfter', async () => {
  const r = await rig(basic);
  r.ctl.tick();
  r.traffic(200);
  r.clock.t += 60_000;
  r.ctl.tick(); // 10 -> 50
  r.traffic(200, { failNew: true });
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 10, 'rolled back to the last good step');
  const rb = r.sink.events.at(-1)!;
  assert.equal(rb.action, 'rollback');
  assert.deepEqual([rb.from.weight, rb.to.weight, rb.to.phase], [50, 10, 'rolled-back']);
  const gate = rb.gates!.find((g) => g.gate === 'errorRate')!;
  assert.equal(gate.verdict, 'fail');
  assert.equal(gate.observed, 1);
  assert.match(rb.reason, /errorRate/);

  r.clock.t += 29_000;
  r.ctl.tick();
  assert.equal(r.weight(), 10, 'not before resumeAfter');
  r.clock.t += 1_000;
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 50, 'resumed at the failed step');
  assert.equal(r.sink.events.at(-1)!.action, 'resume');
});

test('the new breaker opening rolls back at once and resume waits until it is no longer open', async () => {
  const r = await rig({ ...basic, on_failure: { rollback_to: 'zero', resume_after: '10s' } });
  r.ctl.tick();
  r.port.emit('breaker', { routeId: 'accounts', side: 'new', state: 'open', at: r.clock.t });
  await r.ctl.idle();
  assert.equal(r.weight(), 0, 'rollback without waiting for a tick');
  assert.equal(r.sink.events.at(-1)!.gates!.find((g) => g.gate === 'breaker')!.verdict, 'fail');

  r.clock.t += 60_000;
  r.ctl.tick();
  assert.equal(r.weight(), 0, 'breaker still open');
  r.port.emit('breaker', { routeId: 'accounts', side: 'new', state: 'half-open', at: r.clock.t });
  r.ctl.tick();
  assert.equal(r.weight(), 10);
});

test('after maxAttempts failed attempts the ramp stops for a human, who can resume it', async () => {
  const r = await rig({ ...basic, on_failure: { resume_after: '1s', max_attempts: 2 } });
  r.ctl.tick();
  r.traffic(200, { failNew: true });
  r.ctl.tick();
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'rolled-back');
  r.clock.t += 1_000;
  r.ctl.tick();
  r.traffic(200, { failNew: true });
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'failed');
  assert.equal(r.weight(), 0);
  r.clock.t += 3_600_000;
  r.ctl.tick();
  assert.equal(r.weight(), 0, 'no automatic resume once failed');
  await r.ctl.resume('accounts', ops);
  assert.equal(r.weight(), 10);
  assert.equal(r.ctl.status('accounts').rollout!.attempts, 0);
});

test('an approval step waits for approve; approve in another phase is refused with a coded error', async () => {
  const r = await rig({ ...basic, steps: [10, { weight: 50, approve: true }, 100] });
  r.ctl.tick();
  await assert.rejects(r.ctl.approve('accounts', ops), { code: 'BANYAN_ERR_ROUTERCTL_PHASE' });
  r.traffic(200);
  r.clock.t += 60_000;
  r.ctl.tick();
  r.clock.t += 600_000;
  r.ctl.tick();
  assert.equal(r.weight(), 10);
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'awaiting-approval');
  assert.equal(r.ctl.status('accounts').rollout!.nextWeight, 50);
  const res = await r.ctl.approve('accounts', { actor: 'alice', reason: 'parity reviewed' });
  assert.equal(res.audited, true);
  assert.equal(r.weight(), 50);
  const ev = r.sink.events.at(-1)!;
  assert.deepEqual([ev.action, ev.actor, ev.reason], ['approve', 'alice', 'parity reviewed']);
});

test('a dry-run gate is judged and audited once but never rolls back', async () => {
  const r = await rig({ ...basic, gates: { error_rate: { max_increase: 0, dry_run: true } } });
  r.ctl.tick();
  r.traffic(200, { failNew: true });
  r.ctl.tick();
  r.ctl.tick();
  await r.ctl.idle();
  assert.equal(r.weight(), 10);
  assert.deepEqual(
    r.sink.events.map((e) => e.action),
    ['rollout-start', 'dry-run-gate-failed'],
  );
  r.clock.t += 60_000;
  r.ctl.tick();
  assert.equal(r.weight(), 50, 'a dry-run failure does not hold the ramp');
});

test('a p99 gate fails when new is slower than the ratio allows', async () => {
  const r = await rig({ ...basic, gates: { p99: { max_ratio: 2 } } });
  r.ctl.tick();
  r.traffic(200, { newLatency: 5 });
  r.ctl.tick();
  await r.ctl.idle();
  const rb = r.sink.events.at(-1)!;
  assert.equal(rb.action, 'rollback');
  const g = rb.gates!.find((x) => x.gate === 'p99')!;
  assert.ok(g.observed! > g.limit!);
});

test('a manual weight or a kill switch pauses the ramp so the controller never fights the operator', async () => {
  const r = await rig(basic);
  r.ctl.tick();
  await r.ctl.setWeight('accounts', 3, ops);
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'paused');
  r.traffic(200);
  r.clock.t += 600_000;
  r.ctl.tick();
  assert.equal(r.weight(), 3);
  await r.ctl.resume('accounts', ops);
  assert.equal(r.weight(), 10, 'resume re-runs the current step');

  await r.ctl.setKillSwitch('accounts', true, ops);
  assert.equal(r.port.overrides.get('accounts')!.killSwitch, true);
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'paused');
  await r.ctl.setKillSwitch('accounts', false, ops);
  assert.equal(r.ctl.status('accounts').rollout!.phase, 'paused', 'clearing the kill switch does not restart the ramp');
  await r.ctl.idle();
  assert.deepEqual(
    r.sink.events.map((e) => `${e.action}/${e.actor}`),
    ['rollout-start/rollout-controller', 'set-weight/ops', 'resume/ops', 'kill-switch-on/ops', 'kill-switch-off/ops'],
  );
});

test('every change needs a reason', async () => {
  const r = await rig(basic);
  await assert.rejects(r.ctl.setWeight('accounts', 5, { actor: 'ops', reason: ' ' }), { code: 'BANYAN_ERR_ROUTERCTL_REASON_REQUIRED' });
  await assert.rejects(r.ctl.setWeight('nope', 5, ops), { code: 'BANYAN_ERR_ROUTERCTL_UNKNOWN_ROUTE' });
  await assert.rejects(r.ctl.setWeight('accounts', 101, ops), { code: 'BANYAN_ERR_ROUTERCTL_INVALID_CHANGE' });
});

test('a route not in canary mode does not start its rollout until its mode is canary', async () => {
  const r = await rig(basic, { mode: 'shadow' });
  r.ctl.tick();
  assert.equal(r.ctl.status('accounts').rollout, undefined);
  await r.ctl.setMode('accounts', 'canary', ops);
  r.ctl.tick();
  assert.equal(r.weight(), 10);
});

test('a restart re-applies persisted overrides and continues the ramp at the same step', async () => {
  const store = new MemoryRouteStateStore();
  const a = await rig(basic, { store });
  a.ctl.tick();
  a.traffic(200);
  a.clock.t += 60_000;
  a.ctl.tick();
  await a.ctl.setKillSwitch('accounts', true, ops);
  await a.ctl.stop();

  const b = await rig(basic, { store });
  assert.equal(b.weight(), 50);
  assert.equal(b.port.overrides.get('accounts')!.killSwitch, true);
  const st = b.ctl.status('accounts').rollout!;
  assert.deepEqual([st.phase, st.stepIndex, st.lastGoodWeight], ['paused', 1, 10]);
});

test('reset drops overrides and progress: the YAML weight applies and the rollout starts over', async () => {
  const r = await rig(basic);
  r.ctl.tick();
  r.traffic(200);
  r.clock.t += 60_000;
  r.ctl.tick();
  await r.ctl.setKillSwitch('accounts', true, ops);
  assert.equal(r.weight(), 50);
  await r.ctl.reset('accounts', { actor: 'ops', reason: 'back to git' });
  assert.equal(r.port.overrides.has('accounts'), false);
  assert.equal(r.weight(), 0, 'the YAML weight');
  assert.equal(r.ctl.status('accounts').rollout, undefined);
  assert.equal(r.store.data.get('accounts')!.override, undefined);
  const ev = r.sink.events.at(-1)!;
  assert.deepEqual([ev.action, ev.from.weight, ev.from.killSwitch, ev.to.weight, ev.to.killSwitch], ['reset', 50, true, 0, false]);
  r.ctl.tick();
  assert.equal(r.weight(), 10, 'the ramp starts again at its first step');
});
