/** URL and header templates: `{field.path}` placeholders, literal braces, and per-record failures naming the field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEventJson } from '../../../../src/connectors/http/event-json.ts';
import { parseFieldPath } from '../../../../src/connectors/http/field-path.ts';
import { parseTemplate, renderTemplate, templateFields } from '../../../../src/connectors/http/template.ts';

const event = (json: string) => {
  const parsed = parseEventJson(Buffer.from(json));
  assert.ok(parsed.ok);
  return parsed.value;
};
const render = (source: string, json: string, encode: (s: string) => string = encodeURIComponent) => {
  const parsed = parseTemplate(source);
  assert.ok(parsed.ok, `template ${source} should parse`);
  return renderTemplate(parsed.template, event(json), encode);
};

describe('field paths', () => {
  const cases: Array<[string, string | undefined]> = [
    ['after.ACCOUNT_ID', undefined],
    ['after.ACCOUNT-ID', undefined],
    ['items.0.sku', undefined],
    ['  after.X ', undefined],
    ['', 'an empty field path'],
    ['after..X', 'field path "after..X": segment 2 is empty'],
    ['after.X Y', 'field path "after.X Y": segment 2 "X Y" has a character other than letters, digits, _ - $ # @'],
  ];
  for (const [text, error] of cases) {
    it(`"${text}" ${error ? 'is refused' : 'parses'}`, () => {
      const p = parseFieldPath(text);
      assert.deepEqual('error' in p ? p.error : undefined, error);
    });
  }
});

describe('parsing templates', () => {
  const cases: Array<[string, { fields?: string[]; error?: [string, number] }]> = [
    ['/accounts/{after.ACCOUNT_ID}', { fields: ['after.ACCOUNT_ID'] }],
    ['/static/path', { fields: [] }],
    ['/{a}/{b.c}?x={d}', { fields: ['a', 'b.c', 'd'] }],
    ['/literal/{{braces}}', { fields: [] }],
    ['/a/{after.X', { error: ['a "{" without its "}" (write "{{" for a literal brace)', 3] }],
    ['/a/{after.{X}}', { error: ['a "{" without its "}" (write "{{" for a literal brace)', 3] }],
    ['/a/}', { error: ['a "}" without its "{" (write "}}" for a literal brace)', 3] }],
    ['/a/{}', { error: ['an empty field path', 3] }],
    ['/a/{x y}', { error: ['field path "x y": segment 1 "x y" has a character other than letters, digits, _ - $ # @', 3] }],
  ];
  for (const [source, expected] of cases) {
    it(`${source} -> ${expected.error ? `error at ${expected.error[1]}` : `fields ${expected.fields!.join(', ')}`}`, () => {
      const parsed = parseTemplate(source);
      if (expected.error) {
        assert.deepEqual(parsed.ok ? undefined : [parsed.message, parsed.offset], expected.error);
      } else {
        assert.ok(parsed.ok);
        assert.deepEqual(templateFields(parsed.template).map((f) => f.text), expected.fields);
      }
    });
  }
});

describe('rendering templates', () => {
  const cdc = '{"op":"u","after":{"ACCOUNT_ID":"ACC 7/9","BRANCH":"Zürich","BALANCE":12345678901234567.89,"ACTIVE":true,"NOTE":null,"TAGS":["a"],"ADDR":{"CITY":"Bern"}},"items":[{"sku":"S-1"}]}';
  const cases: Array<[string, string, { text?: string; field?: string; reason?: string }]> = [
    ['url field URL-encoded', '/accounts/{after.ACCOUNT_ID}', { text: '/accounts/ACC%207%2F9' }],
    ['non-ASCII encoded as UTF-8', '/branches/{after.BRANCH}', { text: '/branches/Z%C3%BCrich' }],
    ['numbers keep their exact text', '/balance/{after.BALANCE}', { text: '/balance/12345678901234567.89' }],
    ['booleans as true/false', '/active/{after.ACTIVE}', { text: '/active/true' }],
    ['array index', '/sku/{items.0.sku}', { text: '/sku/S-1' }],
    ['literal braces kept, not encoded', '/x/{{y}}', { text: '/x/{y}' }],
    ['missing leaf', '/x/{after.NOPE}', { field: 'after.NOPE', reason: 'is missing' }],
    ['missing parent', '/x/{before.ACCOUNT_ID}', { field: 'before.ACCOUNT_ID', reason: 'is missing (no before)' }],
    ['index out of range', '/x/{items.3.sku}', { field: 'items.3.sku', reason: 'is missing (items has no item 3)' }],
    ['a path through null', '/x/{after.NOTE.TEXT}', { field: 'after.NOTE.TEXT', reason: 'is missing (after.NOTE is null)' }],
    ['null', '/x/{after.NOTE}', { field: 'after.NOTE', reason: 'is null' }],
    ['object', '/x/{after.ADDR}', { field: 'after.ADDR', reason: 'is an object, not a single value' }],
    ['array', '/x/{after.TAGS}', { field: 'after.TAGS', reason: 'is an array, not a single value' }],
    ['a path through a scalar', '/x/{after.BRANCH.NAME}', { field: 'after.BRANCH.NAME', reason: 'is missing (after.BRANCH is a string, not an object)' }],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => {
      const r = render(source, cdc);
      assert.deepEqual(r, expected.text !== undefined ? { ok: true, text: expected.text } : { ok: false, field: expected.field, reason: expected.reason });
    });
  }

  it('a header template inserts the text as it is', () => {
    assert.deepEqual(render('tenant {after.BRANCH}/{after.ACCOUNT_ID}', cdc, (s) => s), { ok: true, text: 'tenant Zürich/ACC 7/9' });
  });
});

describe('event values', () => {
  it('a tombstone and text that is not JSON are refused with the reason', () => {
    assert.deepEqual(parseEventJson(null), { ok: false, reason: 'the record has no value (a tombstone)' });
    const bad = parseEventJson(Buffer.from('{"a":'));
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.reason : '', /^the value is not JSON: /);
  });
});
