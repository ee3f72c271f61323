import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { redactSecrets, secretRedactPaths } from '../../../src/config/secrets.ts';

const config = {
  kafka: { brokers: ['b:1'], sasl: { mechanism: 'plain', username: 'app', password: 'pw-123' } },
  bridge: { source: { ibm_mq: { queue_manager: 'QM1', user: 'mq', password: 'mq-secret' } } },
  db: { url: 'db2://u:inline-secret@host' },
};

function logged(redact: string[], obj: object): string {
  let out = '';
  const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  pino({ redact }, sink).info(obj, 'config');
  return out;
}

test('secrets named by key or interpolated from the environment never reach the log', () => {
  const paths = secretRedactPaths(config, ['db.url']);
  const line = logged(paths, { config });
  for (const secret of ['pw-123', 'mq-secret', 'inline-secret']) assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
  assert.ok(line.includes('QM1'), 'non-secret values are still logged');
});

test('a password logged outside the config (a nested object in any log call) is redacted by key name', () => {
  const line = logged(secretRedactPaths({}, []), { connection: { options: { password: 'p4ss' } }, token: 't0k' });
  assert.ok(!line.includes('p4ss') && !line.includes('t0k'), line);
});

test('array indexes in interpolated paths become bracketed redact paths', () => {
  assert.ok(secretRedactPaths({}, ['kafka.brokers.0']).includes('config.kafka.brokers[0]'));
});

test('redactSecrets returns a printable copy with secrets replaced and the original untouched', () => {
  const copy = redactSecrets(config, ['db.url']) as typeof config;
  assert.equal(copy.kafka.sasl, '[Redacted]', 'a whole sasl block is a credential');
  assert.equal(copy.bridge.source.ibm_mq.password, '[Redacted]');
  assert.equal(copy.bridge.source.ibm_mq.queue_manager, 'QM1');
  assert.equal(copy.db.url, '[Redacted]');
  assert.equal(copy.kafka.brokers[0], 'b:1');
  assert.equal(config.kafka.sasl.password, 'pw-123');
});
