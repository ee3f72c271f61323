import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, loadRecordMapping } from '../../../../src/codec/mapping/check.ts';
import { formatIssue } from '../../../../src/config/issues.ts';
import { ConfigError } from '../../../../src/config/issues.ts';

// Mappings under mappings/records resolve `copybook:` relative to themselves; the tests check
// texts as if they lived there.
const example = fileURLToPath(new URL('../../../../mappings/records/company-details.yaml', import.meta.url));
const exampleText = readFileSync(example, 'utf8');
const file = example.replace('company-details.yaml', 'under-test.yaml');

function issues(text: string): string[] {
  return check(file, text, { env: {} }).map((i) => formatIssue(i).replace(file, 'm.yaml'));
}

const base = 'copybook: ../copybooks/company-details.cpy\n';

test('the example mapping in mappings/records binds to its copybook without issues', () => {
  assert.deepEqual(check(example, exampleText, { env: {} }), []);
  const m = loadRecordMapping(example, { env: {} });
  assert.deepEqual(m.keyPaths, ['COMPANY-DETAILS.COMPANY-ID']);
  assert.equal(m.renames.get('COMPANY-DETAILS.CONTACTS.CONTACT-PERSON'), 'contactName');
  assert.equal(m.segments?.byId.get('P')?.branchPath, 'COMPANY-DETAILS.CONTACTS');
  assert.equal(m.segments?.byId.get('P')?.topic, 'legacy.company-contact.v1');
  assert.deepEqual(m.sensitivePaths, ['COMPANY-DETAILS.CONTACTS.PHONE-NUMBER']);
  assert.deepEqual(m.redefines[0]?.branchPaths, ['COMPANY-DETAILS.STATIC-DETAILS.TAXPAYER.TAXPAYER-STR', 'COMPANY-DETAILS.STATIC-DETAILS.TAXPAYER.TAXPAYER-NUM']);
});

test('defaults: cp037, camelCase names, exact decimals, dead-letter on error, fillers dropped', () => {
  const m = loadRecordMapping(example, { env: {} });
  const { codepage, names, decimals, on_error, fillers, trimming, blank_numbers } = loadRecordMapping(
    example.replace('company-details.yaml', 'company-details.yaml'),
    { env: {} },
  ).config;
  assert.equal(m.config.codepage, 'cp037');
  assert.deepEqual({ codepage, names, decimals, on_error, fillers, trimming, blank_numbers }, {
    codepage: 'cp037',
    names: 'camelCase',
    decimals: 'string',
    on_error: 'dlq',
    fillers: 'drop',
    trimming: 'both',
    blank_numbers: 'null',
  });
});

test('a field the copybook does not have is reported at its position with rule unknown-field', () => {
  assert.deepEqual(issues(`${base}key: [COMPANY-ID, CUSTOMER-NO]\n`), [
    'm.yaml:2:19: unknown-field: field "CUSTOMER-NO" is not in record COMPANY-DETAILS (at key[1])',
  ]);
  assert.deepEqual(issues(`${base}rename:\n  ADRESS: address\n`), [
    'm.yaml:3:3: unknown-field: field "ADRESS" is not in record COMPANY-DETAILS (at rename.ADRESS)',
  ]);
  assert.deepEqual(issues(`${base}mask: { PAN: redact }\n`), ['m.yaml:2:9: unknown-field: field "PAN" is not in record COMPANY-DETAILS (at mask.PAN)']);
});

test('a scalar key is checked like a list, and must be elementary', () => {
  assert.deepEqual(issues(`${base}key: NOPE\n`), ['m.yaml:2:6: unknown-field: field "NOPE" is not in record COMPANY-DETAILS (at key)']);
  assert.deepEqual(issues(`${base}key: STATIC-DETAILS\n`), [
    'm.yaml:2:6: key-not-elementary: key field COMPANY-DETAILS.STATIC-DETAILS must be an elementary item outside any OCCURS table (at key)',
  ]);
});

test('a dotted path qualifies a field like COBOL OF/IN', () => {
  assert.deepEqual(issues(`${base}mask: { CONTACTS.PHONE-NUMBER: redact }\n`), []);
});

test('segment branches and REDEFINES cases must be REDEFINES branches', () => {
  const text = `${base}segments:\n  field: SEGMENT-ID\n  cases:\n    - ids: [C]\n      branch: COMPANY-ID\n`;
  assert.deepEqual(issues(text), ['m.yaml:6:15: not-a-redefines: COMPANY-DETAILS.COMPANY-ID is not part of a REDEFINES (at segments.cases[0].branch)']);
  const rule = `${base}redefines:\n  - field: TAXPAYER-STR\n    by: TAXPAYER-TYPE\n    cases: { A: COMPANY-NAME }\n`;
  assert.deepEqual(issues(rule), [
    'm.yaml:5:17: not-a-redefines: COMPANY-DETAILS.STATIC-DETAILS.COMPANY-NAME is not a branch of the REDEFINES of COMPANY-DETAILS.STATIC-DETAILS.TAXPAYER.TAXPAYER-STR (at redefines[0].cases.A)',
  ]);
});

test('a segment id used by two cases is reported on the second', () => {
  const text = `${base}segments:\n  field: SEGMENT-ID\n  cases:\n    - ids: [C]\n    - ids: [P, C]\n`;
  assert.deepEqual(issues(text), ['m.yaml:6:16: rule: segment id "C" is already used by case 0 (at segments.cases[1].ids[1])']);
});

test('unknown code pages, records and copybooks are reported with their rule', () => {
  assert.match(issues(`${base}codepage: cp9999\n`)[0]!, /^m\.yaml:2:11: unknown-codepage: /);
  assert.match(issues(`${base}field_codepages: { COMPANY-NAME: cp9999 }\n`)[0]!, /^m\.yaml:2:34: unknown-codepage: /);
  assert.match(issues(`${base}record: ORDERS\n`)[0]!, /^m\.yaml:2:9: unknown-record: record ORDERS is not in copybook/);
  assert.match(issues('copybook: ../copybooks/missing.cpy\n')[0]!, /^m\.yaml:1:11: copybook-unreadable: /);
});

test('schema rules: framing options that do not fit the format, unknown keys, bad enums', () => {
  assert.deepEqual(issues(`${base}framing: { format: F, rdw: { byte_order: big } }\n`), [
    'm.yaml:2:28: rule: rdw options apply to V and VB only, not F (at framing.rdw)',
  ]);
  assert.deepEqual(issues(`${base}topik: x\n`), ['m.yaml:2:1: unknown-key: unknown key "topik" (at topik)']);
  assert.match(issues(`${base}names: kebab\n`)[0]!, /^m\.yaml:2:8: enum: /);
  assert.match(issues(`${base}mask: { COMPANY-ID: { keep_last: 0 } }\n`)[0]!, /^m\.yaml:2:/);
});

test('occurs_mappings must name a table with OCCURS DEPENDING ON', () => {
  assert.deepEqual(issues(`${base}occurs_mappings: { COMPANY-ID: { A: 1 } }\n`), [
    'm.yaml:2:20: not-a-variable-table: COMPANY-DETAILS.COMPANY-ID has no OCCURS DEPENDING ON (at occurs_mappings.COMPANY-ID)',
  ]);
});

test('loadRecordMapping throws a ConfigError listing every issue', () => {
  assert.throws(
    () => loadRecordMapping('/nonexistent/m.yaml'),
    (err: unknown) => err instanceof ConfigError && err.issues[0]?.rule === 'file-unreadable',
  );
});
