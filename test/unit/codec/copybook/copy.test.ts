import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadCopybook, parseCopybook, type CopybookError } from '../../../../src/codec/copybook/index.ts';
import { fieldAt, fixed, span } from './helpers.ts';

const dir = fileURLToPath(new URL('../../../fixtures/copybooks/copy/', import.meta.url));

test('COPY members are found by name, extension (.cpy .cob .cbl .copy), case and OF library', () => {
  const r = loadCopybook(`${dir}main.cpy`).records[0];
  assert.deepEqual(span(r, 'CUSTOMER-REC.CUST-KEY.CUST-ID'), [0, 5]);
  assert.deepEqual(span(r, 'CUSTOMER-REC.CUST-KEY.CUST-BRANCH'), [5, 4]);
  assert.deepEqual(span(r, 'CUSTOMER-REC.CUST-ADDR.HOME-STREET'), [9, 30]);
  assert.deepEqual(span(r, 'CUSTOMER-REC.CUST-ADDR.HOME-ZIP'), [39, 10]);
});

test('REPLACING pseudo-text, words and literals, and :TAG: inside words', () => {
  const r = loadCopybook(`${dir}main.cpy`).records[0];
  const balance = fieldAt(r, 'CUSTOMER-REC.CUST-AMT.BALANCE');
  assert.ok(balance.kind === 'packed' && balance.digits === 9 && balance.scale === 2 && balance.signed && balance.length === 5);
  assert.deepEqual(span(r, 'CUSTOMER-REC.CUST-AMT.WIDTH'), [54, 2]);
  const tag = fieldAt(r, 'CUSTOMER-REC.CUST-AMT.TAG');
  assert.ok(tag.kind === 'alphanumeric' && tag.value === 'NEW');
  assert.equal(r.length, 59);
});

test('positions inside a COPY member name the member file', () => {
  const r = loadCopybook(`${dir}main.cpy`).records[0];
  const id = fieldAt(r, 'CUSTOMER-REC.CUST-KEY.CUST-ID');
  assert.deepEqual([id.line, id.column], [2, 16]);
});

test('REPLACING LEADING replaces the start of words; members are searched in copybookDir too', () => {
  const r = loadCopybook(`${dir}more/leading.cpy`).records[0];
  assert.deepEqual(span(r, 'R.IN-NAME'), [0, 5]);
  assert.deepEqual(span(r, 'R.IN-CODE'), [5, 2]);
  const fromText = parseCopybook(fixed('01 R.', '   COPY PREFIXED.'), { copybookDir: `${dir}more` }).records[0];
  assert.deepEqual(span(fromText, 'R.WS-CODE'), [5, 2]);
});

test('a member that copies itself, directly or not, is BANYAN_ERR_COPYBOOK_COPY_RECURSION', () => {
  assert.throws(() => loadCopybook(`${dir}loop-a.cpy`), (err: CopybookError) => {
    assert.equal(err.code, 'BANYAN_ERR_COPYBOOK_COPY_RECURSION');
    assert.match(err.file, /LOOP-B\.cpy$/);
    assert.equal(err.line, 2);
    assert.equal(err.token, 'LOOP-A');
    return true;
  });
});

test('a missing member is BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND naming where it looked', () => {
  assert.throws(() => loadCopybook(`${dir}missing.cpy`), (err: CopybookError) => {
    assert.equal(err.code, 'BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND');
    assert.deepEqual([err.line, err.column, err.token], [3, 17, 'NOPE']);
    assert.match(err.message, /missing\.cpy:3:17: copy member NOPE not found in .*copy/);
    return true;
  });
});

test('the layout hash covers the text after COPY expansion, not comments or sequence numbers', () => {
  const viaCopy = loadCopybook(`${dir}more/leading.cpy`);
  const inline = parseCopybook(fixed('* same record written out', '01 R.', '   05 IN-NAME PIC X(5).', '   05 IN-CODE PIC 9(2).'));
  assert.equal(viaCopy.hash, inline.hash);
  assert.match(viaCopy.hash, /^[0-9a-f]{64}$/);
  const changed = parseCopybook(fixed('01 R.', '   05 IN-NAME PIC X(6).', '   05 IN-CODE PIC 9(2).'));
  assert.notEqual(changed.hash, inline.hash);
  const dialect = parseCopybook(fixed('01 R.', '   05 IN-NAME PIC X(5).', '   05 IN-CODE PIC 9(2).'), { binarySizes: 'one-byte' });
  assert.notEqual(dialect.hash, inline.hash, 'options that change the layout change the hash');
});
