/**
 * The Prometheus registry of one gateway. A fresh registry per gateway (not prom-client's global
 * one) so two gateways in one process, as in tests, do not collide. Components get it as
 * `context.metrics` (src/core/component.ts) and register their metrics on it (the router: its data
 * plane's shadow metrics and its control plane's request, latency, breaker and weight metrics), so
 * the gateway's one /metrics shows everything.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  /** 1 while every readiness check passes, else 0; set after each /health/ready evaluation. */
  readonly ready: Gauge;
}

export function createGatewayMetrics(options: { version?: string } = {}): GatewayMetrics {
  const registry = new Registry();
  // Node process metrics (CPU, memory, event loop lag, GC) under prom-client's standard names.
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({ name: 'banyan_info', help: 'Banyan build information', labelNames: ['version'], registers: [registry] });
  info.set({ version: options.version ?? 'unknown' }, 1);
  const ready = new Gauge({ name: 'banyan_ready', help: '1 when all readiness checks pass', registers: [registry] });
  ready.set(0);
  return { registry, ready };
}
