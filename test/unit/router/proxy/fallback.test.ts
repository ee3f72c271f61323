import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Side } from '../../../../src/router/contracts.ts';
import { RouterErrors } from '../../../../src/router/errors.ts';
import { decideFallback, outcomeOf, settle, type CallOutcome, type FallbackDecision, type FallbackInput } from '../../../../src/router/proxy/fallback.ts';
import { ClientGoneError, UpstreamStatusError, type UpstreamResponse } from '../../../../src/router/proxy/upstream.ts';

const answered = (status: number): CallOutcome => ({ kind: 'answered', status });
const FAILED: CallOutcome = { kind: 'failed' };
const BREAKER_OPEN: CallOutcome = { kind: 'breaker-open' };
const CLIENT_GONE: CallOutcome = { kind: 'client-gone' };

// GET with no body (or a buffered one); POST whose body streamed through (not buffered).
const GET = { idempotent: true, replayable: true };
const POST_BUFFERED = { idempotent: false, replayable: true };
const POST_STREAMED = { idempotent: false, replayable: false };
const PUT_STREAMED = { idempotent: true, replayable: false };
const base = { clientGone: false, shadowing: false };

const serve = (reason: string, chosenFailed: boolean, mirror = false): FallbackDecision =>
  ({ action: 'serve', reason, chosenFailed, mirror }) as FallbackDecision;
const fallBack = (reason: 'new-breaker-open' | 'new-failed'): FallbackDecision => ({ action: 'fall-back', reason, chosenFailed: true });
const ABANDON: FallbackDecision = { action: 'abandon', reason: 'client-closed' };

const cases: Array<[string, FallbackInput, FallbackDecision]> = [
  // The client closed the connection while the chosen side was called: 499, nobody's failure.
  ['client closed during the call to new', { chosen: 'new', outcome: CLIENT_GONE, ...GET, ...base }, ABANDON],
  ['client closed during the call to legacy', { chosen: 'legacy', outcome: CLIENT_GONE, ...POST_STREAMED, ...base, shadowing: true }, ABANDON],

  // Legacy chosen (mode legacy or shadow, kill switch, canary bucket on legacy): served as it answered, never retried.
  ['legacy answers 200', { chosen: 'legacy', outcome: answered(200), ...GET, ...base }, serve('answered', false)],
  ['legacy answers 503: served, and not counted as the chosen side failing', { chosen: 'legacy', outcome: answered(503), ...GET, ...base }, serve('answered', false)],
  ['mode shadow: legacy answers, the answer is mirrored', { chosen: 'legacy', outcome: answered(200), ...GET, ...base, shadowing: true }, serve('answered', false, true)],
  ['mode shadow: a streamed body cannot be mirrored', { chosen: 'legacy', outcome: answered(200), ...POST_STREAMED, ...base, shadowing: true }, serve('answered', false)],
  ['legacy times out or is unreachable', { chosen: 'legacy', outcome: FAILED, ...GET, ...base }, serve('legacy-failed', true)],
  ["legacy's breaker is open", { chosen: 'legacy', outcome: BREAKER_OPEN, ...GET, ...base }, serve('legacy-failed', true)],
  ['legacy fails while shadowed: nothing to mirror', { chosen: 'legacy', outcome: FAILED, ...GET, ...base, shadowing: true }, serve('legacy-failed', true)],

  // New chosen (mode new, canary bucket on new, forced): answers below 500 are served.
  ['new answers 200', { chosen: 'new', outcome: answered(200), ...GET, ...base }, serve('answered', false)],
  ['canary with shadow: new answers, the answer is mirrored', { chosen: 'new', outcome: answered(200), ...GET, ...base, shadowing: true }, serve('answered', false, true)],
  ['new answers 404: the request was wrong, no fallback even for a GET', { chosen: 'new', outcome: answered(404), ...GET, ...base }, serve('answered', false)],
  ['new answers 499 (below 500): served', { chosen: 'new', outcome: answered(499), ...POST_STREAMED, ...base }, serve('answered', false)],

  // New's breaker is open: nothing was sent, so any request falls back.
  ["new's breaker is open: a GET falls back", { chosen: 'new', outcome: BREAKER_OPEN, ...GET, ...base }, fallBack('new-breaker-open')],
  ["new's breaker is open: a streamed POST falls back too", { chosen: 'new', outcome: BREAKER_OPEN, ...POST_STREAMED, ...base }, fallBack('new-breaker-open')],
  ["new's breaker is open but the client left: the 503 is served", { chosen: 'new', outcome: BREAKER_OPEN, ...GET, ...base, clientGone: true }, serve('client-gone-before-fallback', true)],

  // New failed (5xx, timeout, connection error): retried on legacy only when replay is safe.
  ['new answers 503 to a GET: falls back', { chosen: 'new', outcome: answered(503), ...GET, ...base }, fallBack('new-failed')],
  ['new answers 500 at the boundary: falls back', { chosen: 'new', outcome: answered(500), ...GET, ...base }, fallBack('new-failed')],
  ['new times out on a GET: falls back', { chosen: 'new', outcome: FAILED, ...GET, ...base }, fallBack('new-failed')],
  ['new fails a shadowed GET: falls back, and a fallback is never mirrored', { chosen: 'new', outcome: answered(503), ...GET, ...base, shadowing: true }, fallBack('new-failed')],
  ['new answers 503 to a POST with an Idempotency-Key and a buffered body: falls back', { chosen: 'new', outcome: answered(503), idempotent: true, replayable: true, ...base }, fallBack('new-failed')],
  ['new answers 503 to a plain POST: not retried, served', { chosen: 'new', outcome: answered(503), ...POST_BUFFERED, ...base }, serve('not-replayable', true)],
  ['new answers 503 to a plain POST that is shadowed: served and mirrored', { chosen: 'new', outcome: answered(503), ...POST_BUFFERED, ...base, shadowing: true }, serve('not-replayable', true, true)],
  ['new times out on a plain POST: the error is served', { chosen: 'new', outcome: FAILED, ...POST_BUFFERED, ...base }, serve('not-replayable', true)],
  ['new fails a PUT whose body streamed through: cannot be replayed', { chosen: 'new', outcome: FAILED, ...PUT_STREAMED, ...base }, serve('not-replayable', true)],
  ['new answers 503 to a GET after the client left: served, no fallback', { chosen: 'new', outcome: answered(503), ...GET, ...base, clientGone: true }, serve('client-gone-before-fallback', true)],
  ['new answers 503 after the client left, shadowed: still mirrored', { chosen: 'new', outcome: answered(503), ...GET, ...base, clientGone: true, shadowing: true }, serve('client-gone-before-fallback', true, true)],
  ['new times out after the client left', { chosen: 'new', outcome: FAILED, ...GET, ...base, clientGone: true }, serve('client-gone-before-fallback', true)],
];

