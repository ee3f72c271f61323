import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { check } from '../../../../src/codec/mapping/check.ts';
import { copybookError } from '../../../../src/codec/copybook/errors.ts';
import { loadCopybook } from '../../../../src/codec/copybook/index.ts';
import { formatIssue } from '../../../../src/config/issues.ts';

const file = fileURLToPath(new URL('../../../../mappings/records/under-test.yaml', import.meta.url));
const base = 'copybook: ../copybooks/company-details.cpy\n';

function issues(text: string, loader?: () => never): string[] {
  return check(file, text, { env: {}, ...(loader ? { loadCopybook: loader } : {}) }).map((i) => formatIssue(i).replace(file, 'm.yaml'));
}
const throwing = (err: Error) => (): never => {
  throw err;
};
const at = { file: 'company-details.cpy', line: 1, column: 1 };

test('a copybook that cannot be read is told from its error code, whatever the message says', () => {
  const denied = copybookError('BANYAN_ERR_COPYBOOK_UNREADABLE', at, 'company-details.cpy', 'cannot read copybook company-details.cpy: EACCES: permission denied');
  assert.match(issues(base, throwing(denied))[0]!, /^m\.yaml:1:11: copybook-unreadable: .*EACCES: permission denied/);
  const enoent = Object.assign(new Error('open company-details.cpy'), { code: 'ENOENT' }); // an injected loader's own fs error
  assert.match(issues(base, throwing(enoent))[0]!, /^m\.yaml:1:11: copybook-unreadable: /);
  assert.match(issues('copybook: ../copybooks/missing.cpy\n')[0]!, /^m\.yaml:1:11: copybook-unreadable: .*ENOENT/);
});

test('a copybook that reads but does not parse is copybook-syntax, even when its message mentions a missing file', () => {
  const syntax = copybookError('BANYAN_ERR_COPYBOOK_SYNTAX', { ...at, line: 3, column: 8 }, 'NO', 'expected a level number, found "no such file"');
  assert.match(issues(base, throwing(syntax))[0]!, /^m\.yaml:1:11: copybook-syntax: .*company-details\.cpy:3:8: expected a level number/);
  const missingMember = copybookError('BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND', { ...at, line: 2, column: 13 }, 'ADDRESS', 'copy member ADDRESS not found in /copybooks');
  assert.match(issues(base, throwing(missingMember))[0]!, /^m\.yaml:1:11: copybook-syntax: .*copy member ADDRESS not found/);
});

test('every section is bound against the record in one pass: issues of all sections, in file order', () => {
  const text =
    `${base}codepage: cp9999\nfield_codepages: { NOPE-1: cp037 }\nkey: NOPE-2\nrename: { NOPE-3: x }\nmask: { NOPE-4: redact }\n` +
    `occurs_mappings: { COMPANY-ID: { A: 1 } }\nsegments:\n  field: NOPE-5\n  cases:\n    - { ids: [C], branch: COMPANY-ID, key: [NOPE-6] }\n` +
    `redefines:\n  - { field: COMPANY-ID, by: COMPANY-NAME, cases: { A: COMPANY-NAME } }\n`;
  assert.deepEqual(
    issues(text).map((i) => i.split(': ').slice(0, 2).join(': ')),
    [
      'm.yaml:2:11: unknown-codepage',
      'm.yaml:3:20: unknown-field',
      'm.yaml:4:6: unknown-field',
      'm.yaml:5:11: unknown-field',
      'm.yaml:6:9: unknown-field',
      'm.yaml:7:20: not-a-variable-table',
      'm.yaml:9:10: unknown-field',
      'm.yaml:11:27: not-a-redefines',
      'm.yaml:11:45: unknown-field',
      'm.yaml:13:14: not-a-redefines',
    ],
  );
});

test('the real loader reports a missing copybook with the codec code the binder relies on', () => {
  assert.throws(() => loadCopybook('/nonexistent/x.cpy'), { code: 'BANYAN_ERR_COPYBOOK_UNREADABLE' });
});
