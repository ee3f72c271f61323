import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleTransaction } from '../../../../src/connectors/db2-cdc/assembled-transaction.ts';
import { BanyanError } from '../../../../src/core/errors.ts';
import { cdcTransaction, hexLsn } from '../../../support/cdc-events.ts';

const txn = cdcTransaction(7, [
  { table: 'APP.ACCOUNTS', op: 'u', key: { ACCOUNT_ID: '1001' } },
  { table: 'APP.LEDGER', op: 'c', key: { ENTRY_ID: '9' } },
  { table: 'APP.ACCOUNTS', op: 'u', key: { ACCOUNT_ID: '1002' } },
]);

describe('assembled transaction', () => {
  it('holds every change in commit order, keyed by the first change\'s entity key, with the commit time and LSN', () => {
    const shuffled = [txn.changes[2], txn.changes[0], txn.changes[1]];
    const record = assembleTransaction(txn.end, shuffled);
    assert.deepEqual(record.key, { ACCOUNT_ID: '1001' });
    assert.equal(record.value.id, hexLsn(7));
    assert.equal(record.value.commit_lsn, hexLsn(7));
    assert.equal(record.value.ts_ms, txn.end.ts_ms);
    assert.deepEqual(record.value.events.map((e) => e.transaction?.total_order), [1, 2, 3]);
    assert.deepEqual(record.value.events, txn.changes.map((c) => c.event));
  });

  const broken: ReadonlyArray<readonly [string, () => unknown, string]> = [
    ['a BEGIN instead of the END', () => assembleTransaction(txn.begin, txn.changes), 'expected its END boundary, got BEGIN'],
    ['no events', () => assembleTransaction(txn.end, []), 'no change events'],
    ['a missing event (gap)', () => assembleTransaction(txn.end, [txn.changes[0], txn.changes[2]]), 'total_order 3 where 2 was expected'],
    ['a repeated event', () => assembleTransaction(txn.end, [...txn.changes, txn.changes[1]]), 'where 3 was expected'],
    ['an event of another transaction', () => assembleTransaction(txn.end, [txn.changes[0], cdcTransaction(8, [{ table: 'APP.LEDGER', op: 'c', key: { ENTRY_ID: '1' } }, { table: 'APP.LEDGER', op: 'c', key: { ENTRY_ID: '2' } }]).changes[1], txn.changes[2]]), `belongs to transaction ${hexLsn(8)}`],
    ['an END count that disagrees', () => assembleTransaction({ ...txn.end, event_count: 4 }, txn.changes), 'END says 4 events, 3 were written'],
    ['data_collections that disagree', () => assembleTransaction({ ...txn.end, data_collections: [{ data_collection: 'APP.ACCOUNTS', event_count: 3 }] }, txn.changes), 'do not match the events APP.ACCOUNTS=2,APP.LEDGER=1'],
    ['a snapshot read among the events', () => assembleTransaction(txn.end, [{ ...txn.changes[0], event: { ...txn.changes[0].event, transaction: null } }]), 'a snapshot read'],
  ];
  for (const [name, run, text] of broken) {
    it(`refuses ${name}`, () =>
      assert.throws(run, (err: BanyanError) => err.code === 'BANYAN_ERR_CDC_TRANSACTION_INCONSISTENT' && err.message.startsWith(`transaction ${hexLsn(7)}: `) && err.message.includes(text), name));
  }
});
