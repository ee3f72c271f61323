import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The codec is a library the CLI, the router and the connectors use; it uses none of them (DESIGN.md:
 * src/codec imports neither router, connectors nor cli). CLI flag parsing lives in src/cli.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const FORBIDDEN = ['src/cli', 'src/cli.ts', 'src/router', 'src/connectors'];

test('no file under src/codec imports from src/cli, src/router or src/connectors', () => {
  const violations: string[] = [];
  for (const file of tsFiles(join(root, 'src/codec'))) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(root, resolve(dirname(file), spec));
      if (FORBIDDEN.some((f) => target === f || target.startsWith(`${f}/`))) violations.push(`${relative(root, file)} -> ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the import scan sees static, type-only, re-export and dynamic imports', () => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../../cli/io.ts';",
    "export { c } from \"../router/c.ts\";",
    "const d = await import('../connectors/kafka/index.ts');",
    "import './side-effect.ts';",
  ].join('\n');
  assert.deepEqual(importSpecifiers(text), ['./a.ts', '../../cli/io.ts', '../router/c.ts', './side-effect.ts', '../connectors/kafka/index.ts']);
});

function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:(?:import|export)\b[^'";]*?\bfrom|import)\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return entry.endsWith('.ts') ? [full] : [];
  });
}
