/**
 * `npm run bench [-- <filter>]`: runs every bench/**\/*.bench.ts one after another (never in
 * parallel: they measure the machine). Each benchmark writes its own figures to
 * bench/results/<name>.json and a readable bench/results/<name>.md; this runner prints them.
 *
 * Each benchmark runs on the Node that runs this script: from Node 24 on it strips the types
 * itself, before that it needs tsx's loader (bench/runtimes.ts). The codec and router benchmarks
 * also start Node 20 children of their own, to compare the two runtimes in one run.
 * BANYAN_BENCH_QUICK=1 shrinks every benchmark to a smoke test (bench/sizes.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { typeScriptLoaderArgs } from '../bench/runtimes.ts';

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
  .filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x))); // not the checkout's own path
const loader = typeScriptLoaderArgs(process.version);
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${relative(root, file)} (Node ${process.version}${loader.length > 0 ? ', tsx' : ''}) ===`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', ...loader, file], { cwd: root, stdio: 'inherit' });
  const took = `${((performance.now() - started) / 60_000).toFixed(1)} min`;
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${relative(root, file)} failed (exit ${r.status}) after ${took}`);
    continue;
  }
  const md = join(root, 'bench/results', `${basename(file, '.bench.ts')}.md`);
  if (existsSync(md)) console.log(readFileSync(md, 'utf8'));
  console.log(`(${relative(root, file)} took ${took})`);
}
process.exitCode = failed > 0 ? 1 : 0;
