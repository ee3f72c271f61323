/**
 * Shadow mismatches to a Kafka topic through the project's publisher (src/connectors/kafka): key =
 * route id (one route's mismatches stay in order on one partition), value = the MismatchRecord as
 * JSON, headers naming the route and request id. Mismatches are diagnostics, not business data, so
 * the sink never blocks or grows without bound: records queue up to `maxQueued`, are sent in
 * batches one publish at a time, and beyond the cap (Kafka down for long) new ones are dropped and
 * counted, which the log reports.
 */
import type { Logger } from 'pino';
import type { Publisher, PublishRecord } from '../../connectors/kafka/index.ts';
import type { MismatchSink } from './mismatch-sink.ts';

export interface KafkaMismatchSinkOptions {
  readonly publisher: Pick<Publisher, 'publish'>;
  readonly topic: string;
  readonly logger: Logger;
  /** Records waiting for Kafka at most (default 1,000). */
  readonly maxQueued?: number;
  /** Records per publish at most (default 100). */
  readonly maxBatch?: number;
  /** Creates the topic before the first publish (the publisher does not auto-create topics); retried on the next batch when it fails. */
  readonly ensureTopic?: () => Promise<unknown>;
}

export interface KafkaMismatchSink extends MismatchSink {
  /** Resolves when every accepted record was acknowledged or given up on. */
  flush(): Promise<void>;
  readonly dropped: number;
}

export function createKafkaMismatchSink(options: KafkaMismatchSinkOptions): KafkaMismatchSink {
  const maxQueued = options.maxQueued ?? 1_000;
  const maxBatch = options.maxBatch ?? 100;
  const queue: PublishRecord[] = [];
  let dropped = 0;
  let sending: Promise<void> | undefined;
  let topicReady = options.ensureTopic === undefined;

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        if (!topicReady) {
          await options.ensureTopic!();
          topicReady = true;
        }
        await options.publisher.publish(batch);
      } catch (err) {
        // Not retried here: the publisher already retried inside publish(); a mismatch is a sample.
        dropped += batch.length;
        options.logger.warn({ topic: options.topic, records: batch.length, err }, 'mismatch records not published');
      }
    }
  };

  return {
    publish(record) {
      if (queue.length >= maxQueued) {
        if (dropped++ % 1000 === 0) options.logger.warn({ topic: options.topic, dropped }, 'mismatch queue full; dropping records');
        return Promise.resolve();
      }
      queue.push({
        topic: options.topic,
        key: record.routeId,
        value: JSON.stringify(record),
        headers: { 'banyan-route': record.routeId, 'banyan-request-id': record.requestId },
        timestamp: record.at,
      });
      sending ??= drain().finally(() => (sending = undefined));
      return Promise.resolve();
    },
    async flush() {
      while (sending) await sending;
    },
    get dropped() {
      return dropped;
    },
  };
}
