import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MqErrors } from '../../../../src/connectors/ibm-mq/errors.ts';
import { REASON_CODES, toMqError } from '../../../../src/connectors/ibm-mq/mqrc.ts';
import { errorCatalog } from '../../../../src/core/errors.ts';
import { MQError } from '../../../support/fake-ibmmq-structs.ts';

const readme = readFileSync(new URL('../../../../src/connectors/ibm-mq/README.md', import.meta.url), 'utf8');

describe('IBM MQ error codes', () => {
  it('documents every code with its retriable flag in src/connectors/ibm-mq/README.md', () => {
    const codes = Object.keys(MqErrors);
    assert.ok(codes.length > 10);
    for (const code of codes) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is not documented`);
      const retriable = errorCatalog().get(code)?.retriable === true;
      assert.equal(row.split('|')[2].trim(), retriable ? 'yes' : 'no', `${code}: documented retriable flag`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...readme.matchAll(/^\| `(BANYAN_ERR_MQ_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.filter((c) => !(c in MqErrors)), []);
  });

  it('names each reason code of the table in the README row of its code', () => {
    for (const [rc, { code }] of REASON_CODES) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`))!;
      assert.ok(row.includes(String(rc)), `${code}'s row should list ${rc}`);
    }
  });

  it('maps the retriable reason codes as decided, with the MQRC number and name in the message', () => {
    const retriable = [2009, 2059, 2161, 2162, 2538, 2537, 2548, 2556, 2195, 2016, 2051, 2003, 2053];
    const not = [2085, 2035, 2018, 2019, 2500, 2024, 2058, 2393, 2030];
    for (const rc of [...retriable, ...not]) {
      const err = toMqError(new MQError(2, rc, 'GET'), 'MQGET', 'ORDERS.IN');
      assert.equal(err.retriable, retriable.includes(rc), `${rc}: ${err.message}`);
      assert.ok(err.message.includes(`MQRC ${rc} ${REASON_CODES.get(rc)!.name}`), err.message);
      assert.ok(err.message.startsWith('MQGET on ORDERS.IN failed'), err.message);
    }
    const other = toMqError(new MQError(2, 2046, 'PUT'), 'MQPUT', 'Q');
    assert.deepEqual([other.code, other.retriable], ['BANYAN_ERR_MQ_CALL_FAILED', false]);
    assert.ok(other.message.includes('MQRC 2046'), other.message);
  });
});
