/** Per-run figures the end-to-end benchmarks (bridge, mq) share: rate, CPU per record, medians. */

export interface TimedRun {
  readonly records: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** Records per second of wall time. */
export function rate(r: Pick<TimedRun, 'records' | 'seconds'>): number {
  return r.records / r.seconds;
}

/** CPU microseconds per record. */
export function cpuUs(r: Pick<TimedRun, 'records' | 'cpuSeconds'>): number {
  return (r.cpuSeconds * 1e6) / r.records;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
