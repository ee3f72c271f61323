/**
 * The explicit registry of every config file kind Banyan validates (Benthos-style: each kind's check
 * is the single source of its rules). `banyan validate` walks the project and hands each file to the
 * first kind whose `matches` accepts its project-relative path. No registration by import side
 * effect: a new kind is one entry in CONFIG_KINDS.
 */
import { dirname } from 'node:path';
import { checkBridgeText } from './bridge-schema.ts';
import { check as checkRecordMapping } from '../codec/mapping/check.ts';
import { checkRouteFile } from '../router/config/load-routes.ts';
import { checkConfigText } from './load.ts';
import { gatewaySchema } from './gateway-schema.ts';
import type { ConfigIssue } from './issues.ts';

export interface ConfigCheckContext {
  /** Project root (`--dir`); cross references such as a bridge's `mapping:` resolve against it. */
  readonly rootDir: string;
  /** Environment used for `${ENV}` interpolation. */
  readonly env: NodeJS.ProcessEnv;
  /** Absolute path of the file being checked; references inside it may be relative to its directory. */
  readonly filePath: string;
}

export interface ConfigKind {
  /** Short stable name, e.g. `bridge`. */
  readonly kind: string;
  /** One line for humans: what the file is. */
  readonly describe: string;
  /** `relPath` is relative to the project root with `/` separators, e.g. `bridges/orders-mq.yaml`. */
  matches(relPath: string): boolean;
  /** Every issue in the file; `file` is the name issues should carry, `text` its content. */
  check(file: string, text: string, context: ConfigCheckContext): ConfigIssue[];
}

export const CONFIG_KINDS: readonly ConfigKind[] = [
  {
    kind: 'gateway',
    describe: 'banyan.yaml: Kafka, HTTP (metrics, health), logging, router and paths',
    matches: (p) => p === 'banyan.yaml',
    check: (file, text, context) => issuesOf(checkConfigText(file, text, gatewaySchema, { env: context.env })),
  },
  {
    kind: 'bridge',
    describe: 'bridges/*.yaml: one bridge = source (ibm_mq | amqp | db2_cdc) + mapping + Kafka sink',
    matches: (p) => /^bridges\/[^/]+\.ya?ml$/.test(p),
    check: (file, text, context) => checkBridgeText(file, text, context),
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
];

/** The kind that owns `relPath`, or undefined when Banyan does not validate such a file. */
export function kindOf(relPath: string): ConfigKind | undefined {
  return CONFIG_KINDS.find((k) => k.matches(relPath));
}

function issuesOf(result: { ok: true } | { ok: false; issues: ConfigIssue[] }): ConfigIssue[] {
  return result.ok ? [] : result.issues;
}
