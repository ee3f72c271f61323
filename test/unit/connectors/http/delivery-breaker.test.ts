/** Which outcomes count against a target's breaker: the signs of a service in trouble, not bad events or our own shutdown. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsAgainstTarget } from '../../../../src/connectors/http/delivery-breaker.ts';
import type { DeliveryOutcome } from '../../../../src/retry/delivery-target.ts';

const retriable = (errorClass: string, status?: number): DeliveryOutcome => ({ kind: 'retriable', failure: { errorClass, message: 'm', status } });
const permanent = (errorClass: string, status?: number): DeliveryOutcome => ({ kind: 'permanent', failure: { errorClass, message: 'm', status } });

describe('countsAgainstTarget', () => {
  const cases: Array<[string, DeliveryOutcome, boolean]> = [
    ['503', retriable('HttpStatus', 503), true],
    ['429 (the service throttles us: pausing is the point)', retriable('HttpStatus', 429), true],
    ['408', retriable('HttpStatus', 408), true],
    ['a timeout', retriable('Timeout'), true],
    ['a refused connection', retriable('ConnectionRefused'), true],
    ['a certificate problem', retriable('TlsFailure'), true],
    ['our own shutdown', retriable('Aborted'), false],
    ['400 (a healthy service refusing one bad event)', permanent('HttpStatus', 400), false],
    ['404', permanent('HttpStatus', 404), false],
    ['an event missing a field (nothing sent)', permanent('BANYAN_ERR_HTTP_FIELD_MISSING'), false],
    ['delivered', { kind: 'delivered', status: 200 }, false],
    ['unavailable (not attempted)', { kind: 'unavailable' }, false],
  ];
  for (const [name, outcome, counts] of cases) {
    it(`${name}: ${counts ? 'counts' : 'does not count'}`, () => assert.equal(countsAgainstTarget(outcome), counts));
  }
});
