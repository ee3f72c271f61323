import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startLocalKafka } from '../../../../../src/connectors/kafka/local/index.ts';
import type { BanyanError } from '../../../../../src/core/errors.ts';

describe('startLocalKafka option checks', () => {
  it('refuses the same port for clients and controller before starting anything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banyan-kafka-opts-'));
    await assert.rejects(startLocalKafka({ dataDir, port: 45000, controllerPort: 45000 }), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID');
    assert.equal(existsSync(join(dataDir, 'kraft-logs')), false, 'storage was not formatted');
  });

  it('refuses a malformed Kafka version', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banyan-kafka-opts-'));
    await assert.rejects(startLocalKafka({ dataDir, version: '3.9' }), (e: BanyanError) => e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID');
  });

  it('refuses a Kafka older than the one that formatted the data dir, with how to migrate, before touching the dir or resolving jars', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banyan-kafka-opts-'));
    mkdirSync(join(dataDir, 'kraft-logs'));
    writeFileSync(join(dataDir, 'kraft-logs', 'meta.properties'), 'version=1\nnode.id=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\n');
    const state = JSON.stringify({ version: '4.4.0', formattedBy: '4.4.0', clusterId: 'AAAAAAAAAAAAAAAAAAAAAA', port: 45001, controllerPort: 45002 });
    writeFileSync(join(dataDir, 'banyan-local-kafka.json'), state);
    // 0.0.1 has no jars anywhere: resolving them would fail with JARS_UNAVAILABLE, not this code.
    for (const version of ['3.9.2', '0.0.1']) {
      await assert.rejects(startLocalKafka({ dataDir, version }), (e: BanyanError) => {
        assert.equal(e.code, 'BANYAN_ERR_KAFKA_DATA_DIR_TOO_NEW');
        assert.match(e.message, new RegExp(`formatted by Kafka 4\\.4\\.0, whose metadata Kafka ${version.replaceAll('.', '\\.')} cannot read`));
        assert.match(e.message, /run Kafka 4\.4\.0 or newer on it \(remove kafka\.embedded\.version\), or give the older Kafka a new data dir/);
        return true;
      });
    }
    assert.equal(readFileSync(join(dataDir, 'banyan-local-kafka.json'), 'utf8'), state, 'the remembered state is unchanged');
    assert.equal(existsSync(join(dataDir, 'server.properties')), false);
  });
});
