/**
 * Kafka -> MQ: the bridge's Sink on a queue transport. A batch is put under syncpoint and
 * committed (MQCMIT) in one unit of work; only then does the pipeline commit the Kafka offsets. A
 * failure before MQCMIT backs the puts out, and the pipeline writes the batch again.
 *
 * Each record's MQMD comes from the sink's defaults, then from the event's queue headers
 * (src/core/queue-headers.ts): a reply carries `mq-correl-id` and `mq-reply-to-q`, and goes to that
 * queue as MQMT_REPLY. The record's `topic` is the target queue the decoder chose (content-based
 * routing); empty means the sink's queue.
 *
 * Exactly-once (IBM's kafka-connect-mq-sink design, MQSinkTask.putExactlyOnce): the batch's Kafka
 * position is kept as a message on a state queue inside the same unit of work: get the old state,
 * put the records and the new state, commit. After a crash the state says which offsets are
 * already on the queue, so they are skipped even when the Kafka commit never happened.
 */
import type { Sink, SinkRecord, SourcePosition } from '../../core/bridge-contracts.ts';
import type { CheckpointStore } from '../../core/bridge-pipeline.ts';
import { correlationToMsgId, outgoingFromHeaders, QUEUE_HEADERS } from '../../core/queue-headers.ts';
import type { MessageDescriptor, QueueSession, QueueTransport } from '../../core/queue-port.ts';

export const MQMT_REQUEST = 1;
export const MQMT_REPLY = 2;

export interface QueueSinkOptions {
  readonly transport: QueueTransport;
  /** Where records go that name no queue of their own. */
  readonly queue: string;
  readonly bodyKind: 'text' | 'bytes';
  /** MQMD defaults (persistent unless said otherwise). */
  readonly defaults?: Partial<MessageDescriptor>;
  /**
   * `put` (default): every record to its queue, MQMD fields from its headers. `reply`: the events
   * are new services' replies to legacy requests, each put to its request's ReplyToQ. `request`:
   * the events are new services' requests to a legacy server: MQMT_REQUEST with `replyTo` as
   * ReplyToQ and the MsgId made from the event's banyan-correlation-id, so the server's reply
   * (CorrelId = MsgId) can be given back to the service with its own id.
   */
  readonly mode?: 'put' | 'reply' | 'request';
  readonly replyTo?: { readonly queue: string; readonly queueManager?: string };
  /** Exactly-once: the queue holding the last written Kafka position, in the batch's unit of work. */
  readonly stateQueue?: string;
}

export function createQueueSink(o: QueueSinkOptions): Sink & { readonly checkpoints: CheckpointStore } {
  let session: QueueSession | undefined;
  const connected = async () => (session ??= await o.transport.connect());
  const drop = async () => {
    const s = session;
    session = undefined;
    await s?.close().catch(() => {});
  };

  return {
    async write(records: readonly SinkRecord[], position: SourcePosition) {
      const s = await connected();
      try {
        if (o.stateQueue) await s.get(o.stateQueue, { max: 100, waitMs: 0 }); // the old state leaves in this unit of work
        for (const r of records) {
          const replyTo = o.mode === 'reply' ? replyQueueOf(r) : undefined;
          const fromHeaders = outgoingFromHeaders(r.headers);
          const descriptor: Partial<MessageDescriptor> = { persistence: 1, ...o.defaults, ...fromHeaders.descriptor };
          if (replyTo) Object.assign(descriptor, replyDescriptor(r));
          if (o.mode === 'request') Object.assign(descriptor, requestDescriptor(r, o.replyTo));
          const body = r.value === null ? new Uint8Array(0) : typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
          await s.put(replyTo ?? (r.topic || o.queue), { body, bodyKind: o.bodyKind, descriptor, properties: fromHeaders.properties ?? {} });
        }
        if (o.stateQueue) await s.put(o.stateQueue, { body: Buffer.from(JSON.stringify({ position, savedAt: Date.now() })), bodyKind: 'text' });
        await s.commit();
      } catch (err) {
        await s.backout().catch(() => {});
        await drop(); // a broken connection is not reused; the pipeline retries on a new one
        throw err;
      }
    },
    async close() {
      await drop();
    },
    checkpoints: {
      async load() {
        if (!o.stateQueue) return undefined;
        const s = await connected();
        try {
          const [state] = await s.get(o.stateQueue, { max: 1, waitMs: 0 });
          return state ? (JSON.parse(Buffer.from(state.body).toString('utf8')) as { position: SourcePosition }).position : undefined;
        } finally {
          await s.backout(); // only looked at: it stays for the next batch's unit of work
        }
      },
      async save() {
        // At-least-once: the Kafka group's offsets are the checkpoint (the source commits them);
        // exactly-once: write() already kept the position on the state queue.
      },
    },
  };
}

/**
 * A reply to a legacy requester echoes the request's headers: it goes to the request's ReplyToQ
 * as MQMT_REPLY with CorrelId = the request's MsgId (MQ's default report option,
 * MQRO_COPY_MSG_ID_TO_CORREL_ID), and with the expiry the request had left (set by the decoder,
 * which dead-letters a reply that came too late).
 */
function replyDescriptor(r: SinkRecord): Partial<MessageDescriptor> {
  const msgId = r.headers[QUEUE_HEADERS.msgIdBytes];
  const hexId = r.headers[QUEUE_HEADERS.msgId];
  const requestMsgId = msgId !== undefined && typeof msgId !== 'string' ? msgId : typeof hexId === 'string' ? Buffer.from(hexId, 'hex') : undefined;
  const left = replyExpiryLeft(r.headers, Date.now());
  return {
    msgType: MQMT_REPLY,
    replyToQ: '',
    replyToQMgr: '',
    ...(requestMsgId ? { correlId: requestMsgId } : {}),
    ...(left !== undefined ? { expiry: Math.max(1, left) } : {}),
  };
}

/**
 * Tenths of a second the request behind a reply has left (MQMD Expiry counts down from its put
 * time), from the request headers the reply echoes; undefined when the request never expires.
 */
export function replyExpiryLeft(headers: Readonly<Record<string, string | Uint8Array | undefined>>, now: number): number | undefined {
  const text = (name: string) => {
    const v = headers[name];
    return v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  };
  const expiry = Number(text(QUEUE_HEADERS.expiry) ?? '-1');
  const putAt = Date.parse(text(QUEUE_HEADERS.putTime) ?? '');
  if (!Number.isFinite(expiry) || expiry < 0 || Number.isNaN(putAt)) return undefined;
  return Math.floor(expiry - (now - putAt) / 100);
}

/** A request to a legacy server: the decoder made sure the correlation id fits a MsgId. */
function requestDescriptor(r: SinkRecord, replyTo: QueueSinkOptions['replyTo']): Partial<MessageDescriptor> {
  const v = r.headers[QUEUE_HEADERS.correlation];
  const id = v === undefined ? undefined : correlationToMsgId(typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
  return {
    msgType: MQMT_REQUEST,
    replyToQ: replyTo?.queue ?? '',
    replyToQMgr: replyTo?.queueManager ?? '',
    ...(id ? { msgId: id } : {}),
  };
}

/** The request's ReplyToQ, carried in the reply event's headers. */
function replyQueueOf(r: SinkRecord): string | undefined {
  const v = r.headers[QUEUE_HEADERS.replyToQ];
  const q = v === undefined ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
  return q.trim() === '' ? undefined : q.trim();
}
