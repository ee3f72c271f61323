/**
 * JMS destinations (Jakarta Messaging 3.1, 4.1 "Destination"): a queue, a topic, or a temporary
 * one, each by name. The type codes are those of the OASIS AMQP JMS Mapping (`x-opt-jms-dest`,
 * `x-opt-jms-reply-to`): 0 queue, 1 topic, 2 temporary queue, 3 temporary topic.
 */
import { JmsErrors } from './jms-errors.ts';

export type DestinationKind = 'queue' | 'topic' | 'temporary-queue' | 'temporary-topic';

export interface JmsDestination {
  readonly kind: DestinationKind;
  /** The queue or topic name (JMS getQueueName / getTopicName). */
  readonly name: string;
}

export const DESTINATION_TYPE_CODES: Readonly<Record<DestinationKind, number>> = {
  queue: 0,
  topic: 1,
  'temporary-queue': 2,
  'temporary-topic': 3,
};

const KINDS_BY_CODE: readonly DestinationKind[] = ['queue', 'topic', 'temporary-queue', 'temporary-topic'];

/** Characters a Kafka topic name allows (Kafka's Topic.validate): names map onto topics one to one. */
const NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function queue(name: string): JmsDestination {
  return destination('queue', name);
}

export function topic(name: string): JmsDestination {
  return destination('topic', name);
}

export function destination(kind: DestinationKind, name: string): JmsDestination {
  if (!NAME.test(name)) {
    throw new JmsErrors.BANYAN_ERR_JMS_INVALID_DESTINATION(JSON.stringify(name), 'a name is 1-200 characters of A-Z a-z 0-9 . _ - (it names a Kafka topic)');
  }
  return Object.freeze({ kind, name });
}

export function isQueueLike(d: JmsDestination): boolean {
  return d.kind === 'queue' || d.kind === 'temporary-queue';
}

export function isTemporary(d: JmsDestination): boolean {
  return d.kind === 'temporary-queue' || d.kind === 'temporary-topic';
}

export function sameDestination(a: JmsDestination | null | undefined, b: JmsDestination | null | undefined): boolean {
  return a?.kind === b?.kind && a?.name === b?.name;
}

/** The kind a type code names, or undefined for an unknown code. */
export function kindOfCode(code: number): DestinationKind | undefined {
  return KINDS_BY_CODE[code];
}
