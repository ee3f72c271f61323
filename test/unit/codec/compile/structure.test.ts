import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRecordCodec, compileSegmentedCodec, DecodeError, fieldErrors, getRecordCodec } from '../../../../src/codec/compile/index.ts';
import type { CopybookLayout } from '../../../../src/codec/layout.ts';
import { getCodePage } from '../../../../src/codec/codepages/index.ts';
import { binary, cp037, ebcdic, graphic, group, hex, national, packed, record, toHexString, x, zoned } from './support.ts';

const accounts = record('REC', [
  packed('N', 3),
  group('ACCT', [x('NUM', 2), zoned('AMT', 3, { signed: true })], { occurs: { min: 0, max: 3, dependingOn: 'N' } }),
  x('TAIL', 2),
]);

function bytes(...parts: Array<Uint8Array | string>): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? hex(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

test('OCCURS DEPENDING ON yields as many elements as the counter says, fields after the table stay at their offsets', () => {
  const c = compileRecordCodec(accounts, { codePage: cp037 });
  const data = bytes('002F', ebcdic('AA'), 'F1F2C3', ebcdic('BB'), 'F4F5D6', '4040404040', ebcdic('ZZ'));
  assert.deepEqual(c.decode(data), { N: 2, ACCT: [{ NUM: 'AA', AMT: 123 }, { NUM: 'BB', AMT: -456 }], TAIL: 'ZZ' });
  assert.equal(toHexString(c.encode(c.decode(data))), toHexString(data));
});

test('variableSizeOccurs moves the fields after a short table up (Cobrix variable_size_occurs)', () => {
  const c = compileRecordCodec(accounts, { codePage: cp037, variableSizeOccurs: true });
  const data = bytes('001F', ebcdic('AA'), 'F1F2C3', ebcdic('ZZ'));
  const v = c.decode(data);
  assert.deepEqual(v, { N: 1, ACCT: [{ NUM: 'AA', AMT: 123 }], TAIL: 'ZZ' });
  assert.equal(toHexString(c.encode(v)), toHexString(data));
});

test('an ODO count beyond the table maximum is BANYAN_ERR_DECODE_ODO_BOUNDS, never a huge allocation', () => {
  const c = compileRecordCodec(accounts, { codePage: cp037 });
  const data = bytes('999F', new Uint8Array(17));
  assert.throws(() => c.decode(data, 0, data.length, 12), (e: unknown) => e instanceof DecodeError && e.code === 'BANYAN_ERR_DECODE_ODO_BOUNDS' && e.fieldPath === 'REC.ACCT' && e.recordNumber === 12);
});

test('nested OCCURS DEPENDING ON reads each inner counter inside its element', () => {
  const r = record('R', [
    zoned('N', 1),
    group('OUTER', [zoned('M', 1), x('V', 1, { occurs: { min: 0, max: 2, dependingOn: 'M' } })], { occurs: { min: 0, max: 2, dependingOn: 'N' } }),
  ]);
  const c = compileRecordCodec(r, { codePage: cp037 });
  const data = bytes('F2', 'F1', ebcdic('A '), 'F2', ebcdic('BC'));
  assert.deepEqual(c.decode(data), { N: 2, OUTER: [{ M: 1, V: ['A'] }, { M: 2, V: ['B', 'C'] }] });
});

test('onError null nulls a broken field, keeps the rest and lists the error with its offset', () => {
  const r = record('R', [x('A', 2), packed('P', 3, { signed: true }), x('B', 2)]);
  const c = compileRecordCodec(r, { codePage: cp037, onError: 'null' });
  const v = c.decode(bytes(ebcdic('AA'), '1234', ebcdic('BB')), 0, 6, 3);
  assert.deepEqual(v, { A: 'AA', P: null, B: 'BB' });
  const errors = fieldErrors(v);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'BANYAN_ERR_DECODE_PACKED_SIGN');
  assert.equal(errors[0].byteOffset, 2);
  assert.equal(errors[0].hex, '1234');
  assert.equal(fieldErrors(c.decode(bytes(ebcdic('AA'), '012C', ebcdic('BB')))).length, 0);
});

