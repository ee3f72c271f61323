import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_CATALOG } from '../../../src/config-catalog.ts';
import { kindOf } from '../../../src/config/config-kind.ts';
import { checkJmsMapping, loadJmsMapping } from '../../../src/jms/config/check.ts';
import { jmsMappingOf } from '../../../src/jms/config/spec.ts';

const shipped = new URL('../../../mappings/jms.yaml', import.meta.url).pathname;

describe('the jms-mapping config kind (mappings/jms.yaml)', () => {
  it('is the catalog kind of mappings/jms.yaml', () => {
    assert.equal(kindOf(CONFIG_CATALOG, 'mappings/jms.yaml')?.kind, 'jms-mapping');
  });

  it('ships a file that spells out exactly the defaults', () => {
    assert.deepEqual(loadJmsMapping(shipped), jmsMappingOf({}));
    assert.deepEqual(checkJmsMapping(shipped, readFileSync(shipped, 'utf8')), []);
  });

  it('names file, line, column and rule of each bad value', () => {
    const text = 'topics:\n  partitions: 0\nmax_deliveries: -1\ngroup_prefix: "a b"\nunknown_key: 1\n';
    const issues = checkJmsMapping('mappings/jms.yaml', text).map((i) => `${i.file}:${i.line}:${i.col} ${i.rule}`);
    assert.equal(issues.length, 4, issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('mappings/jms.yaml:2:15')), issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('mappings/jms.yaml:3:17')), issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('mappings/jms.yaml:4:15')), issues.join('\n'));
    assert.ok(issues.some((i) => i.startsWith('mappings/jms.yaml:5:1')), issues.join('\n'));
  });

  it('interpolates ${ENV} values', () => {
    assert.deepEqual(checkJmsMapping('m.yaml', 'max_deliveries: ${MAXD}\n', { env: { MAXD: '5' } }), []);
  });
});
