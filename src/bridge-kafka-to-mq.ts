/**
 * Composition of a Kafka -> MQ bridge (`source: { kafka }`, `sink: { ibm_mq }`): the Kafka source
 * in the bridge's consumer group, each event made into a message body (a copybook record encoded by
 * the mapping in its code page, text in the sink's CCSID, or bytes as they are), the MQ sink
 * putting a batch in one unit of work, and dead letters to Kafka. Kafka offsets are committed only
 * after MQCMIT; with `delivery: exactly_once` the batch's position also lives on a state queue in
 * that unit of work (IBM's sink design), which is then the bridge's checkpoint.
 */
import type { BridgeConfig } from './bridge-assembly.ts';
import { getCodePage, type OpenedRecordCodec } from './codec/index.ts';
import { recordEncoder } from './codec/record-encoding.ts';
import type { BridgePipelineOptions, RecordDecision, RecordDecoder } from './core/bridge-pipeline.ts';
import { defineErrors } from './core/errors.ts';
import type { KafkaClient } from './connectors/kafka/client.ts';
import { createKafkaSink } from './connectors/kafka/kafka-sink.ts';
import { createKafkaSource } from './connectors/kafka/kafka-source.ts';
import type { Publisher } from './connectors/kafka/publisher.ts';
import type { TopicAdmin } from './connectors/kafka/topic-admin.ts';
import { createMqTransport } from './connectors/ibm-mq/mq-transport.ts';
import type { MqiApi } from './connectors/ibm-mq/mqi-api.ts';
import { createQueueSink, replyExpiryLeft } from './connectors/ibm-mq/queue-sink.ts';
import { correlationToMsgId, QUEUE_HEADERS } from './core/queue-headers.ts';
import { amqpTransportOptions, createAmqpTransport } from './connectors/amqp/amqp-transport.ts';
import type { QueueTransport } from './core/queue-port.ts';

export const KafkaToMqErrors = defineErrors({
  BANYAN_ERR_BRIDGE_STATE_QUEUE_MISSING: { message: 'bridge %s: delivery exactly_once to IBM MQ needs sink.ibm_mq.state_queue (a queue keeping the last written Kafka position)' },
});

export interface KafkaToMqContext {
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  readonly codec: OpenedRecordCodec;
  /** The bridge's producer, for dead letters. */
  readonly publisher: Publisher;
  readonly ibmMqDriver?: () => Promise<MqiApi>;
}

export type KafkaToMqEnds = Pick<BridgePipelineOptions, 'source' | 'decode' | 'sink' | 'deadLetters' | 'checkpoints' | 'deadLetterTopic' | 'limits' | 'idlePollMs'>;

export async function kafkaToMqEnds(bridge: BridgeConfig, source: NonNullable<BridgeConfig['source']['kafka']>, c: KafkaToMqContext): Promise<KafkaToMqEnds> {
  const target = queueTargetOf(bridge, c);
  const mq = target.settings;
  const stateQueue = 'state_queue' in mq ? mq.state_queue : undefined;
  if (bridge.delivery === 'exactly_once' && stateQueue === undefined) throw new KafkaToMqErrors.BANYAN_ERR_BRIDGE_STATE_QUEUE_MISSING(bridge.name);
  const deadLetterTopic = bridge.dead_letter?.topic ?? `${bridge.name}.dlq`;
  await c.topics.ensureTopics([...new Set([...source.topics, deadLetterTopic])].map((topic) => ({ topic })));

  const transport = target.transport;
  const recordCcsid = ccsidOf(c.codec.mapping?.config.codepage ?? 'cp037');
  const sink = createQueueSink({
    transport,
    queue: mq.queue,
    bodyKind: mq.payload === 'text' ? 'text' : 'bytes',
    mode: mq.mode,
    ...('reply_to_queue' in mq && mq.reply_to_queue !== undefined
      ? { replyTo: { queue: mq.reply_to_queue, ...(mq.reply_to_queue_manager !== undefined ? { queueManager: mq.reply_to_queue_manager } : {}) } }
      : {}),
    defaults: {
      persistence: mq.persistent ? 1 : 0,
      ...(mq.priority !== undefined ? { priority: mq.priority } : {}),
      ...(mq.expiry !== undefined ? { expiry: mq.expiry } : {}),
      ...(mq.payload === 'text' ? { format: 'MQSTR   ', ccsid: mq.text_ccsid } : { format: '        ', ccsid: mq.payload === 'copybook' ? recordCcsid : mq.text_ccsid }),
    },
    ...(bridge.delivery === 'exactly_once' && stateQueue ? { stateQueue } : {}),
  });
  const encode = mq.payload === 'copybook' ? recordEncoder(c.codec, mq.queue) : mq.payload === 'text' ? textEncoder(mq.text_ccsid, mq.queue) : passThrough(mq.queue);
  return {
    source: createKafkaSource({ kafka: c.kafka, topics: source.topics, groupId: source.group ?? `banyan-bridge-${bridge.name}`, start: source.start }),
    decode: mq.mode === 'reply' ? expiredRepliesRejected(encode) : mq.mode === 'request' ? uncorrelatableRequestsRejected(encode) : encode,
    sink,
    deadLetters: createKafkaSink(c.publisher),
    checkpoints: sink.checkpoints,
    deadLetterTopic,
    limits: { maxRecords: bridge.batch.max_records, maxBytes: bridge.batch.max_bytes, maxWaitMs: bridge.batch.max_wait_ms },
    idlePollMs: 50,
  };
}

