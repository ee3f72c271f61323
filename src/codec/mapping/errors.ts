/** Error codes of record mappings and of the codec facade built on them. */
import { defineErrors } from '../../core/errors.ts';

export const MappingErrors = defineErrors({
  /** A segment-id value that no `segments.cases` entry lists, with `otherwise: dlq`. */
  BANYAN_ERR_MAPPING_UNKNOWN_SEGMENT: { message: 'segment id "%s" in field %s matches no case of the mapping' },
  /** The copybook has several 01 records and neither the mapping nor the options name one. */
  BANYAN_ERR_MAPPING_RECORD_AMBIGUOUS: { message: 'copybook %s has several records (%s); name one with `record:` or --record' },
  BANYAN_ERR_MAPPING_RECORD_UNKNOWN: { message: 'record %s is not in copybook %s (records: %s)' },
  /** A line given to `banyan encode` is not a JSON record object. */
  BANYAN_ERR_MAPPING_BAD_VALUE: { message: 'not a JSON record: %s' },
});