test('a record shorter than its fields fails with BANYAN_ERR_DECODE_SHORT_RECORD, or nulls them when asked', () => {
  const r = record('R', [x('A', 2), packed('P', 3), x('B', 4)]);
  const data = bytes(ebcdic('AA'), '012F', ebcdic('BB'));
  assert.throws(() => compileRecordCodec(r, { codePage: cp037 }).decode(data), { code: 'BANYAN_ERR_DECODE_SHORT_RECORD' });
  assert.deepEqual(compileRecordCodec(r, { codePage: cp037, shortRecord: 'null' }).decode(data), { A: 'AA', P: 12, B: 'BB' });
  const shortNumber = record('R', [x('A', 2), packed('P', 3)]);
  assert.deepEqual(compileRecordCodec(shortNumber, { codePage: cp037, shortRecord: 'null' }).decode(ebcdic('AA')), { A: 'AA', P: null });
});

test('REDEFINES decodes every branch; a branch that does not parse is null, not an error', () => {
  const r = record('R', [packed('NUM', 5), x('STR', 3, { redefines: 'NUM' })]);
  const c = compileRecordCodec(r, { codePage: cp037 });
  assert.deepEqual(c.decode(ebcdic('ABC')), { NUM: null, STR: 'ABC' });
  // The text view of packed bytes: 0x12 is a control character, trimmed like Java's String.trim.
  assert.deepEqual(c.decode(hex('12345F')), { NUM: 12345, STR: '\u0094\u00ac' });
  assert.equal(toHexString(c.encode({ NUM: null, STR: 'ABC' })), toHexString(ebcdic('ABC')));
});

test('REDEFINES chosen by a rule on another field decodes only the selected branch', () => {
  const r = record('R', [
    x('KIND', 1),
    group('PERSON', [x('NAME', 4)]),
    group('COMPANY', [packed('REG', 7)], { redefines: 'PERSON' }),
  ]);
  const c = compileRecordCodec(r, { codePage: cp037, redefines: [{ redefines: 'PERSON', selector: 'KIND', when: { P: 'PERSON', C: 'COMPANY' } }] });
  assert.deepEqual(c.decode(bytes(ebcdic('P'), ebcdic('JOHN'))), { KIND: 'P', PERSON: { NAME: 'JOHN' } });
  assert.deepEqual(c.decode(bytes(ebcdic('C'), '1234567F')), { KIND: 'C', COMPANY: { REG: 1234567 } });
  assert.equal(toHexString(c.encode({ KIND: 'C', COMPANY: { REG: 1234567 } })), toHexString(bytes(ebcdic('C'), '1234567F')));
  assert.equal(toHexString(c.encode({ KIND: 'P', PERSON: { NAME: 'JOHN' } })), toHexString(bytes(ebcdic('P'), ebcdic('JOHN'))));
});

test('FILLER items are dropped by default and kept as FILLER_Pn / FILLER_n when asked', () => {
  const r = record('R', [x('A', 1, { filler: true }), x('B', 1), group('G', [x('C', 1)], { filler: true })]);
  assert.deepEqual(compileRecordCodec(r, { codePage: cp037 }).decode(ebcdic('XYZ')), { B: 'Y' });
  assert.deepEqual(compileRecordCodec(r, { codePage: cp037, fillers: 'keep' }).decode(ebcdic('XYZ')), { FILLER_P1: 'X', B: 'Y', FILLER_1: { C: 'Z' } });
});

