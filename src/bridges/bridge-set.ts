/**
 * The bridges one process runs, each in its own host (bridge-host.ts) with its ownership claim,
 * metrics and status: what the gateway's bridges component and `banyan run` share.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { assembleRunnableBridge, backoffOf, type BridgeConfig } from '../bridge-assembly.ts';
import type { KafkaClient } from '../connectors/kafka/client.ts';
import { claimOwnership } from '../connectors/kafka/group-ownership.ts';
import type { FileSourceEvents } from '../connectors/file/file-source.ts';
import type { TopicAdmin } from '../connectors/kafka/topic-admin.ts';
import { createBridgeMetrics } from '../observability/bridge-metrics.ts';
import { createCdcMetrics } from '../observability/cdc-metrics.ts';
import { createBridgeHost, type BridgeHost, type BridgeOutcome, type BridgeStatus } from './bridge-host.ts';
import type { OwnershipSettings } from './spec.ts';

export interface BridgeSetOptions {
  readonly bridges: readonly BridgeConfig[];
  /** Paths in a bridge file are relative to it (the directory of banyan.yaml). */
  readonly rootDir: string;
  readonly kafka: KafkaClient;
  readonly topics: TopicAdmin;
  readonly ownership: OwnershipSettings;
  readonly untilIdle: boolean;
  /** The bridges' logger (`component` already bound); each bridge adds `bridge`. */
  readonly logger: Logger;
  /** Where the bridges' metrics go (the gateway's registry); absent: not collected. */
  readonly metrics?: Registry;
  /** What a bridge's source reports of its own doings; default: an info line in the bridge's log. */
  readonly sourceEvents?: (bridge: string, logger: Logger) => FileSourceEvents;
}

export interface BridgeSet {
  readonly instanceId: string;
  readonly hosts: readonly BridgeHost[];
  /** What GET /bridges returns. */
  report(): { instance: string; bridges: BridgeStatus[] };
  start(): void;
  /** Resolves once every bridge finished (`untilIdle`) or stopped on an error. */
  settled(): Promise<BridgeOutcome[]>;
  stop(): Promise<void>;
}

export function createBridgeSet(o: BridgeSetOptions): BridgeSet {
  const instanceId = o.ownership.instance_id ?? `${hostname()}:${process.pid}`;
  const metrics = o.metrics ? createBridgeMetrics(o.metrics) : undefined;
  const cdcMetrics = o.metrics && o.bridges.some((b) => b.source.db2_cdc) ? createCdcMetrics(o.metrics) : undefined;
  const sourceEvents = o.sourceEvents ?? logSourceEvents;
  const hosts = o.bridges.map((bridge) => {
    const logger = o.logger.child({ bridge: bridge.name });
    return createBridgeHost({
      bridge,
      instanceId,
      untilIdle: o.untilIdle,
      backoff: backoffOf(bridge),
      logger,
      ...(metrics ? { events: metrics.forBridge(bridge.name, instanceId) } : {}),
      claim: needsSingleOwner(bridge)
        ? () =>
            claimOwnership({
              kafka: o.kafka,
              topics: o.topics,
              name: bridge.name,
              instanceId,
              sessionTimeoutMs: o.ownership.session_timeout_ms,
              heartbeatIntervalMs: o.ownership.heartbeat_interval_ms,
              topic: o.ownership.topic,
            })
        : undefined,
      assemble: () =>
        assembleRunnableBridge(bridge, o.rootDir, o.kafka, o.topics, {
          sourceEvents: sourceEvents(bridge.name, logger),
          ...(cdcMetrics && bridge.source.db2_cdc ? { cdcEvents: cdcMetrics.forBridge(bridge.name) } : {}),
        }),
    });
  });
  return {
    instanceId,
    hosts,
    report: () => ({ instance: instanceId, bridges: hosts.map((h) => h.status()) }),
    start() {
      for (const h of hosts) h.start();
    },
    settled: () => Promise.all(hosts.map((h) => h.settled)),
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
    },
  };
}

function logSourceEvents(_bridge: string, logger: Logger): FileSourceEvents {
  return { directoryCreated: (e) => logger.info({ dir: e.dir }, 'created the drop directory (it did not exist)') };
}

/**
 * A source is read by one instance at a time unless its block says order does not matter
 * (`ordered: false` on a queue): then every instance reads it, as competing consumers.
 */
export function needsSingleOwner(bridge: BridgeConfig): boolean {
  const block = Object.values(bridge.source).find((v) => v !== undefined) as { readonly ordered?: boolean } | undefined;
  return block?.ordered !== false;
}
