/**
 * Error codes of the Db2 CDC bridge. Db2 SQLCODEs and SQLSTATEs are mapped onto them in exactly one
 * place, ibm-db-errors.ts (the PostgreSQL stand-in's adapter maps its own); every driver message
 * keeps the SQLCODE, the SQLSTATE and the statement it came from. `retriable` tells the reader to
 * close the connection, open a new one and read again from its position (connection lost, database
 * away, lock conflict), or to stop and surface the problem (unknown table, no authority, no licence,
 * an unregistered table, a checkpoint older than what Capture kept).
 */
import { defineErrors } from '../../core/errors.ts';

export const CdcErrors = defineErrors({
  BANYAN_ERR_CDC_DRIVER_MISSING: {
    message:
      'the ibm_db driver could not be loaded (%s). Db2 CDC bridges with `driver: ibm_db` need the optional dependency ibm_db ' +
      'and IBM\'s CLI driver: set IBM_DB_HOME to an installed Db2 client (or IBM_DB_INSTALLER_URL to a local copy of the ' +
      'clidriver) and run `npm rebuild ibm_db`; Db2 for z/OS also needs a Db2 Connect licence. `driver: postgres` runs the ' +
      'same bridge against the PostgreSQL stand-in without it',
  },
  BANYAN_ERR_CDC_CONNECTION_LOST: { message: '%s failed: %s (connection to the database lost; a new connection is opened)', retriable: true },
  BANYAN_ERR_CDC_DATABASE_UNAVAILABLE: { message: '%s failed: %s (database not available now: stopped, quiescing, activating or taking over)', retriable: true },
  BANYAN_ERR_CDC_LOCK_CONFLICT: { message: '%s failed: %s (deadlock or lock timeout; the unit of work was rolled back and is read again)', retriable: true },
  BANYAN_ERR_CDC_RESOURCE_UNAVAILABLE: { message: '%s failed: %s (a resource is unavailable now, e.g. a table space being reorganised or a utility running)', retriable: true },
  BANYAN_ERR_CDC_OBJECT_UNKNOWN: { message: '%s failed: %s (no such table, view or schema: check capture_schema, the CD table names and that ASN capture was set up)' },
  BANYAN_ERR_CDC_COLUMN_UNKNOWN: { message: '%s failed: %s (a column the query names is not in the table: the CD table changed; re-register it or restart to re-read its columns)' },
  BANYAN_ERR_CDC_NOT_AUTHORIZED: { message: '%s failed: %s (the user lacks authority, or the user id or password was refused; grant SELECT on the ASN control and CD tables)' },
  BANYAN_ERR_CDC_LICENSE_MISSING: { message: '%s failed: %s (Db2 for z/OS and IBM i are reached through Db2 Connect, which needs its licence: db2connectactivate or a db2consv_*.lic in the client)' },
  BANYAN_ERR_CDC_SQL_FAILED: { message: '%s failed: %s' },
  BANYAN_ERR_CDC_CONNECTION_CLOSED: { message: 'the Db2 connection to %s is closed' },
  BANYAN_ERR_CDC_DECIMAL_INEXACT: {
    message:
      'column %s: the driver returned %s(%s,%s) as a binary floating-point number, which cannot hold its digits exactly; ' +
      'select the column as CHAR(%s) in the query (ibm_db reads DECIMAL through a double; 15 digits are exact)',
  },
  BANYAN_ERR_CDC_VALUE_UNEXPECTED: { message: 'column %s (%s): the driver returned %s, which the ibm_db adapter does not expect (%s)' },
  BANYAN_ERR_CDC_VALUE_INVALID: { message: 'table %s column %s (%s): %s' },
  BANYAN_ERR_CDC_LOB_TOO_LARGE: {
    message: 'table %s column %s (%s): the value is %s bytes, over the limit of %s bytes (raise lob_max_bytes, or leave the column out of capture); the row goes to the dead-letter topic',
  },
  BANYAN_ERR_CDC_COPYBOOK_DECODE_FAILED: { message: 'table %s column %s: copybook mapping %s: %s' },
  BANYAN_ERR_CDC_EVENT_INVALID: { message: 'topic %s partition %s offset %s: %s' },
  BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT: { message: 'transaction %s: %s' },
  BANYAN_ERR_CDC_TRANSACTION_TOPIC_PARTITIONED: {
    message: 'transaction topic %s has %s partitions: BEGIN/END records are in commit order only within one partition, so it must have exactly 1',
  },
  BANYAN_ERR_CDC_TRANSACTION_TOO_LARGE: {
    message: 'transaction %s holds more than %s buffered change events (max_buffered_events); raise it or read the per-table topics without transaction assembly',
  },
  // The reader's own (./cdc-reader.ts, ./cdc-source.ts, ./cdc-position.ts).
  BANYAN_ERR_CDC_NOT_REGISTERED: {
    message: 'table %s has no row in %s.IBMSNAP_REGISTER (it is not captured: ask the DBA to register it, e.g. CALL ASNCDC.ADDTABLE(\'%s\', \'%s\') with Debezium\'s ASN setup, and reinit Capture)',
  },
  BANYAN_ERR_CDC_CONTROL_TABLE_MISSING: { message: 'capture control table %s.%s not found (capture_schema names the schema holding IBMSNAP_REGISTER and IBMSNAP_UOW)' },
  BANYAN_ERR_CDC_CD_TABLE_MISSING: { message: 'change table %s.%s of %s, named by IBMSNAP_REGISTER, does not exist' },
  BANYAN_ERR_CDC_CD_COLUMN_MISSING: { message: 'change table %s.%s has no column %s (ASN Capture CD tables carry IBMSNAP_COMMITSEQ, IBMSNAP_INTENTSEQ and IBMSNAP_OPERATION)' },
  BANYAN_ERR_CDC_KEY_COLUMN_UNKNOWN: { message: 'key column %s of %s is not a captured column of %s.%s (captured: %s)' },
  BANYAN_ERR_CDC_RETENTION_LOST: {
    message:
      'the checkpoint of bridge %s is at commit_lsn %s, older than the oldest change left in %s (%s): Capture pruned changes the bridge has not read. ' +
      'Remedy: raise Capture\'s RETENTION_LIMIT (or prune only what this bridge read), then re-snapshot: delete the bridge\'s checkpoint ' +
      '(the checkpoints topic, key = bridge name) and start it again',
  },
  BANYAN_ERR_CDC_POSITION_INVALID: { message: 'the checkpoint of bridge %s is not a CDC position {commit_lsn, change_lsn, event_serial_no}: %s' },
  BANYAN_ERR_CDC_SNAPSHOT_SOURCE_MISSING: { message: 'snapshot of %s: the source table is not visible to the bridge\'s user (grant SELECT on it, or start with snapshot: change_data / no_data)' },
  BANYAN_ERR_CDC_SNAPSHOT_NO_KEY: { message: 'snapshot of %s: the table has no primary key and no keys: entry, so it cannot be read in key-ordered chunks (configure keys for it)' },
  // Incremental snapshots (`banyan cdc snapshot`): why a request was not executed, in its ABORTED notification (error_code, reason).
  BANYAN_ERR_CDC_SIGNAL_INVALID: { message: 'signal %s: %s (not executed; an ABORTED notification says so)' },
  BANYAN_ERR_CDC_INCREMENTAL_TABLE_NOT_CAPTURED: { message: '%s is not captured by bridge %s (captured: %s)' },
  BANYAN_ERR_CDC_INCREMENTAL_SOURCE_MISSING: { message: 'incremental snapshot of %s: the source table is not visible to the bridge\'s user (grant SELECT on it)' },
  BANYAN_ERR_CDC_INCREMENTAL_NO_KEY: { message: 'incremental snapshot of %s: the table has no primary key and no keys: entry, so it cannot be read in key-ordered chunks' },
  BANYAN_ERR_CDC_ROW_UNREADABLE: { message: '%s row at commit_lsn %s change_lsn %s: %s (sent to the dead-letter topic; the stream goes on)' },
});

export type CdcErrorCode = keyof typeof CdcErrors;
