import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runBanyan } from '../../support/cli.ts';
import { DEFAULT_KAFKA_VERSION } from '../../../src/connectors/kafka/local/jars.ts';

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };

const banyan = (argv: string[]) => runBanyan(argv, { cwd: fileURLToPath(root) });

test('banyan version prints the Banyan version, the Node.js version it runs on and the embedded Kafka version', async () => {
  const expected = `banyan ${pkg.version} (node ${process.version}, embedded kafka ${DEFAULT_KAFKA_VERSION})\n`;
  for (const argv of [['version'], ['--version'], ['-v']]) {
    assert.deepEqual(await banyan(argv), { code: 0, stdout: expected, stderr: '' }, argv.join(' '));
  }
});

test('banyan version starts and downloads nothing: it succeeds without java or mvn on PATH and leaves the jar cache empty', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'banyan-version-cache-'));
  try {
    const bin = fileURLToPath(new URL('bin/banyan.js', root));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'version'], {
      cwd: fileURLToPath(root),
      env: { PATH: dirname(process.execPath), XDG_CACHE_HOME: cache, HOME: cache },
    });
    assert.equal(stdout, `banyan ${pkg.version} (node ${process.version}, embedded kafka ${DEFAULT_KAFKA_VERSION})\n`);
    assert.deepEqual(readdirSync(cache), [], 'nothing was written to the cache');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
