/**
 * The gateway component that runs bridges/: every bridge file under banyan.yaml's `paths.bridges`,
 * loaded and checked before the gateway starts (start.ts), run here with one owner per bridge
 * across gateway instances. Each bridge is a `bridge:<name>` check on /health/ready, and
 * `GET /bridges` on the observability server shows them all as JSON.
 */
import type { BridgeConfig } from '../bridge-assembly.ts';
import type { GatewayComponent, GatewayContext } from '../core/component.ts';
import type { KafkaClient } from '../connectors/kafka/client.ts';
import type { TopicAdmin } from '../connectors/kafka/topic-admin.ts';
import { componentLogger } from '../observability/logger.ts';
import { createBridgeSet, type BridgeSet } from './bridge-set.ts';
import type { OwnershipSettings } from './spec.ts';

export type BridgesContext = GatewayContext<{ readonly ownership: OwnershipSettings }, { readonly client: KafkaClient; readonly topics: TopicAdmin }>;

export interface BridgesComponent extends GatewayComponent<BridgesContext> {
  /** The running set, once started (tests and `banyan start` read its report). */
  readonly set: BridgeSet | undefined;
}

export function createBridgesComponent(o: { readonly bridges: readonly BridgeConfig[]; readonly rootDir: string }): BridgesComponent {
  let set: BridgeSet | undefined;
  const unregister: Array<() => void> = [];
  return {
    name: 'bridges',
    get set() {
      return set;
    },
    async start(ctx) {
      set = createBridgeSet({
        bridges: o.bridges,
        rootDir: o.rootDir,
        kafka: ctx.kafka.client,
        topics: ctx.kafka.topics,
        ownership: ctx.config.ownership,
        untilIdle: false,
        logger: componentLogger(ctx.logger, 'bridge'),
        metrics: ctx.metrics,
      });
      const running = set;
      for (const host of running.hosts) unregister.push(ctx.health.register(`bridge:${host.name}`, () => host.check()));
      unregister.push(ctx.reports.register('/bridges', () => running.report()));
      running.start();
    },
    async stop() {
      for (const u of unregister.splice(0)) u();
      await set?.stop();
    },
  };
}
