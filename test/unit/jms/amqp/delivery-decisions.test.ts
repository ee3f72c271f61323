import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideOpen, decideOutcome, type DispositionState, type OutcomeAction } from '../../../../src/jms/amqp/delivery-decisions.ts';

describe('decideOutcome (AMQP outcomes -> JMS redelivery)', () => {
  const table: [string, DispositionState, OutcomeAction][] = [
    ['accepted: consumed', { outcome: 'accepted' }, { kind: 'acknowledge' }],
    ['released: again, count unchanged', { outcome: 'released' }, { kind: 'redeliver', counted: false }],
    ['modified delivery-failed (recover / rollback): again, counted', { outcome: 'modified', deliveryFailed: true }, { kind: 'redeliver', counted: true }],
    ['modified without flags: again, not counted', { outcome: 'modified' }, { kind: 'redeliver', counted: false }],
    [
      'modified undeliverable-here (redelivery policy exhausted): dead letter',
      { outcome: 'modified', deliveryFailed: true, undeliverableHere: true },
      { kind: 'dead-letter', reason: 'undeliverable-here: the client gave up redelivering it' },
    ],
    ['rejected: dead letter with the client\'s reason', { outcome: 'rejected', error: { condition: 'amqp:internal-error', description: 'bad' } }, { kind: 'dead-letter', reason: 'rejected by the client (amqp:internal-error: bad)' }],
    ['rejected without an error', { outcome: 'rejected' }, { kind: 'dead-letter', reason: 'rejected by the client' }],
  ];
  for (const [name, state, action] of table) it(name, () => assert.deepEqual(decideOutcome(state), action));
});

describe('decideOpen (JMS clientID from the container-id)', () => {
  it('takes the container-id as clientID when the client asks for sole-connection-for-container', () => {
    assert.deepEqual(decideOpen({ containerId: 'app-1', desiredCapabilities: ['sole-connection-for-container', 'ANONYMOUS-RELAY'] }, new Set()), { kind: 'accept', clientId: 'app-1' });
  });

  it('a generated container-id (no sole-connection request) is no clientID and never clashes', () => {
    assert.deepEqual(decideOpen({ containerId: 'ID:gen', desiredCapabilities: ['ANONYMOUS-RELAY'] }, new Set(['ID:gen'])), { kind: 'accept', clientId: undefined });
  });

  it('a container-id Qpid JMS generated (no application clientID) is no clientID, even with sole-connection', () => {
    const generated = 'ID:46610fea-be60-46ac-a3ae-e78f3bb3e2bc:1';
    assert.deepEqual(decideOpen({ containerId: generated, desiredCapabilities: ['sole-connection-for-container'] }, new Set()), { kind: 'accept', clientId: undefined });
  });

  it('refuses a clientID in use with invalid-field on container-id', () => {
    const d = decideOpen({ containerId: 'app-1', desiredCapabilities: ['sole-connection-for-container'] }, new Set(['app-1']));
    assert.equal(d.kind, 'refuse');
    assert.deepEqual(d.kind === 'refuse' && [d.condition, d.info], ['amqp:invalid-field', { 'invalid-field': 'container-id' }]);
  });
});
