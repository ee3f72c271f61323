/**
 * banyan.yaml, the gateway's own settings: its schema, composed here at the composition root from
 * the sections each area owns (the Kafka connector's `kafka`, the router's `router`) plus the
 * gateway's listener, logging and project paths; and its loader, which validates (src/config/load.ts),
 * resolves relative paths against the file's directory (so `banyan start --config other/banyan.yaml`
 * keeps its data next to its config) and merges the redact paths of the fields the spec marks secret
 * (src/config/secrets.ts) into `log.redact`.
 *
 * Strict objects everywhere, so a typo such as `kafka.broker` is an `unknown-key` error instead of a
 * silently ignored setting. Keys are snake_case like every file a team writes. Values interpolated
 * from `${ENV}` arrive as strings, so numeric and list settings also accept their string form: that is
 * how docker-compose passes `BANYAN_HTTP_PORT=9464` or `BANYAN_KAFKA_BROKERS=kafka:9092`.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfigFile, loadConfigText } from './config/load.ts';
import { nonEmpty, portOrZero } from './config/schema-helpers.ts';
import { secretRedactPaths } from './config/secrets.ts';
import { kafkaSettingsSchema } from './connectors/kafka/spec.ts';
import { routerSettingsSchema } from './router/config/settings.ts';
import { ownershipSettingsSchema } from './bridges/spec.ts';
import { jmsGatewaySettingsSchema } from './jms/amqp/spec.ts';

const http = z.strictObject({
  // Loopback by default: the container image overrides it through BANYAN_HTTP_HOST.
  host: nonEmpty.default('127.0.0.1'),
  port: portOrZero.default(9464),
});

const log = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Extra pino redact paths (https://getpino.io/#/docs/redaction), added to the derived secret paths. */
  redact: z.array(nonEmpty).default([]),
});

const paths = z.strictObject({
  bridges: nonEmpty.default('bridges'),
  mappings: nonEmpty.default('mappings'),
});

export const gatewaySchema = z.strictObject({
  kafka: kafkaSettingsSchema.prefault({}),
  http: http.prefault({}),
  log: log.prefault({}),
  /** The router owns this section (src/router/config/settings.ts); absent: no router. */
  router: routerSettingsSchema.optional(),
  paths: paths.prefault({}),
  /** The bridges area owns this section (src/bridges/spec.ts): one owner per bridge across instances. */
  ownership: ownershipSettingsSchema.prefault({}),
  /** The JMS facade owns this section (src/jms/amqp/spec.ts): `jms.amqp` opens the AMQP 1.0 listener. */
  jms: jmsGatewaySettingsSchema.optional(),
});

/** What a valid banyan.yaml becomes; relative paths are still relative to the file's directory. */
export type GatewayConfig = z.output<typeof gatewaySchema>;

export interface LoadGatewayOptions {
  readonly env?: NodeJS.ProcessEnv;
  /**
   * When the file does not exist: `defaults` runs with every default (a fresh directory starts on the
   * embedded Kafka), `error` throws a ConfigError. Default `error`.
   */
  readonly ifMissing?: 'defaults' | 'error';
}

/** Loads, validates and resolves banyan.yaml; throws ConfigError listing every issue. */
export function loadGatewayConfig(file: string, options: LoadGatewayOptions = {}): GatewayConfig {
  const absolute = resolve(file);
  const loaded =
    options.ifMissing === 'defaults' && !existsSync(absolute)
      ? loadConfigText(absolute, '{}\n', gatewaySchema, { env: options.env })
      : loadConfigFile(absolute, gatewaySchema, { env: options.env });
  // The fields banyan.yaml's spec marks secret, as logged under `config` (index.ts logs it at start).
  const redact = [...loaded.value.log.redact, ...secretRedactPaths(gatewaySchema)];
  return resolveGatewayConfig(loaded.value, dirname(absolute), [...new Set(redact)]);
}

/**
 * Makes every path in `config` absolute against `baseDir` and returns a new frozen value.
 * Exported for callers that build a config in code (tests) rather than from a file.
 */
export function resolveGatewayConfig(config: GatewayConfig, baseDir: string, redact: readonly string[] = config.log.redact): GatewayConfig {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const ssl = config.kafka.ssl;
  const resolved: GatewayConfig = {
    ...config,
    kafka: {
      ...config.kafka,
      ssl:
        typeof ssl === 'object'
          ? {
              ...ssl,
              ca_file: ssl.ca_file && at(ssl.ca_file),
              cert_file: ssl.cert_file && at(ssl.cert_file),
              key_file: ssl.key_file && at(ssl.key_file),
            }
          : ssl,
      embedded: { ...config.kafka.embedded, data_dir: at(config.kafka.embedded.data_dir) },
    },
    log: { ...config.log, redact: [...redact] },
    router: config.router && {
      ...config.router,
      routes_dir: at(config.router.routes_dir),
      admin: config.router.admin && { ...config.router.admin, state_file: at(config.router.admin.state_file) },
    },
    paths: { bridges: at(config.paths.bridges), mappings: at(config.paths.mappings) },
    jms: config.jms && {
      ...config.jms,
      amqp: config.jms.amqp && {
        ...config.jms.amqp,
        tls: config.jms.amqp.tls && {
          ...config.jms.amqp.tls,
          cert_file: at(config.jms.amqp.tls.cert_file),
          key_file: at(config.jms.amqp.tls.key_file),
          ca_file: config.jms.amqp.tls.ca_file && at(config.jms.amqp.tls.ca_file),
        },
      },
    },
  };
  return deepFreeze(resolved);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
