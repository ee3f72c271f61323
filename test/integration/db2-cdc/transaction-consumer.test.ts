/**
 * The transaction consumer against the real Kafka: 600 transactions of 1 to 12 changes over 3
 * tables, published the way the CDC bridge writes them (per-table topics of 3 partitions keyed by
 * entity, BEGIN/END on a one-partition transaction topic, in commit order), with the in-flight
 * transaction of a simulated bridge restart written twice. The consumer must yield every
 * transaction exactly once, whole, in commit order; stopped mid-way and started again in the same
 * group, it must go on from the transaction it had in hand, losing none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TransactionBoundary } from '../../../src/connectors/db2-cdc/change-event.ts';
import { createTransactionConsumer, type ReassemblyOutput, type TransactionConsumerEvent } from '../../../src/connectors/db2-cdc/transaction-consumer.ts';
import { entityKeyText } from '../../../src/connectors/db2-cdc/transaction-keys.ts';
import { createPublisher, type PublishRecord } from '../../../src/connectors/kafka/publisher.ts';
import { createTopicAdmin } from '../../../src/connectors/kafka/topic-admin.ts';
import { cdcTransaction, type CdcTransaction, type PlannedChange } from '../../support/cdc-events.ts';
import { testKafkaClient, uniqueTopic } from '../../support/kafka.ts';

const TRANSACTIONS = 600;
const TABLES = ['APP.ACCOUNTS', 'APP.LEDGER', 'APP.ORDERS'] as const;
const RESTART_AT = 300;

/** A deterministic pseudo-random plan (no Math.random: a failure must be reproducible). */
function plan(): CdcTransaction[] {
  let seed = 14;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  return Array.from({ length: TRANSACTIONS }, (_, i) => {
    const changes: PlannedChange[] = Array.from({ length: 1 + next(12) }, () => {
      const table = TABLES[next(3)];
      return { table, op: (['c', 'u', 'd'] as const)[next(3)], key: { ID: String(next(40)) } };
    });
    return cdcTransaction(1000 + i, changes);
  });
}

describe('CDC transaction consumer on the real Kafka', () => {
  it('yields every transaction whole, once, in commit order, across topics, partitions, a bridge restart and a consumer restart', async (t) => {
    const kafka = testKafkaClient();
    const prefix = uniqueTopic('getwell');
    const topicOf = (table: string) => `${prefix}.${table}`;
    const transactionTopic = `${prefix}.transaction`;
    const admin = createTopicAdmin({ kafka });
    await admin.ensureTopics([...TABLES.map((table) => ({ topic: topicOf(table), partitions: 3 })), { topic: transactionTopic, partitions: 1 }]);
    await admin.close();

    const txns = plan();
    const publisher = createPublisher({ kafka });
    t.after(() => publisher.close());
    const boundary = (b: TransactionBoundary): PublishRecord => ({ topic: transactionTopic, key: b.id, value: JSON.stringify(b) });
    const writeTxn = (txn: CdcTransaction, upTo = txn.changes.length, withEnd = true): PublishRecord[] => [
      boundary(txn.begin),
      ...txn.changes.slice(0, upTo).map((c) => ({ topic: topicOf(`${c.event.source.schema}.${c.event.source.table}`), key: entityKeyText(c.key), value: JSON.stringify(c.event) })),
      ...(withEnd ? [boundary(txn.end)] : []),
    ];
    // Published in commit order, in batches of ~10 transactions (as the bridge's batches go).
    let batch: PublishRecord[] = [];
    for (const [i, txn] of txns.entries()) {
      if (i === RESTART_AT) {
        // The bridge dies inside this transaction after writing half of it; restarted, it writes it again whole.
        batch.push(...writeTxn(txn, Math.ceil(txn.changes.length / 2), false));
        await publisher.publish(batch);
        batch = [];
      }
      batch.push(...writeTxn(txn));
      if (batch.length >= 60) {
        await publisher.publish(batch);
        batch = [];
      }
    }
    await publisher.publish(batch);

    const groupId = uniqueTopic('billing');
    const events: TransactionConsumerEvent[] = [];
    const options = {
      kafka,
      groupId,
      tableTopics: TABLES.map(topicOf),
      transactionTopic,
      // Small, so the memory bound is exercised: partitions ahead of the awaited transaction pause.
      pauseAboveEvents: 20,
      maxReadyItems: 5,
      events: (e: TransactionConsumerEvent) => events.push(e),
    };

    // First consumer: stops while holding transaction #250 (not yet committed).
    const first: ReassemblyOutput[] = [];
    const one = createTransactionConsumer(options);
    for await (const item of one) {
      first.push(item);
      if (first.length === 250) break;
    }
    // Second consumer, same group: goes on from the transaction in hand when the first stopped.
    const second: ReassemblyOutput[] = [];
    const two = createTransactionConsumer(options);
    const done = (async () => {
      for await (const item of two) {
        second.push(item);
        if (second.length === TRANSACTIONS - 249) break;
      }
    })();
    const timer = setTimeout(() => void two.stop(), 120_000);
    await done;
    clearTimeout(timer);

    assert.ok(first.every((o) => o.kind === 'transaction') && second.every((o) => o.kind === 'transaction'), 'only whole transactions');
    const ids = (items: ReassemblyOutput[]) => items.map((o) => (o.kind === 'transaction' ? o.transaction.id : o.kind));
    assert.deepEqual(ids(first), txns.slice(0, 250).map((x) => x.id), 'first consumer: commit order from the start');
    assert.deepEqual(ids(second), txns.slice(249).map((x) => x.id), 'second consumer: from the uncommitted #250 on, none lost, none twice');

    // Whole: every change of each transaction, in total_order, with its key.
    const byId = new Map(txns.map((x) => [x.id, x]));
    for (const item of [...first, ...second.slice(1)]) {
      if (item.kind !== 'transaction') continue;
      const planned = byId.get(item.transaction.id)!;
      assert.deepEqual(item.transaction.changes.map((c) => c.event), planned.changes.map((c) => c.event), `transaction ${item.transaction.id}`);
      assert.deepEqual(item.transaction.changes.map((c) => c.key), planned.changes.map((c) => c.key));
      assert.deepEqual(item.transaction.data_collections, planned.end.data_collections);
    }
    assert.ok(events.some((e) => e.type === 'paused'), 'partitions ahead of the awaited transaction were paused');
    assert.ok(events.some((e) => e.type === 'committed'));
  });
});
