/**
 * The contract between the gateway (src/index.ts, the composition root) and its components: a
 * bridge, the router, a deliverer. The gateway builds its shared parts (Kafka, the observability
 * server, the root logger, the Prometheus registry), then starts each component with a context
 * holding them, in the order given, and stops the components in reverse order.
 *
 * src/core imports no area, so what other areas own enters as type parameters: `Config` is the
 * validated banyan.yaml (src/config), `Kafka` the Kafka connector's handles (src/connectors/kafka).
 * A component names only the parts it reads (`GatewayContext<Pick<GatewayConfig, 'router'>, ...>`),
 * the way a fastify plugin declares what it needs; the gateway's full context satisfies it.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** What the gateway hands a component when it starts it: the shared parts components use, nothing more. */
export interface GatewayContext<Config = unknown, Kafka = unknown> {
  /** The validated, frozen banyan.yaml; a component reads its own section and ignores the rest. */
  readonly config: Config;
  /** The gateway's Kafka: the connector's client (for createPublisher) and the shared topic admin. */
  readonly kafka: Kafka;
  /** The root logger; a component adds `{ component }` once, with `logger.child`. */
  readonly logger: Logger;
  /**
   * The gateway's Prometheus registry, served on its `/metrics`: a component registers its metrics
   * here (never on prom-client's global registry, nor a private one), so one scrape shows everything.
   */
  readonly metrics: Registry;
  /**
   * The gateway's /health/ready: a component registers what it cannot work without (a bridge: its
   * own state). `register` returns the function that removes the check again.
   */
  readonly health: { register(name: string, check: () => Promise<void>): () => void };
  /**
   * JSON pages on the observability server (`GET /bridges`), registered while the server runs:
   * `report` is called on every request. Returns the function that removes the page.
   */
  readonly reports: { register(path: string, report: () => unknown): () => void };
}

/** A part of the gateway with a lifecycle (a bridge, the router, a deliverer). */
export interface GatewayComponent<Context = GatewayContext> {
  /** Names the component in logs (`component` of the gateway's lines about it). */
  readonly name: string;
  /**
   * Called once per gateway, after Kafka and the observability server are up and the components
   * before it have started. Resolves when the component runs (listening, reading its source).
   * A rejection aborts the gateway's start: the gateway stops what already started (this component
   * included, so it must clean up after a half-done start in stop()), then `start()` rejects with
   * BANYAN_ERR_GATEWAY_START_FAILED carrying this error as its cause. A dependency that is merely
   * down (Kafka not answering yet) is not a reason to reject: the component retries and reports it.
   */
  start(context: Context): Promise<void>;
  /**
   * Called once on gateway stop, in reverse start order, also after this component's start()
   * rejected or while it never finished. Releases everything start() acquired. A rejection is
   * logged and does not keep the gateway from stopping the components before it.
   */
  stop(): Promise<void>;
}
