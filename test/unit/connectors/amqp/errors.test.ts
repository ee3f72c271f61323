import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { errorOfCondition } from '../../../../src/connectors/amqp/amqp-conditions.ts';
import { AmqpErrors } from '../../../../src/connectors/amqp/errors.ts';
import { errorCatalog } from '../../../../src/core/errors.ts';

const readme = readFileSync(new URL('../../../../src/connectors/amqp/README.md', import.meta.url), 'utf8');

describe('AMQP error codes', () => {
  it('documents every code with its retriable flag in src/connectors/amqp/README.md', () => {
    const codes = Object.keys(AmqpErrors);
    assert.ok(codes.length >= 10);
    for (const code of codes) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is not documented`);
      const retriable = errorCatalog().get(code)?.retriable === true;
      assert.equal(row.split('|')[2].trim(), retriable ? 'yes' : 'no', `${code}: documented retriable flag`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...readme.matchAll(/^\| `(BANYAN_ERR_AMQP_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.filter((c) => !(c in AmqpErrors)), []);
  });
});

describe('AMQP error conditions', () => {
  it('maps not-found and unauthorized-access to codes that are not retried', () => {
    const notFound = errorOfCondition({ condition: 'amqp:not-found', description: 'no queue ORDERS' }, { what: 'receiver', node: 'ORDERS' });
    assert.deepEqual([notFound.code, notFound.retriable], ['BANYAN_ERR_AMQP_NOT_FOUND', false]);
    assert.match(notFound.message, /ORDERS.*no queue ORDERS/);
    const denied = errorOfCondition({ condition: 'amqp:unauthorized-access' }, { what: 'connection', node: 'h:5672' });
    assert.deepEqual([denied.code, denied.retriable], ['BANYAN_ERR_AMQP_UNAUTHORIZED', false]);
  });

  it('takes any other condition as transient: a lost connection or a refused link, both retried', () => {
    const forced = errorOfCondition({ condition: 'amqp:connection:forced' }, { what: 'connection', node: 'h:5672' });
    assert.deepEqual([forced.code, forced.retriable], ['BANYAN_ERR_AMQP_CONNECTION_LOST', true]);
    const limit = errorOfCondition({ condition: 'amqp:resource-limit-exceeded' }, { what: 'sender', node: 'OUT' });
    assert.deepEqual([limit.code, limit.retriable], ['BANYAN_ERR_AMQP_LINK_REFUSED', true]);
    assert.equal(errorOfCondition(undefined, { what: 'receiver', node: 'Q' }).retriable, true);
  });
});
