/** What an answer means: defaults (2xx, 408/429/5xx, other 4xx), the target's own lists, Retry-After honoured and capped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAnswer, classifyStatus, DEFAULT_OUTCOME_RULES, type OutcomeRules } from '../../../../src/connectors/http/outcome-rules.ts';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const custom: OutcomeRules = { ...DEFAULT_OUTCOME_RULES, deliveredStatuses: new Set([410]), retriableStatuses: new Set([409]), permanentStatuses: new Set([501]) };

describe('status classes', () => {
  const cases: Array<[number, OutcomeRules, string]> = [
    [200, DEFAULT_OUTCOME_RULES, 'delivered'],
    [201, DEFAULT_OUTCOME_RULES, 'delivered'],
    [204, DEFAULT_OUTCOME_RULES, 'delivered'],
    [408, DEFAULT_OUTCOME_RULES, 'retriable'],
    [429, DEFAULT_OUTCOME_RULES, 'retriable'],
    [500, DEFAULT_OUTCOME_RULES, 'retriable'],
    [501, DEFAULT_OUTCOME_RULES, 'retriable'],
    [503, DEFAULT_OUTCOME_RULES, 'retriable'],
    [599, DEFAULT_OUTCOME_RULES, 'retriable'],
    [400, DEFAULT_OUTCOME_RULES, 'permanent'],
    [404, DEFAULT_OUTCOME_RULES, 'permanent'],
    [409, DEFAULT_OUTCOME_RULES, 'permanent'],
    [422, DEFAULT_OUTCOME_RULES, 'permanent'],
    [301, DEFAULT_OUTCOME_RULES, 'permanent'],
    [101, DEFAULT_OUTCOME_RULES, 'permanent'],
    [409, custom, 'retriable'],
    [501, custom, 'permanent'],
    [410, custom, 'delivered'],
    [503, custom, 'retriable'],
  ];
  for (const [status, rules, expected] of cases) {
    it(`${status}${rules === custom ? ' (with the target\'s lists)' : ''} is ${expected}`, () => assert.equal(classifyStatus(status, rules), expected));
  }
});

describe('outcomes', () => {
  it('2xx is delivered with its status', () => {
    assert.deepEqual(classifyAnswer({ status: 201 }, DEFAULT_OUTCOME_RULES, NOW), { kind: 'delivered', status: 201 });
  });

  it('a permanent answer carries the status and what the service said', () => {
    assert.deepEqual(classifyAnswer({ status: 400, bodySnippet: ' {"error":"ACCOUNT_ID malformed"}\n' }, DEFAULT_OUTCOME_RULES, NOW), {
      kind: 'permanent',
      failure: { errorClass: 'HttpStatus', message: 'the target answered 400: {"error":"ACCOUNT_ID malformed"}', status: 400 },
    });
  });

  const retryAfterCases: Array<[string, number, string | undefined, number, number | undefined]> = [
    ['429 with seconds', 429, '30', 600_000, 30_000],
    ['503 with an HTTP date', 503, 'Wed, 02 Dec 2026 12:01:00 GMT', 600_000, 60_000],
    ['a wait over the cap is cut to it', 503, '86400', 600_000, 600_000],
    ['a cap of 0 retries at the processor\'s own pace', 503, '30', 0, 0],
    ['no header: the processor\'s own back-off', 503, undefined, 600_000, undefined],
    ['a malformed header is ignored', 429, 'later', 600_000, undefined],
  ];
  for (const [name, status, header, cap, expected] of retryAfterCases) {
    it(`Retry-After: ${name}`, () => {
      const outcome = classifyAnswer({ status, retryAfter: header }, { ...DEFAULT_OUTCOME_RULES, retryAfterMaxMs: cap }, NOW);
      assert.equal(outcome.kind, 'retriable');
      assert.equal(outcome.kind === 'retriable' ? outcome.retryAfterMs : 'n/a', expected);
      assert.equal(outcome.kind === 'retriable' ? outcome.failure.status : 0, status);
    });
  }

  it('a Retry-After on a permanent answer is not a reason to retry', () => {
    assert.equal(classifyAnswer({ status: 404, retryAfter: '10' }, DEFAULT_OUTCOME_RULES, NOW).kind, 'permanent');
  });
});
