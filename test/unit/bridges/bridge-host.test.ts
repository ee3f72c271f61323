/**
 * One bridge's supervision against fakes of its seams (ownership claim, assembly, source, sink):
 * it runs only while this instance owns the bridge, a lost ownership finishes the batch in flight
 * and stops, a retriable assembly failure is retried, and a non-retriable one stops this bridge
 * with its code and not-ready.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import type { AssembledBridge, BridgeConfig } from '../../../src/bridge-assembly.ts';
import { createBridgeHost, type BridgeState } from '../../../src/bridges/bridge-host.ts';
import type { OwnershipClaim, OwnershipState } from '../../../src/connectors/kafka/group-ownership.ts';
import { chooseOwner } from '../../../src/connectors/kafka/group-ownership.ts';
import type { SourceBatch, SourceIdle } from '../../../src/core/bridge-contracts.ts';
import { defineErrors } from '../../../src/core/errors.ts';

const TestErrors = defineErrors({
  BANYAN_ERR_TEST_DOWN: { message: 'down', retriable: true },
  BANYAN_ERR_TEST_BROKEN: { message: 'broken beyond retry' },
});

const bridge = { name: 'b1', source: { file: { dir: 'x' } }, sink: { kafka: { topic: 't' } } } as unknown as BridgeConfig;

function fakeClaim(): OwnershipClaim & { become(role: OwnershipState['role'], owner?: string): void } {
  let state: OwnershipState = { role: 'joining', owner: undefined, since: 0 };
  const listeners: Array<(s: OwnershipState) => void> = [];
  return {
    get state() {
      return state;
    },
    onChange: (l) => void listeners.push(l),
    close: async () => {},
    become(role, owner) {
      state = { role, owner, since: Date.now() };
      for (const l of listeners) l(state);
    },
  };
}

/** An endless source of one-record batches; counts what was written and committed. */
function fakeAssembly(log: string[]): AssembledBridge {
  let n = 0;
  return {
    name: 'b1',
    options: {
      provenance: { bridge: 'b1', mapping: { name: 'm', version: 'v' } },
      source: {
        open: async () => void log.push('open'),
        read: async (_l, signal): Promise<SourceBatch | SourceIdle> => {
          await new Promise((r) => setTimeout(r, 5));
          if (signal.aborted) return { idle: 'waiting' };
          n++;
          return { records: [{ bytes: new Uint8Array([n]), recordNumber: n, positionId: `p${n}`, metadata: {} }], position: { n } };
        },
        commit: async (p) => void log.push(`commit ${String(p.n)}`),
        close: async () => void log.push('close'),
      },
      decode: () => ({ kind: 'event', topic: 't', key: null, value: 'v' }),
      sink: { write: async () => {}, close: async () => {} },
      checkpoints: { load: async () => undefined, save: async () => {} },
      deadLetterTopic: 't.dlq',
      limits: { maxRecords: 1, maxBytes: 1000, maxWaitMs: 0 },
      idlePollMs: 10,
      backoff: { initialMs: 1, maxMs: 5 },
    },
    close: async () => void log.push('released'),
  };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), what);
}

test('a bridge runs only while this instance owns it; losing ownership finishes the batch, commits and stands by', async () => {
  const claim = fakeClaim();
  const log: string[] = [];
  const states: BridgeState[] = [];
  const host = createBridgeHost({
    bridge,
    instanceId: 'me',
    claim: async () => claim,
    assemble: async () => fakeAssembly(log),
    untilIdle: false,
    logger: pino({ level: 'silent' }),
    events: { stateChanged: (s) => void states.push(s) },
  });
  host.start();
  await until('joined', () => host.status().state === 'joining');
  await assert.rejects(host.check(), /joining/);
  claim.become('standby', 'other');
  await until('standby', () => host.status().state === 'standby');
  assert.equal(host.status().owner, 'other');
  await host.check();
  assert.equal(log.length, 0, 'a standby reads nothing');

  claim.become('owner', 'me');
  await until('committed something', () => log.some((l) => l.startsWith('commit')));
  assert.equal(host.status().state, 'running');
  claim.become('standby', 'other');
  await until('stood down', () => host.status().state === 'standby' && log.includes('released'));
  const commits = log.filter((l) => l.startsWith('commit'));
  assert.equal(log.at(-2), 'close');
  assert.ok(commits.length >= 1);
  assert.equal(host.status().records.published, commits.length, 'every published batch was committed before standing down');
  assert.deepEqual(states.slice(0, 3), ['standby', 'starting', 'running']);
  await host.stop();
});

test('a retriable failure to assemble is retried; a non-retriable one stops the bridge alone, not-ready with its code', async () => {
  const claim = fakeClaim();
  let attempts = 0;
  const host = createBridgeHost({
    bridge,
    instanceId: 'me',
    claim: async () => claim,
    assemble: async () => {
      attempts++;
      throw attempts < 3 ? new TestErrors.BANYAN_ERR_TEST_DOWN() : new TestErrors.BANYAN_ERR_TEST_BROKEN();
    },
    untilIdle: true,
    logger: pino({ level: 'silent' }),
    backoff: { initialMs: 1, maxMs: 2 },
  });
  host.start();
  claim.become('owner', 'me');
  const outcome = await host.settled;
  assert.equal(attempts, 3);
  assert.equal((outcome.error as { code?: string }).code, 'BANYAN_ERR_TEST_BROKEN');
  assert.equal(host.status().state, 'stopped');
  assert.deepEqual(host.status().error, { code: 'BANYAN_ERR_TEST_BROKEN', message: 'broken beyond retry' });
  await assert.rejects(host.check(), /stopped: BANYAN_ERR_TEST_BROKEN/);
  await host.stop();
});

test('the sticky choice keeps a current owner and otherwise takes the first member', () => {
  assert.equal(chooseOwner(['a', 'b', 'c'], ['c']), 'c');
  assert.equal(chooseOwner(['a', 'b', 'c'], []), 'a');
  assert.equal(chooseOwner(['a', 'b'], ['z']), 'a', 'a claimant no longer in the group is ignored');
  assert.equal(chooseOwner(['a', 'b', 'c'], ['b', 'c']), 'b', 'after a split the first claimant keeps it');
  assert.equal(chooseOwner([], []), undefined);
});
