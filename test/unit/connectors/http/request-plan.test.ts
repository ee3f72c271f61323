/** The request one event becomes: URL, idempotency key, fixed and templated headers, body; and the permanent outcome when the event lacks what the request needs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequest, planRequest, type RequestPlan } from '../../../../src/connectors/http/request-plan.ts';
import { httpSinkSchema, type HttpSinkInput } from '../../../../src/connectors/http/spec.ts';
import type { DeliveryRecord } from '../../../../src/retry/delivery-target.ts';

const plan = (input: Omit<HttpSinkInput, 'name'>): RequestPlan => {
  const p = planRequest(httpSinkSchema.parse({ name: 'accounts', ...input }));
  assert.ok(p.ok, JSON.stringify(!p.ok && p.problems));
  return p.plan;
};
const record = (value: string | null, eventId = 'legacy.accounts.v1/3/1042'): DeliveryRecord => ({
  originalTopic: 'legacy.accounts.v1',
  originalPartition: 3,
  originalOffset: '1042',
  key: Buffer.from('ACC-1'),
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: 0,
  eventId,
  attempt: 1,
});
const EVENT = '{"op":"u","after":{"ACCOUNT_ID":"ACC/1","BRANCH":"ZH","BALANCE":10.50,"MEMO":"line1\\nline2"}}';

describe('planning', () => {
  it('one origin per target, the path templated from /', () => {
    const p = plan({ url: 'https://accounts.internal:443/v1/accounts/{after.ACCOUNT_ID}' });
    assert.equal(p.origin, 'https://accounts.internal');
    assert.equal(p.path.source, '/v1/accounts/{after.ACCOUNT_ID}');
    assert.equal(plan({ url: 'http://svc:8080' }).path.source, '/');
    assert.equal(plan({ url: 'http://svc?x={a}' }).path.source, '/?x={a}');
  });

  it('reads the event\'s JSON only when a template or a projection needs a field', () => {
    assert.equal(plan({ url: 'http://svc/events', headers: { 'X-Source': 'banyan' } }).readsFields, false);
    assert.equal(plan({ url: 'http://svc/events', headers: { 'X-Branch': '{after.BRANCH}' } }).readsFields, true);
    assert.equal(plan({ url: 'http://svc/events', body: ['after.BRANCH'] }).readsFields, true);
  });
});

describe('building one event\'s request', () => {
  it('fills the URL, sends the event id as the idempotency key, the value as is', () => {
    const p = plan({ method: 'PUT', url: 'https://svc/accounts/{after.ACCOUNT_ID}?branch={after.BRANCH}', headers: { 'X-Source': 'banyan', 'X-Branch': 'b-{after.BRANCH}' }, secret_headers: { Authorization: 'Bearer t' } });
    assert.deepEqual(buildRequest(p, record(EVENT)), {
      ok: true,
      request: {
        path: '/accounts/ACC%2F1?branch=ZH',
        headers: { 'x-source': 'banyan', authorization: 'Bearer t', 'content-type': 'application/json', 'idempotency-key': 'legacy.accounts.v1/3/1042', 'x-branch': 'b-ZH' },
        body: Buffer.from(EVENT),
      },
    });
  });

  it('a custom idempotency header carries the same stable id', () => {
    const r = buildRequest(plan({ url: 'https://svc/x', idempotency_header: 'X-Request-Id' }), record('{}', 'evt-77'));
    assert.ok(r.ok);
    assert.equal(r.request.headers['x-request-id'], 'evt-77');
    assert.equal(r.request.headers['idempotency-key'], undefined);
  });

  it('a projection is the body, numbers exact', () => {
    const r = buildRequest(plan({ url: 'https://svc/x', body: { id: 'after.ACCOUNT_ID', balance: 'after.BALANCE' } }), record(EVENT));
    assert.ok(r.ok);
    assert.equal(r.request.body, '{"id":"ACC/1","balance":10.50}');
  });

  it('body none sends no body and no Content-Type; a tombstone as event neither', () => {
    const none = buildRequest(plan({ method: 'DELETE', url: 'https://svc/x', body: 'none' }), record(EVENT));
    assert.ok(none.ok);
    assert.deepEqual([none.request.body, none.request.headers['content-type']], [undefined, undefined]);
    const tombstone = buildRequest(plan({ url: 'https://svc/x' }), record(null));
    assert.ok(tombstone.ok);
    assert.deepEqual([tombstone.request.body, tombstone.request.headers['content-type']], [undefined, undefined]);
  });

  const refusals: Array<[string, Omit<HttpSinkInput, 'name'>, string | null, string, string]> = [
    ['a URL field missing', { url: 'https://svc/a/{after.NOPE}' }, EVENT, 'BANYAN_ERR_HTTP_FIELD_MISSING', 'event legacy.accounts.v1/3/1042: the url needs field "after.NOPE", which is missing'],
    ['a header field null', { url: 'https://svc/a', headers: { 'X-B': '{before.BRANCH}' } }, '{"before":null}', 'BANYAN_ERR_HTTP_FIELD_MISSING', 'event legacy.accounts.v1/3/1042: header x-b needs field "before.BRANCH", which is missing (before is null)'],
    ['a header value with a line break', { url: 'https://svc/a', headers: { 'X-Memo': '{after.MEMO}' } }, EVENT, 'BANYAN_ERR_HTTP_HEADER_VALUE_INVALID', 'event legacy.accounts.v1/3/1042: header x-memo would hold a control character or line break (from field "after.MEMO"), which HTTP does not allow in a header value'],
    ['a projected field missing', { url: 'https://svc/a', body: ['after.NOPE'] }, EVENT, 'BANYAN_ERR_HTTP_FIELD_MISSING', 'event legacy.accounts.v1/3/1042: the body needs field "after.NOPE", which is missing'],
    ['a value that is not JSON', { url: 'https://svc/a/{after.ID}' }, 'ACC-1;ZH', 'BANYAN_ERR_HTTP_VALUE_NOT_JSON', 'event legacy.accounts.v1/3/1042: target accounts needs the event\'s fields, but the value is not JSON: '],
    ['a tombstone where fields are needed', { url: 'https://svc/a/{after.ID}' }, null, 'BANYAN_ERR_HTTP_VALUE_NOT_JSON', 'event legacy.accounts.v1/3/1042: target accounts needs the event\'s fields, but the record has no value (a tombstone)'],
  ];
  for (const [name, settings, value, code, message] of refusals) {
    it(`${name}: permanent ${code}, nothing sent`, () => {
      const r = buildRequest(plan(settings), record(value));
      assert.equal(r.ok, false);
      const outcome = !r.ok ? r.outcome : undefined;
      assert.equal(outcome?.kind, 'permanent');
      assert.equal(outcome?.kind === 'permanent' && outcome.failure.errorClass, code);
      assert.ok(outcome?.kind === 'permanent' && outcome.failure.message.startsWith(message), outcome?.kind === 'permanent' ? outcome.failure.message : '');
    });
  }
});
