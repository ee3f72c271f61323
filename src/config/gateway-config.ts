/**
 * Loads banyan.yaml into the value `buildGateway` takes: validated (load.ts), relative paths resolved
 * against the file's directory (so `banyan start --config other/banyan.yaml` keeps its data next to
 * its config), and the derived secret redact paths merged into `log.redact`.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadConfigFile, loadConfigText } from './load.ts';
import { gatewaySchema, type GatewayConfig } from './gateway-schema.ts';
import { secretRedactPaths } from './secrets.ts';

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
  const redact = [...loaded.value.log.redact, ...secretRedactPaths(loaded.value, loaded.secretPaths)];
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
