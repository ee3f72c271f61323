/**
 * Composition of a Kafka -> file bridge (`source: { kafka }`, `sink: { file }`): the Kafka source in
 * the bridge's consumer group, the codec as encoder (event JSON -> copybook record), the file sink
 * writing framed files, and dead letters to Kafka. The file sink's state file is the bridge's
 * checkpoint: it is written with the files, so it can never disagree with them (the Kafka group
 * offsets are committed after it, and the source starts after whichever of the two is further).
 *
 * The batch is the file: `roll` gives the pipeline's batch limits (records, bytes, ms), so one batch
 * becomes one file (or several, when its framed bytes exceed `roll.bytes`), and the bridge's `batch:`
 * is not used.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BridgeConfig } from './bridge-assembly.ts';
import { getCodePage, type OpenedRecordCodec } from './codec/index.ts';
import { resolveFraming } from './codec/framing/index.ts';
import { recordEncoder } from './codec/record-encoding.ts';
import type { BridgePipelineOptions } from './core/bridge-pipeline.ts';
import { checkNoEnvelope, envelopeRenderer, type EnvelopeRenderer } from './connectors/file/file-envelope.ts';
import { createFileSink } from './connectors/file/file-sink.ts';
import type { KafkaClient } from './connectors/kafka/client.ts';
import { createKafkaSink } from './connectors/kafka/kafka-sink.ts';
import { createKafkaSource } from './connectors/kafka/kafka-source.ts';
import type { Publisher } from './connectors/kafka/publisher.ts';
import type { TopicAdmin } from './connectors/kafka/topic-admin.ts';

export interface KafkaToFileContext {
  readonly rootDir: string;
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  readonly codec: OpenedRecordCodec;
  /** The bridge's producer, for dead letters. */
  readonly publisher: Publisher;
}

export type KafkaToFileEnds = Pick<BridgePipelineOptions, 'source' | 'decode' | 'sink' | 'deadLetters' | 'checkpoints' | 'deadLetterTopic' | 'limits' | 'idlePollMs'>;

/** The pipeline ends of a checked bridge whose source is Kafka and sink a directory. */
export async function kafkaToFileEnds(bridge: BridgeConfig, source: NonNullable<BridgeConfig['source']['kafka']>, c: KafkaToFileContext): Promise<KafkaToFileEnds> {
  const sink = bridge.sink.file!;
  const deadLetterTopic = bridge.dead_letter?.topic ?? `${bridge.name}.dlq`;
  // A bridge started before its upstream bridge still finds its topics (created like the upstream would).
  await c.topics.ensureTopics([...new Set([...source.topics, deadLetterTopic])].map((topic) => ({ topic })));
  const dir = resolve(c.rootDir, sink.dir);
  await mkdir(dir, { recursive: true });

  const framing = resolveFraming(c.codec.framing);
  const codePage = getCodePage(c.codec.mapping?.config.codepage ?? 'cp037');
  const envelope = (which: 'header' | 'trailer', template: string | undefined, bytes: number): EnvelopeRenderer | undefined => {
    if (template === undefined) return checkNoEnvelope(which, bytes);
    return envelopeRenderer(which, template, bytes, codePage, { maxCount: sink.roll.records });
  };
  const header = envelope('header', sink.header, framing.fileStartOffset);
  const trailer = envelope('trailer', sink.trailer, framing.fileEndOffset);
  const files = createFileSink({
    dir,
    bridge: bridge.name,
    name: sink.name ?? `${bridge.name}.{seq}.dat`,
    framing: c.codec.framing,
    rollBytes: sink.roll.bytes,
    ...(header ? { header } : {}),
    ...(trailer ? { trailer } : {}),
  });
  return {
    source: createKafkaSource({ kafka: c.kafka, topics: source.topics, groupId: source.group ?? `banyan-bridge-${bridge.name}`, start: source.start }),
    decode: recordEncoder(c.codec, `file:${dir}`),
    sink: files.sink,
    deadLetters: createKafkaSink(c.publisher),
    checkpoints: files.checkpoints,
    deadLetterTopic,
    limits: { maxRecords: sink.roll.records, maxBytes: sink.roll.bytes, maxWaitMs: sink.roll.ms },
    // The source's read already waits for records; an idle pause on top would only add latency.
    idlePollMs: 50,
  };
}
