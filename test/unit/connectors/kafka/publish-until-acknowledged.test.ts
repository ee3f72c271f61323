import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaErrors } from '../../../../src/connectors/kafka/errors.ts';
import type { PublishReceipt, PublishRecord, Publisher } from '../../../../src/connectors/kafka/publisher.ts';
import { publishUntilAcknowledged } from '../../../../src/connectors/kafka/publish-until-acknowledged.ts';
import { BanyanError } from '../../../../src/core/errors.ts';

/** A publisher that fails with the given errors, in order, then acknowledges. */
function scriptedPublisher(failures: Error[]): Publisher & { calls: number } {
  const p = {
    calls: 0,
    connect: async () => {},
    close: async () => {},
    forgetTopics: () => {},
    publish: async (batch: readonly PublishRecord[]): Promise<PublishReceipt> => {
      const failure = failures[p.calls++];
      if (failure) throw failure;
      return { records: batch.length, partitions: [] };
    },
  };
  return p;
}

const batch: PublishRecord[] = [{ topic: 't', key: 'k', value: 'v' }];

describe('publishUntilAcknowledged', () => {
  it('publishes the same batch again after retriable failures until Kafka acknowledges it', async () => {
    const publisher = scriptedPublisher([
      new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE(1, 'ECONNREFUSED'),
      new KafkaErrors.BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE(1, 'NOT_LEADER_OR_FOLLOWER'),
    ]);
    const retried: string[] = [];
    const receipt = await publishUntilAcknowledged(publisher, batch, { initialBackoffMs: 1, onRetry: (e) => retried.push(e.code) });
    assert.equal(receipt.records, 1);
    assert.equal(publisher.calls, 3);
    assert.deepEqual(retried, ['BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE', 'BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE']);
  });

  it('gives a non-retriable error back at once', async () => {
    const publisher = scriptedPublisher([new KafkaErrors.BANYAN_ERR_KAFKA_RECORD_REJECTED(1, 'MESSAGE_TOO_LARGE')]);
    await assert.rejects(publishUntilAcknowledged(publisher, batch, { initialBackoffMs: 1 }), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_RECORD_REJECTED');
    assert.equal(publisher.calls, 1);
  });

  it('stops retrying when its signal is aborted', async () => {
    const publisher = scriptedPublisher(Array.from({ length: 1000 }, () => new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE(1, 'down')));
    const controller = new AbortController();
    const result = publishUntilAcknowledged(publisher, batch, {
      initialBackoffMs: 1,
      signal: controller.signal,
      onRetry: (_e, attempt) => attempt === 3 && controller.abort(new Error('shutting down')),
    });
    await assert.rejects(result, /shutting down/);
    assert.equal(publisher.calls, 3);
  });
});
