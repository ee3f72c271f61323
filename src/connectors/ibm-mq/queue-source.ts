/**
 * MQ -> Kafka: the bridge's Source on a queue transport (src/core/queue-port.ts: IBM MQ or AMQP).
 *
 * Each batch is one unit of work on its own connection: gets under syncpoint, bounded by count and
 * time, committed (MQCMIT) only when the pipeline says every record of it is durable in Kafka. The
 * pipeline reads the next batch while the previous one is written, and MQCMIT commits everything
 * in flight on a connection (mq-mqi-nodejs#52), so batches take turns on a small pool of sessions:
 * committing batch N never commits batch N+1's gets. A crash or a Kafka failure leaves the batch
 * uncommitted: MQ gives its messages back, with BackoutCount + 1.
 *
 * Poison messages: MQ itself does nothing with a queue's BOTHRESH and BOQNAME (only MQ's JMS
 * classes act on them), so the source does: a message whose BackoutCount reached the threshold is
 * put to BOQNAME (or, with none, to the dead-letter queue behind an MQDLH) in the same unit of
 * work, and handed on flagged, so the pipeline records it on the Kafka dead-letter topic. It is
 * committed with its batch, and the queue keeps flowing. Nothing is dropped.
 */
import type { BatchLimits, Source, SourceBatch, SourceIdle, SourcePosition, SourceRecord } from '../../core/bridge-contracts.ts';
import { hex, msgIdToCorrelation, QUEUE_HEADERS, queueMessageHeaders } from '../../core/queue-headers.ts';
import type { QueueAttributes, QueueMessage, QueueSession, QueueTransport } from '../../core/queue-port.ts';
import { encodeMqdlh, MQENC_NATIVE, MQFMT_DEAD_LETTER_HEADER, MQRC_BACKOUT_THRESHOLD_REACHED } from './mqdlh.ts';

/** Metadata key a poison message carries to the decoder, which makes it a dead letter (queue-decisions.ts). */
export const POISON_METADATA = 'banyan-mq-poison';
/** Metadata key of a message already in Kafka (its batch's checkpoint names it): the decoder skips it. */
export const DELIVERED_METADATA = 'banyan-mq-delivered';

export interface QueueSourceOptions {
  readonly transport: QueueTransport;
  /** Read in turn; several queues per bridge. */
  readonly queues: readonly string[];
  /** The queue manager's dead-letter queue, for poison messages of a queue without BOQNAME. */
  readonly deadLetterQueue?: string;
  /** Queue manager name for the MQDLH's DestQMgrName. */
  readonly queueManager?: string;
  /** Replies to Banyan's requests: the CorrelId gives back the service's correlation id. */
  readonly restoreCorrelationId?: boolean;
  /** How long one get waits for a first message before the read says "waiting". */
  readonly pollWaitMs?: number;
  readonly events?: QueueSourceEvents;
}

export interface QueueSourceEvents {
  poisonMoved?(e: { readonly queue: string; readonly msgId: string; readonly to: string; readonly backoutCount: number }): void;
}

/**
 * A batch's position: which session holds its unit of work, and the MsgIds of its messages. The
 * checkpoint (in exactly_once mode written in the same Kafka transaction as the events) keeps the
 * MsgIds of the last batch Kafka has. A crash after that but before MQCMIT puts those messages back
 * on the queue; reopened from the checkpoint, the source knows them and hands them on marked as
 * delivered, to be skipped and committed: the reconciliation IBM's connector does with its state
 * queue, here without a second connection.
 */
interface QueuePosition extends SourcePosition {
  readonly session: number;
  readonly batch: number;
  readonly msgIds: readonly string[];
}

const POOL_SIZE = 2; // one batch being written, one read ahead (bridge-pipeline.ts)

