import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeEvent } from '../../../../src/connectors/db2-cdc/change-event.ts';
import { TransactionReassembler, type ReassemblyOutput } from '../../../../src/connectors/db2-cdc/transaction-reassembly.ts';
import { BanyanError } from '../../../../src/core/errors.ts';
import { cdcTransaction, hexLsn, type CdcTransaction } from '../../../support/cdc-events.ts';

const TXN_TOPIC = 'getwell.transaction';
const topicOf = (table: string) => `getwell.${table}`;

/** Feeds records the way a consumer sees them, numbering offsets per partition. */
class Feed {
  readonly r: TransactionReassembler;
  private readonly offsets = new Map<string, number>();
  constructor(maxBufferedEvents = 1000) {
    this.r = new TransactionReassembler({ maxBufferedEvents });
  }
  private at(topic: string, partition: number) {
    const tp = `${topic}/${partition}`;
    const offset = this.offsets.get(tp) ?? 0;
    this.offsets.set(tp, offset + 1);
    return { topic, partition, offset: String(offset) };
  }
  begin(t: CdcTransaction) {
    this.r.accept({ kind: 'boundary', boundary: t.begin, at: this.at(TXN_TOPIC, 0) });
  }
  end(t: CdcTransaction) {
    this.r.accept({ kind: 'boundary', boundary: t.end, at: this.at(TXN_TOPIC, 0) });
  }
  change(t: CdcTransaction, i: number, partition = 0) {
    const c = t.changes[i];
    this.r.accept({ kind: 'change', key: c.key, event: c.event, at: this.at(topicOf(`${c.event.source.schema}.${c.event.source.table}`), partition) });
  }
  /** Released transactions as `id:total_orders`. */
  released(): string[] {
    return this.r.take().map((r) => summary(r.output));
  }
}

function summary(o: ReassemblyOutput): string {
  if (o.kind === 'transaction') return `${Number.parseInt(o.transaction.id, 16)}:${o.transaction.changes.map((c) => c.event.transaction!.total_order).join(',')}`;
  if (o.kind === 'orphan') return `orphan ${Number.parseInt(o.id, 16)}:${o.changes.map((c) => c.event.transaction!.total_order).join(',')}`;
  return `snapshot ${JSON.stringify(o.key)}`;
}

const t1 = cdcTransaction(1, [
  { table: 'APP.ACCOUNTS', op: 'u', key: { ID: '1' } },
  { table: 'APP.LEDGER', op: 'c', key: { ID: '10' } },
  { table: 'APP.ACCOUNTS', op: 'u', key: { ID: '2' } },
]);
const t2 = cdcTransaction(2, [{ table: 'APP.LEDGER', op: 'c', key: { ID: '11' } }]);
const t3 = cdcTransaction(3, [
  { table: 'APP.ORDERS', op: 'd', key: { ID: '5' } },
  { table: 'APP.ACCOUNTS', op: 'u', key: { ID: '1' } },
]);

