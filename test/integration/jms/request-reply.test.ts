/**
 * Request/reply with a temporary queue across two contexts on the real Kafka (JMSReplyTo,
 * JMSCorrelationID), and the temporary queue's topic deleted when its context closes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queue, type JmsEngine, type TextMessage } from '../../../src/jms/index.ts';
import { oracleKafkajs } from '../../support/kafka.ts';
import { testEngine, textOf, uniquePrefix } from '../../support/jms.ts';

const prefix = uniquePrefix();
let engine: JmsEngine;
before(() => {
  engine = testEngine(prefix);
});
after(() => engine.close());

describe('JMS request/reply over a temporary queue', () => {
  it('a requester and a server in two contexts talk through JMSReplyTo, and the temporary queue goes with its context', async () => {
    const server = await engine.createContext();
    const requests = await server.createConsumer(queue('rpc'));
    const serving = (async () => {
      const request = (await requests.receive(20_000)) as TextMessage;
      assert.ok(request, 'the server got the request');
      assert.equal(request.JMSReplyTo?.kind, 'temporary-queue');
      await server.createProducer().setJMSCorrelationID(request.JMSMessageID).send(request.JMSReplyTo!, `echo ${request.text}`);
    })();

    const client = await engine.createContext();
    const replyTo = await client.createTemporaryQueue();
    const replies = await client.createConsumer(replyTo);
    const request = client.createTextMessage('ping');
    await client.createProducer().setJMSReplyTo(replyTo).send(queue('rpc'), request);
    const reply = await replies.receive(20_000);
    await serving;
    assert.equal(textOf(reply), 'echo ping');
    assert.equal(reply!.JMSCorrelationID, request.JMSMessageID);
    await assert.rejects(server.createConsumer(replyTo), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' }, 'only its creator consumes a temporary queue');

    const tempTopic = `${prefix}tmp.${replyTo.name}`;
    const admin = oracleKafkajs().admin();
    await admin.connect();
    assert.ok((await admin.listTopics()).includes(tempTopic));
    await client.close();
    assert.ok(!(await admin.listTopics()).includes(tempTopic), 'deleted when its context closed');
    await admin.disconnect();
    await assert.rejects(server.createProducer().send(replyTo, 'late'), { code: 'BANYAN_ERR_JMS_INVALID_DESTINATION' });
    await server.close();
  });
  it('sends to new destinations still go through after a temporary queue that was sent to is deleted', async () => {
    // Every send of this engine shares one Kafka producer; before publisher.ts forgetTopics, the
    // deleted temporary topic failed its metadata refreshes and no send to a new topic got through.
    const server = await engine.createContext();
    for (let round = 0; round < 2; round++) {
      const client = await engine.createContext();
      const replyTo = await client.createTemporaryQueue();
      const replies = await client.createConsumer(replyTo);
      await server.createProducer().send(replyTo, `reply ${round}`);
      assert.equal(textOf(await replies.receive(20_000)), `reply ${round}`);
      await client.close();
      const fresh = queue(`after-temporary-${round}`);
      await server.createProducer().send(fresh, `to a new queue ${round}`);
      const consumer = await server.createConsumer(fresh);
      assert.equal(textOf(await consumer.receive(20_000)), `to a new queue ${round}`);
      await consumer.close();
    }
    await server.close();
  });
  it('a transacted server keeps committing replies after a requester\'s temporary queue was deleted', async () => {
    // Its transactional producer sent to the deleted topic: without forgetTopics, its next commit failed.
    const server = await engine.createContext({ sessionMode: 'SESSION_TRANSACTED' });
    for (let round = 0; round < 2; round++) {
      const client = await engine.createContext();
      const replyTo = await client.createTemporaryQueue();
      const replies = await client.createConsumer(replyTo);
      await server.createProducer().send(replyTo, `committed reply ${round}`);
      await server.commit();
      assert.equal(textOf(await replies.receive(20_000)), `committed reply ${round}`);
      await client.close();
    }
    await server.close();
  });
  it('deleteTemporary deletes the topic at once, refusing while a consumer is open or for another context', async () => {
    const owner = await engine.createContext();
    const stranger = await engine.createContext();
    const temporary = await owner.createTemporaryQueue();
    const consumer = await owner.createConsumer(temporary);
    await owner.createProducer().send(temporary, 'kept until deleted');
    assert.equal(textOf(await consumer.receive(20_000)), 'kept until deleted');
    await assert.rejects(owner.deleteTemporary(temporary), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' }, 'a consumer is open');
    await assert.rejects(stranger.deleteTemporary(temporary), { code: 'BANYAN_ERR_JMS_ILLEGAL_STATE' }, 'not its own');
    await consumer.close();
    await owner.deleteTemporary(temporary);
    const admin = oracleKafkajs().admin();
    await admin.connect();
    assert.ok(!(await admin.listTopics()).includes(`${prefix}tmp.${temporary.name}`), 'its topic is gone before the context closes');
    await admin.disconnect();
    await assert.rejects(stranger.createProducer().send(temporary, 'late'), { code: 'BANYAN_ERR_JMS_INVALID_DESTINATION' });
    await owner.deleteTemporary(temporary); // already deleted: nothing to do
    await Promise.all([owner.close(), stranger.close()]);
  });
});
