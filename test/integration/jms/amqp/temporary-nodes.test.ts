/**
 * Temporary destinations over AMQP on the run's real Kafka: the dynamic node a client's link makes
 * (Qpid JMS createTemporaryQueue) is a Kafka topic, deleted when that link detaches (Qpid JMS
 * TemporaryQueue.delete(); the node's expiry policy is link-detach), and the detach is answered
 * only once the topic is gone.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import rhea, { type Connection } from 'rhea';
import type { JmsAmqpEndpoint } from '../../../../src/jms/amqp/endpoint.ts';
import type { JmsEngine } from '../../../../src/jms/index.ts';
import { oracleKafkajs } from '../../../support/kafka.ts';
import { startTestEndpoint, testEngine, uniquePrefix } from '../../../support/jms.ts';

const prefix = uniquePrefix();
let engine: JmsEngine;
let endpoint: JmsAmqpEndpoint;
let client: Connection;
let port = 0;
let errors: string[] = [];
const user = { username: 'temporary', password: 'temporary-secret' };

function connect(id: string): Connection {
  return rhea.create_container({ id }).connect({ host: '127.0.0.1', port, reconnect: false, username: user.username, password: user.password });
}

before(async () => {
  engine = testEngine(prefix);
  ({ endpoint, port, errors } = await startTestEndpoint(engine, { users: [user] }));
  client = connect(`temporary-nodes-${prefix}`);
  await once(client, 'connection_open');
});

after(async () => {
  client.close();
  await endpoint.stop();
  await engine.close();
});

async function topics(): Promise<string[]> {
  const admin = oracleKafkajs().admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

describe('JMS AMQP temporary destinations', () => {
  it('a dynamic node is a Kafka topic until its link detaches', async () => {
    // What Qpid JMS sends for createTemporaryQueue(): a sender with a dynamic target.
    const creator = client.open_sender({ target: { dynamic: true, capabilities: ['temporary-queue'], expiry_policy: 'link-detach' } } as never);
    await once(creator, 'sendable');
    const address = (creator.target as { address?: string }).address;
    assert.ok(address, 'the endpoint named the node');
    assert.ok((await topics()).includes(`${prefix}tmp.${address}`), 'its topic exists');

    creator.close();
    await once(creator, 'sender_close');
    assert.deepEqual(errors, []);
    assert.ok(!(await topics()).includes(`${prefix}tmp.${address}`), 'the topic is gone when the detach is answered');
  });

  it('a dynamic node whose link stays attached lives until the connection closes', async () => {
    const connection = connect(`temporary-nodes-2-${prefix}`);
    await once(connection, 'connection_open');
    const creator = connection.open_sender({ target: { dynamic: true, capabilities: ['temporary-queue'], expiry_policy: 'link-detach' } } as never);
    await once(creator, 'sendable');
    const topic = `${prefix}tmp.${(creator.target as { address: string }).address}`;
    assert.ok((await topics()).includes(topic));
    connection.close();
    await once(connection, 'connection_close');
    for (let i = 0; i < 100 && (await topics()).includes(topic); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!(await topics()).includes(topic), 'deleted with its connection');
  });
});

