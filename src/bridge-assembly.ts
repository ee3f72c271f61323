/**
 * Composition of one bridge from its file: the connector named as source, the codec from the
 * record mapping, the Kafka sink, checkpoint topic and dead-letter topic, handed to the pipeline
 * (src/core/bridge-pipeline.ts). Used by `banyan run`; paths in a bridge file are relative to the
 * directory of banyan.yaml.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config/issues.ts';
import { checkConfigText } from './config/load.ts';
import { bridgeSpec } from './config-catalog.ts';
import { openRecordCodec, type OpenedRecordCodec } from './codec/index.ts';
import { kafkaToFileEnds, type KafkaToFileContext } from './bridge-kafka-to-file.ts';
import { kafkaToMqEnds } from './bridge-kafka-to-mq.ts';
import { codecProvenance, recordDecoder } from './codec/record-decisions.ts';
import type { BridgeEvents, BridgePipelineOptions, BridgeRunSummary } from './core/bridge-pipeline.ts';
import { assembleRedeliveryBridge } from './bridge-redelivery.ts';
import type { DeliveryTarget } from './retry/delivery-target.ts';
import { createHttpTarget } from './connectors/http/http-target.ts';
import { defineErrors } from './core/errors.ts';
import { createFileSource, type FileSourceEvents } from './connectors/file/file-source.ts';
import type { KafkaClient } from './connectors/kafka/client.ts';
import { createKafkaCheckpointStore } from './connectors/kafka/checkpoint-store.ts';
import { createKafkaSink } from './connectors/kafka/kafka-sink.ts';
import { createPublisher } from './connectors/kafka/publisher.ts';
import type { TopicAdmin } from './connectors/kafka/topic-admin.ts';
import { createTransactionalBridgeOutput } from './connectors/kafka/transactional-sink.ts';
import { createMqTransport } from './connectors/ibm-mq/mq-transport.ts';
import type { MqiApi } from './connectors/ibm-mq/mqi-api.ts';
import { queueRecordDecoder } from './connectors/ibm-mq/queue-decisions.ts';
import type { QueueKey, QueueRoute } from './connectors/ibm-mq/queue-options.ts';
import { createQueueSource } from './connectors/ibm-mq/queue-source.ts';
import { sourceQueues } from './connectors/ibm-mq/spec.ts';
import { amqpTransportOptions, createAmqpTransport } from './connectors/amqp/amqp-transport.ts';
import type { QueueTransport } from './core/queue-port.ts';
import type { BatchLimits, Source } from './core/bridge-contracts.ts';
import type { RecordDecoder } from './core/bridge-pipeline.ts';
import { db2CdcSide, type Db2CdcDeps } from './bridge-db2-cdc.ts';

export type BridgeConfig = z.output<typeof bridgeSpec.schema>;

export const BridgeErrors = defineErrors({
  BANYAN_ERR_BRIDGE_SOURCE_NOT_RUNNABLE: { message: 'bridge %s: its %s source is validated but cannot run yet (file, ibm_mq, amqp, db2_cdc and kafka sources run in this version)' },
  BANYAN_ERR_BRIDGE_REDELIVERY_EXACTLY_ONCE: { message: 'bridge %s: redelivery (retry tiers) delivers each event at least once, with its event id as idempotency key; it cannot be combined with delivery: exactly_once' },
  BANYAN_ERR_BRIDGE_ENDS_NOT_RUNNABLE: { message: 'bridge %s: a %s source with a %s sink cannot run; Kafka is one side: file, ibm_mq, amqp or db2_cdc -> kafka, or kafka -> file, ibm_mq or amqp' },
});

/** Reads and checks a bridge file; throws ConfigError with every issue at its file:line:col. */
export function loadBridgeFile(file: string, rootDir: string, env: NodeJS.ProcessEnv): BridgeConfig {
  const text = readFileSync(file, 'utf8');
  const issues: ConfigIssue[] = bridgeSpec.check(file, text, { rootDir, env });
  const result = checkConfigText(file, text, bridgeSpec.schema, { env });
  if (issues.length > 0 || !result.ok) throw new ConfigError(issues.length > 0 ? issues : result.ok ? [] : result.issues);
  return result.config.value;
}

/**
 * A bridge that runs itself rather than through the batch pipeline: a Kafka -> target bridge with
 * `redelivery:`, run by the retry processor (bridge-redelivery.ts).
 */
