import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatIssue } from '../../../../src/config/issues.ts';
import { checkRouteFile, loadRouteDirectory } from '../../../../src/router/config/load-routes.ts';

const fixtures = new URL('../../../fixtures/routes/', import.meta.url).pathname;
const examples = new URL('../../../../mappings/routes/', import.meta.url).pathname;

test('a valid directory becomes one table: routes in file order with defaults, named cohorts and the default route', () => {
  const r = loadRouteDirectory(`${fixtures}valid`, {});
  assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
  if (!r.ok) return;
  assert.deepEqual(r.table.routes.map((x) => x.spec.id), ['accounts', 'inactive']);
  const accounts = r.table.routes[0].spec;
  assert.equal(accounts.weight, 12.5);
  assert.equal(accounts.legacy.timeoutMs, 10_000);
  assert.deepEqual(accounts.force, { header: 'x-banyan-force', cookie: 'banyan-force' });
  assert.deepEqual(r.table.cohorts.get('customer'), { name: 'customer', salt: 's-1', buckets: 10_000, file: `${fixtures}valid/a-cohorts.yaml` });
  assert.equal(r.table.defaultLegacy?.upstream.url, 'http://127.0.0.1:8080');
});

test('every issue across files is reported with file:line:col and its rule', () => {
  const r = loadRouteDirectory(`${fixtures}conflicts`, {});
  assert.equal(r.ok, false);
  if (r.ok) return;
  const a = `${fixtures}conflicts/a.yaml`;
  const b = `${fixtures}conflicts/b.yaml`;
  const c = `${fixtures}conflicts/c.yaml`;
  assert.deepEqual(r.issues.map(formatIssue), [
    `${b}:2:3: duplicate-cohort: cohort "customer" is already defined in ${a} (at cohorts.customer)`,
    `${b}:3:1: duplicate-default: a default route is already defined in ${a} (at default)`,
    `${b}:6:9: duplicate-route: route id "accounts" is already used in ${a} (at routes[0].id)`,
    `${b}:7:20: path-pattern: "*" may only be the last segment (at routes[0].match.path)`,
    `${b}:9:11: needs-new-upstream: mode "canary" needs a "new" upstream (at routes[0].mode)`,
    `${b}:10:21: unknown-cohort: no cohort named "shoppers" in any route file (at routes[0].cohort.name)`,
    `${c}:5:35: rule: Invalid regular expression: /(/: Unterminated group (at routes[0].match.headers.accept.regex)`,
    `${c}:6:20: format: Invalid URL (at routes[0].legacy.url)`,
    `${c}:7:13: range: Too big: expected number to be <=100 (at routes[0].weight)`,
  ]);
});

test('checkRouteFile (banyan validate) reports single-file rules and schema errors', () => {
  const b = `${fixtures}conflicts/b.yaml`;
  assert.deepEqual(checkRouteFile(b, readFileSync(b, 'utf8'), {}).map(formatIssue), [
    `${b}:7:20: path-pattern: "*" may only be the last segment (at routes[0].match.path)`,
    `${b}:9:11: needs-new-upstream: mode "canary" needs a "new" upstream (at routes[0].mode)`,
  ]);
  assert.deepEqual(checkRouteFile('x.yaml', 'routes:\n  - id: a\n    match: { path: /a/*/b }\n    legacy: { url: "http://h" }\n    mode: new\n', {}).map(formatIssue), [
    'x.yaml:3:20: path-pattern: "*" may only be the last segment (at routes[0].match.path)',
    'x.yaml:5:11: needs-new-upstream: mode "new" needs a "new" upstream (at routes[0].mode)',
  ]);
});

test('route keys are snake_case: an old camelCase key is a renamed-key issue naming its new spelling, at the key', () => {
  const f = `${fixtures}camel-case/accounts.yaml`;
  assert.deepEqual(checkRouteFile(f, readFileSync(f, 'utf8'), {}).map(formatIssue), [
    `${f}:6:45: renamed-key: 'timeoutMs' is now 'timeout_ms' (at routes[0].legacy.timeoutMs)`,
    `${f}:7:17: format: Invalid URL (at routes[0].new.url)`,
    `${f}:7:41: renamed-key: 'responseHeaders' is now 'response_headers' (at routes[0].new.responseHeaders)`,
    `${f}:9:46: renamed-key: 'onMissingKey' is now 'on_missing_key' (at routes[0].cohort.onMissingKey)`,
    `${f}:11:7: renamed-key: 'writesSafe' is now 'writes_safe' (at routes[0].shadow.writesSafe)`,
    `${f}:14:33: renamed-key: 'sortBy' is now 'sort_by' (at routes[0].shadow.compare.rules[0].sortBy)`,
    `${f}:17:7: renamed-key: 'minRequests' is now 'min_requests' (at routes[0].rollout.minRequests)`,
    `${f}:19:9: renamed-key: 'errorRate' is now 'error_rate' (at routes[0].rollout.gates.errorRate)`,
    `${f}:20:7: renamed-key: 'onFailure' is now 'on_failure' (at routes[0].rollout.onFailure)`,
    `${f}:21:5: unknown-key: unknown key "retries" (at routes[0].retries)`,
  ]);
});

test('the snake_case keys of a route file parse into the camelCase route spec', () => {
  const r = checkRouteFile(
    'x.yaml',
    'routes:\n  - id: a\n    match: { path: /a }\n    legacy: { url: "http://h", timeout_ms: 5000, response_headers: { remove: [x-internal] } }\n    max_buffered_body_bytes: 1024\n    cohort: { on_missing_key: legacy }\n',
    {},
  );
  assert.deepEqual(r, []);
  const table = loadRouteDirectory(`${fixtures}valid`, {});
  assert.ok(table.ok);
  if (!table.ok) return;
  assert.deepEqual(table.table.routes[0].spec.cohort, { name: 'customer', key: { from: 'path', name: 'id' }, onMissingKey: 'random' });
  assert.equal(table.table.routes[0].spec.maxBufferedBodyBytes, 1_048_576);
});

test('the example route files in mappings/routes are valid', () => {
  const r = loadRouteDirectory(examples, {});
  assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
});
