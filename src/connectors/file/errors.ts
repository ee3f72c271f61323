/**
 * Error codes of the file connector's sink (file-sink.ts). A failed write is retriable: the
 * pipeline writes the same batch again, and the sink's recorded state tells whether the first
 * attempt got its files into place, so a retry never writes a record twice.
 */
import { defineErrors } from '../../core/errors.ts';

export const FileErrors = defineErrors({
  BANYAN_ERR_FILE_SINK_WRITE_FAILED: { message: 'writing %s in %s failed: %s', retriable: true },
  BANYAN_ERR_FILE_SINK_STATE_INVALID: {
    message: 'file sink state %s is not valid (%s); restore it from a backup or remove it (the Kafka group offsets then decide where reading resumes)',
  },
  BANYAN_ERR_FILE_SINK_ENVELOPE: { message: 'file sink %s: %s' },
  BANYAN_ERR_FILE_SINK_RECORD_INVALID: { message: 'file sink got a record for %s whose value is not record bytes (%s)' },
});
