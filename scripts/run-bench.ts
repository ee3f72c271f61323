/**
 * `npm run bench [-- <filter>]`: runs every bench/**\/*.bench.ts one after another (never in
 * parallel: they measure the machine). Each benchmark writes its own figures to
 * bench/results/<name>.json and a readable bench/results/<name>.md; this runner prints them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) return e === 'results' ? [] : find(full);
    return e.endsWith('.bench.ts') ? [full] : [];
  });
}

const benches = find(join(root, 'bench'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${relative(root, file)} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${relative(root, file)} failed (exit ${r.status})`);
    continue;
  }
  const md = join(root, 'bench/results', `${basename(file, '.bench.ts')}.md`);
  if (existsSync(md)) console.log(readFileSync(md, 'utf8'));
}
process.exitCode = failed > 0 ? 1 : 0;