export interface RunnableBridge {
  readonly name: string;
  /**
   * Runs until `signal` aborts or, with `untilIdle`, until its input is handled and committed
   * (what idle means is the runner's: RetryRunOptions for the processor); rejects with what stopped
   * it (a retriable error: the host runs it again).
   */
  run(signal: AbortSignal, options?: RunnableRunOptions): Promise<BridgeRunSummary>;
  close(): Promise<void>;
}

export interface RunnableRunOptions {
  readonly events?: BridgeEvents;
  readonly untilIdle?: boolean;
}

/** What a gateway runs for a bridge file: the retry processor for a `redelivery:` bridge, else the pipeline. */
export async function assembleRunnableBridge(bridge: BridgeConfig, rootDir: string, kafka: KafkaClient, topics: TopicAdmin, deps: AssemblyDeps = {}): Promise<AssembledBridge | RunnableBridge> {
  // A Kafka -> HTTP bridge always runs through the processor (default tiers without `redelivery:`).
  if (!bridge.source.kafka || (!bridge.redelivery && !bridge.sink.http)) return assembleBridge(bridge, rootDir, kafka, topics, deps);
  if (bridge.delivery === 'exactly_once') throw new BridgeErrors.BANYAN_ERR_BRIDGE_REDELIVERY_EXACTLY_ONCE(bridge.name);
  const mappingFile = resolve(rootDir, bridge.mapping!);
  return assembleRedeliveryBridge(bridge, {
    kafka,
    topics,
    // Only a queue sink encodes events with the mapping; an HTTP target sends the event's JSON.
    openCodec: () => {
      const codec = openRecordCodec({ mapping: mappingFile });
      return { codec, provenance: provenanceOf(bridge, codec, mappingFile) };
    },
    ...(deps.ibmMqDriver ? { ibmMqDriver: deps.ibmMqDriver } : {}),
    otherTarget: deps.deliveryTarget ?? (async (b) => createHttpTarget(b.sink.http!)),
  });
}

export interface AssembledBridge {
  readonly name: string;
  readonly options: Omit<BridgePipelineOptions, 'untilIdle' | 'events'>;
  /** Closes what the bridge opened (its producer), after the pipeline ended. */
  close(): Promise<void>;
}

/** What the caller hands the connectors: instrumentation, and the drivers tests replace. */
export interface AssemblyDeps extends Db2CdcDeps {
  /** What the caller logs of a file source's own doings. */
  readonly sourceEvents?: FileSourceEvents;
  /** Loads the `ibmmq` driver; default `import('ibmmq')` (tests hand in test/support/fake-ibmmq.ts). */
  readonly ibmMqDriver?: () => Promise<MqiApi>;
  /** The delivery target of a `redelivery:` bridge whose sink is not a queue (the HTTP target). */
  readonly deliveryTarget?: (bridge: BridgeConfig) => Promise<DeliveryTarget>;
}

/** Builds the pipeline of a checked bridge and creates the topics it writes to. */
export async function assembleBridge(bridge: BridgeConfig, rootDir: string, kafka: KafkaClient, topics: TopicAdmin, deps: AssemblyDeps = {}): Promise<AssembledBridge> {
  const sourceKind = kindOf(bridge.source);
  if (!['file', 'kafka', 'ibm_mq', 'amqp', 'db2_cdc'].includes(sourceKind)) throw new BridgeErrors.BANYAN_ERR_BRIDGE_SOURCE_NOT_RUNNABLE(bridge.name, sourceKind);
  if ((sourceKind === 'kafka') === (bridge.sink.kafka !== undefined)) throw new BridgeErrors.BANYAN_ERR_BRIDGE_ENDS_NOT_RUNNABLE(bridge.name, sourceKind, kindOf(bridge.sink));
  // The http sink validates; it runs through the retry processor (src/retry), wired with it.
  if (bridge.sink.http !== undefined) throw new BridgeErrors.BANYAN_ERR_BRIDGE_ENDS_NOT_RUNNABLE(bridge.name, sourceKind, 'http');
  if (bridge.source.db2_cdc) return db2CdcBridge(bridge, bridge.source.db2_cdc, kafka, topics, deps);
  const mappingFile = resolve(rootDir, bridge.mapping!);
  const codec = openRecordCodec({ mapping: mappingFile });
  if (bridge.source.kafka) return kafkaToLegacy(bridge, bridge.source.kafka, { rootDir, kafka, topics, codec }, mappingFile, deps);
  const sinkTopic = bridge.sink.kafka!.topic;
  const deadLetterTopic = bridge.dead_letter?.topic ?? `${sinkTopic}.dlq`;
  const mappedTopics = [codec.mapping?.config.topic, ...(codec.mapping?.config.segments?.cases.map((c) => c.topic) ?? [])].filter((t): t is string => typeof t === 'string');
  const routedTopics = (bridge.source.ibm_mq?.routes ?? bridge.source.amqp?.routes ?? []).map((r) => r.topic);
  await topics.ensureTopics([...new Set([sinkTopic, deadLetterTopic, ...mappedTopics, ...routedTopics])].map((topic) => ({ topic })));

  const legacy = legacySource(bridge, rootDir, codec, sinkTopic, deps);
  const output = deliveryOutput(bridge, kafka, topics);
  return {
    name: bridge.name,
    options: {
      provenance: provenanceOf(bridge, codec, mappingFile),
      ...legacy,
      sink: output.sink,
      checkpoints: output.checkpoints,
      deadLetterTopic,
      idlePollMs: legacy.idlePollMs,
      backoff: backoffOf(bridge),
    },
    close: () => output.sink.close(),
  };
}

