/**
 * Error codes of the Db2 CDC bridge: the SQL port (driver errors mapped onto these in each driver
 * adapter, e.g. pg-driver.ts) and the reader. `retriable` tells the pipeline whether to reconnect and
 * resume from the last checkpoint (connection lost, database unavailable, deadlock) or to stop the
 * bridge and surface the problem (unknown table, retention lost, bad registration).
 */
import { defineErrors } from '../../core/errors.ts';

export const CdcErrors = defineErrors({
  BANYAN_ERR_CDC_CONNECTION_LOST: { message: '%s failed: %s (connection to the database lost, refused or not available now; the bridge reconnects and resumes from its checkpoint)', retriable: true },
  BANYAN_ERR_CDC_TRANSIENT: { message: '%s failed: SQLSTATE %s %s (deadlock, lock timeout or serialization failure; retried from the checkpoint)', retriable: true },
  BANYAN_ERR_CDC_SQL_FAILED: { message: '%s failed: SQLSTATE %s %s' },
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
      '(banyan.checkpoints, key = bridge name) and start it with snapshot: initial, or set on_retention_lost: resnapshot',
  },
  BANYAN_ERR_CDC_POSITION_INVALID: { message: 'the checkpoint of bridge %s is not a CDC position {commit_lsn, change_lsn, event_serial_no}: %s' },
  BANYAN_ERR_CDC_ROW_UNREADABLE: { message: '%s row at commit_lsn %s change_lsn %s: %s (sent to the dead-letter topic; the stream goes on)' },
  BANYAN_ERR_CDC_DRIVER_NOT_RUNNABLE: { message: 'db2_cdc driver %s cannot run in this build: %s' },
});
