import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDb2Failure, db2FailureOf, isConnectionGone, toCdcError } from '../../../../src/connectors/db2-cdc/ibm-db-errors.ts';

/** What ibm_db's GetSQLError builds: an Error with the CLI diagnostic, sqlcode and sqlstate. */
function db2Error(sqlcode: number, sqlstate: string, text: string): Error {
  return Object.assign(new Error(`[IBM][CLI Driver][DB2/LINUXX8664] ${text} SQLSTATE=${sqlstate}`), { sqlcode, sqlstate, error: '[ibm_db] SQL_ERROR' });
}

describe('Db2 failures onto CDC codes', () => {
  const cases: ReadonlyArray<readonly [string, Error | object, string, boolean]> = [
    ['SQL30081N communication error', db2Error(-30081, '08001', 'SQL30081N  A communication error has been detected.'), 'BANYAN_ERR_CDC_CONNECTION_LOST', true],
    ['SQL1224N agent ended', db2Error(-1224, '55032', 'SQL1224N  The database manager is not able to accept new requests.'), 'BANYAN_ERR_CDC_CONNECTION_LOST', true],
    ['SQL30108N client reroute', db2Error(-30108, '08506', 'SQL30108N  A connection failed but has been re-established.'), 'BANYAN_ERR_CDC_CONNECTION_LOST', true],
    ['-911 deadlock', db2Error(-911, '40001', 'SQL0911N  The current transaction has been rolled back because of a deadlock or timeout.  Reason code "2".'), 'BANYAN_ERR_CDC_LOCK_CONFLICT', true],
    ['-913 timeout', db2Error(-913, '57033', 'SQL0913N  Unsuccessful execution caused by deadlock or timeout.'), 'BANYAN_ERR_CDC_LOCK_CONFLICT', true],
    ['-904 resource unavailable', db2Error(-904, '57011', 'SQL0904N  Unsuccessful execution caused by an unavailable resource.'), 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE', true],
    ['SQL1035N database in use', db2Error(-1035, '57019', 'SQL1035N  The operation failed because the specified database cannot be connected to in the mode requested.'), 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE', true],
    ['-204 undefined name', db2Error(-204, '42704', 'SQL0204N  "ASNCDC.CDC_APP_ORDERS" is an undefined name.'), 'BANYAN_ERR_CDC_OBJECT_UNKNOWN', false],
    ['-206 unknown column', db2Error(-206, '42703', 'SQL0206N  "SHIP_DATE" is not valid in the context where it is used.'), 'BANYAN_ERR_CDC_COLUMN_UNKNOWN', false],
    ['-551 no authority', db2Error(-551, '42501', 'SQL0551N  The statement failed because the authorization ID does not have the required authorization.'), 'BANYAN_ERR_CDC_NOT_AUTHORIZED', false],
    ['SQL30082N bad password (class 08, still not retriable)', db2Error(-30082, '08001', 'SQL30082N  Security processing failed with reason "24" ("USERNAME AND/OR PASSWORD INVALID").'), 'BANYAN_ERR_CDC_NOT_AUTHORIZED', false],
    ['SQL1598N no Db2 Connect licence', db2Error(-1598, '42968', 'SQL1598N  An attempt to connect to the database server failed because of a licensing problem.'), 'BANYAN_ERR_CDC_LICENSE_MISSING', false],
    ['lib/odbc.js closed-connection object', { message: 'Connection not open.', sqlstate: '08001', sqlcode: -30081 }, 'BANYAN_ERR_CDC_CONNECTION_LOST', true],
    ['CLI0106E closed connection, by SQLSTATE class 08', db2Error(-99999, '08003', 'CLI0106E  Connection is closed.'), 'BANYAN_ERR_CDC_CONNECTION_LOST', true],
    ['unlisted SQLCODE in class 57', db2Error(-1477, '57007', 'SQL1477N  For table "X" an object "1" cannot be accessed.'), 'BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE', true],
    ['syntax error', db2Error(-104, '42601', 'SQL0104N  An unexpected token "FROM" was found.'), 'BANYAN_ERR_CDC_SQL_FAILED', false],
  ];
  for (const [name, err, code, retriable] of cases) {
    it(`${name} -> ${code}, retriable ${retriable}`, () => {
      const mapped = toCdcError(err, 'query on SAMPLE at db2:50000');
      assert.equal(mapped.code, code);
      assert.equal(mapped.retriable, retriable);
      assert.ok(mapped.message.startsWith('query on SAMPLE at db2:50000 failed: SQLCODE '), mapped.message);
      assert.equal(isConnectionGone(mapped), code === 'BANYAN_ERR_CDC_CONNECTION_LOST' || code === 'BANYAN_ERR_CDC_DATABASE_UNAVAILABLE');
    });
  }

  it('reads the SQLCODE and SQLSTATE from the message when the native fields are missing', () => {
    const failure = db2FailureOf(new Error('[IBM][CLI Driver] SQL0911N  The current transaction has been rolled back. SQLSTATE=40001'));
    assert.deepEqual([failure.sqlcode, failure.sqlstate], [-911, '40001']);
    assert.equal(classifyDb2Failure(failure), 'BANYAN_ERR_CDC_LOCK_CONFLICT');
  });

  it('keeps the SQLCODE, the SQLSTATE and the diagnostic in the message, and the driver error as cause', () => {
    const err = db2Error(-204, '42704', 'SQL0204N  "ASNCDC.IBMSNAP_REGISTER" is an undefined name.');
    const mapped = toCdcError(err, 'prepare');
    assert.ok(mapped.message.includes('SQLCODE -204 SQLSTATE 42704: [IBM][CLI Driver]'), mapped.message);
    assert.ok(mapped.message.includes('ASNCDC.IBMSNAP_REGISTER'), mapped.message);
    assert.equal(mapped.cause, err);
  });
});
