/**
 * A DeliveryTarget over a bridge's Sink and its record decoder: how the Kafka -> queue bridges
 * (IBM MQ, AMQP) use the retry processor. Each delivery is one event: decoded (copybook encoding,
 * text in the queue's CCSID, request/reply checks) and written by the sink in its own unit of work
 * (MQPUT + MQCMIT). A retriable failure (2009 CONNECTION_BROKEN, 2053 Q_FULL, 2051 PUT_INHIBITED,
 * ...: src/connectors/ibm-mq/mqrc.ts) goes through the retry tiers; a record that cannot be
 * encoded, and a failure that trying again cannot mend (2030 MSG_TOO_BIG_FOR_Q, 2085
 * UNKNOWN_OBJECT_NAME), is a poison record: permanent, to the dead-letter topic at once.
 */
import type { Sink, SourceRecord } from '../core/bridge-contracts.ts';
import { eventHeaders, type EventProvenance } from '../core/bridge-headers.ts';
import type { RecordDecoder } from '../core/bridge-pipeline.ts';
import { BanyanError } from '../core/errors.ts';
import type { DeliveryOutcome, DeliveryRecord, DeliveryTarget } from './delivery-target.ts';

export interface SinkTargetOptions {
  /** The target's name in the retry headers (e.g. `ibm_mq:ORDERS.OUT`). */
  readonly name: string;
  readonly decode: RecordDecoder;
  readonly sink: Sink;
  readonly provenance: EventProvenance;
}

/** Kafka headers a Kafka -> queue bridge reads MQMD fields and correlation from (as the Kafka source passes them on). */
const PASSED_ON = (name: string) => name.startsWith('mq-') || name === 'banyan-correlation-id';

export function createSinkTarget(o: SinkTargetOptions): DeliveryTarget {
  return {
    name: o.name,
    async deliver(record: DeliveryRecord): Promise<DeliveryOutcome> {
      const source = sourceRecordOf(record);
      const decision = o.decode(source);
      if (decision.kind === 'skipped') return { kind: 'delivered' };
      if (decision.kind === 'rejected') {
        return { kind: 'permanent', failure: { errorClass: decision.rejection.code, message: decision.rejection.reason } };
      }
      try {
        await o.sink.write([{ topic: decision.topic, key: decision.key, value: decision.value, headers: eventHeaders(o.provenance, source) }], {});
        return { kind: 'delivered' };
      } catch (err) {
        const e = err instanceof BanyanError ? err : undefined;
        const failure = { errorClass: e?.code ?? (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) };
        return e && !e.retriable ? { kind: 'permanent', failure } : { kind: 'retriable', failure };
      }
    },
    // A queue has no breaker: a queue manager that is away fails each put retriably.
    onAvailability: () => () => {},
    close: () => o.sink.close(),
  };
}

/** The event as the bridge's decoder reads it: the value's bytes and the headers the Kafka source passes on. */
function sourceRecordOf(r: DeliveryRecord): SourceRecord {
  const metadata: Record<string, string | Uint8Array> = {
    'banyan-kafka-topic': r.originalTopic,
    'banyan-kafka-partition': String(r.originalPartition),
    'banyan-kafka-offset': r.originalOffset,
    'banyan-upstream-event-id': r.eventId,
  };
  if (r.key) metadata['banyan-kafka-key'] = r.key.toString('utf8');
  for (const [name, value] of Object.entries(r.headers)) if (PASSED_ON(name)) metadata[name] = value;
  return { bytes: r.value ?? new Uint8Array(0), recordNumber: Number(r.originalOffset) + 1, positionId: `${r.originalTopic}/${r.originalPartition}/${r.originalOffset}`, metadata };
}