export function createQueueSource(o: QueueSourceOptions): Source {
  const sessions: Array<QueueSession | undefined> = new Array(POOL_SIZE).fill(undefined);
  const busy = new Set<number>();
  const attributes = new Map<string, QueueAttributes>();
  let batchNumber = 0;
  let nextQueue = 0;
  /**
   * MsgIds of the last batch the checkpoint says Kafka has; met again, they are skipped. Backed-out
   * messages return to their places at the front of the queue, so the set is dropped after the
   * first two batches: an application that reuses MsgIds later must not have its messages skipped.
   */
  let delivered = new Set<string>();
  let reconcileBatches = 0;

  const sessionFor = async (): Promise<number> => {
    for (let i = 0; i < POOL_SIZE; i++) {
      if (busy.has(i)) continue;
      sessions[i] ??= await o.transport.connect();
      busy.add(i);
      return i;
    }
    // The pipeline never has more than two batches uncommitted; a third read is a contract breach.
    throw new Error('queue source: a third batch was read before the first was committed');
  };

  return {
    async open(from) {
      // MQ has no position to resume from: what was not committed is back on the queue, and the
      // checkpoint names the messages of it that Kafka already has.
      const ids = (from as Partial<QueuePosition> | undefined)?.msgIds;
      delivered = new Set(Array.isArray(ids) ? ids : []);
      reconcileBatches = 2;
      const first = sessions[0] ?? (sessions[0] = await o.transport.connect());
      for (const q of o.queues) attributes.set(q, await first.attributes(q));
    },

    async read(limits: BatchLimits, signal: AbortSignal): Promise<SourceBatch | SourceIdle> {
      const index = await sessionFor();
      const session = sessions[index]!;
      const records: SourceRecord[] = [];
      let bytes = 0;
      try {
        let deadline = 0;
        let emptyGets = 0;
        // Wait for a first message on each queue in turn; once one came, fill the batch until it is
        // full or maxWaitMs has passed since that first message.
        while (records.length < limits.maxRecords && bytes < limits.maxBytes && !signal.aborted) {
          const queue = o.queues[nextQueue++ % o.queues.length]!;
          const remaining = deadline - Date.now();
          if (records.length > 0 && remaining <= 0) break;
          const waitMs = Math.ceil((records.length === 0 ? (o.pollWaitMs ?? 1000) : remaining) / o.queues.length);
          const got = await session.get(queue, { max: limits.maxRecords - records.length, waitMs, signal });
          emptyGets = got.length === 0 ? emptyGets + 1 : 0;
          for (const m of got) {
            if (records.length === 0) deadline = Date.now() + limits.maxWaitMs;
            const poison = await handlePoison(o, session, attributes.get(queue), m);
            const record = toRecord(m, batchNumber + 1, records.length + 1, poison, o.restoreCorrelationId === true);
            if (hasMsgId(m) && delivered.delete(record.positionId)) records.push({ ...record, metadata: { ...record.metadata, [DELIVERED_METADATA]: '1' } });
            else records.push(record);
            bytes += m.body.length;
          }
          if (emptyGets >= o.queues.length) break; // every queue came back empty in a row: idle, or ship what there is
        }
      } catch (err) {
        busy.delete(index);
        await session.backout().catch(() => {});
        throw err;
      }
      if (records.length === 0) {
        busy.delete(index);
        // Every queue came back empty: all there is has been read (what `banyan run --until-idle` waits for).
        return { idle: signal.aborted ? 'waiting' : 'drained' };
      }
      batchNumber++;
      if (reconcileBatches > 0 && --reconcileBatches === 0) delivered.clear();
      // Only real MsgIds can recognise a message again (an AMQP message may carry no message-id).
      const msgIds = records.filter((r) => r.metadata[NO_MSG_ID] === undefined).map((r) => r.positionId);
      const position: QueuePosition = { session: index, batch: batchNumber, msgIds };
      return { records, position };
    },

    async commit(position) {
      const p = position as QueuePosition;
      try {
        await sessions[p.session]!.commit();
      } finally {
        busy.delete(p.session);
      }
    },

    async close() {
      busy.clear();
      for (let i = 0; i < POOL_SIZE; i++) {
        const s = sessions[i];
        sessions[i] = undefined;
        await s?.close().catch(() => {});
      }
    },
  };
}

/** Marks a message that came without a MsgId: its position id is not stable, and it is never reconciled. */
const NO_MSG_ID = 'banyan-mq-no-msg-id';

function hasMsgId(m: QueueMessage): boolean {
  return m.descriptor.msgId.some((b) => b !== 0);
}

function toRecord(m: QueueMessage, batch: number, n: number, poison: string | undefined, restoreCorrelation: boolean): SourceRecord {
  const metadata: Record<string, string | Uint8Array> = queueMessageHeaders(m);
  if (!hasMsgId(m)) {
    // MQ always gives a MsgId; an AMQP sender may give none (JMS clients always do). Such a message
    // gets a position id of its queue, batch and place: unique, but not the same after a redelivery.
    metadata[NO_MSG_ID] = '1';
    return { bytes: m.body, recordNumber: n, positionId: `${m.queue}:b${batch}:${n}`, metadata: { ...metadata, 'banyan-mq-batch': String(batch) } };
  }
  if (poison) metadata[POISON_METADATA] = poison;
  const correlation = restoreCorrelation ? msgIdToCorrelation(m.descriptor.correlId) : undefined;
  if (correlation !== undefined) metadata[QUEUE_HEADERS.correlation] = correlation;
  // The MsgId is the stable event id: the same message redelivered after a crash keeps it.
  return { bytes: m.body, recordNumber: n, positionId: hex(m.descriptor.msgId), metadata: { ...metadata, 'banyan-mq-batch': String(batch) } };
}

/** Moves a message past its queue's backout threshold in the same unit of work; returns why, or undefined. */
async function handlePoison(o: QueueSourceOptions, session: QueueSession, attrs: QueueAttributes | undefined, m: QueueMessage): Promise<string | undefined> {
  const threshold = attrs?.backoutThreshold ?? 0;
  if (threshold <= 0 || m.descriptor.backoutCount < threshold) return undefined;
  const d = m.descriptor;
  const to = attrs!.backoutQueue.trim() || o.deadLetterQueue;
  const why = `message ${hex(d.msgId)} on ${m.queue} was backed out ${d.backoutCount} times (BOTHRESH ${threshold})`;
  if (!to) return `${why}; the queue has no BOQNAME and the bridge no dead_letter_queue: it stays on the queue's Kafka dead-letter topic only and is committed`;
  if (attrs!.backoutQueue.trim()) {
    await session.put(to, { body: m.body, bodyKind: m.bodyKind, descriptor: { ...d, backoutCount: 0 }, properties: m.properties });
  } else {
    const header = encodeMqdlh({
      reason: MQRC_BACKOUT_THRESHOLD_REACHED,
      destQName: m.queue,
      destQMgrName: o.queueManager ?? '',
      encoding: d.encoding,
      ccsid: d.ccsid,
      format: d.format.padEnd(8, ' '),
      putApplName: 'banyan',
      putAt: new Date(),
    });
    await session.put(to, {
      body: Buffer.concat([header, m.body]),
      bodyKind: 'bytes',
      descriptor: { ...d, format: MQFMT_DEAD_LETTER_HEADER, encoding: MQENC_NATIVE, ccsid: 1208, backoutCount: 0 },
      properties: m.properties,
    });
  }
  o.events?.poisonMoved?.({ queue: m.queue, msgId: hex(d.msgId), to, backoutCount: d.backoutCount });
  return `${why}; moved to ${to}`;
}
