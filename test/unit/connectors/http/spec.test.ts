/** The `sink: { http: ... }` spec in a bridge file: defaults, and every config problem reported at its file:line:col. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkConfigText } from '../../../../src/config/load.ts';
import { formatIssue } from '../../../../src/config/issues.ts';
import { secretRedactPaths } from '../../../../src/config/secrets.ts';
import { bridgeSpec } from '../../../../src/config-catalog.ts';
import { httpSinkSchema } from '../../../../src/connectors/http/spec.ts';

const rootDir = mkdtempSync(join(tmpdir(), 'banyan-http-spec-'));
writeFileSync(join(rootDir, 'accounts.yaml'), 'copybook: x.cpy\n');
after(() => rmSync(rootDir, { recursive: true, force: true }));

const bridge = (http: string) =>
  `name: accounts-http\nsource:\n  kafka: { topics: [legacy.accounts.v1] }\nmapping: accounts.yaml\nsink:\n  http:\n${http.replace(/^/gm, '    ')}\n`;
const issues = (http: string, env: NodeJS.ProcessEnv = {}) => bridgeSpec.check('bridges/accounts-http.yaml', bridge(http), { rootDir, env }).map(formatIssue);

describe('http sink spec', () => {
  it('fills the defaults: POST, the event as body, Idempotency-Key, opossum\'s breaker numbers', () => {
    const r = checkConfigText('bridges/accounts-http.yaml', bridge('name: accounts\nurl: https://accounts.internal/v1/accounts/{after.ACCOUNT_ID}'), bridgeSpec.schema, { env: {} });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    const http = r.config.value.sink.http!;
    assert.deepEqual(
      [http.method, http.body, http.content_type, http.idempotency_header, http.timeout_ms, http.connections],
      ['POST', 'event', 'application/json', 'Idempotency-Key', 10_000, 10],
    );
    assert.deepEqual(http.breaker, { error_threshold_percentage: 50, reset_timeout_ms: 30_000, volume_threshold: 10, rolling_count_timeout_ms: 10_000, rolling_count_buckets: 10 });
    assert.deepEqual(http.outcomes, { delivered_statuses: [], retriable_statuses: [], permanent_statuses: [], retry_after_max_ms: 600_000 });
  });

  it('takes a full target: templated headers, secret headers from ${ENV}, a projection, status rules', () => {
    const text = [
      'name: accounts',
      'method: PUT',
      'url: https://accounts.internal:8443/v1/accounts/{after.ACCOUNT_ID}?branch={after.BRANCH}',
      'headers: { X-Source: banyan, X-Branch: "{after.BRANCH}" }',
      'secret_headers: { Authorization: "Bearer ${TOKEN}" }',
      'body: { id: after.ACCOUNT_ID, balance: after.BALANCE }',
      'timeout_ms: ${TIMEOUT}',
      'outcomes: { delivered_statuses: [409], permanent_statuses: [501], retry_after_max_ms: 60000 }',
      'breaker: { volume_threshold: 5, reset_timeout_ms: 5000 }',
    ].join('\n');
    assert.deepEqual(issues(text, { TOKEN: 't0k3n', TIMEOUT: '2500' }), []);
  });

  it('marks secret headers for redaction wherever the bridge config is logged', () => {
    assert.ok(secretRedactPaths(bridgeSpec.schema).includes('config.sink.http.secret_headers.*'));
    assert.ok(!secretRedactPaths(httpSinkSchema).includes('config.headers.*'));
  });

  const problems: Array<[string, string, string]> = [
    ['a placeholder in the host', 'name: a\nurl: https://{after.HOST}/x', 'bridges/accounts-http.yaml:8:10: rule: the host and port must be fixed: placeholders go into the path and query only (at sink.http.url)'],
    ['an unclosed placeholder, with the character', 'name: a\nurl: https://svc/accounts/{after.ID', 'bridges/accounts-http.yaml:8:10: rule: a "{" without its "}" (write "{{" for a literal brace) at character 22 (at sink.http.url)'],
    ['not http', 'name: a\nurl: ftp://svc/x', 'bridges/accounts-http.yaml:8:10: rule: expected an http:// or https:// URL (at sink.http.url)'],
    ['credentials in the URL', 'name: a\nurl: https://u:p@svc/x', 'bridges/accounts-http.yaml:8:10: rule: credentials in the URL are not sent; put them in secret_headers (e.g. Authorization) (at sink.http.url)'],
    ['a space in the URL', 'name: a\nurl: https://svc/a b/{after.X}', 'bridges/accounts-http.yaml:8:10: rule: spaces and non-ASCII characters must be percent-encoded in the URL (at sink.http.url)'],
    ['a bad header template', 'name: a\nurl: https://svc/x\nheaders: { X-Id: "{after.}" }', 'bridges/accounts-http.yaml:9:22: rule: field path "after.": segment 2 is empty at character 1 (at sink.http.headers.X-Id)'],
    ['a header the client sets', 'name: a\nurl: https://svc/x\nheaders: { Content-Length: "3" }', 'bridges/accounts-http.yaml:9:32: rule: header Content-Length is set by the HTTP client itself; leave it out (at sink.http.headers.Content-Length)'],
    ['the idempotency header given twice', 'name: a\nurl: https://svc/x\nsecret_headers: { idempotency-key: "x" }', 'bridges/accounts-http.yaml:9:40: rule: header idempotency-key is already given by idempotency_header (at sink.http.secret_headers.idempotency-key)'],
    ['Content-Type as a header', 'name: a\nurl: https://svc/x\nheaders: { content-type: text/plain }', "bridges/accounts-http.yaml:9:30: rule: give the body's type with content_type, not as a header (at sink.http.headers.content-type)"],
    ['a header name that is not a token', 'name: a\nurl: https://svc/x\nheaders: { "X Id": "1" }', 'bridges/accounts-http.yaml:9:24: rule: "X Id" is not a valid HTTP header name (RFC 9110 token: letters, digits and !#$%&\'*+-.^_`|~) (at sink.http.headers.X Id)'],
    ['a projection with clashing names', 'name: a\nurl: https://svc/x\nbody: [after.ID, before.ID]', 'bridges/accounts-http.yaml:9:11: rule: "after.ID" and "before.ID" would both be the member "ID"; name the members with a map (name: path) (at sink.http.body)'],
    ['a status with two meanings', 'name: a\nurl: https://svc/x\noutcomes: { retriable_statuses: [409], permanent_statuses: [409] }', 'bridges/accounts-http.yaml:9:64: rule: 409 also in retriable_statuses: a status has one meaning (at sink.http.outcomes.permanent_statuses)'],
    ['a status that is not one', 'name: a\nurl: https://svc/x\noutcomes: { retriable_statuses: [42] }', 'bridges/accounts-http.yaml:9:38: range: Too small: expected number to be >=100 (at sink.http.outcomes.retriable_statuses[0])'],
    ['an unknown method', 'name: a\nmethod: FETCH\nurl: https://svc/x', 'bridges/accounts-http.yaml:8:13: enum: Invalid option: expected one of "POST"|"PUT"|"PATCH"|"DELETE"|"GET" (at sink.http.method)'],
    ['a breaker timeout (timeout_ms is the one)', 'name: a\nurl: https://svc/x\nbreaker: { timeout: 1000 }', 'bridges/accounts-http.yaml:9:16: unknown-key: unknown key "timeout" (at sink.http.breaker.timeout)'],
  ];
  for (const [name, text, expected] of problems) {
    it(`reports ${name} at its place`, () => assert.deepEqual(issues(text), [expected]));
  }
});
