import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openRecordCodec } from '../../../../src/codec/index.ts';
import { openBitDataCodecs } from '../../../../src/connectors/db2-cdc/bit-data-codecs.ts';
import { columnValue, createRowMapper, decfloatText, decimalText, type CapturedColumn, type ColumnMapperOptions } from '../../../../src/connectors/db2-cdc/column-values.ts';
import type { SqlValue } from '../../../../src/connectors/db2-cdc/sql-port.ts';
import { BanyanError } from '../../../../src/core/errors.ts';

const options: ColumnMapperOptions = { table: 'APP.CUSTOMER', lobMaxBytes: 16 };
const col = (type: string, extra: Partial<CapturedColumn> = {}): CapturedColumn => ({ name: 'C', type, ...extra });

describe('CD column values -> change-event JSON values', () => {
  const cases: ReadonlyArray<readonly [string, CapturedColumn, SqlValue, unknown]> = [
    ['NULL of any type', col('DECIMAL', { length: 5, scale: 2 }), null, null],
    ['SMALLINT', col('SMALLINT'), -32768, -32768],
    ['INTEGER from text (stand-in)', col('INTEGER'), '2147483647', 2147483647],
    ['BIGINT past 2^53 stays exact', col('BIGINT'), '9223372036854775807', '9223372036854775807'],
    ['BIGINT leading zeros and sign', col('BIGINT'), '-0042', '-42'],
    ['BIGINT -0', col('BIGINT'), '-0', '0'],
    ['DECIMAL(5,2) keeps its scale', col('DECIMAL', { length: 5, scale: 2 }), '12.5', '12.50'],
    ['DECIMAL from Db2 CHAR() with leading zeros and blank', col('DECIMAL', { length: 9, scale: 2 }), ' 0000012.50', '12.50'],
    ['DECIMAL(31,10) wide, exact', col('DECIMAL', { length: 31, scale: 10 }), '-123456789012345678901.0000000001', '-123456789012345678901.0000000001'],
    ['DECIMAL negative zero', col('DECIMAL', { length: 5, scale: 2 }), '-0.00', '0.00'],
    ['DECIMAL(9,0)', col('DECIMAL', { length: 9, scale: 0 }), '-000120', '-120'],
    ['DECIMAL with decimal comma', col('DECIMAL', { length: 5, scale: 2 }), '12,34', '12.34'],
    ['DECFLOAT exponent to plain', col('DECFLOAT'), '1.5E+3', '1500'],
    ['DECFLOAT small exponent keeps coefficient digits', col('DECFLOAT'), '1.50E-7', '0.000000150'],
    ['DECFLOAT(34) 34 digits', col('DECFLOAT'), '1.000000000000000000000000000000001', '1.000000000000000000000000000000001'],
    ['DECFLOAT infinity', col('DECFLOAT'), '-Infinity', '-Infinity'],
    ['DECFLOAT sNaN', col('DECFLOAT'), 'sNaN', 'NaN'],
    ['REAL', col('REAL'), 1.5, 1.5],
    ['DOUBLE from text', col('DOUBLE'), '-2.5E-10', -2.5e-10],
    ['DATE', col('DATE'), '2026-12-02', '2026-12-02'],
    ['TIME Db2 form', col('TIME'), '17.01.02', '17:01:02'],
    ['TIMESTAMP(6) port form', col('TIMESTAMP', { scale: 6 }), '2026-12-02 17:01:02.123456', '2026-12-02T17:01:02.123456'],
    ['TIMESTAMP(6) with trailing zeros trimmed by the stand-in', col('TIMESTAMP', { scale: 6 }), '2026-12-02 17:01:02.1', '2026-12-02T17:01:02.100000'],
    ['TIMESTAMP(12) all digits', col('TIMESTAMP', { scale: 12 }), '2026-12-02-17.01.02.123456789012', '2026-12-02T17:01:02.123456789012'],
    ['TIMESTAMP(0)', col('TIMESTAMP', { scale: 0 }), '2026-12-02 17:01:02', '2026-12-02T17:01:02'],
    ['TIMESTAMP of unknown precision keeps what it has', col('TIMESTAMP'), '2026-12-02 17:01:02.123', '2026-12-02T17:01:02.123'],
    ['CHAR padding kept', col('CHAR', { length: 5 }), 'AB   ', 'AB   '],
    ['GRAPHIC text', col('GRAPHIC', { length: 3 }), '日本語', '日本語'],
    ['VARGRAPHIC text', col('VARGRAPHIC', { length: 30 }), 'Ｆｕｌｌ', 'Ｆｕｌｌ'],
    ['CHAR FOR BIT DATA as base64', col('CHAR', { forBitData: true, length: 4 }), Buffer.from('00ff10ee', 'hex'), 'AP8Q7g=='],
    ['VARBINARY as base64', col('VARBINARY', { length: 16 }), Buffer.from('0102', 'hex'), 'AQI='],
    ['CLOB under the limit', col('CLOB'), 'sixteen bytes!!!', 'sixteen bytes!!!'],
    ['BLOB under the limit', col('BLOB'), Buffer.alloc(16, 1), Buffer.alloc(16, 1).toString('base64')],
    ['XML', col('XML'), '<a>1</a>', '<a>1</a>'],
    ['BOOLEAN', col('BOOLEAN'), 'true', true],
    ['BOOLEAN stand-in form', col('BOOLEAN'), 'f', false],
  ];
  for (const [name, column, value, expected] of cases) {
    it(name, () => assert.deepEqual(columnValue(column, value, options), expected));
  }

  const refused: ReadonlyArray<readonly [string, CapturedColumn, SqlValue, string, string]> = [
    ['CLOB over the limit', col('CLOB'), 'x'.repeat(17), 'BANYAN_ERR_CDC_LOB_TOO_LARGE', 'table APP.CUSTOMER column C (CLOB): the value is 17 bytes, over the limit of 16 bytes'],
    ['DBCLOB over the limit in UTF-8 bytes', col('DBCLOB'), '日本語日本語', 'BANYAN_ERR_CDC_LOB_TOO_LARGE', 'the value is 18 bytes'],
    ['BLOB over the limit', col('BLOB'), Buffer.alloc(17), 'BANYAN_ERR_CDC_LOB_TOO_LARGE', 'column C (BLOB): the value is 17 bytes'],
    ['DECIMAL as a binary number', col('DECIMAL', { scale: 2 }), 1.5, 'BANYAN_ERR_CDC_VALUE_INVALID', 'DECIMAL came as a binary number'],
    ['DECIMAL fraction longer than its scale', col('DECIMAL', { length: 5, scale: 2 }), '1.234', 'BANYAN_ERR_CDC_VALUE_INVALID', "expected decimal digits, got '1.234'"],
    ['DECIMAL garbage', col('DECIMAL', { scale: 2 }), '1e5x', 'BANYAN_ERR_CDC_VALUE_INVALID', 'expected decimal digits'],
    ['BIGINT as an inexact number', col('BIGINT'), 2 ** 60, 'BANYAN_ERR_CDC_VALUE_INVALID', 'inexact'],
    ['TIMESTAMP(3) with more digits than declared', col('TIMESTAMP', { scale: 3 }), '2026-12-02 17:01:02.1234', 'BANYAN_ERR_CDC_VALUE_INVALID', 'at most 3 fractional digits'],
    ['DATE that is not one', col('DATE'), '2026/12/02', 'BANYAN_ERR_CDC_VALUE_INVALID', 'expected a date'],
    ['bytes for INTEGER', col('INTEGER'), Buffer.from('01', 'hex'), 'BANYAN_ERR_CDC_VALUE_INVALID', 'expected an integer, got 1 bytes'],
    ['text for FOR BIT DATA', col('VARCHAR', { forBitData: true }), 'abc', 'BANYAN_ERR_CDC_VALUE_INVALID', 'expected bytes'],
  ];
  for (const [name, column, value, code, text] of refused) {
    it(`refuses ${name}`, () =>
      assert.throws(() => columnValue(column, value, options), (err: BanyanError) => err.code === code && err.message.includes(text) && err.message.includes('APP.CUSTOMER'), name));
  }

  describe('a bit-data column with a copybook mapping', () => {
    const codec = openRecordCodec({ copybook: new URL('../../../fixtures/db2-cdc/ADDRESS.cpy', import.meta.url).pathname });
    const mapped: ColumnMapperOptions = { ...options, bitDataCodecs: new Map([['ADDR_BLOB', { name: 'ADDRESS.cpy', decode: codec.decode }]]) };
    const addr: CapturedColumn = { name: 'ADDR_BLOB', type: 'CHAR', forBitData: true, length: 19 };

    it('decodes the EBCDIC record into its fields, packed decimals as exact strings', () => {
      const raw = Buffer.from('D4C1C9D540E2E3404040F1F2F3F4F50012345C', 'hex');
      assert.deepEqual(columnValue(addr, raw, mapped), { 'ADDR-STREET': 'MAIN ST', 'ADDR-ZIP': 12345, 'ADDR-BALANCE': '123.45' });
    });

    it('refuses a record the codec rejects, with the field, offset and rule', () => {
      const raw = Buffer.from('D4C1C9D540E2E3404040F1F2F3F4F500123F5C', 'hex');
      assert.throws(
        () => columnValue(addr, raw, mapped),
        (err: BanyanError) =>
          err.code === 'BANYAN_ERR_CDC_COPYBOOK_DECODE_FAILED' &&
          err.message.includes('table APP.CUSTOMER column ADDR_BLOB: copybook mapping ADDRESS.cpy: BANYAN_ERR_DECODE_PACKED_NIBBLE') &&
          err.message.includes('ADDR-BALANCE at byte 15'),
      );
    });
  });

  it('maps whole rows by the CD table columns, in result order', () => {
    const columns: CapturedColumn[] = [
      { name: 'ID', type: 'BIGINT' },
      { name: 'NAME', type: 'VARCHAR', length: 30 },
      { name: 'BALANCE', type: 'DECIMAL', length: 11, scale: 2 },
      { name: 'UPDATED', type: 'TIMESTAMP', scale: 6 },
    ];
    const map = createRowMapper(columns, options);
    assert.deepEqual(map(['7', 'Ada', '10', '2026-12-02 17:01:02.5']), { ID: '7', NAME: 'Ada', BALANCE: '10.00', UPDATED: '2026-12-02T17:01:02.500000' });
    assert.deepEqual(map(['8', null, null, null]), { ID: '8', NAME: null, BALANCE: null, UPDATED: null });
  });

  it('writes decimal text in plain notation without losing or inventing digits', () => {
    assert.equal(decimalText('.5'), '0.5');
    assert.equal(decimalText('5.'), '5');
    assert.equal(decimalText('+007.10', 2), '7.10');
    assert.equal(decimalText('1.2300', 2), '1.23');
    assert.equal(decimalText('.'), null);
    assert.equal(decfloatText('-0E+2'), '0');
    assert.equal(decfloatText('123E-5'), '0.00123');
    assert.equal(decfloatText('12.5E+1'), '125');
  });
});

