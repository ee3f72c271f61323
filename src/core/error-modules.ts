/**
 * Every module that registers error codes with `defineErrors`. Imported by the error catalogue
 * generator (scripts/gen-error-docs.ts) and its test, so docs/errors.md lists every code Banyan can
 * raise. A new errors module must be added here; the test finds unlisted ones by scanning src/.
 */
export const ERROR_MODULES: readonly string[] = [
  'src/core/gateway-errors.ts',
  'src/core/bridge-errors.ts',
  'src/config/issues.ts',
  'src/observability/errors.ts',
  'src/connectors/kafka/errors.ts',
  'src/codec/errors.ts',
  'src/codec/copybook/errors.ts',
  'src/codec/codepages/errors.ts',
  'src/codec/framing/errors.ts',
  'src/codec/mapping/errors.ts',
  'src/router/errors.ts',
  'src/router/rollout/control-errors.ts',
  'src/bridge-assembly.ts',
  'src/bridge-kafka-to-mq.ts',
  'src/connectors/file/errors.ts',
  'src/connectors/ibm-mq/errors.ts',
  'src/connectors/amqp/errors.ts',
  'src/jms/jms-errors.ts',
  'src/connectors/http/errors.ts',
  'src/jms/selector/errors.ts',
  'src/connectors/db2-cdc/errors.ts',
  'src/jms/amqp/errors.ts',
];

/** Loads every listed module (registering its codes) and returns the catalogue. */
export async function loadErrorCatalog(rootUrl: URL) {
  for (const rel of ERROR_MODULES) await import(new URL(rel, rootUrl).href);
  const { errorCatalog } = await import('./errors.ts');
  return errorCatalog();
}
