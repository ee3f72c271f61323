import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { checkConfigText } from '../../../src/config/load.ts';
import { formatIssue } from '../../../src/config/issues.ts';

const schema = z.strictObject({
  name: z.string(),
  port: z.number().int().min(1).max(65535),
  mode: z.enum(['legacy', 'new']),
  password: z.string().optional(),
});

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}) {
  const r = checkConfigText('x.yaml', text, schema, { env });
  assert.equal(r.ok, false);
  return r.ok ? [] : r.issues.map(formatIssue);
}

test('a valid file becomes a frozen typed value with its ${ENV} references substituted', () => {
  const r = checkConfigText('x.yaml', 'name: a\nport: 80\nmode: new\npassword: ${PW}\n', schema, { env: { PW: 's3cret' } });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.config.value.password, 's3cret');
  assert.ok(Object.isFrozen(r.config.value));
});

test('each kind of mistake is reported with file:line:col and its rule', () => {
  assert.deepEqual(issuesOf('name: a\nport: [1\n'), [issuesOf('name: a\nport: [1\n')[0]]);
  assert.match(issuesOf('name: a\nport: [1\n')[0], /^x\.yaml:\d+:\d+: yaml-syntax: /);
  assert.deepEqual(issuesOf('name: a\nname: b\nport: 1\nmode: new\n'), ['x.yaml:2:1: duplicate-key: Map keys must be unique']);
  assert.deepEqual(issuesOf('name: a\nport: 1\n'), ['x.yaml:1:1: required: required field "mode" is missing (at mode)']);
  assert.deepEqual(issuesOf('name: a\nport: "80"\nmode: new\n'), [
    'x.yaml:2:7: type: Invalid input: expected number, received string (at port)',
  ]);
  assert.deepEqual(issuesOf('name: a\nport: 70000\nmode: new\n'), ['x.yaml:2:7: range: Too big: expected number to be <=65535 (at port)']);
  assert.deepEqual(issuesOf('name: a\nport: 1\nmode: old\n'), ['x.yaml:3:7: enum: Invalid option: expected one of "legacy"|"new" (at mode)']);
  assert.deepEqual(issuesOf('name: a\nport: 1\nmode: new\nprot: 2\n'), ['x.yaml:4:1: unknown-key: unknown key "prot" (at prot)']);
  assert.deepEqual(issuesOf('name: a\nport: 1\nmode: new\npassword: ${NOPE}\n'), [
    'x.yaml:4:11: env-missing: environment variable NOPE is not set (at password)',
  ]);
});
