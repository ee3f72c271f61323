import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { KafkaErrors } from '../../../../src/connectors/kafka/errors.ts';
import { errorCatalog } from '../../../../src/core/errors.ts';

const readme = readFileSync(new URL('../../../../src/connectors/kafka/README.md', import.meta.url), 'utf8');

describe('Kafka error codes', () => {
  it('documents every code with its retriable flag in src/connectors/kafka/README.md', () => {
    const codes = Object.keys(KafkaErrors);
    assert.ok(codes.length > 10);
    for (const code of codes) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
      assert.ok(row, `${code} is not documented`);
      const retriable = errorCatalog().get(code)?.retriable === true;
      assert.equal(row.split('|')[2].trim(), retriable ? 'yes' : 'no', `${code}: documented retriable flag`);
    }
  });

  it('documents no code that does not exist', () => {
    const documented = [...readme.matchAll(/^\| `(BANYAN_ERR_KAFKA_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.filter((c) => !(c in KafkaErrors)), []);
  });
});
