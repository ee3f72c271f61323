/**
 * Prometheus metrics of the bridges, fed by each bridge's pipeline events in this one place
 * (kafkajs-style instrumentation: the pipeline reports, metrics subscribe). Labelled by bridge.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What one bridge reports; the shape of the pipeline's BridgeEvents plus its ownership and state. */
export interface BridgeMetricEvents {
  batchWritten(e: { readonly records: number; readonly published: number; readonly deadLettered: number; readonly skipped: number; readonly bytes: number; readonly ms: number }): void;
  committed(e: { readonly at: number }): void;
  retrying(e: { readonly stage: string }): void;
  stateChanged(state: string, role: string | undefined): void;
}

/** Every state a bridge can be in, so `banyan_bridge_state` has one series per state (1 for the current one). */
const STATES = ['joining', 'standby', 'starting', 'running', 'retrying', 'stopped', 'finished'] as const;

export interface BridgeMetrics {
  forBridge(bridge: string, instance: string): BridgeMetricEvents;
}

export function createBridgeMetrics(registry: Registry): BridgeMetrics {
  const registers = [registry];
  const records = new Counter({
    name: 'banyan_bridge_records_total',
    help: 'Records a bridge read, by what became of them: published, dead_lettered, skipped',
    labelNames: ['bridge', 'outcome'],
    registers,
  });
  const bytes = new Counter({ name: 'banyan_bridge_bytes_total', help: 'Raw record bytes a bridge read and committed', labelNames: ['bridge'], registers });
  const batchSeconds = new Histogram({
    name: 'banyan_bridge_batch_seconds',
    help: 'Time from writing a batch to its source commit (sink durable, checkpoint saved)',
    labelNames: ['bridge'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const lastCommit = new Gauge({ name: 'banyan_bridge_last_commit_timestamp_seconds', help: 'When the bridge last committed its source position', labelNames: ['bridge'], registers });
  const retries = new Counter({ name: 'banyan_bridge_retries_total', help: 'Retriable failures a bridge backed off from', labelNames: ['bridge', 'stage'], registers });
  const state = new Gauge({ name: 'banyan_bridge_state', help: '1 for the state the bridge is in on this instance', labelNames: ['bridge', 'state'], registers });
  const owner = new Gauge({ name: 'banyan_bridge_owner', help: '1 while this instance owns the bridge', labelNames: ['bridge', 'instance'], registers });

  return {
    forBridge(bridge, instance) {
      for (const s of STATES) state.set({ bridge, state: s }, s === 'joining' ? 1 : 0);
      owner.set({ bridge, instance }, 0);
      return {
        batchWritten(e) {
          records.inc({ bridge, outcome: 'read' }, e.records);
          records.inc({ bridge, outcome: 'published' }, e.published);
          records.inc({ bridge, outcome: 'dead_lettered' }, e.deadLettered);
          records.inc({ bridge, outcome: 'skipped' }, e.skipped);
          bytes.inc({ bridge }, e.bytes);
          batchSeconds.observe({ bridge }, e.ms / 1000);
        },
        committed(e) {
          lastCommit.set({ bridge }, e.at / 1000);
        },
        retrying(e) {
          retries.inc({ bridge, stage: e.stage });
        },
        stateChanged(current, role) {
          for (const s of STATES) state.set({ bridge, state: s }, s === current ? 1 : 0);
          owner.set({ bridge, instance }, role === 'owner' ? 1 : 0);
        },
      };
    },
  };
}
