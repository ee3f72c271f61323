import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logConfigProperty, renderLogConfig, renderServerProperties } from '../../../../../src/connectors/kafka/local/broker-config.ts';

const props = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('renderServerProperties', () => {
  it('configures a single KRaft broker+controller on loopback with the given ports', () => {
    const p = props(renderServerProperties({ dataDir: '/d', port: 1234, controllerPort: 1235, major: 3 }));
    assert.equal(p['process.roles'], 'broker,controller');
    assert.equal(p['controller.quorum.voters'], '1@127.0.0.1:1235');
    assert.equal(p.listeners, 'PLAINTEXT://127.0.0.1:1234,CONTROLLER://127.0.0.1:1235');
    assert.equal(p['advertised.listeners'], 'PLAINTEXT://127.0.0.1:1234');
    assert.equal(p['log.dirs'], '/d/kraft-logs');
    assert.equal(p['auto.create.topics.enable'], 'false');
    assert.equal(p['offsets.topic.replication.factor'], '1');
    assert.equal(p['share.coordinator.state.topic.replication.factor'], undefined);
  });

  it('adds the share-group state topic settings only for Kafka 4', () => {
    const p = props(renderServerProperties({ dataDir: '/d', port: 1, controllerPort: 2, major: 4 }));
    assert.equal(p['share.coordinator.state.topic.replication.factor'], '1');
  });
});

describe('renderLogConfig', () => {
  it('writes reload4j properties for Kafka 3 and log4j2 properties for Kafka 4, both into kafka.log', () => {
    const v3 = { dataDir: '/d', port: 1, controllerPort: 2, major: 3 };
    const v4 = { ...v3, major: 4 };
    assert.match(renderLogConfig(v3), /log4j\.appender\.file\.File=\/d\/kafka\.log/);
    assert.match(renderLogConfig(v4), /appender\.file\.fileName = \/d\/kafka\.log/);
    assert.equal(logConfigProperty(v3), '-Dlog4j.configuration=file:/d/log4j.properties');
    assert.equal(logConfigProperty(v4), '-Dlog4j2.configurationFile=/d/log4j.properties');
  });
});
