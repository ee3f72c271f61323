/**
 * The strangler router as a gateway component (`buildGateway(config, { components })`): the data
 * plane from banyan.yaml's `router` (host, port, routes_dir) and, when `router.admin` is set, its
 * control plane (admin API + console, rollout controller, state file, audit topic on the gateway's
 * Kafka). The control plane starts first, so persisted overrides (a kill switch, a weight) are in
 * force before the router accepts its first request.
 */
import type { Logger } from 'pino';
import type { RouterSettings } from '../config/settings.ts';
import type { KafkaClient } from '../../connectors/kafka/client.ts';
import { createPublisher, type Publisher } from '../../connectors/kafka/publisher.ts';
import type { TopicAdmin } from '../../connectors/kafka/topic-admin.ts';
import type { GatewayComponent, GatewayContext } from '../../core/component.ts';
import { createRouter, type Router } from '../server.ts';
import type { MismatchSink } from '../shadow/mismatch-sink.ts';
import { createKafkaMismatchSink } from '../shadow/kafka-mismatch-sink.ts';
import { createControlPlaneFromConfig, type ControlPlane } from './control-plane.ts';

/**
 * What the router uses of the gateway's context: banyan.yaml's `router` section, the Kafka client
 * (its publisher: audit and mismatch records) and topic admin (audit and mismatch topics), the
 * logger, and the gateway's registry, which the data and control planes register their metrics on.
 */
export type RouterContext = GatewayContext<
  { readonly router?: RouterSettings },
  { readonly client: KafkaClient; readonly topics: Pick<TopicAdmin, 'ensureTopics'> }
>;

export interface RouterComponentOptions {
  /** Builds the data plane's Kafka mismatch sink from the component's publisher (none: samples only). */
  readonly createMismatchSink?: (publisher: Publisher, context: RouterContext) => MismatchSink;
}

export interface RouterComponent extends GatewayComponent<RouterContext> {
  /** `http://host:port` of the router, once started. */
  readonly routerUrl: string | undefined;
  /** `http://host:port` of the admin API and console, once started (undefined without router.admin). */
  readonly adminUrl: string | undefined;
}

export function createRouterComponent(options: RouterComponentOptions = {}): RouterComponent {
  let router: Router | undefined;
  let control: ControlPlane | undefined;
  let publisher: Publisher | undefined;
  let routerUrl: string | undefined;
  let adminUrl: string | undefined;

  return {
    name: 'router',
    get routerUrl() {
      return routerUrl;
    },
    get adminUrl() {
      return adminUrl;
    },
    async start(context) {
      const settings = context.config.router;
      if (!settings) return;
      const logger: Logger = context.logger.child({ component: 'router' });
      publisher = createPublisher({ kafka: context.kafka.client, logger });
      router = createRouter({
        routesDir: settings.routes_dir,
        host: settings.host,
        port: settings.port,
        exposeUpstreamHeader: settings.expose_upstream_header,
        trustProxy: settings.trust_proxy,
        forwardedHeader: settings.forwarded_header,
        logger,
        metrics: context.metrics,
        mismatchSink: (options.createMismatchSink ?? kafkaMismatchSink)(publisher, context),
      });
      if (settings.admin) {
        // The audit topic must exist before the first change; the publisher does not auto-create topics.
        await context.kafka.topics.ensureTopics([{ topic: settings.admin.audit_topic }]).catch((err: unknown) => {
          logger.error({ err, topic: settings.admin!.audit_topic }, 'audit topic could not be created; audit writes will fail until it exists');
        });
        control = createControlPlaneFromConfig(settings.admin, {
          port: router.control,
          publisher,
          baseDir: process.cwd(),
          registry: context.metrics,
          logger,
        });
        adminUrl = (await control.start()).url;
      }
      routerUrl = (await router.listen()).url;
    },
    async stop() {
      await router?.close();
      await control?.stop();
      await publisher?.close();
      router = undefined;
      control = undefined;
      publisher = undefined;
    },
  };
}

/** Default: mismatches to banyan.yaml's router.mismatch_topic, created on first use (added by the data plane helper). */
function kafkaMismatchSink(publisher: Publisher, context: RouterContext): MismatchSink {
  const topic = context.config.router!.mismatch_topic;
  return createKafkaMismatchSink({
    publisher,
    topic,
    logger: context.logger.child({ component: 'router-mismatches' }),
    ensureTopic: () => context.kafka.topics.ensureTopics([{ topic }]),
  });
}
