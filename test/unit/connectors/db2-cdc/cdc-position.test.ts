import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCovered, nextPollDelay, parsePosition, positionAfter, windowStart, type CdcRecordPlace } from '../../../../src/connectors/db2-cdc/cdc-position.ts';

const A = 'aa';
const B = 'bb';
const complete = { commit_lsn: A, change_lsn: null, event_serial_no: 0 };
const mid = (change: string, serial = 1) => ({ commit_lsn: A, change_lsn: change, event_serial_no: serial });

describe('CDC positions', () => {
  it('names the last record of a batch', () => {
    assert.deepEqual(positionAfter({ commitLsn: A, kind: 'end' }), complete);
    assert.deepEqual(positionAfter({ commitLsn: A, kind: 'change', changeLsn: '05' }), mid('05'));
    assert.deepEqual(positionAfter({ commitLsn: A, kind: 'assembled', changeLsn: '05' }), mid('05', 2));
    assert.throws(() => positionAfter({ commitLsn: A, kind: 'begin' }));
  });

  const cases: ReadonlyArray<[string, ReturnType<typeof mid> | typeof complete | undefined, CdcRecordPlace, boolean]> = [
    ['nothing is covered without a position', undefined, { commitLsn: A, kind: 'begin' }, false],
    ['an earlier transaction is covered', complete, { commitLsn: '99', kind: 'end' }, true],
    ['a later transaction is not', complete, { commitLsn: B, kind: 'begin' }, false],
    ['a complete transaction covers its END', complete, { commitLsn: A, kind: 'end' }, true],
    ['mid-transaction: BEGIN is covered', mid('05'), { commitLsn: A, kind: 'begin' }, true],
    ['mid-transaction: changes at or below change_lsn are covered', mid('05'), { commitLsn: A, kind: 'change', changeLsn: '05' }, true],
    ['mid-transaction: changes above are not', mid('05'), { commitLsn: A, kind: 'change', changeLsn: '06' }, false],
    ['mid-transaction: END is not', mid('05'), { commitLsn: A, kind: 'end' }, false],
    ['the assembled record after the last change is not covered by that change', mid('05'), { commitLsn: A, kind: 'assembled', changeLsn: '05' }, false],
    ['the assembled record is covered by its own position', mid('05', 2), { commitLsn: A, kind: 'assembled', changeLsn: '05' }, true],
  ];
  for (const [name, position, place, covered] of cases) it(name, () => assert.equal(isCovered(position, place), covered));

  it('starts the first window after a complete transaction, or at the one in flight', () => {
    assert.deepEqual(windowStart(undefined), { after: null, lower: 'exclusive' });
    assert.deepEqual(windowStart(complete), { after: A, lower: 'exclusive' });
    assert.deepEqual(windowStart(mid('05')), { after: A, lower: 'inclusive' });
  });

  it('refuses a checkpoint that is not a CDC position', () => {
    assert.deepEqual(parsePosition('gw', { ...complete }), complete);
    assert.equal(parsePosition('gw', undefined), undefined);
    assert.throws(() => parsePosition('gw', { file: 'x', offset: 3 }), /BANYAN_ERR_CDC_POSITION_INVALID|not a CDC position/);
  });

  it('backs the poll interval off while idle and returns to the minimum on changes', () => {
    const limits = { min: 100, max: 1000 };
    const seq: number[] = [];
    let d = 100;
    for (const found of [false, false, false, false, false, true, false]) seq.push((d = nextPollDelay(d, found, limits)));
    assert.deepEqual(seq, [200, 400, 800, 1000, 1000, 100, 200]);
  });
});
