/**
 * Prometheus metrics of the Db2 CDC bridges, fed by the reader's and source's events in this one
 * place. They make the mainframe cost visible (issue 14, "Low mainframe cost"): queries per minute
 * is `rate(banyan_cdc_queries_total[1m]) * 60` by statement, rows per query the histogram, and how
 * often polls found nothing next to the poll interval they backed off to.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CdcReaderEvents } from '../connectors/db2-cdc/cdc-reader.ts';
import type { CdcSourceEvents } from '../connectors/db2-cdc/cdc-source.ts';

export interface CdcMetrics {
  forBridge(bridge: string): CdcReaderEvents & CdcSourceEvents;
}

export function createCdcMetrics(registry: Registry): CdcMetrics {
  const registers = [registry];
  const queries = new Counter({ name: 'banyan_cdc_queries_total', help: 'SQL statements a CDC bridge ran, by statement (register, window = one block fetch, min_position, catalog)', labelNames: ['bridge', 'statement'], registers });
  const rows = new Histogram({
    name: 'banyan_cdc_rows_per_query',
    help: 'Rows a CDC statement (a block fetch for windows) returned',
    labelNames: ['bridge', 'statement'],
    buckets: [0, 1, 10, 100, 1000, 10000],
    registers,
  });
  const querySeconds = new Counter({ name: 'banyan_cdc_query_seconds_total', help: 'Time CDC statements took, by statement', labelNames: ['bridge', 'statement'], registers });
  const polls = new Counter({ name: 'banyan_cdc_polls_total', help: 'Register polls, by whether Capture had moved past the bridge', labelNames: ['bridge', 'found'], registers });
  const interval = new Gauge({ name: 'banyan_cdc_poll_interval_seconds', help: 'Pause before the next register poll (backs off while idle)', labelNames: ['bridge'], registers });
  return {
    forBridge: (bridge) => ({
      queried(e) {
        queries.inc({ bridge, statement: e.statement });
        rows.observe({ bridge, statement: e.statement }, e.rows);
        querySeconds.inc({ bridge, statement: e.statement }, e.ms / 1000);
      },
      polled(e) {
        polls.inc({ bridge, found: String(e.found) });
        interval.set({ bridge }, e.nextPollMs / 1000);
      },
    }),
  };
}
