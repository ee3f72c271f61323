/**
 * Composition of a bridge run by the retry processor (src/retry): `source: { kafka }` with a
 * `redelivery:` block, to an HTTP service or a queue. The target is made from the sink block (the
 * HTTP target, or the queue sink of bridge-kafka-to-mq.ts behind a sink target); the processor
 * consumes the source topics and their retry tiers in the bridge's consumer group and parks what
 * cannot be delivered on `<topic>.dlq` (or `dead_letter.topic`). One idempotent producer writes the
 * tier records, dead letters and key backlogs.
 */
import type { BridgeConfig, RunnableBridge, RunnableRunOptions } from './bridge-assembly.ts';
import type { OpenedRecordCodec } from './codec/index.ts';
import type { BridgeEvents, BridgeRunSummary } from './core/bridge-pipeline.ts';
import type { EventProvenance } from './core/bridge-headers.ts';
import type { KafkaClient } from './connectors/kafka/client.ts';
import { createPublisher } from './connectors/kafka/publisher.ts';
import type { TopicAdmin } from './connectors/kafka/topic-admin.ts';
import type { MqiApi } from './connectors/ibm-mq/mqi-api.ts';
import { kafkaToMqEnds } from './bridge-kafka-to-mq.ts';
import type { DeliveryTarget } from './retry/delivery-target.ts';
import { createRetryProcessor, type RetrySummary } from './retry/retry-processor.ts';
import { createSinkTarget } from './retry/sink-target.ts';
import { redeliverySchema } from './core/redelivery-spec.ts';

export interface RedeliveryContext {
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  /** The bridge's record codec and provenance, opened only by a queue sink. */
  readonly openCodec: () => { readonly codec: OpenedRecordCodec; readonly provenance: EventProvenance };
  readonly ibmMqDriver?: () => Promise<MqiApi>;
  /** Makes the target of a sink kind the queue sinks do not cover (the HTTP target). */
  readonly otherTarget?: (bridge: BridgeConfig) => Promise<DeliveryTarget>;
}

export async function assembleRedeliveryBridge(bridge: BridgeConfig, c: RedeliveryContext): Promise<RunnableBridge> {
  const source = bridge.source.kafka!;
  const redelivery = bridge.redelivery ?? redeliverySchema.parse({});
  const publisher = createPublisher({ kafka: c.kafka });
  let target: DeliveryTarget | undefined;
  let reported: BridgeEvents | undefined;
  try {
    target = await targetOf(bridge, source, publisher, c);
    const processor = createRetryProcessor({
      bridge: bridge.name,
      kafka: c.kafka,
      topics: c.topics,
      publisher,
      sourceTopics: source.topics,
      groupId: source.group ?? `banyan-bridge-${bridge.name}`,
      start: source.start,
      target,
      policy: { tierDelaysMs: redelivery.tiers.map((t) => t.delay_ms), jitter: redelivery.jitter, ordering: redelivery.ordering },
      ...(bridge.dead_letter ? { deadLetterTopic: bridge.dead_letter.topic } : {}),
      // Each handled record counts in the bridge's status and metrics as a batch of one.
      events: {
        delivered: () => reported?.batchWritten?.({ records: 1, published: 1, deadLettered: 0, skipped: 0, bytes: 0, ms: 0 }),
        parked: () => reported?.batchWritten?.({ records: 1, published: 0, deadLettered: 1, skipped: 0, bytes: 0, ms: 0 }),
        skipped: () => reported?.batchWritten?.({ records: 1, published: 0, deadLettered: 0, skipped: 1, bytes: 0, ms: 0 }),
      },
    });
    const t = target;
    return {
      name: bridge.name,
      run: async (signal: AbortSignal, options: RunnableRunOptions = {}) => {
        reported = options.events;
        return summaryOf(await processor.run(signal, { untilIdle: options.untilIdle ?? false }));
      },
      close: async () => {
        await t.close().catch(() => {});
        await publisher.close();
      },
    };
  } catch (err) {
    await target?.close().catch(() => {});
    await publisher.close().catch(() => {});
    throw err;
  }
}

async function targetOf(bridge: BridgeConfig, source: NonNullable<BridgeConfig['source']['kafka']>, publisher: ReturnType<typeof createPublisher>, c: RedeliveryContext): Promise<DeliveryTarget> {
  if (bridge.sink.ibm_mq || bridge.sink.amqp) {
    const { codec, provenance } = c.openCodec();
    const ends = await kafkaToMqEnds(bridge, source, { kafka: c.kafka, topics: c.topics, codec, publisher, ...(c.ibmMqDriver ? { ibmMqDriver: c.ibmMqDriver } : {}) });
    const queue = bridge.sink.ibm_mq?.queue ?? bridge.sink.amqp!.address;
    return createSinkTarget({ name: `${bridge.sink.ibm_mq ? 'ibm_mq' : 'amqp'}:${queue}`, decode: ends.decode, sink: ends.sink, provenance });
  }
  if (!c.otherTarget) throw new Error(`bridge ${bridge.name}: no delivery target for its sink`);
  return c.otherTarget(bridge);
}

function summaryOf(s: RetrySummary): BridgeRunSummary {
  return { records: s.delivered + s.parked + s.skipped, published: s.delivered, deadLettered: s.parked, skipped: s.skipped };
}
