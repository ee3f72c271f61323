import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IbmDbColumnMetadata, IbmDbValue } from '../../../../src/connectors/db2-cdc/ibm-db-api.ts';
import { dateText, timestampText, timeText } from '../../../../src/connectors/db2-cdc/db2-datetime.ts';
import { blockFetchRows, normaliseIbmDbValue, sqlColumnOf } from '../../../../src/connectors/db2-cdc/ibm-db-values.ts';

function meta(typeName: string, code: number, precision = 0, scale = 0, length = precision): IbmDbColumnMetadata {
  return { index: 1, SQL_DESC_NAME: 'C', SQL_DESC_TYPE_NAME: typeName, SQL_DESC_CONSIZE_TYPE: code, SQL_DESC_DISPLAY_SIZE: length, SQL_DESC_PRECISION: precision, SQL_DESC_SCALE: scale, SQL_DESC_LENGTH: length };
}

describe('ibm_db values -> port values', () => {
  const cases: ReadonlyArray<readonly [string, IbmDbColumnMetadata, IbmDbValue, unknown]> = [
    ['NULL', meta('INTEGER', 4, 10), null, null],
    ['SMALLINT number', meta('SMALLINT', 5, 5), -7, -7],
    ['DOUBLE number', meta('DOUBLE', 8, 53), 1.5e300, 1.5e300],
    ['DECIMAL(11,2) double back to its digits', meta('DECIMAL', 3, 11, 2), 120.5, '120.50'],
    ['DECIMAL(15,5) at the exact limit', meta('DECIMAL', 3, 15, 5), 1234567890.12345, '1234567890.12345'],
    ['DECIMAL(9,0) negative', meta('DECIMAL', 3, 9, 0), -42, '-42'],
    ['DECIMAL as text (selected as CHAR) trimmed', meta('DECIMAL', 3, 31, 2), ' 12345678901234567890.12 ', '12345678901234567890.12'],
    ['BIGINT text kept exact', meta('BIGINT', -5, 19), '-9223372036854775808', '-9223372036854775808'],
    ['DECFLOAT text (MapDecimalFloatDescribe=1)', meta('DECFLOAT', 12, 34), '1.000000000000000000000000000000001', '1.000000000000000000000000000000001'],
    ['TIMESTAMP(6) Db2 text', meta('TIMESTAMP', 1, 26, 6), '2026-12-02-17.01.02.123456', '2026-12-02 17:01:02.123456'],
    ['TIMESTAMP(12) keeps all 12 digits', meta('TIMESTAMP', 1, 32, 12), '2026-12-02-17.01.02.123456789012', '2026-12-02 17:01:02.123456789012'],
    ['TIMESTAMP(0) Db2 text', meta('TIMESTAMP', 1, 19, 0), '2026-12-02-17.01.02', '2026-12-02 17:01:02'],
    ['TIMESTAMP ODBC text', meta('TIMESTAMP', 1, 26, 6), '2026-12-02 17:01:02.000001', '2026-12-02 17:01:02.000001'],
    ['DATE USA', meta('DATE', 1, 10), '12/02/2026', '2026-12-02'],
    ['DATE EUR', meta('DATE', 1, 10), '02.12.2026', '2026-12-02'],
    ['TIME ISO', meta('TIME', 1, 8), '17.01.02', '17:01:02'],
    ['CHAR padding kept', meta('CHAR', 1, 5), 'AB   ', 'AB   '],
    ['GRAPHIC text', meta('GRAPHIC', -95, 4), '日本語 ', '日本語 '],
    ['VARCHAR FOR BIT DATA Buffer', meta('VARCHAR () FOR BIT DATA', -3, 16), Buffer.from('00ff', 'hex'), Buffer.from('00ff', 'hex')],
    ['BOOLEAN', meta('BOOLEAN', 16, 1), true, 'true'],
  ];
  for (const [name, m, raw, expected] of cases) {
    it(name, () => assert.deepEqual(normaliseIbmDbValue(m, sqlColumnOf(m), raw), expected));
  }

  const refused: ReadonlyArray<readonly [string, IbmDbColumnMetadata, IbmDbValue, string]> = [
    ['DECIMAL(31,2) through a double', meta('DECIMAL', 3, 31, 2), 1.2345678901234567e19, 'BANYAN_ERR_CDC_DECIMAL_INEXACT'],
    ['DECFLOAT through a double', meta('DECFLOAT', -360, 34), 1.5, 'BANYAN_ERR_CDC_DECIMAL_INEXACT'],
    ['BIGINT beyond 2^53 as a number', meta('BIGINT', -5, 19), 2 ** 60, 'BANYAN_ERR_CDC_DECIMAL_INEXACT'],
    ['TIMESTAMP as a millisecond Date', meta('TIMESTAMP', 93, 26, 6), new Date(0), 'BANYAN_ERR_CDC_VALUE_UNEXPECTED'],
    ['TIMESTAMP text that is not one', meta('TIMESTAMP', 1, 26, 6), 'yesterday', 'BANYAN_ERR_CDC_VALUE_UNEXPECTED'],
    ['a number for VARCHAR', meta('VARCHAR', 12, 10), 5, 'BANYAN_ERR_CDC_VALUE_UNEXPECTED'],
  ];
  for (const [name, m, raw, code] of refused) {
    it(`refuses ${name}`, () => assert.throws(() => normaliseIbmDbValue(m, sqlColumnOf(m), raw), { code }));
  }

  it('describes bit-data columns as CHAR/VARCHAR with forBitData, and others by their Db2 type name', () => {
    assert.deepEqual(sqlColumnOf({ ...meta('CHAR () FOR BIT DATA', -2, 10), SQL_DESC_NAME: 'IBMSNAP_COMMITSEQ' }), { name: 'IBMSNAP_COMMITSEQ', type: 'CHAR', forBitData: true });
    assert.deepEqual(sqlColumnOf(meta('VARBINARY', -3, 16)), { name: 'C', type: 'VARBINARY' });
    assert.deepEqual(sqlColumnOf(meta('', 93, 26, 6)), { name: 'C', type: 'TIMESTAMP' });
  });

  it('block-fetches only results without LOBs or columns over 64 KB', () => {
    assert.equal(blockFetchRows([meta('INTEGER', 4, 10), meta('VARCHAR', 12, 200)], 500), 500);
    assert.equal(blockFetchRows([meta('INTEGER', 4, 10), meta('BLOB', -98, 0, 0, 1_048_576)], 500), 1);
    assert.equal(blockFetchRows([meta('XML', -370, 0)], 500), 1);
  });

  it('rewrites the Db2 datetime string formats', () => {
    assert.equal(timestampText('2026-01-31-23.59.59.999999'), '2026-01-31 23:59:59.999999');
    assert.equal(timestampText('2026-01-31T23:59:59'), '2026-01-31 23:59:59');
    assert.equal(timestampText('2026-01-31 23:59'), null);
    assert.equal(timeText('23:59:59'), '23:59:59');
    assert.equal(dateText('2026-1-31'), null);
  });
});
