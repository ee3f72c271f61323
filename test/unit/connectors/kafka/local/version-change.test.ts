import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideVersionChange } from '../../../../../src/connectors/kafka/local/version-change.ts';
import { BanyanError } from '../../../../../src/core/errors.ts';

describe('which Kafka version may run on a data dir', () => {
  it('formats a dir without storage, whatever ran there before', () => {
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: false }), { kind: 'format' });
    assert.deepEqual(decideVersionChange({ version: '3.9.2', formatted: false, lastRun: '4.4.0', formattedBy: '4.4.0' }), { kind: 'format' });
  });

  it('lets a newer Kafka take over a dir an older one formatted (3.9.2 -> 4.4.0), never formatting it again', () => {
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: true, lastRun: '3.9.2', formattedBy: '3.9.2' }), { kind: 'upgrade', from: '3.9.2' });
    // .banyan/kafka dirs from launchers that did not record formattedBy (the 3.9.2 default) upgrade too.
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: true, lastRun: '3.9.2' }), { kind: 'upgrade', from: '3.9.2' });
  });

  it('lets an older Kafka back onto a dir it can still read: the dir keeps the metadata.version it was formatted with', () => {
    assert.deepEqual(decideVersionChange({ version: '3.9.2', formatted: true, lastRun: '4.4.0', formattedBy: '3.9.2' }), { kind: 'downgrade', from: '4.4.0' });
    // Patch releases of one feature release share its metadata.version.
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: true, lastRun: '4.4.1', formattedBy: '4.4.1' }), { kind: 'downgrade', from: '4.4.1' });
  });

  it('refuses a Kafka older than the one that formatted the dir (it cannot read that metadata log)', () => {
    assert.deepEqual(decideVersionChange({ version: '3.9.2', formatted: true, lastRun: '4.4.0', formattedBy: '4.4.0' }), { kind: 'refuse', formattedBy: '4.4.0' });
    assert.deepEqual(decideVersionChange({ version: '4.2.0', formatted: true, lastRun: '4.4.0', formattedBy: '4.3.1' }), { kind: 'refuse', formattedBy: '4.3.1' });
  });

  it('reports no change for the same version, or a formatted dir with no remembered version', () => {
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: true, lastRun: '4.4.0', formattedBy: '4.4.0' }), { kind: 'same' });
    assert.deepEqual(decideVersionChange({ version: '4.4.0', formatted: true }), { kind: 'same' });
  });

  it('rejects malformed versions with CONFIG_INVALID', () => {
    assert.throws(
      () => decideVersionChange({ version: '4.4', formatted: true, lastRun: '3.9.2', formattedBy: '3.9.2' }),
      (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID',
    );
  });
});