test('string trimming policies both, left, right and none', () => {
  const r = record('R', [x('S', 6)]);
  const data = ebcdic(' ab   ');
  assert.equal(compileRecordCodec(r, { codePage: cp037 }).decode(data).S, 'ab');
  assert.equal(compileRecordCodec(r, { codePage: cp037, stringTrimming: 'left' }).decode(data).S, 'ab   ');
  assert.equal(compileRecordCodec(r, { codePage: cp037, stringTrimming: 'right' }).decode(data).S, ' ab');
  assert.equal(compileRecordCodec(r, { codePage: cp037, stringTrimming: 'none' }).decode(data).S, ' ab   ');
});

test('JUSTIFIED RIGHT text is padded on the left when encoded', () => {
  const c = compileRecordCodec(record('R', [x('S', 4, { justifiedRight: true })]), { codePage: cp037 });
  assert.equal(toHexString(c.encode({ S: 'AB' })), '4040C1C2');
});

test('NATIONAL fields are UTF-16 big-endian', () => {
  const c = compileRecordCodec(record('R', [national('N', 3)]), { codePage: cp037 });
  assert.equal(c.decode(hex('00E900410020')).N, 'éA');
  assert.equal(toHexString(c.encode({ N: 'éA' })), '00E900410020');
});

test('text longer than its field is an EncodeError unless truncation is asked for', () => {
  const r = record('R', [x('S', 2)]);
  assert.throws(() => compileRecordCodec(r, { codePage: cp037 }).encode({ S: 'ABC' }), { code: 'BANYAN_ERR_ENCODE_TEXT' });
  assert.equal(toHexString(compileRecordCodec(r, { codePage: cp037, onOverflow: 'truncate' }).encode({ S: 'ABC' })), 'C1C2');
});

test('compiled codecs are cached per layout and options, and per copybook hash', () => {
  const r = record('R', [x('S', 2)]);
  assert.equal(compileRecordCodec(r, { codePage: cp037 }), compileRecordCodec(r, { codePage: cp037 }));
  assert.notEqual(compileRecordCodec(r, { codePage: cp037 }), compileRecordCodec(r, { codePage: cp037, stringTrimming: 'none' }));
  const layout: CopybookLayout = { source: 'x.cpy', hash: 'abc', records: [r] };
  const copy: CopybookLayout = { source: 'x.cpy', hash: 'abc', records: [record('R', [x('S', 2)])] };
  assert.equal(getRecordCodec(layout, 'R', { codePage: cp037 }), getRecordCodec(copy, 'R', { codePage: cp037 }));
});

test('a segment id field selects which 01 record decodes the bytes', () => {
  const header = record('HEADER', [x('SEG', 1), x('NAME', 4)]);
  const detail = record('DETAIL', [x('SEG', 1), binary('AMOUNT', 9, { signed: true })]);
  const layout: CopybookLayout = { source: 'seg.cpy', hash: 'seg', records: [header, detail] };
  const seg = compileSegmentedCodec(layout, { segmentField: 'SEG', segments: { H: 'HEADER', D: 'DETAIL' } }, { codePage: cp037 });
  assert.deepEqual(seg.decode(bytes(ebcdic('H'), ebcdic('ACME'))), { record: 'HEADER', segmentId: 'H', value: { SEG: 'H', NAME: 'ACME' } });
  assert.deepEqual(seg.decode(bytes(ebcdic('D'), 'FFFFFFFE')), { record: 'DETAIL', segmentId: 'D', value: { SEG: 'D', AMOUNT: -2 } });
  assert.equal(seg.codecFor('D')?.layout, detail);
  assert.throws(() => seg.decode(bytes(ebcdic('X'), ebcdic('ACME')), 0, 5, 9), { code: 'BANYAN_ERR_DECODE_SEGMENT' });
});

test('invalid options are rejected when the codec is compiled', () => {
  const r = record('R', [x('S', 2)]);
  assert.throws(() => compileRecordCodec(r, { codePage: cp037, stringTrimming: 'sideways' as never }), { code: 'BANYAN_ERR_CODEC_OPTION' });
  assert.throws(() => compileRecordCodec(r, { codePage: undefined, resolveCodePage: () => { throw new Error('no such page'); } }), /no such page/);
  assert.throws(() => compileRecordCodec(r, { codePage: cp037, redefines: [{ redefines: 'S', selector: 'NOPE', when: {} }] }), { code: 'BANYAN_ERR_CODEC_FIELD' });
});

