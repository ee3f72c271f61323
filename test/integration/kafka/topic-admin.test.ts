import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import type { BanyanError } from '../../../src/core/errors.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { oracleKafkajs, testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

describe('topic admin', () => {
  it('creates a missing topic with the requested partitions and configs, and reports it created', async () => {
    const kafka = testKafkaClient();
    const admin = createTopicAdmin({ kafka });
    const topic = uniqueTopic('admin-create');
    try {
      assert.deepEqual(await admin.ensureTopics([{ topic, partitions: 6, configs: { 'cleanup.policy': 'compact' } }]), [topic]);
      assert.equal(await admin.partitionCount(topic), 6);
      const raw = oracleKafkajs().admin();
      await raw.connect();
      const described = await raw.describeConfigs({
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      });
      await raw.disconnect();
      assert.equal(described.resources[0].configEntries[0].configValue, 'compact');
    } finally {
      await admin.close();
    }
  });

  it('is idempotent: ensuring an existing topic again, from the same or another admin, creates nothing and succeeds', async () => {
    const kafka = testKafkaClient();
    const a = createTopicAdmin({ kafka, defaults: { partitions: 3 } });
    const b = createTopicAdmin({ kafka, defaults: { partitions: 3 } });
    const topic = uniqueTopic('admin-idempotent');
    try {
      const [ra, rb] = await Promise.all([a.ensureTopics([{ topic }]), b.ensureTopics([{ topic }])]);
      assert.equal(ra.length + rb.length <= 1, true, 'at most one admin created it');
      assert.deepEqual(await a.ensureTopics([{ topic }]), []);
      assert.deepEqual(await b.ensureTopics([{ topic }]), []);
      assert.equal(await a.partitionCount(topic), 3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses an existing topic whose partition count differs from the configured one', async () => {
    const kafka = testKafkaClient();
    const admin = createTopicAdmin({ kafka });
    const topic = uniqueTopic('admin-mismatch');
    try {
      await admin.ensureTopics([{ topic, partitions: 4 }]);
      await assert.rejects(admin.ensureTopics([{ topic, partitions: 8 }]), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_TOPIC_PARTITIONS_MISMATCH');
      assert.equal(await admin.partitionCount(topic), 4, 'the topic was left alone');
    } finally {
      await admin.close();
    }
  });

  it('reports undefined partitions for a topic that does not exist', async () => {
    const admin = createTopicAdmin({ kafka: testKafkaClient() });
    try {
      assert.equal(await admin.partitionCount(uniqueTopic('admin-absent')), undefined);
    } finally {
      await admin.close();
    }
  });
});
