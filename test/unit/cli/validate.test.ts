import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runBanyan } from '../../support/cli.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const banyan = (argv: string[], env: NodeJS.ProcessEnv = {}) => runBanyan(argv, { cwd: repoRoot, env });

test('validate lists every mistake in a broken project as file:line:col: rule: message and exits 1', async () => {
  const r = await banyan(['validate', '--dir', 'test/fixtures/config/broken']);
  assert.equal(r.code, 1);
  const b = 'test/fixtures/config/broken';
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    `${b}/banyan.yaml:4:17: range: Too small: expected number to be >=1 (at kafka.topics.partitions)`,
    `${b}/banyan.yaml:8:15: env-missing: environment variable BANYAN_TEST_MISSING_SECRET is not set (at kafka.sasl.password)`,
    `${b}/banyan.yaml:10:3: unknown-key: unknown key "prot" (at http.prot)`,
    `${b}/banyan.yaml:12:10: enum: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (at log.level)`,
    `${b}/bridges/duplicate.yaml:2:1: duplicate-key: Map keys must be unique`,
    `${b}/bridges/orders-mq.yaml:3:89: type: Invalid input: expected number, received string (at source.ibm_mq.batch_size)`,
    `${b}/bridges/orders-mq.yaml:4:10: reference: mapping file "mappings/records/missing.yaml" does not exist (at mapping)`,
    `${b}/bridges/orders-mq2.yaml:2:7: duplicate-name: bridge name "orders-mq" is already used by ${b}/bridges/orders-mq.yaml (at name)`,
    `${b}/bridges/payments.yaml:1:1: required: required field "sink" is missing (at sink)`,
    `${b}/bridges/payments.yaml:4:3: one-of: source has amqp and db2_cdc; a bridge reads exactly one of file, kafka, ibm_mq, amqp, db2_cdc (at source.db2_cdc)`,
    `${b}/mappings/routes/bad.yaml:3:1: yaml-syntax: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    `${b}/mappings/routes/old-keys.yaml:5:51: renamed-key: 'timeoutMs' is now 'timeout_ms' (at routes[0].legacy.timeoutMs)`,
  ]);
  assert.match(r.stderr, /^12 issue\(s\) in 7 of 8 file\(s\)$/m);
  assert.match(r.stderr, new RegExp(`^note: ${b}/mappings/route/orders\\.yaml: not a Banyan config file kind, not checked$`, 'm'));
});

test('validate accepts a valid project, reports what it checked and exits 0', async () => {
  const env = { BANYAN_TEST_KAFKA_PASSWORD: 'k', BANYAN_TEST_DB2_PASSWORD: 'd' };
  const r = await banyan(['validate', '--dir', 'test/fixtures/config/valid'], env);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'ok: 5 file(s) valid (1 gateway, 2 bridge, 1 record-mapping, 1 route)\n');
  assert.equal(r.code, 0);
});

test('validate reports an unset secret in a valid project as env-missing', async () => {
  const r = await banyan(['validate', '--dir', 'test/fixtures/config/valid'], { BANYAN_TEST_KAFKA_PASSWORD: 'k' });
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'test/fixtures/config/valid/bridges/accounts-cdc.yaml:8:15: env-missing: environment variable BANYAN_TEST_DB2_PASSWORD is not set (at source.db2_cdc.password)',
  ]);
});

test("validate reports Kafka's mutual-TLS pairing rule at its place and accepts an IPv6 broker", async () => {
  const r = await banyan(['validate', '--dir', 'test/fixtures/config/kafka-tls']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'test/fixtures/config/kafka-tls/banyan.yaml:7:16: requires: cert_file needs key_file: mutual TLS takes the client certificate and its private key together (at kafka.ssl.cert_file)',
  ]);
});

test('validate --config checks the named file and fails when it does not exist', async () => {
  const ok = await banyan(['validate', '--config', 'test/fixtures/config/valid/banyan.yaml', '--dir', 'test/fixtures/config/valid'], {
    BANYAN_TEST_KAFKA_PASSWORD: 'k',
    BANYAN_TEST_DB2_PASSWORD: 'd',
  });
  assert.equal(ok.code, 0);
  const missing = await banyan(['validate', '--config', 'test/fixtures/config/nope.yaml', '--dir', 'test/fixtures/config/valid']);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /^test\/fixtures\/config\/nope\.yaml:1:1: file-unreadable: file does not exist$/m);
});

test('validate rejects an unknown option with exit code 2', async () => {
  const r = await banyan(['validate', '--cnofig', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown option '--cnofig'/);
});