describe('transaction reassembly', () => {
  it('releases whole transactions in commit order whatever the interleaving of topics and partitions', () => {
    const f = new Feed();
    // Changes before their BEGIN, later transactions' changes before earlier ones' on other partitions.
    f.change(t2, 0, 1);
    f.change(t3, 0, 0);
    f.change(t1, 1, 0);
    f.begin(t1);
    f.change(t1, 0, 0);
    f.end(t1);
    assert.deepEqual(f.released(), [], 't1 still misses change 3');
    f.begin(t2);
    f.end(t2);
    f.begin(t3);
    assert.deepEqual(f.released(), [], 't2 may not overtake t1');
    f.change(t1, 2, 1);
    assert.deepEqual(f.released(), ['1:1,2,3', '2:1']);
    f.change(t3, 1, 0);
    f.end(t3);
    assert.deepEqual(f.released(), ['3:1,2']);
    assert.deepEqual(f.r.stats(), { released: 3, duplicates: 0, orphans: 0, bufferedEvents: 0 });
  });

  it('drops the duplicates of a bridge restarted inside a transaction, identified by position', () => {
    const f = new Feed();
    f.begin(t1);
    f.change(t1, 0);
    f.change(t1, 1);
    // The bridge died before t1's END; the restarted bridge writes t1 again from its start.
    f.begin(t1);
    f.change(t1, 0);
    f.change(t1, 1);
    f.change(t1, 2);
    f.end(t1);
    assert.deepEqual(f.released(), ['1:1,2,3']);
    assert.equal(f.r.stats().duplicates, 3);
  });

  it('drops copies of transactions already released (a consumer re-reading after a restart or rebalance)', () => {
    const f = new Feed();
    for (const t of [t1, t2]) {
      f.begin(t);
      t.changes.forEach((_, i) => f.change(t, i));
      f.end(t);
    }
    assert.deepEqual(f.released(), ['1:1,2,3', '2:1']);
    f.begin(t1);
    f.change(t1, 2);
    f.end(t2);
    assert.deepEqual(f.released(), []);
    assert.equal(f.r.stats().duplicates, 3);
  });

  it('hands snapshot reads out as they come', () => {
    const f = new Feed();
    const read: ChangeEvent = { ...t1.changes[0].event, op: 'r', transaction: null, source: { ...t1.changes[0].event.source, snapshot: 'true', change_lsn: null } };
    f.r.accept({ kind: 'change', key: { ID: '1' }, event: read, at: { topic: 'getwell.APP.ACCOUNTS', partition: 0, offset: '0' } });
    assert.deepEqual(f.released(), ['snapshot {"ID":"1"}']);
  });

  it('hands out the changes of a transaction whose BEGIN was never read as an orphan, before the next transaction', () => {
    const f = new Feed();
    // Reading started after t1's BEGIN (or retention removed it).
    f.change(t1, 0);
    f.change(t1, 1);
    f.change(t1, 2);
    f.end(t1);
    f.begin(t2);
    f.change(t2, 0);
    f.end(t2);
    assert.deepEqual(f.released(), ['orphan 1:1,2,3', '2:1']);
    assert.equal(f.r.stats().orphans, 1);
  });

  it('commits offsets only below the first record still held for an unreleased transaction', () => {
    const f = new Feed();
    f.begin(t1); // txn/0 offset 0
    f.change(t1, 0); // ACCOUNTS/0 offset 0
    f.change(t1, 1); // LEDGER/0 offset 0
    f.change(t1, 2); // ACCOUNTS/0 offset 1
    f.end(t1); // txn/0 offset 1
    f.begin(t2); // txn/0 offset 2
    assert.deepEqual(Object.fromEntries(f.r.committable()), { [`${TXN_TOPIC}/0`]: '2', 'getwell.APP.ACCOUNTS/0': '2', 'getwell.APP.LEDGER/0': '1' });
    f.change(t2, 0); // LEDGER/0 offset 1
    assert.equal(f.r.committable().get('getwell.APP.LEDGER/0'), '1', 't2 is not released yet');
    f.end(t2);
    assert.deepEqual(Object.fromEntries(f.r.committable()), { [`${TXN_TOPIC}/0`]: '4', 'getwell.APP.ACCOUNTS/0': '2', 'getwell.APP.LEDGER/0': '2' });
    // Each release carries the offsets safe to commit once it (and all before it) is processed.
    assert.deepEqual(f.r.take().map((r) => r.offsets.get('getwell.APP.LEDGER/0')), ['1', '2']);
  });

  it('names the partitions that hold nothing more of the transaction waited for', () => {
    const f = new Feed();
    f.begin(t1);
    f.change(t1, 0, 0);
    f.end(t1);
    f.begin(t2);
    f.change(t2, 0, 0); // LEDGER/0 moved on to t2; t1's LEDGER change is on LEDGER/1
    assert.equal(f.r.head(), hexLsn(1));
    assert.deepEqual(f.r.aheadPartitions(), [{ topic: TXN_TOPIC, partition: 0 }, { topic: 'getwell.APP.LEDGER', partition: 0 }]);
  });

  it('fails when more changes are buffered than allowed, naming the transaction waited for', () => {
    const f = new Feed(2);
    f.begin(t1);
    f.change(t1, 0);
    f.change(t1, 1);
    assert.throws(() => f.change(t1, 2), (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_TRANSACTION_TOO_LARGE' && err.message.includes(hexLsn(1)) && err.message.includes('more than 2'));
  });

  it('refuses an END whose count is below the distinct changes that arrived', () => {
    const f = new Feed();
    f.begin(t1);
    t1.changes.forEach((_, i) => f.change(t1, i));
    assert.throws(() => f.r.accept({ kind: 'boundary', boundary: { ...t1.end, event_count: 2 }, at: { topic: TXN_TOPIC, partition: 0, offset: '9' } }), { code: 'BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT' });
  });
});