test('occursMappings turn a text DEPENDING ON value into an element count (Cobrix occurs_mappings)', () => {
  const r = record('R', [
    zoned('ID', 1),
    x('FIELD', 1),
    group('DETAIL1', [x('VAL1', 1)], { occurs: { min: 0, max: 2, dependingOn: 'FIELD' } }),
    group('DETAIL2', [x('VAL2', 1)], { occurs: { min: 0, max: 2, dependingOn: 'FIELD' } }),
  ]);
  const c = compileRecordCodec(r, { codePage: cp037, variableSizeOccurs: true, occursMappings: { DETAIL1: { A: 0, B: 1 }, DETAIL2: { A: 1, B: 2 } } });
  assert.deepEqual(c.decode(bytes('F1', ebcdic('AX'))), { ID: 1, FIELD: 'A', DETAIL1: [], DETAIL2: [{ VAL2: 'X' }] });
  assert.deepEqual(c.decode(bytes('F2', ebcdic('BYZW'))), { ID: 2, FIELD: 'B', DETAIL1: [{ VAL1: 'Y' }], DETAIL2: [{ VAL2: 'Z' }, { VAL2: 'W' }] });
  assert.throws(() => c.decode(bytes('F2', ebcdic('QYZW'))), { code: 'BANYAN_ERR_DECODE_ODO_BOUNDS' });
});

test('an error inside a table names the occurrence in its field path, in both error policies', () => {
  const r = record('R', [group('T', [x('K', 1), packed('V', 3, { signed: true })], { occurs: { max: 3 } })]);
  const data = bytes(ebcdic('A'), '001C', ebcdic('B'), '002C', ebcdic('C'), '00FF');
  assert.throws(() => compileRecordCodec(r, { codePage: cp037 }).decode(data), (e: unknown) => e instanceof DecodeError && e.fieldPath === 'R.T[2].V' && e.byteOffset === 7);
  const v = compileRecordCodec(r, { codePage: cp037, onError: 'null' }).decode(data);
  assert.deepEqual(v, { T: [{ K: 'A', V: 1 }, { K: 'B', V: 2 }, { K: 'C', V: null }] });
  assert.deepEqual(fieldErrors(v).map((e) => [e.fieldPath, e.byteOffset, e.code]), [['R.T[2].V', 7, 'BANYAN_ERR_DECODE_PACKED_NIBBLE']]);
});

test('PIC G / DISPLAY-1 fields decode and encode through a DBCS code page (cp300, or a mixed page name)', () => {
  const r = record('R', [graphic('G', 3)]);
  const c = compileRecordCodec(r, { codePage: cp037, dbcsCodePage: 'cp300' });
  const bytes = c.encode({ G: '日本' });
  assert.equal(bytes.length, 6);
  assert.equal(toHexString(bytes.subarray(4)), '4040');
  assert.equal(c.decode(bytes).G, '日本');
  assert.equal(compileRecordCodec(r, { codePage: cp037, dbcsCodePage: 'cp930' }).decode(bytes).G, '日本');
  // A mixed SO/SI code page lends its double-byte side to PIC G fields by default.
  assert.equal(compileRecordCodec(r, { codePage: getCodePage('cp930') }).decode(bytes).G, '日本');
  assert.throws(() => compileRecordCodec(r, { codePage: cp037 }), { code: 'BANYAN_ERR_CODEC_UNSUPPORTED' });
});

test('a decode range past the end of the array is a short record, never a read of missing bytes', () => {
  const c = compileRecordCodec(record('R', [x('A', 2), packed('P', 3)]), { codePage: cp037 });
  assert.throws(() => c.decode(ebcdic('AB'), 0, 5), { code: 'BANYAN_ERR_DECODE_SHORT_RECORD' });
});