/** Db2 CDC -> Kafka (bridge-db2-cdc.ts): `sink.kafka.topic` is the prefix of the topics it writes. */
async function db2CdcBridge(bridge: BridgeConfig, cfg: NonNullable<BridgeConfig['source']['db2_cdc']>, kafka: KafkaClient, topics: TopicAdmin, deps: AssemblyDeps): Promise<AssembledBridge> {
  const prefix = bridge.sink.kafka!.topic;
  const side = db2CdcSide(bridge, cfg, prefix, kafka, deps);
  const deadLetterTopic = bridge.dead_letter?.topic ?? `${prefix}.dlq`;
  await topics.ensureTopics([...side.topics, ...(side.topics.some((t) => t.topic === deadLetterTopic) ? [] : [{ topic: deadLetterTopic }])]);
  const output = deliveryOutput(bridge, kafka, topics);
  return {
    name: bridge.name,
    options: {
      provenance: { bridge: bridge.name },
      source: side.source,
      decode: side.decode,
      limits: side.limits,
      sink: output.sink,
      checkpoints: output.checkpoints,
      deadLetterTopic,
      idlePollMs: side.idlePollMs,
      backoff: backoffOf(bridge),
    },
    close: () => output.sink.close(),
  };
}

/** The legacy side of a legacy -> Kafka bridge: its source, how its records become events, its batches. */
function legacySource(
  bridge: BridgeConfig,
  rootDir: string,
  codec: OpenedRecordCodec,
  sinkTopic: string,
  deps: AssemblyDeps,
): { source: Source; decode: RecordDecoder; limits: BatchLimits; idlePollMs: number } {
  const limits = { maxRecords: bridge.batch.max_records, maxBytes: bridge.batch.max_bytes, maxWaitMs: bridge.batch.max_wait_ms };
  const amqp = bridge.source.amqp;
  if (amqp) {
    return queueSide(createAmqpTransport(amqpTransportOptions(amqp)), [amqp.address], amqp, codec, sinkTopic, limits);
  }
  const mq = bridge.source.ibm_mq;
  if (mq) {
    const queues = sourceQueues(mq);
    const convert = new Map(queues.map((q) => [q.name, q.convertText]));
    const transport = createMqTransport(mq, { ...(deps.ibmMqDriver ? { load: deps.ibmMqDriver } : {}), convertText: (q) => convert.get(q) ?? mq.convert_text });
    return queueSide(transport, queues.map((q) => q.name), { ...mq, queueManager: mq.queue_manager }, codec, sinkTopic, limits);
  }
  const fileSource = bridge.source.file!;
  return {
    source: createFileSource({
      dir: resolve(rootDir, fileSource.dir),
      framing: codec.framing,
      finished: fileSource.finished,
      ...(fileSource.pattern !== undefined ? { pattern: fileSource.pattern } : {}),
      ...(fileSource.after !== undefined ? { after: fileSource.after } : {}),
      ...(fileSource.trigger_suffix !== undefined ? { triggerSuffix: fileSource.trigger_suffix } : {}),
      ...(fileSource.gzip !== undefined ? { gzip: fileSource.gzip } : {}),
      ...(deps.sourceEvents ? { events: deps.sourceEvents } : {}),
    }),
    decode: recordDecoder(codec, sinkTopic),
    limits,
    idlePollMs: 1000,
  };
}

