import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRecord } from '../../../../src/connectors/db2-cdc/transaction-consumer.ts';
import type { TopicRecord } from '../../../../src/connectors/kafka/topic-reader.ts';
import { BanyanError } from '../../../../src/core/errors.ts';
import { cdcTransaction } from '../../../support/cdc-events.ts';

const txn = cdcTransaction(5, [{ table: 'APP.ACCOUNTS', op: 'u', key: { ID: '1' } }]);
const record = (topic: string, key: string | null, value: string | null): TopicRecord => ({
  topic,
  partition: 2,
  offset: '41',
  timestamp: '0',
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: {},
});

describe('transaction consumer: Kafka records -> reassembly input', () => {
  it('reads a boundary from the transaction topic and a change envelope with its JSON key from a table topic', () => {
    assert.deepEqual(decodeRecord(record('t.transaction', txn.id, JSON.stringify(txn.begin)), 't.transaction'), {
      kind: 'boundary',
      boundary: txn.begin,
      at: { topic: 't.transaction', partition: 2, offset: '41' },
    });
    assert.deepEqual(decodeRecord(record('t.APP.ACCOUNTS', '{"ID":"1"}', JSON.stringify(txn.changes[0].event)), 't.transaction'), {
      kind: 'change',
      key: { ID: '1' },
      event: txn.changes[0].event,
      at: { topic: 't.APP.ACCOUNTS', partition: 2, offset: '41' },
    });
  });

  it('unwraps Kafka Connect JsonConverter {schema, payload} values and skips tombstones', () => {
    const wrapped = JSON.stringify({ schema: { type: 'struct' }, payload: txn.changes[0].event });
    assert.equal((decodeRecord(record('t.APP.ACCOUNTS', null, wrapped), 't.transaction') as { event: unknown }).event !== undefined, true);
    assert.equal(decodeRecord(record('t.APP.ACCOUNTS', '{"ID":"1"}', null), 't.transaction'), null);
  });

  const bad: ReadonlyArray<readonly [string, TopicRecord, string]> = [
    ['a value that is not JSON', record('t.APP.ACCOUNTS', null, '{oops'), 'not JSON'],
    ['a boundary without status', record('t.transaction', null, JSON.stringify({ id: 'x' })), 'not a transaction boundary'],
    ['a record that is no envelope', record('t.APP.ACCOUNTS', null, JSON.stringify({ hello: 1 })), 'not a change event envelope'],
    ['a transaction block without total_order', record('t.APP.ACCOUNTS', null, JSON.stringify({ ...txn.changes[0].event, transaction: { id: 'x' } })), 'no id or total_order'],
  ];
  for (const [name, r, text] of bad) {
    it(`refuses ${name}, naming topic, partition and offset`, () =>
      assert.throws(() => decodeRecord(r, 't.transaction'), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_EVENT_INVALID' && err.message.startsWith(`topic ${r.topic} partition 2 offset 41: `) && err.message.includes(text)));
  }
});
