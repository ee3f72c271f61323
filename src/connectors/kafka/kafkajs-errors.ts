/**
 * Maps kafkajs errors onto Banyan's Kafka codes (like kafkajs' own src/protocol/error.js maps
 * Kafka protocol codes). The retriable flag comes from kafkajs: a retriable error that exhausted
 * kafkajs' in-call retries (KafkaJSNumberOfRetriesExceeded) is still retriable for the caller,
 * who keeps the batch and tries again later.
 */
import { BanyanError } from '../../core/errors.ts';
import { KafkaErrors } from './errors.ts';

/** Kafka protocol error types after which the idempotent producer's sequence state is unusable. */
const PRODUCER_STATE_LOST = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
]);

const AUTH = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

const UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
]);

export interface KafkajsErrorFacts {
  /** The innermost meaningful kafkajs error (retry wrappers removed). */
  readonly root: Error;
  /** kafkajs' verdict, after looking through KafkaJSNumberOfRetriesExceeded. */
  readonly retriable: boolean;
  /** Kafka protocol error type, e.g. NOT_LEADER_OR_FOLLOWER, when the broker answered with one. */
  readonly type?: string;
}

export function kafkajsErrorFacts(err: unknown): KafkajsErrorFacts {
  let e = err instanceof Error ? err : new Error(String(err));
  let retriable = flag(e);
  // kafkajs' retrier wraps the last error: exhausted retries of a retriable error stay retriable;
  // a non-retriable wrapper (bail) keeps its verdict.
  for (let depth = 0; depth < 5; depth++) {
    if (e.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause instanceof Error) {
      e = e.cause;
      retriable = flag(e);
    } else if (e.name === 'KafkaJSNonRetriableError' && e.cause instanceof Error && e.cause !== e) {
      e = e.cause;
      retriable = false;
    } else if (e.name === 'KafkaJSAggregateError' && Array.isArray((e as { errors?: unknown }).errors)) {
      const first = (e as unknown as { errors: unknown[] }).errors.find((x): x is Error => x instanceof Error);
      if (!first) break;
      e = first;
      retriable = flag(e);
    } else break;
  }
  const type = (e as { type?: unknown }).type;
  return { root: e, retriable, type: typeof type === 'string' ? type : undefined };
}

/** The Banyan error a failed publish of `count` records rejects with. */
export function toPublishError(err: unknown, count: number): BanyanError {
  const facts = kafkajsErrorFacts(err);
  const cause = err instanceof Error ? err : facts.root;
  const what = facts.type ? `${facts.type}: ${facts.root.message}` : `${facts.root.name}: ${facts.root.message}`;
  if (facts.type && PRODUCER_STATE_LOST.has(facts.type)) return new KafkaErrors.BANYAN_ERR_KAFKA_PRODUCER_STATE_LOST(count, what, cause);
  if ((facts.type && AUTH.has(facts.type)) || facts.root.name === 'KafkaJSSASLAuthenticationError') {
    return new KafkaErrors.BANYAN_ERR_KAFKA_AUTH_FAILED(what, cause);
  }
  if (UNAVAILABLE.has(facts.root.name)) return new KafkaErrors.BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE(count, what, cause);
  if (facts.retriable) return new KafkaErrors.BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE(count, what, cause);
  return new KafkaErrors.BANYAN_ERR_KAFKA_RECORD_REJECTED(count, what, cause);
}

/**
 * The Banyan error a failed read of `topic` rejects with. A broker that just started answers
 * NOT_LEADER_OR_FOLLOWER until its partitions' leadership is loaded: retriable, like the broker
 * being away.
 */
export function toReadError(err: unknown, topic: string): BanyanError {
  if (err instanceof BanyanError) return err; // already ours (the read's own timeout)
  const facts = kafkajsErrorFacts(err);
  const cause = err instanceof Error ? err : facts.root;
  const what = facts.type ? `${facts.type}: ${facts.root.message}` : `${facts.root.name}: ${facts.root.message}`;
  if ((facts.type && AUTH.has(facts.type)) || facts.root.name === 'KafkaJSSASLAuthenticationError') return new KafkaErrors.BANYAN_ERR_KAFKA_AUTH_FAILED(what, cause);
  if (facts.retriable || UNAVAILABLE.has(facts.root.name)) return new KafkaErrors.BANYAN_ERR_KAFKA_READ_RETRIABLE(topic, what, cause);
  return new KafkaErrors.BANYAN_ERR_KAFKA_READ_FAILED(topic, what, cause);
}

/**
 * Kafka protocol errors telling a transactional producer that a newer one with its transactional id
 * exists (InitProducerId bumped the epoch, KIP-98) or that the coordinator bumped it when a
 * transaction timed out. Code 90 (PRODUCER_FENCED, KIP-588) is unknown to kafkajs, which uses request
 * versions that get INVALID_PRODUCER_EPOCH instead.
 */
const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const PRODUCER_FENCED_CODE = 90;

/**
 * The Banyan error a failed transaction of bridge `bridge` (transactional id `transactionalId`)
 * rejects with: fenced is final for this instance; everything else as for a publish (a retriable
 * code means "write the batch again, in a new transaction").
 */
export function toTransactionError(err: unknown, count: number, bridge: string, transactionalId: string): BanyanError {
  const facts = kafkajsErrorFacts(err);
  const code = (facts.root as { code?: unknown }).code;
  if ((facts.type && FENCED.has(facts.type)) || code === PRODUCER_FENCED_CODE) {
    const what = `${facts.type ?? 'PRODUCER_FENCED'}: ${facts.root.message}`;
    return new KafkaErrors.BANYAN_ERR_KAFKA_PRODUCER_FENCED(bridge, transactionalId, what, err instanceof Error ? err : facts.root);
  }
  return toPublishError(err, count);
}

function flag(e: Error): boolean {
  const r = (e as { retriable?: unknown }).retriable;
  // Plain errors (socket errors surfaced raw) are treated as transient.
  return typeof r === 'boolean' ? r : true;
}
