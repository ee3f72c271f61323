/** Body projections: a list named by last segments, a map naming its members, numbers kept exact, missing fields fail the record. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBody, projectBody, type BodySetting } from '../../../../src/connectors/http/body-projection.ts';
import { parseEventJson } from '../../../../src/connectors/http/event-json.ts';

const cdc = '{"op":"c","before":null,"after":{"ACCOUNT_ID":"A-1","BALANCE":12345678901234567.89,"ADDR":{"CITY":"Bern"},"NOTE":null},"source":{"table":"ACCOUNTS"}}';
const value = () => {
  const v = parseEventJson(Buffer.from(cdc));
  assert.ok(v.ok);
  return v.value;
};

describe('planning a body', () => {
  const cases: Array<[string, BodySetting, string]> = [
    ['event', 'event', 'event'],
    ['none', 'none', 'none'],
    ['a list', ['after.ACCOUNT_ID', 'after.BALANCE'], 'projection ACCOUNT_ID<-after.ACCOUNT_ID BALANCE<-after.BALANCE'],
    ['a map', { id: 'after.ACCOUNT_ID', table: 'source.table' }, 'projection id<-after.ACCOUNT_ID table<-source.table'],
    ['a list with two paths ending alike', ['after.ACCOUNT_ID', 'before.ACCOUNT_ID'], 'error "after.ACCOUNT_ID" and "before.ACCOUNT_ID" would both be the member "ACCOUNT_ID"; name the members with a map (name: path)'],
    ['an empty list', [], 'error a projection names at least one field'],
    ['a bad path', { id: 'after.' }, 'error field path "after.": segment 2 is empty'],
  ];
  for (const [name, setting, expected] of cases) {
    it(name, () => {
      const p = planBody(setting);
      const shown = !p.ok
        ? `error ${p.message}`
        : p.plan.kind === 'projection'
          ? `projection ${p.plan.members.map((m) => `${m.name}<-${m.path.text}`).join(' ')}`
          : p.plan.kind;
      assert.equal(shown, expected);
    });
  }
});

describe('projecting an event', () => {
  const project = (setting: BodySetting) => {
    const p = planBody(setting);
    assert.ok(p.ok && p.plan.kind === 'projection');
    return projectBody(p.plan.members, value());
  };

  it('a list keeps the last segment as the member name, and the exact number text', () => {
    assert.deepEqual(project(['after.ACCOUNT_ID', 'after.BALANCE']), { ok: true, json: '{"ACCOUNT_ID":"A-1","BALANCE":12345678901234567.89}' });
  });

  it('a map renames; subtrees and nulls are taken as they are', () => {
    assert.deepEqual(project({ id: 'after.ACCOUNT_ID', address: 'after.ADDR', note: 'after.NOTE', before: 'before' }), {
      ok: true,
      json: '{"id":"A-1","address":{"CITY":"Bern"},"note":null,"before":null}',
    });
  });

  it('a missing field fails the record, naming the field and the missing part', () => {
    assert.deepEqual(project({ id: 'after.ACCOUNT_ID', old: 'before.ACCOUNT_ID' }), { ok: false, field: 'before.ACCOUNT_ID', reason: 'is missing (before is null)' });
    assert.deepEqual(project(['after.NOPE']), { ok: false, field: 'after.NOPE', reason: 'is missing' });
  });
});
