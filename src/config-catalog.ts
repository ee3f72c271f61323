/**
 * The catalog of every config file kind Banyan validates, built here at the composition root from
 * the spec each area owns: banyan.yaml (src/gateway-config.ts, embedding the Kafka connector's and
 * the router's sections), bridges (src/core/bridge-spec.ts with the connectors' source and sink
 * specs), route files (src/router/config) and record mappings (src/codec/mapping). `banyan validate`
 * walks the project with it (src/config/validate-project.ts); a new kind is one entry here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { check as checkRecordMapping } from './codec/mapping/check.ts';
import type { ConfigCatalog } from './config/config-kind.ts';
import type { ConfigIssue } from './config/issues.ts';
import { checkConfigText, loadConfigText } from './config/load.ts';
import { amqpSinkSchema, amqpSourceSchema } from './connectors/amqp/spec.ts';
import { db2CdcSourceSchema } from './connectors/db2-cdc/spec.ts';
import { httpSinkSchema } from './connectors/http/spec.ts';
import { ibmMqSinkSchema, ibmMqSourceSchema } from './connectors/ibm-mq/spec.ts';
import { kafkaSinkSchema, kafkaSourceSchema } from './connectors/kafka/spec.ts';
import { createBridgeSpec } from './core/bridge-spec.ts';
import { fileSinkSchema, fileSourceSchema } from './connectors/file/spec.ts';
import { gatewaySchema } from './gateway-config.ts';
import { checkRouteFile } from './router/config/load-routes.ts';

/** Every source and sink a bridge file may name, each the connector's own spec. */
export const bridgeSpec = createBridgeSpec({
  sources: { file: fileSourceSchema, kafka: kafkaSourceSchema, ibm_mq: ibmMqSourceSchema, amqp: amqpSourceSchema, db2_cdc: db2CdcSourceSchema },
  sinks: { kafka: kafkaSinkSchema, file: fileSinkSchema, ibm_mq: ibmMqSinkSchema, amqp: amqpSinkSchema, http: httpSinkSchema },
});

export const CONFIG_CATALOG: ConfigCatalog = {
  project: {
    kind: 'gateway',
    describe: 'banyan.yaml: Kafka, HTTP (metrics, health), logging, router and paths',
    fileName: 'banyan.yaml',
    matches: (p) => p === 'banyan.yaml',
    check: (file, text, context) => issuesOf(checkConfigText(file, text, gatewaySchema, { env: context.env })),
    directories: projectDirectories,
  },
  kinds: [
    {
      kind: 'bridge',
      describe: `bridges/*.yaml: one bridge = source (${Object.keys(bridgeSpec.schema.shape.source.shape).join(' | ')}) + mapping + sink (${Object.keys(bridgeSpec.schema.shape.sink.shape).join(' | ')}); Kafka is one side`,
      matches: (p) => /^bridges\/[^/]+\.ya?ml$/.test(p),
      check: (file, text, context) => bridgeSpec.check(file, text, context),
      checkAcross: (files) => bridgeSpec.checkNamesUnique(files),
    },
    {
      kind: 'route',
      describe: 'mappings/routes/*.yaml: HTTP routes (legacy upstream, new upstream, split, shadow)',
      matches: (p) => /^mappings\/routes\/[^/]+\.ya?ml$/.test(p),
      // Single-file rules only; rules across route files (duplicate ids, overlaps) run when the
      // router loads the whole directory.
      check: (file, text, context) => checkRouteFile(file, text, context.env),
    },
    {
      kind: 'record-mapping',
      describe: 'mappings/records/*.yaml: copybook -> topic, entity key, field names, masking',
      matches: (p) => /^mappings\/records\/[^/]+\.ya?ml$/.test(p),
      // A mapping's copybook path is relative to the mapping file (mappings/records/x.yaml -> ../copybooks/X.cpy).
      check: (file, text, context) => checkRecordMapping(file, text, { env: context.env, baseDir: dirname(context.filePath) }),
    },
  ],
};

/** banyan.yaml's `paths` when the file is valid, relative to its directory as when the gateway loads it. */
function projectDirectories(rootDir: string, configFile: string | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  const conventional = { bridges: join(rootDir, 'bridges'), mappings: join(rootDir, 'mappings') };
  if (configFile === undefined) return conventional;
  try {
    const { value } = loadConfigText(configFile, readFileSync(configFile, 'utf8'), gatewaySchema, { env });
    const base = dirname(configFile);
    return { bridges: resolve(base, value.paths.bridges), mappings: resolve(base, value.paths.mappings) };
  } catch {
    return conventional;
  }
}

function issuesOf(result: { ok: true } | { ok: false; issues: ConfigIssue[] }): ConfigIssue[] {
  return result.ok ? [] : result.issues;
}
