import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ibmMqSourceSchema, sourceQueues } from '../../../../src/connectors/ibm-mq/spec.ts';

const base = { queue_manager: 'QM1', channel: 'DEV.APP.SVRCONN', connection: 'mq(1414)' };
const issues = (v: unknown) => {
  const r = ibmMqSourceSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('IBM MQ source spec', () => {
  it('keeps the first spec\'s keys: one queue, cipher_spec, batch settings', () => {
    const v = ibmMqSourceSchema.parse({ ...base, queue: 'ORDERS.IN', cipher_spec: 'ANY_TLS12', batch_size: 100, wait_interval_ms: 2000 });
    assert.deepEqual(sourceQueues(v), [{ name: 'ORDERS.IN', convertText: false }]);
    assert.deepEqual([v.reconnect, v.text_ccsid, v.convert_text, v.app_name, v.poll_interval_ms], ['disabled', 1208, false, 'banyan', 200]);
  });

  it('reads several queues, each with its own convert_text', () => {
    const v = ibmMqSourceSchema.parse({ ...base, convert_text: false, queues: ['ORDERS.IN', { name: 'NOTES.IN', convert_text: true }] });
    assert.deepEqual(sourceQueues(v), [
      { name: 'ORDERS.IN', convertText: false },
      { name: 'NOTES.IN', convertText: true },
    ]);
  });

  it('needs a queue, a channel or a CCDT, and one cipher spec', () => {
    assert.deepEqual(issues({ queue_manager: 'QM1', connection: 'mq(1414)' }), [
      'channel: name the SVRCONN `channel` or give a `ccdt_url`',
      'queue: name the queue to read: `queue` or `queues`',
    ]);
    assert.deepEqual(issues({ ...base, queue: 'A', queues: ['B'] }), ['queues: give either `queue` or `queues`, not both']);
    assert.deepEqual(issues({ ...base, queue: 'A', cipher_spec: 'X', tls: { cipher_spec: 'Y' } }), ['cipher_spec: `cipher_spec` and `tls.cipher_spec` differ; keep one']);
    assert.deepEqual(issues({ queue_manager: 'QM1', ccdt_url: 'file:///etc/mq/ccdt.json', queue: 'A' }), []);
    assert.deepEqual(issues({ ...base, queue: 'A', ccdt_url: 'ccdt.json' }), ['ccdt_url: expected a file://, http:// or https:// URL']);
    assert.deepEqual(issues({ ...base, queue: 'A', reconnect: 'sometimes' }).length, 1);
  });
});
