/**
 * Layouts computed by hand from IBM Enterprise COBOL manuals (Language Reference, Programming
 * Guide) and from the example copybooks in mappings/copybooks, checked field by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadCopybook, parseCopybook } from '../../../../src/codec/copybook/index.ts';
import { fieldAt, firstRecord, fixed, span } from './helpers.ts';

const mappings = fileURLToPath(new URL('../../../../mappings/copybooks/', import.meta.url));

test('IBM Programming Guide "slack bytes within records": FIELD-E SYNC gets one slack byte', () => {
  const text = fixed(
    '01  FIELD-A.',
    '    05  FIELD-B       PIC X(5).',
    '    05  FIELD-C.',
    '        10  FIELD-D   PIC XX.',
    '        10  FIELD-E   COMPUTATIONAL  PIC S9(6) SYNC.',
  );
  const r = firstRecord(text, { alignSync: true });
  // FIELD-D ends at byte 7; a fullword binary must start at 8.
  assert.deepEqual([span(r, 'FIELD-A.FIELD-C.FIELD-D'), span(r, 'FIELD-A.FIELD-C.FIELD-E'), span(r, 'FIELD-A.FIELD-C')], [[5, 2], [8, 4], [5, 7]]);
  assert.equal(r.length, 12);
});

test('IBM Language Reference slack bytes between occurrences: WORK-RECORD with a SYNC table', () => {
  const r = firstRecord(fixed(
    '01  WORK-RECORD.',
    '    05  WORK-CODE       PIC X.',
    '    05  COMP-TABLE OCCURS 10 TIMES.',
    '        10  COMP-TYPE   PIC X.',
    '        10  COMP-PAY    PIC S9(4)V99 COMP SYNC.',
    '        10  COMP-HOURS  PIC S9(3) COMP SYNC.',
    '        10  COMP-NAME   PIC X(5).',
  ), { alignSync: true });
  // Two slack bytes after COMP-TYPE put COMP-PAY on a fullword; two inter-occurrence slack bytes
  // after COMP-NAME make each occurrence 16 bytes, so every COMP-PAY stays on a fullword.
  const t = 'WORK-RECORD.COMP-TABLE';
  assert.deepEqual([span(r, t), span(r, `${t}.COMP-PAY`), span(r, `${t}.COMP-HOURS`), span(r, `${t}.COMP-NAME`)], [[1, 16], [4, 4], [8, 2], [10, 5]]);
  assert.equal(r.length, 161);
});

test('IBM Language Reference REDEFINES example: NAME-1 over NAME-2, 14 bytes each', () => {
  const r = firstRecord(fixed(
    '01  REC.',
    '    05  NAME-2.',
    '        10  SALARY     PICTURE XXX.',
    '        10  SO-SEC-NO  PICTURE X(9).',
    '        10  MONTH      PICTURE XX.',
    '    05  NAME-1 REDEFINES NAME-2.',
    '        10  WAGE       PICTURE 999V999.',
    '        10  EMP-NO     PICTURE X(6).',
    '        10  YEAR       PICTURE XX.',
  ));
  assert.deepEqual(['REC.NAME-2.MONTH', 'REC.NAME-1.WAGE', 'REC.NAME-1.EMP-NO', 'REC.NAME-1.YEAR'].map((p) => span(r, p)), [[12, 2], [0, 6], [6, 6], [12, 2]]);
  const wage = fieldAt(r, 'REC.NAME-1.WAGE');
  assert.ok(wage.kind === 'zoned' && wage.digits === 6 && wage.scale === 3);
  assert.equal(r.length, 14);
});

test('IBM Language Reference RENAMES example: DN-6 renames DN-1 through DN-3', () => {
  const layout = parseCopybook(fixed(
    '01  RECORD-I.',
    '    05  DN-1  PIC X(10).',
    '    05  DN-2  PIC X(10).',
    '    05  DN-3.',
    '        10  DN-3A  PIC S9(4) COMP.',
    '        10  DN-3B  PIC X(8).',
    '    05  DN-4  PIC X(10).',
    '66  DN-6 RENAMES DN-1 THROUGH DN-3.',
  ));
  assert.deepEqual(layout.records[0].renames, [{ name: 'DN-6', from: 'RECORD-I.DN-1', thru: 'RECORD-I.DN-3', offset: 0, length: 30 }]);
  assert.equal(layout.records[0].length, 40);
});

test('example CUSTMAST: 250-byte customer master with REDEFINES, OCCURS and group COMP-3', () => {
  const r = loadCopybook(`${mappings}CUSTMAST.cpy`).records[0];
  assert.equal(r.length, 250);
  // key 4+10, type 1, name 46, address 2x30+25+2+5+4 = 96, tax id 5, date 8, balances 7+6+5, risk 2, status 1, ts 26, filler 33
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-ADDRESS.CM-STREET'), [61, 30]);
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-ADDRESS.CM-CITY'), [121, 25]);
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-TAX-ID'), [157, 5]);
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-DATE-OPENED-X.CM-OPEN-MM'), [166, 2]);
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-BALANCES.CM-CREDIT-LIMIT'), [177, 6]);
  assert.deepEqual(span(r, 'CUSTOMER-MASTER.CM-RISK-SCORE'), [188, 2]);
  assert.deepEqual(fieldAt(r, 'CUSTOMER-MASTER.CM-STATUS').conditions?.map((c) => c.name), ['CM-ACTIVE', 'CM-CLOSED', 'CM-DORMANT']);
});

test('example TRANREC: variable line items (1 TO 50 DEPENDING ON) and a trailer record over the same area', () => {
  const [detail, trailer] = loadCopybook(`${mappings}TRANREC.cpy`).records;
  const item = fieldAt(detail, 'TRAN-RECORD.TR-ITEM');
  assert.deepEqual([item.offset, item.length, item.occurs], [57, 22, { min: 1, max: 50, dependingOn: 'TRAN-RECORD.TR-ITEM-COUNT', indexedBy: ['TR-IX'] }]);
  assert.equal(detail.length, 57 + 22 * 50);
  assert.deepEqual(span(detail, 'TRAN-RECORD.TR-TRAN-TS-X'), [32, 14]);
  const discount = fieldAt(detail, 'TRAN-RECORD.TR-ITEM.TR-ITEM-DISCOUNT');
  assert.ok(discount.kind === 'packed' && discount.digits === 3 && discount.scale === 3 && discount.length === 2);
  assert.deepEqual([trailer.name, trailer.length, span(trailer, 'TRAN-TRAILER.TT-BATCH-TOTAL')], ['TRAN-TRAILER', 33, [5, 8]]);
});
