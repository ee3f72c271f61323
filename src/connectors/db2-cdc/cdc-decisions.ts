/**
 * The CDC bridge's record decoder: the source already made each record's event (./change-stream.ts),
 * so deciding is routing: its topic and entity key, or the dead-letter rejection it carries.
 */
import type { RecordDecision, RecordDecoder } from '../../core/bridge-pipeline.ts';
import type { SourceRecord } from '../../core/bridge-contracts.ts';
import type { CdcSourceRecord } from './cdc-source.ts';

export function cdcRecordDecoder(): RecordDecoder {
  return (record: SourceRecord): RecordDecision => {
    const out = (record as Partial<CdcSourceRecord>).cdc;
    if (out === undefined) return { kind: 'rejected', rejection: { code: 'BANYAN_ERR_CDC_ROW_UNREADABLE', reason: `record ${record.positionId} did not come from the CDC reader` } };
    if (out.rejection) return { kind: 'rejected', rejection: out.rejection };
    return { kind: 'event', topic: out.topic, key: out.key, value: out.value };
  };
}
