import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
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
});
