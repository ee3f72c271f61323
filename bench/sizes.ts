/**
 * Benchmark sizes (seconds per run, rounds, file sizes), read from the environment once.
 *
 * BANYAN_BENCH_QUICK=1 makes every benchmark default to its smallest sizes (one short round), a
 * smoke test of the benchmarks themselves: its figures are not comparable with a full run's, and
 * each report says it was a quick run. A size set explicitly (CODEC_BENCH_SECONDS=2, ...) wins
 * over both defaults.
 */
export const quickRun = process.env.BANYAN_BENCH_QUICK === '1';

/** The line a report carries when it comes from a quick run, else undefined. */
export const quickRunNote: string | undefined = quickRun
  ? '**Quick run (BANYAN_BENCH_QUICK=1): short measurements for a smoke test, not figures to compare.**'
  : undefined;

/** `name` from the environment when set, else `full` (or `quick` in a quick run). Throws at start-up on a value that is not a positive number. */
export function benchSize(name: string, full: number, quick: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return quickRun ? quick : full;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}
