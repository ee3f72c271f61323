import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { BanyanError } from '../../../../src/core/errors.ts';
import { kafkajsErrorFacts, toPublishError, toReadError, toTransactionError } from '../../../../src/connectors/kafka/kafkajs-errors.ts';

// kafkajs spreads its error classes into module.exports, which Node's CommonJS named-export
// detection cannot see: take them from the default export.
const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

// kafkajs builds protocol errors from its own table entries ({ type, code, retriable, message }).
const protocol = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code, retriable }) as unknown as Error);

// kafkajs' retrier wraps a non-retriable error with itself as the cause (src/retry/index.js); the
// published typings omit that constructor option.
const nonRetriable = (inner: Error) =>
  new (KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error)(inner, { cause: inner });

describe('toPublishError', () => {
  it('maps a connection error to retriable BROKER_UNAVAILABLE', () => {
    const e = toPublishError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), 10);
    assert.ok(e instanceof BanyanError);
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE');
    assert.equal(e.retriable, true);
    assert.match(e.message, /10 records/);
  });

  it('keeps a retriable error retriable after kafkajs exhausted its own retries', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocol('NOT_LEADER_OR_FOLLOWER', 6, true), { retryCount: 5, retryTime: 100 });
    assert.equal(wrapped.retriable, false, 'kafkajs marks the wrapper non-retriable');
    const e = toPublishError(wrapped, 3);
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_PUBLISH_RETRIABLE');
    assert.equal(e.retriable, true);
    assert.match(e.message, /NOT_LEADER_OR_FOLLOWER/);
    assert.equal(e.cause, wrapped);
  });

  it('maps a non-retriable protocol error to RECORD_REJECTED', () => {
    const inner = protocol('MESSAGE_TOO_LARGE', 10, false);
    const e = toPublishError(nonRetriable(inner), 1);
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_RECORD_REJECTED');
    assert.equal(e.retriable, false);
  });

  it('maps lost idempotent producer state to retriable PRODUCER_STATE_LOST', () => {
    const e = toPublishError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false), 5);
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_PRODUCER_STATE_LOST');
    assert.equal(e.retriable, true);
  });

  it('maps authorization failures to non-retriable AUTH_FAILED', () => {
    const e = toPublishError(protocol('TOPIC_AUTHORIZATION_FAILED', 29, false), 5);
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_AUTH_FAILED');
    assert.equal(e.retriable, false);
  });
});

describe('kafkajsErrorFacts', () => {
  it('exposes the protocol error type under the retry wrappers', () => {
    const inner = protocol('TOPIC_ALREADY_EXISTS', 36, false);
    const facts = kafkajsErrorFacts(nonRetriable(inner));
    assert.equal(facts.type, 'TOPIC_ALREADY_EXISTS');
    assert.equal(facts.retriable, false);
  });

  it('treats a plain Error without a retriable flag as transient', () => {
    assert.equal(kafkajsErrorFacts(new Error('socket hang up')).retriable, true);
  });
});

describe('toReadError', () => {
  it('maps NOT_LEADER_OR_FOLLOWER from a just-started broker to retriable READ_RETRIABLE naming the topic', () => {
    const e = toReadError(protocol('NOT_LEADER_OR_FOLLOWER', 6, true), 'banyan.checkpoints');
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_READ_RETRIABLE');
    assert.equal(e.retriable, true);
    assert.match(e.message, /^reading topic banyan\.checkpoints failed, retry later: NOT_LEADER_OR_FOLLOWER/);
  });

  it('maps a non-retriable protocol error to READ_FAILED, an authorization failure to AUTH_FAILED, and keeps a Banyan error as it is', () => {
    assert.equal(toReadError(protocol('INVALID_REQUEST', 42, false), 't').code, 'BANYAN_ERR_KAFKA_READ_FAILED');
    assert.equal(toReadError(protocol('INVALID_REQUEST', 42, false), 't').retriable, false);
    assert.equal(toReadError(protocol('TOPIC_AUTHORIZATION_FAILED', 29, false), 't').code, 'BANYAN_ERR_KAFKA_AUTH_FAILED');
    const own = new BanyanError('BANYAN_ERR_KAFKA_CHECKPOINT_INVALID', 'bad');
    assert.equal(toReadError(own, 't'), own);
  });
});

describe('toTransactionError', () => {
  it('maps a fenced producer epoch (also under kafkajs\' bail wrapper) to non-retriable PRODUCER_FENCED naming bridge and transactional id', () => {
    const e = toTransactionError(nonRetriable(protocol('INVALID_PRODUCER_EPOCH', 47, false)), 10, 'orders', 'banyan-bridge.orders');
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_PRODUCER_FENCED');
    assert.equal(e.retriable, false);
    assert.match(e.message, /^bridge orders: transactional id banyan-bridge\.orders was fenced \(INVALID_PRODUCER_EPOCH/);
  });

  it('maps protocol code 90 (PRODUCER_FENCED, unknown to kafkajs) to PRODUCER_FENCED too', () => {
    assert.equal(toTransactionError(protocol('KAFKAJS_UNKNOWN', 90, false), 1, 'b', 'banyan-bridge.b').code, 'BANYAN_ERR_KAFKA_PRODUCER_FENCED');
  });

  it('keeps connection errors retriable: the pipeline writes the batch again in a new transaction', () => {
    const e = toTransactionError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), 4, 'b', 'banyan-bridge.b');
    assert.equal(e.code, 'BANYAN_ERR_KAFKA_BROKER_UNAVAILABLE');
    assert.equal(e.retriable, true);
  });
});
