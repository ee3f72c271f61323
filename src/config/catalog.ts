/**
 * The explicit registry of every config file kind Banyan validates (Benthos-style: each kind's check
 * is the single source of its rules). `banyan validate` walks the project and hands each file to the
 * first kind whose `matches` accepts its project-relative path. No registration by import side
 * effect: a new kind is one entry in CONFIG_KINDS.
 */
import { join } from 'node:path';
import { checkBridgeText } from './bridge-schema.ts';
import { check as checkRecordMapping } from '../codec/mapping/check.ts';
import { checkConfigText } from './load.ts';
import { gatewaySchema } from './gateway-schema.ts';
import type { ConfigIssue } from './issues.ts';
import { parseYamlSource } from './yaml-document.ts';

export interface ConfigCheckContext {
  /** Project root (`--dir`); cross references such as a bridge's `mapping:` resolve against it. */
  readonly rootDir: string;
  /** Environment used for `${ENV}` interpolation. */
  readonly env: NodeJS.ProcessEnv;
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
    // PLACEHOLDER: the router's schema (src/router/config/) replaces this with its own check function.
    check: (file, text) => checkYamlObject(file, text),
  },
  {
    kind: 'record-mapping',
    describe: 'mappings/records/*.yaml: copybook -> topic, entity key, field names, masking',
    matches: (p) => /^mappings\/records\/[^/]+\.ya?ml$/.test(p),
    check: (file, text, context) => checkRecordMapping(file, text, { env: context.env, baseDir: join(context.rootDir, 'mappings/records') }),
  },
];

/** The kind that owns `relPath`, or undefined when Banyan does not validate such a file. */
export function kindOf(relPath: string): ConfigKind | undefined {
  return CONFIG_KINDS.find((k) => k.matches(relPath));
}

/** The minimum every YAML config meets: valid YAML, no duplicate keys, a mapping at the top. */
export function checkYamlObject(file: string, text: string): ConfigIssue[] {
  const source = parseYamlSource(file, text);
  if (source.syntaxIssues.length > 0) return [...source.syntaxIssues];
  const v = source.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return [source.issueAt([], 'type', 'expected a YAML mapping (key: value pairs) at the top level')];
  }
  return [];
}

function issuesOf(result: { ok: true } | { ok: false; issues: ConfigIssue[] }): ConfigIssue[] {
  return result.ok ? [] : result.issues;
}
