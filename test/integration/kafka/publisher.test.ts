import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BanyanError } from '../../../src/core/errors.ts';
import { createPublisher } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { consumeAll, oracleKafkajs, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

describe('publisher', () => {
  it('writes keys, values and headers to several topics in one batch and reports each partition written', async () => {
    const kafka = testKafkaClient();
    const [t1, t2] = [uniqueTopic('pub-a'), uniqueTopic('pub-b')];
    const admin = createTopicAdmin({ kafka, defaults: { partitions: 2 } });
    await admin.ensureTopics([{ topic: t1 }, { topic: t2 }]);
    await admin.close();
    const publisher = createPublisher({ kafka });
    try {
      const receipt = await publisher.publish([
        { topic: t1, key: 'acct-1', value: 'one', headers: { MsgId: Buffer.from([0xc1, 0xc2]), 'jms.type': 'Order' } },
        { topic: t2, key: null, value: null, timestamp: 1_700_000_000_000 },
      ]);
      assert.equal(receipt.records, 2);
      assert.deepEqual(new Set(receipt.partitions.map((p) => p.topic)), new Set([t1, t2]));
      const [a] = await consumeAll(t1, 1, 60_000);
      assert.equal(a.key?.toString(), 'acct-1');
      assert.equal(a.value?.toString(), 'one');
      assert.deepEqual(a.headers.MsgId, Buffer.from([0xc1, 0xc2]));
      assert.equal(a.headers['jms.type']?.toString(), 'Order');
      const [b] = await consumeAll(t2, 1, 60_000);
      assert.equal(b.key, null);
      assert.equal(b.value, null);
    } finally {
      await publisher.close();
    }
  });

  it('rejects a batch to a topic that does not exist with PUBLISH_RETRIABLE (UNKNOWN_TOPIC_OR_PARTITION) instead of creating it', async () => {
    const publisher = createPublisher({ kafka: testKafkaClient(), retry: { retries: 1, initialRetryTimeMs: 50, maxRetryTimeMs: 100 } });
    try {
      await assert.rejects(publisher.publish([{ topic: uniqueTopic('pub-missing'), key: 'k', value: 'v' }]), (e: BanyanError) => {
        // The broker answers UNKNOWN_TOPIC_OR_PARTITION (retriable in kafkajs) until the retries run out.
        assert.equal(e.code, 'BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE', e.message);
        assert.match(e.message, /UNKNOWN_TOPIC_OR_PARTITION/);
        assert.equal(e.retriable, true, `${e.code}: ${e.message}`);
        return true;
      });
    } finally {
      await publisher.close();
    }
  });

  it('keeps publishing to other topics after one it sent to was deleted: at once after forgetTopics, from the next batch without', async () => {
    // kafkajs asks for the metadata of every topic a producer ever sent to; a deleted one fails
    // every refresh with UNKNOWN_TOPIC_OR_PARTITION, so sends to new topics never got through.
    const kafka = testKafkaClient();
    const [gone, later, other] = [uniqueTopic('pub-gone'), uniqueTopic('pub-later'), uniqueTopic('pub-other')];
    // `other` is created last, after both deletions: a producer that still asks for them cannot send to it.
    const admin = createTopicAdmin({ kafka });
    const kafkajsAdmin = oracleKafkajs().admin();
    await kafkajsAdmin.connect();
    const publisher = createPublisher({ kafka, retry: { retries: 1, initialRetryTimeMs: 50, maxRetryTimeMs: 100 } });
    try {
      await admin.ensureTopics([{ topic: gone }, { topic: later }]);
      await publisher.publish([{ topic: gone, key: 'k', value: 'before the deletion' }]);
      await kafkajsAdmin.deleteTopics({ topics: [gone] });

      publisher.forgetTopics([gone]);
      const receipt = await publisher.publish([{ topic: later, key: 'k', value: 'after forgetTopics' }]);
      assert.equal(receipt.records, 1);

      // Deleted by someone else, unannounced: the batch that meets it fails (UNKNOWN_TOPIC_OR_PARTITION,
      // when the broker's metadata already lacks it), the producer is renewed, the next batch goes.
      await kafkajsAdmin.deleteTopics({ topics: [later] });
      await admin.ensureTopics([{ topic: other }]);
      const failed = await publisher.publish([{ topic: other, key: 'k', value: 'first after' }]).then(
        () => undefined,
        (e: BanyanError) => e,
      );
      if (failed) assert.match(failed.message, /UNKNOWN_TOPIC_OR_PARTITION/, 'the only failure is the deleted topic');
      await publisher.publish([{ topic: other, key: 'k', value: 'second after' }]);
      const values = (await consumeAll(other, failed ? 1 : 2, 60_000)).map((r) => r.value?.toString());
      assert.deepEqual(values, failed ? ['second after'] : ['first after', 'second after']);
    } finally {
      await publisher.close();
      await admin.close();
      await kafkajsAdmin.disconnect();
    }
  });

  it('rejects a record larger than the broker accepts as RECORD_REJECTED, not retriable, and reports both batches as events', async () => {
    const kafka = testKafkaClient();
    const topic = uniqueTopic('pub-too-large');
    const admin = createTopicAdmin({ kafka });
    await admin.ensureTopics([{ topic, partitions: 1, configs: { 'max.message.bytes': '1024' } }]);
    await admin.close();
    const events: string[] = [];
    const publisher = createPublisher({
      kafka,
      events: {
        published: (e) => events.push(`published ${e.records}`),
        failed: (e) => events.push(`failed ${e.records} ${e.error.code}`),
      },
    });
    try {
      await assert.rejects(publisher.publish([{ topic, key: 'k', value: Buffer.alloc(4096, 1) }]), (e: BanyanError) => {
        assert.equal(e.code, 'BANYAN_ERR_KAFKA_RECORD_REJECTED', e.message);
        assert.equal(e.retriable, false);
        return true;
      });
      // The producer is still usable after a rejected batch.
      const ok = await publisher.publish([{ topic, key: 'k', value: 'small' }]);
      assert.equal(ok.records, 1);
      assert.deepEqual(events, ['failed 1 BANYAN_ERR_KAFKA_RECORD_REJECTED', 'published 1'], 'one instrumentation event per batch');
    } finally {
      await publisher.close();
    }
  });

  it('rejects publish after close with PUBLISHER_CLOSED and a record without topic with BATCH_INVALID', async () => {
    const publisher = createPublisher({ kafka: testKafkaClient() });
    await assert.rejects(publisher.publish([{ topic: '', key: 'k', value: 'v' }]), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_BATCH_INVALID');
    await publisher.close();
    await assert.rejects(publisher.publish([{ topic: 't', key: 'k', value: 'v' }]), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_PUBLISHER_CLOSED');
  });
});
