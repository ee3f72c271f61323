/**
 * The fake driver (test/support/fake-ibmmq*.ts) checked against the real ibmmq package: its
 * constants, structure defaults and MQError text come from node_modules/ibmmq/lib, whose pure-JS
 * files load without the native addon or IBM's C client (only lib/mqi.js needs those). A constant
 * the fake got wrong, or a field the real structure does not have, fails here instead of hiding a
 * transport bug behind a fake that agrees with it.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { MQI_CONSTANT_NAMES } from '../../../../src/connectors/ibm-mq/mqi-api.ts';
import { REASON_CODES } from '../../../../src/connectors/ibm-mq/mqrc.ts';
import * as fake from '../../../support/fake-ibmmq-structs.ts';

const require = createRequire(new URL('../../../../package.json', import.meta.url));
const lib = (name: string) => require(`ibmmq/lib/${name}.js`) as Record<string, unknown>;
const realMQC = lib('mqidefs') as Record<string, unknown>;
const realTypes = lib('mqitypes') as { MQError: new (cc: number, rc: number, verb: string) => Error; Lookup: (r: string, v: number) => string | null };

describe('fake ibmmq driver against the real package', () => {
  it('uses the real value of every constant it defines (lib/mqidefs.js)', () => {
    const wrong = Object.entries({ ...fake.FAKE_MQC, ...fake.FAKE_MQC_STRINGS }).filter(([name, value]) => realMQC[name] !== value);
    assert.deepEqual(wrong, []);
    assert.ok(Object.keys(fake.FAKE_MQC).length > 90);
  });

  it('defines every constant the transport uses', () => {
    assert.deepEqual(MQI_CONSTANT_NAMES.filter((n) => !(n in fake.FAKE_MQC)), []);
  });

  for (const [struct, file] of [
    ['MQMD', 'mqmd'], ['MQGMO', 'mqgmo'], ['MQPMO', 'mqpmo'], ['MQOD', 'mqod'], ['MQCD', 'mqcd'], ['MQSCO', 'mqsco'],
    ['MQCSP', 'mqcsp'], ['MQCNO', 'mqcno'], ['MQCMHO', 'mqmho'], ['MQDMHO', 'mqmho'], ['MQIMPO', 'mqmpo'], ['MQSMPO', 'mqmpo'], ['MQPD', 'mqmpo'],
  ] as const) {
    it(`${struct}: every field the fake has exists in the real structure with the same default, and both are sealed`, () => {
      const Real = lib(file)[struct] as new () => Record<string, unknown>;
      const real = new Real();
      const mine = new (fake[struct] as unknown as new () => Record<string, unknown>)();
      for (const [field, value] of Object.entries(mine)) {
        assert.ok(field in real, `${struct}.${field} is not a field of the real ${struct}`);
        assert.deepEqual(value, real[field], `${struct}.${field} default`);
      }
      assert.ok(Object.isSealed(real) && Object.isSealed(mine));
    });
  }

  it('MQError carries the same fields and message as the real one', () => {
    for (const [cc, rc, verb] of [[2, 2009, 'CMIT'], [1, 2080, 'GET'], [2, 2085, 'OPEN'], [2, 2033, 'GET']] as const) {
      const real = new realTypes.MQError(cc, rc, verb) as Error & Record<string, unknown>;
      const mine = new fake.MQError(cc, rc, verb);
      assert.equal(mine.message, real.message);
      assert.deepEqual([mine.mqcc, mine.mqrc, mine.mqrcstr, mine.mqccstr, mine.verb], [real.mqcc, real.mqrc, real.mqrcstr, real.mqccstr, real.verb]);
    }
  });
});

describe('MQRC table', () => {
  it('names every reason code as IBM does (the driver\'s Lookup)', () => {
    const wrong = [...REASON_CODES].filter(([rc, { name }]) => realTypes.Lookup('MQRC', rc) !== name).map(([rc, { name }]) => `${rc} ${name}`);
    assert.deepEqual(wrong, []);
  });
});
