/**
 * The JMS AMQP endpoint as a gateway component: when banyan.yaml has `jms.amqp`, `banyan start`
 * opens the AMQP 1.0 listener and serves Qpid JMS clients from a JMS engine on the gateway's Kafka,
 * with the mapping `banyan start` loaded from mappings/jms.yaml (its defaults when the file is absent).
 */
import type { KafkaClient } from '../../connectors/kafka/client.ts';
import type { GatewayComponent, GatewayContext } from '../../core/component.ts';
import type { JmsMapping } from '../config/spec.ts';
import { createJmsEngine, type JmsEngine } from '../engine/engine.ts';
import { createJmsAmqpEndpoint, type JmsAmqpEndpoint } from './endpoint.ts';
import type { JmsAmqpSettings } from './spec.ts';

/** What the endpoint uses of the gateway's context: `jms.amqp` and the Kafka client. */
export type JmsAmqpContext = GatewayContext<
  { readonly jms?: { readonly amqp?: JmsAmqpSettings } },
  { readonly client: KafkaClient }
>;

export interface JmsAmqpComponentOptions {
  /** The engine's mapping (undefined: the defaults). */
  readonly mapping?: JmsMapping;
  /** Where it came from, for the log: a file, or 'defaults'. */
  readonly source?: string;
}

export function createJmsAmqpComponent(o: JmsAmqpComponentOptions = {}): GatewayComponent<JmsAmqpContext> {
  let engine: JmsEngine | undefined;
  let endpoint: JmsAmqpEndpoint | undefined;

  return {
    name: 'jms-amqp',
    async start(context) {
      const settings = context.config.jms?.amqp;
      if (!settings) return;
      const logger = context.logger.child({ component: 'jms-amqp' });
      engine = createJmsEngine({ kafka: context.kafka.client, mapping: o.mapping, events: { asyncError: (e) => logger.error({ err: e.error, context: e.contextId }, 'JMS engine error') } });
      endpoint = createJmsAmqpEndpoint({
        settings,
        engine,
        kafka: context.kafka.client,
        events: {
          connectionOpened: (e) => logger.info(e, 'JMS client connected'),
          connectionRefused: (e) => logger.warn(e, 'JMS client refused'),
          loginRefused: (e) => logger.warn(e, 'JMS client login refused'),
          connectionClosed: (e) => logger.info(e, 'JMS client disconnected'),
          linkRefused: (e) => logger.warn(e, 'JMS link refused'),
          error: (e) => logger.error({ err: e.error, where: e.where }, 'JMS AMQP endpoint error'),
        },
      });
      const address = await endpoint.start();
      logger.info({ ...address, tls: settings.tls !== undefined, mapping: o.source ?? 'defaults' }, 'JMS AMQP endpoint listening');
    },
    async stop() {
      await endpoint?.stop();
      await engine?.close();
      endpoint = undefined;
      engine = undefined;
    },
  };
}
