/**
 * What JMS integration tests share: an engine on the run's real Kafka whose topics and groups carry
 * a prefix no other test uses, the AMQP endpoint on such an engine, and a helper that receives until
 * a count is reached.
 */
import { randomBytes } from 'node:crypto';
import { createJmsEngine, type AnyMessage, type JmsConsumer, type JmsEngine, type JmsEngineOptions, type JmsMappingInput } from '../../src/jms/index.ts';
import { createJmsAmqpEndpoint, type JmsAmqpEndpoint } from '../../src/jms/amqp/endpoint.ts';
import { jmsAmqpSettingsSchema } from '../../src/jms/amqp/spec.ts';
import { testKafkaClient } from './kafka.ts';

/** A prefix for one test's topics and groups: `t<hex>.` */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

/** An engine whose names all start with `prefix`; mapping fields override the test defaults. */
export function testEngine(prefix: string, mapping: JmsMappingInput = {}, options: Partial<JmsEngineOptions> = {}): JmsEngine {
  return createJmsEngine({
    kafka: testKafkaClient(),
    mapping: {
      ...mapping,
      topics: { queue_prefix: `${prefix}q.`, topic_prefix: `${prefix}t.`, temporary_prefix: `${prefix}tmp.`, partitions: 2, ...mapping.topics },
      group_prefix: `${prefix}g.`,
      dead_letter_topic: mapping.dead_letter_topic ?? `${prefix}DLQ`,
      expiry_topic: mapping.expiry_topic ?? `${prefix}Expiry`,
    },
    ...options,
  });
}

/** A started endpoint: where it listens, and every error it reported (`where: message`). */
export interface TestEndpoint {
  readonly endpoint: JmsAmqpEndpoint;
  readonly port: number;
  readonly errors: string[];
}

/** The AMQP endpoint on `engine` and the run's Kafka, listening on a free loopback port. */
export async function startTestEndpoint(engine: JmsEngine, access: { users: { username: string; password: string }[]; anonymous?: boolean }): Promise<TestEndpoint> {
  const errors: string[] = [];
  const endpoint = createJmsAmqpEndpoint({
    settings: jmsAmqpSettingsSchema.parse({ host: '127.0.0.1', port: 0, ...access }),
    engine,
    kafka: testKafkaClient(),
    events: { error: (e) => errors.push(`${e.where}: ${e.error.message}`) },
  });
  return { endpoint, port: (await endpoint.start()).port, errors };
}

/** Receives until `count` messages came or `timeoutMs` passed without one; returns what came. */
export async function receiveMany(consumer: JmsConsumer, count: number, timeoutMs = 15_000): Promise<AnyMessage[]> {
  const out: AnyMessage[] = [];
  while (out.length < count) {
    const m = await consumer.receive(timeoutMs);
    if (m === null) break;
    out.push(m);
  }
  return out;
}

export function textOf(m: AnyMessage | null): string | null {
  return m !== null && m.kind === 'text' ? m.text : null;
}
