/**
 * What a queue bridge makes of one got message: a poison message (past its backout threshold,
 * already moved by the source) becomes a dead letter carrying its bytes and why; a copybook payload
 * is decoded by the mapping; text and bytes pass through. The Kafka key is the mapping's entity
 * field or, as configured, the CorrelId, GroupId, MsgId or a message property (IBM's connector:
 * `mq.record.builder.key.header`).
 */
import type { RecordDecision, RecordDecoder } from '../../core/bridge-pipeline.ts';
import { QUEUE_HEADERS } from '../../core/queue-headers.ts';
import type { SourceRecord } from '../../core/bridge-contracts.ts';
import { DELIVERED_METADATA, POISON_METADATA } from './queue-source.ts';
import type { QueueKey, QueueRoute } from './queue-options.ts';

export const POISON_CODE = 'BANYAN_ERR_MQ_POISON_MESSAGE';

export interface QueueDecoderOptions {
  readonly payload: 'copybook' | 'text' | 'bytes';
  readonly key: QueueKey;
  /** The mapping's decoder (copybook payloads). */
  readonly decodeRecord: RecordDecoder;
  /** Where text and bytes payloads go. */
  readonly topic: string;
  /** Header rules that pick a message's topic before the mapping does. */
  readonly routes?: readonly QueueRoute[];
}

export function queueRecordDecoder(o: QueueDecoderOptions): RecordDecoder {
  const decide = decodeWithoutRoutes(o);
  if (!o.routes || o.routes.length === 0) return decide;
  const routes = o.routes;
  return (record) => {
    const decided = decide(record);
    if (decided.kind !== 'event') return decided;
    const route = routes.find((r) => headerText(record, r.header) === r.equals);
    return route ? { ...decided, topic: route.topic } : decided;
  };
}

function headerText(record: SourceRecord, name: string): string | undefined {
  const v = record.metadata[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
}

function decodeWithoutRoutes(o: QueueDecoderOptions): RecordDecoder {
  return (record): RecordDecision => {
    // Already in Kafka (a crash came between the Kafka commit and MQCMIT): committed, not published again.
    if (record.metadata[DELIVERED_METADATA] !== undefined) return { kind: 'skipped' };
    const poison = record.metadata[POISON_METADATA];
    if (poison !== undefined) {
      return { kind: 'rejected', rejection: { code: POISON_CODE, reason: String(poison), rule: 'a message backed out BOTHRESH times is moved off its queue' } };
    }
    if (o.payload === 'copybook') {
      const decided = o.decodeRecord(record);
      if (decided.kind !== 'event' || o.key === 'field') return decided;
      return { ...decided, key: keyOf(record, o.key) };
    }
    const value = o.payload === 'text' ? Buffer.from(record.bytes).toString('utf8') : Uint8Array.from(record.bytes);
    return { kind: 'event', topic: o.topic, key: o.key === 'field' ? null : keyOf(record, o.key), value };
  };
}

function keyOf(record: SourceRecord, key: Exclude<QueueKey, 'field'>): string | null {
  const m = record.metadata;
  const text = (name: string) => {
    const v = m[name];
    return v === undefined ? null : typeof v === 'string' ? v : Buffer.from(v).toString('hex').toUpperCase();
  };
  if (key === 'correl_id') return text(QUEUE_HEADERS.correlId);
  if (key === 'group_id') return text(QUEUE_HEADERS.groupId);
  if (key === 'msg_id') return text(QUEUE_HEADERS.msgId);
  return text(`${QUEUE_HEADERS.propertyPrefix}${key.property}`);
}
