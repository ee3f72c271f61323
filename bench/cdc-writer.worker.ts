/**
 * The cdc bench's steady load generator, in a worker thread with its own PostgreSQL connection so
 * it does not share the bridge's event loop (in-thread it only reached ~570 of the 1,000 changes/s
 * asked for: the bridge's work delayed its pacing). Capture's commit interval is paced by schedule:
 * interval k is written at start + k * intervalMs, whatever the previous one took; each interval is
 * one unit of work with multi-row INSERTs per CD table (the simulator's flush). Log positions start
 * after `startLsn`, the main thread's simulator's last one, so they keep rising.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { createCaptureSimulator } from '../test/support/asn-capture-simulator.ts';
import { createWorkload, GETWELL_TABLES, mulberry32 } from '../test/support/getwell-cdc.ts';

export interface WriterJob {
  readonly connect: { readonly host: string; readonly port: number; readonly database: string; readonly user: string };
  /** Hex of the last log position written before. */
  readonly startLsn: string;
  readonly changesPerSec: number;
  readonly seconds: number;
  readonly intervalMs: number;
  readonly seed: number;
}

export interface WriterReport {
  readonly changes: number;
  readonly transactions: number;
  readonly seconds: number;
  /** Commit intervals written later than their scheduled time by more than one interval. */
  readonly lateIntervals: number;
  readonly lastLsn: string;
}

const job = workerData as WriterJob;
const client = new pg.Client(job.connect);
await client.connect();
const sim = createCaptureSimulator({ client, tables: GETWELL_TABLES, startLsn: BigInt(`0x${job.startLsn}`) + 1n });
const workload = createWorkload(sim, mulberry32(job.seed));
const perInterval = (job.changesPerSec * job.intervalMs) / 1000;
const intervals = Math.round((job.seconds * 1000) / job.intervalMs);
const started = performance.now();
let late = 0;
for (let k = 0; k < intervals; k++) {
  const due = started + k * job.intervalMs;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  else if (-wait > job.intervalMs) late++;
  // Interleaved transactions of 1-20 changes (10.5 on average) for this interval's share, in one
  // flush (one Capture unit of work); the running total keeps the rate on target.
  const short = Math.round((k + 1) * perInterval) - workload.stats().changes;
  if (short > 0) await workload.run(Math.max(1, Math.round(short / 10.5)), 1_000_000);
}
const report: WriterReport = {
  changes: workload.stats().changes,
  transactions: workload.stats().committed,
  seconds: (performance.now() - started) / 1000,
  lateIntervals: late,
  lastLsn: sim.lsnHex(),
};
await client.end();
parentPort!.postMessage(report);