/** Sink and checkpoint store by `delivery` (exactly_once: both in one transaction per batch, transactional-sink.ts). */
function deliveryOutput(bridge: BridgeConfig, kafka: KafkaClient, topics: TopicAdmin): Pick<BridgePipelineOptions, 'sink' | 'checkpoints'> {
  if (bridge.delivery === 'exactly_once') {
    return createTransactionalBridgeOutput({ kafka, admin: topics, bridge: bridge.name, checkpointTopic: bridge.checkpoints.topic });
  }
  // One producer for events and checkpoints: a checkpoint is saved only after its batch's write resolved.
  const publisher = createPublisher({ kafka });
  return {
    sink: createKafkaSink(publisher),
    checkpoints: createKafkaCheckpointStore({ kafka, publisher, admin: topics, bridge: bridge.name, topic: bridge.checkpoints.topic }),
  };
}

/** Kafka -> file or MQ: the same pipeline, its ends composed in bridge-kafka-to-file.ts / bridge-kafka-to-mq.ts. */
async function kafkaToLegacy(
  bridge: BridgeConfig,
  source: NonNullable<BridgeConfig['source']['kafka']>,
  c: Omit<KafkaToFileContext, 'publisher'>,
  mappingFile: string,
  deps: AssemblyDeps,
): Promise<AssembledBridge> {
  const publisher = createPublisher({ kafka: c.kafka });
  try {
    const ends = bridge.sink.ibm_mq || bridge.sink.amqp
      ? await kafkaToMqEnds(bridge, source, { ...c, publisher, ...(deps.ibmMqDriver ? { ibmMqDriver: deps.ibmMqDriver } : {}) })
      : await kafkaToFileEnds(bridge, source, { ...c, publisher });
    return {
      name: bridge.name,
      options: { provenance: provenanceOf(bridge, c.codec, mappingFile), ...ends, backoff: backoffOf(bridge) },
      close: async () => {
        await ends.sink.close();
        await publisher.close();
      },
    };
  } catch (err) {
    await publisher.close().catch(() => {});
    throw err;
  }
}

/** A queue source on either transport, with the options both share (queue-options.ts). */
function queueSide(
  transport: QueueTransport,
  queues: readonly string[],
  o: {
    payload: 'copybook' | 'text' | 'bytes';
    key: QueueKey;
    dead_letter_queue?: string | undefined;
    wait_interval_ms?: number | undefined;
    batch_size?: number | undefined;
    restore_correlation_id: boolean;
    routes?: readonly QueueRoute[] | undefined;
    queueManager?: string;
  },
  codec: OpenedRecordCodec,
  sinkTopic: string,
  limits: BatchLimits,
): { source: Source; decode: RecordDecoder; limits: BatchLimits; idlePollMs: number } {
  return {
    source: createQueueSource({
      transport,
      queues,
      ...(o.queueManager !== undefined ? { queueManager: o.queueManager } : {}),
      restoreCorrelationId: o.restore_correlation_id,
      ...(o.dead_letter_queue !== undefined ? { deadLetterQueue: o.dead_letter_queue } : {}),
      ...(o.wait_interval_ms !== undefined ? { pollWaitMs: o.wait_interval_ms } : {}),
    }),
    decode: queueRecordDecoder({ payload: o.payload, key: o.key, decodeRecord: recordDecoder(codec, sinkTopic), topic: sinkTopic, ...(o.routes ? { routes: o.routes } : {}) }),
    limits: o.batch_size !== undefined ? { ...limits, maxRecords: o.batch_size } : limits,
    // The source's gets wait for messages themselves; an empty poll is asked again at once.
    idlePollMs: 10,
  };
}

/** The bridge's `retry:` as the pipeline's back-off policy. */
export function backoffOf(bridge: BridgeConfig): BridgePipelineOptions['backoff'] {
  const r = bridge.retry;
  return { initialMs: r.initial_ms, maxMs: r.max_ms, ...(r.max_attempts !== undefined ? { maxAttempts: r.max_attempts } : {}) };
}

export function provenanceOf(bridge: BridgeConfig, codec: OpenedRecordCodec, mappingFile: string) {
  const mappingVersion = `sha256:${createHash('sha256').update(readFileSync(mappingFile, 'utf8')).digest('hex').slice(0, 12)}`;
  return codecProvenance(bridge.name, codec, basename(mappingFile, extname(mappingFile)), mappingVersion);
}

/** The one kind a checked `source:` or `sink:` block names. */
function kindOf(block: Record<string, unknown>): string {
  return Object.keys(block).find((k) => block[k] !== undefined) ?? 'unknown';
}