describe('bit-data codecs opened from a bridge\'s per-column mappings', () => {
  it('opens the copybook of each column of the table and decodes through it', () => {
    const root = new URL('../../../fixtures/db2-cdc/', import.meta.url).pathname;
    const codecs = openBitDataCodecs('APP.CUSTOMER', { 'APP.CUSTOMER.ADDR_BLOB': 'ADDRESS.cpy', 'APP.OTHER.X': 'ADDRESS.cpy' }, root);
    assert.deepEqual([...codecs.keys()], ['ADDR_BLOB']);
    const value = columnValue({ name: 'ADDR_BLOB', type: 'CHAR', forBitData: true, length: 19 }, Buffer.from('D4C1C9D540E2E3404040F1F2F3F4F50012345C', 'hex'), { ...options, bitDataCodecs: codecs });
    assert.deepEqual(value, { 'ADDR-STREET': 'MAIN ST', 'ADDR-ZIP': 12345, 'ADDR-BALANCE': '123.45' });
  });

  it('fails at start for a copybook that is not there, with the codec\'s code', () => {
    assert.throws(() => openBitDataCodecs('APP.CUSTOMER', { 'APP.CUSTOMER.ADDR_BLOB': 'NOPE.cpy' }, '/nonexistent'), { code: 'BANYAN_ERR_COPYBOOK_UNREADABLE' });
  });
});
