import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../../../src/cli/commands/layout.ts';
import type { CliIo } from '../../../../src/cli/io.ts';
import type { CopybookLayout } from '../../../../src/codec/layout.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

async function layout(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { append(String(chunk)); cb(); } });
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env: {},
    cwd: repo,
  };
  const code = await run(argv, io);
  return { code, out, err };
}

test('banyan layout prints a compiler-listing table with 1-based START and END', async () => {
  const { code, out } = await layout('--copybook', 'mappings/copybooks/TRANREC.cpy');
  assert.equal(code, 0);
  const lines = out.split('\n');
  assert.ok(lines.some((l) => /^RECORD TRAN-RECORD {2}length 1157$/.test(l)));
  assert.match(out, /LVL NAME +PICTURE +USAGE +START +END +LENGTH +TYPE +DIGITS +SCALE +SIGN +NOTES/);
  const total = lines.find((l) => l.includes('TR-TOTAL-AMOUNT'));
  assert.match(total ?? '', /05 TR-TOTAL-AMOUNT +S9\(9\)V99 +packed +50 +55 +6 +packed +11 +2 +signed/);
  const item = lines.find((l) => l.includes(' TR-ITEM ')) ?? '';
  assert.match(item, /58 +1157 +22 +group +OCCURS 1 TO 50 DEPENDING ON TRAN-RECORD\.TR-ITEM-COUNT/);
  assert.match(out, /REDEFINES TRAN-RECORD\.TR-TRAN-TS/);
  assert.ok(lines.some((l) => /^RECORD TRAN-TRAILER {2}length 33$/.test(l)));
});

test('banyan layout --json prints the CopybookLayout with 0-based offsets', async () => {
  const { code, out } = await layout('--copybook', 'mappings/copybooks/TRANREC.cpy', '--json');
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as CopybookLayout;
  assert.equal(parsed.records[0].length, 1157);
  const root = parsed.records[0].root;
  assert.ok(root.kind === 'group');
  assert.equal(root.children[1].offset, 1);
  assert.match(parsed.hash, /^[0-9a-f]{64}$/);
});

test('banyan layout resolves COPY members from --copybook-dir', async () => {
  const { code, out } = await layout('--copybook', 'test/fixtures/copybooks/copy/more/leading.cpy', '--copybook-dir', 'test/fixtures/copybooks/copy');
  assert.equal(code, 0);
  assert.match(out, /05 IN-NAME +X\(5\)/);
});

test('banyan layout reports a copybook error with code, file:line:col and token, exit 1', async () => {
  const { code, err } = await layout('--copybook', 'test/fixtures/copybooks/copy/missing.cpy');
  assert.equal(code, 1);
  assert.match(err, /^banyan layout: BANYAN_ERR_COPYBOOK_COPY_NOT_FOUND: test\/fixtures\/copybooks\/copy\/missing\.cpy:3:17: copy member NOPE not found/);
});

test('banyan layout without --copybook, or with a bad option, is a usage error (exit 2)', async () => {
  assert.equal((await layout()).code, 2);
  assert.equal((await layout('--copybook', 'x', '--format', 'weird')).code, 2);
  assert.equal((await layout('--nope')).code, 2);
  const help = await layout('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: banyan layout --copybook FILE/);
});
