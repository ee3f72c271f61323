/**
 * What JMS integration tests share: an engine on the run's real Kafka whose topics and groups carry
 * a prefix no other test uses, and a helper that receives until a count is reached.
 */
import { randomBytes } from 'node:crypto';
import { createJmsEngine, type AnyMessage, type JmsConsumer, type JmsEngine, type JmsEngineOptions, type JmsMappingInput } from '../../src/jms/index.ts';
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
