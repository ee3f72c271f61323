import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  assertDataDirFree,
  freeLoopbackPorts,
  newClusterId,
  readDataDirState,
  writeDataDirState,
  writePidFile,
} from '../../../../../src/connectors/kafka/local/data-dir.ts';
import { kafkaCacheRoot, kafkaMajorVersion } from '../../../../../src/connectors/kafka/local/jars.ts';
import { BanyanError } from '../../../../../src/core/errors.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'banyan-kafka-datadir-'));

describe('data dir state', () => {
  it('remembers cluster id and ports between starts', async () => {
    const dir = tempDir();
    assert.equal(readDataDirState(dir), undefined);
    const state = { version: '3.9.2', clusterId: newClusterId(), port: 40001, controllerPort: 40002 };
    await writeDataDirState(dir, state);
    assert.deepEqual(readDataDirState(dir), state);
  });

  it('remembers which version formatted the storage, and reads state files written before it was recorded', async () => {
    const dir = tempDir();
    const state = { version: '4.4.0', formattedBy: '3.9.2', clusterId: newClusterId(), port: 40001, controllerPort: 40002 };
    await writeDataDirState(dir, state);
    assert.deepEqual(readDataDirState(dir), state);
    writeFileSync(join(dir, 'banyan-local-kafka.json'), JSON.stringify({ version: '3.9.2', clusterId: 'x', port: 40001, controllerPort: 40002 }));
    assert.equal(readDataDirState(dir)?.formattedBy, undefined);
  });

  it('rejects a state file without ports with DATA_DIR_INVALID', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'banyan-local-kafka.json'), '{"version":"3.9.2","clusterId":"x"}');
    assert.throws(() => readDataDirState(dir), (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_DATA_DIR_INVALID');
  });

  it('ignores a leftover pid file whose process is not a broker of this data dir', async () => {
    const dir = tempDir();
    await writePidFile(dir, process.pid); // this test runner: alive, but not Kafka
    assert.doesNotThrow(() => assertDataDirFree(dir));
  });

  it('treats a dir without a pid file as free', () => {
    assert.doesNotThrow(() => assertDataDirFree(tempDir()));
  });
});

describe('newClusterId', () => {
  it('makes 22-character URL-safe base64 ids like Kafka Uuid, never starting with a dash', () => {
    for (let i = 0; i < 500; i++) assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

describe('freeLoopbackPorts', () => {
  it('returns distinct usable ports', async () => {
    const [a, b] = await freeLoopbackPorts(2);
    assert.notEqual(a, b);
    assert.ok(a > 0 && b > 0);
  });
});

describe('jar cache location', () => {
  it('uses $XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    assert.equal(kafkaCacheRoot({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/banyan/kafka');
    assert.match(kafkaCacheRoot({ XDG_CACHE_HOME: 'relative' }), /\/\.cache\/banyan\/kafka$/);
    assert.match(kafkaCacheRoot({}), /\/\.cache\/banyan\/kafka$/);
  });

  it('reads the major version and rejects malformed versions', () => {
    assert.equal(kafkaMajorVersion('3.9.2'), 3);
    assert.equal(kafkaMajorVersion('4.4.0'), 4);
    assert.throws(() => kafkaMajorVersion('latest'), (e: unknown) => e instanceof BanyanError && e.code === 'BANYAN_ERR_KAFKA_CONFIG_INVALID');
  });
});
