import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfigText } from '../../../../src/config/load.ts';
import { formatIssue } from '../../../../src/config/issues.ts';
import { secretRedactPaths } from '../../../../src/config/secrets.ts';
import { gatewaySchema, resolveGatewayConfig } from '../../../../src/gateway-config.ts';

function parse(text: string, env: NodeJS.ProcessEnv = {}) {
  const r = checkConfigText('banyan.yaml', text, gatewaySchema, { env });
  if (!r.ok) assert.fail(r.issues.map(formatIssue).join('\n'));
  return r.config.value;
}

function issues(text: string) {
  const r = checkConfigText('banyan.yaml', text, gatewaySchema, { env: {} });
  assert.equal(r.ok, false, 'the config is refused');
  return r.ok ? [] : r.issues.map(formatIssue);
}

describe('banyan.yaml jms.amqp', () => {
  it('is absent by default: no listener', () => {
    assert.equal(parse('{}\n').jms, undefined);
  });

  it('takes host, port, users (password from the environment) and defaults the rest', () => {
    const c = parse('jms:\n  amqp:\n    port: "${P}"\n    users: [{ username: app, password: "${PW}" }]\n', { P: '5673', PW: 's3cret' });
    assert.deepEqual(c.jms?.amqp, { host: '127.0.0.1', port: 5673, users: [{ username: 'app', password: 's3cret' }], anonymous: false, container_id: 'banyan' });
  });

  it('redacts the users\' passwords when the config is logged', () => {
    assert.ok(secretRedactPaths(gatewaySchema).includes('config.jms.amqp.users[*].password'));
  });

  it('refuses a listener nobody could log in to, at the users key', () => {
    assert.deepEqual(issues('jms:\n  amqp:\n    port: 5672\n'), ['banyan.yaml:3:5: rule: no client could log in: list users, or set anonymous: true (at jms.amqp.users)']);
  });

  it('accepts anonymous: true without users', () => {
    assert.equal(parse('jms: { amqp: { anonymous: true } }\n').jms?.amqp?.anonymous, true);
  });

  it('reports a duplicate user, an unknown key and a bad port at their place', () => {
    assert.deepEqual(
      issues('jms:\n  amqp:\n    port: 99999\n    user: x\n    users:\n      - { username: a, password: p }\n      - { username: a, password: q }\n'),
      [
        'banyan.yaml:3:11: range: Too big: expected number to be <=65535 (at jms.amqp.port)',
        'banyan.yaml:4:5: unknown-key: unknown key "user" (at jms.amqp.user)',
        'banyan.yaml:7:21: rule: user a is listed twice (at jms.amqp.users[1].username)',
      ],
    );
    assert.deepEqual(issues('jms:\n  amqp:\n    users:\n      - { username: a, password: p }\n      - { username: a, password: q }\n'), [
      'banyan.yaml:5:21: rule: user a is listed twice (at jms.amqp.users[1].username)',
    ]);
  });

  it('resolves TLS files against the config file\'s directory', () => {
    const c = parse('jms: { amqp: { anonymous: true, tls: { cert_file: c.pem, key_file: /abs/k.pem } } }\n');
    const resolved = resolveGatewayConfig(c, '/etc/banyan');
    assert.deepEqual(resolved.jms?.amqp?.tls, { cert_file: '/etc/banyan/c.pem', key_file: '/abs/k.pem', ca_file: undefined, require_client_cert: false });
  });

  it('refuses require_client_cert without a ca_file', () => {
    assert.deepEqual(issues('jms: { amqp: { anonymous: true, tls: { cert_file: c, key_file: k, require_client_cert: true } } }\n').length, 1);
  });
});