for (const [name, input, expected] of cases) {
  test(`fallback: ${name}`, () => {
    assert.deepEqual(decideFallback(input), expected);
  });
}

test('over every combination: legacy is never retried, a client that left is never retried, a fallback is never mirrored', () => {
  const outcomes: CallOutcome[] = [answered(200), answered(404), answered(500), answered(503), FAILED, BREAKER_OPEN, CLIENT_GONE];
  const bools = [false, true];
  let n = 0;
  for (const chosen of ['legacy', 'new'] as Side[])
    for (const outcome of outcomes)
      for (const idempotent of bools)
        for (const replayable of bools)
          for (const clientGone of bools)
            for (const shadowing of bools) {
              const d = decideFallback({ chosen, outcome, idempotent, replayable, clientGone, shadowing });
              const why = JSON.stringify({ chosen, outcome, idempotent, replayable, clientGone, shadowing, d });
              n++;
              if (outcome.kind === 'client-gone') assert.equal(d.action, 'abandon', why);
              if (d.action === 'fall-back') {
                assert.equal(chosen, 'new', why);
                assert.equal(clientGone, false, why);
                assert.ok(outcome.kind === 'breaker-open' || (idempotent && replayable && (outcome.kind === 'failed' || (outcome.kind === 'answered' && outcome.status >= 500))), why);
              }
              if (d.action === 'serve') {
                const ok = outcome.kind === 'answered' && (chosen === 'legacy' || outcome.status < 500);
                assert.equal(d.chosenFailed, !ok, why);
                assert.equal(d.mirror, outcome.kind === 'answered' && shadowing && replayable, why);
              }
            }
  assert.equal(n, 2 * 7 * 16);
});

function response(status: number): UpstreamResponse {
  return { status, headers: {}, body: Readable.from([]) as unknown as UpstreamResponse['body'], latencyMs: 1 };
}

test("a call's result is classified from the real errors the upstream and its breaker throw", async () => {
  const ok = response(200);
  assert.deepEqual(outcomeOf(await settle(Promise.resolve(ok))), answered(200));
  const unavailable = new UpstreamStatusError('http://new', response(503));
  const settled = await settle(Promise.reject(unavailable));
  assert.deepEqual(outcomeOf(settled), answered(503));
  assert.equal(settled.failure, unavailable, 'the status error is kept for the log line');
  assert.equal(settled.response?.status, 503);
  const timeout = new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_TIMEOUT('http://new', 300);
  assert.deepEqual(outcomeOf(await settle(Promise.reject(timeout))), FAILED);
  const refused = new RouterErrors.BANYAN_ERR_ROUTER_UPSTREAM_UNREACHABLE('http://new', 'connect ECONNREFUSED');
  assert.deepEqual(outcomeOf(await settle(Promise.reject(refused))), FAILED);
  assert.deepEqual(outcomeOf(await settle(Promise.reject(new Error('anything else')))), FAILED);
  const open = Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' }); // opossum's
  assert.deepEqual(outcomeOf(await settle(Promise.reject(open))), BREAKER_OPEN);
  assert.deepEqual(outcomeOf(await settle(Promise.reject(new ClientGoneError()))), CLIENT_GONE);
});