/** Where a Kafka -> queue bridge puts: IBM MQ or an AMQP 1.0 address, the sink settings both share. */
function queueTargetOf(bridge: BridgeConfig, c: KafkaToMqContext) {
  const mq = bridge.sink.ibm_mq;
  if (mq) {
    const transport: QueueTransport = createMqTransport({ ...mq, convert_text: false, poll_interval_ms: 200 }, c.ibmMqDriver ? { load: c.ibmMqDriver } : {});
    return { transport, settings: { ...mq } };
  }
  const amqp = bridge.sink.amqp!;
  // AMQP text is a string body (UTF-8 on the wire): the CCSID is MQ's business.
  return { transport: createAmqpTransport(amqpTransportOptions(amqp)), settings: { ...amqp, queue: amqp.address, text_ccsid: 1208 } };
}

/** The CCSID a code page name stands for (`cp037` -> 37, `utf8` -> 1208, `latin1` -> 819). */
export function ccsidOf(codePage: string): number {
  const name = getCodePage(codePage).name;
  if (name === 'utf8') return 1208;
  if (name === 'latin1') return 819;
  if (name === 'ascii') return 367;
  const n = /(\d+)$/.exec(name);
  return n ? Number(n[1]) : 1208;
}

/** Text events put as MQSTR in `ccsid` (e.g. 1047): IBM's connector can only send UTF-8 (mq-sink#42). */
function textEncoder(ccsid: number, queue: string): RecordDecoder {
  const page = ccsid === 1208 ? undefined : getCodePage(`ccsid${ccsid}`);
  return (record): RecordDecision => {
    const text = Buffer.from(record.bytes).toString('utf8');
    if (!page) return { kind: 'event', topic: queue, key: null, value: Buffer.from(text, 'utf8') };
    try {
      const out = new Uint8Array(text.length);
      page.encode(text, out, 0, text.length);
      return { kind: 'event', topic: queue, key: null, value: out };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return { kind: 'rejected', rejection: { code: e.code ?? 'BANYAN_ERR_CODEPAGE_UNMAPPABLE', reason: `event ${record.positionId}: ${e.message ?? String(err)}`, rule: `text must be representable in CCSID ${ccsid}` } };
    }
  };
}

function passThrough(queue: string): RecordDecoder {
  return (record) => ({ kind: 'event', topic: queue, key: null, value: Uint8Array.from(record.bytes) });
}

/** A reply that comes after its request expired is a dead letter, not a late message on the requester's queue. */
function expiredRepliesRejected(encode: RecordDecoder): RecordDecoder {
  return (record) => {
    const left = replyExpiryLeft(record.metadata, Date.now());
    if (left !== undefined && left <= 0) {
      return {
        kind: 'rejected',
        rejection: { code: 'BANYAN_ERR_MQ_REPLY_EXPIRED', reason: `reply ${record.positionId}: its request expired before the reply came`, rule: 'a reply is put only while its request has expiry left (MQMD Expiry)' },
      };
    }
    return encode(record);
  };
}

/** A request whose correlation id cannot become a MsgId could never be matched with its reply: a dead letter. */
function uncorrelatableRequestsRejected(encode: RecordDecoder): RecordDecoder {
  return (record) => {
    const v = record.metadata[QUEUE_HEADERS.correlation];
    const id = v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
    if (id === undefined || correlationToMsgId(id) === undefined) {
      return {
        kind: 'rejected',
        rejection: {
          code: 'BANYAN_ERR_MQ_CORRELATION_ID',
          reason: `request ${record.positionId}: ${id === undefined ? 'no banyan-correlation-id header' : `banyan-correlation-id "${id}" fits no MQ MsgId`}`,
          rule: 'a request to a legacy server needs a banyan-correlation-id that is a UUID or at most 24 UTF-8 bytes',
        },
      };
    }
    return encode(record);
  };
}
