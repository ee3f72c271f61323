/**
 * The whiteboard rules (DESIGN.md's layout, issue 11), held by the import graph of src/: every
 * import and export-from statement, type-only ones included, and every dynamic import('...') of
 * every src/**\/*.ts file (import-graph.ts).
 *
 * - src/core is the contracts everyone builds on: it imports src/core and the src/config toolkit
 *   (the bridge file's spec is written with its YAML and schema helpers), plus node: and npm.
 * - src/config is a toolkit (YAML with positions, ${ENV}, schema helpers, issues): it imports
 *   src/config and src/core only; each area owns its spec and the composition root assembles them.
 * - src/codec imports neither src/router, src/connectors nor src/cli: it runs in any of them.
 * - Only src/connectors/kafka imports kafkajs, so swapping the Kafka client touches that folder only.
 * - Nothing in src/ but the CLI imports src/index.ts, the composition root: a component takes the
 *   contract from src/core (component.ts), never from the gateway that runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importGraph, readSourceTree, type ImportEdge } from './import-graph.ts';

export interface ImportRule {
  readonly name: string;
  /** True when the rule forbids this import. */
  forbids(edge: ImportEdge): boolean;
}

export interface Violation {
  readonly rule: string;
  readonly edge: ImportEdge;
}

/** `src/<area>/...` -> area; the files at the top of src/ are the composition root and the CLI entry. */
function areaOf(path: string): string | undefined {
  const m = /^src\/(?:([^/]+)\/|(cli|index)\.ts$)/.exec(path);
  return m ? (m[1] ?? m[2]) : undefined;
}

const fileIn = (edge: ImportEdge, ...areas: string[]) => edge.target.kind === 'file' && areas.includes(areaOf(edge.target.path) ?? '');
const importsFileOutside = (edge: ImportEdge, ...allowed: string[]) =>
  edge.target.kind === 'file' && edge.target.path.startsWith('src/') && !allowed.includes(areaOf(edge.target.path) ?? '');

export const RULES: readonly ImportRule[] = [
  {
    name: 'src/core imports only src/core and src/config (plus node: and npm packages)',
    forbids: (e) => areaOf(e.file) === 'core' && importsFileOutside(e, 'core', 'config'),
  },
  {
    name: 'src/config imports only src/config and src/core (plus node: and npm packages)',
    forbids: (e) => areaOf(e.file) === 'config' && importsFileOutside(e, 'config', 'core'),
  },
  {
    name: 'src/codec imports neither src/router, src/connectors nor src/cli',
    forbids: (e) => areaOf(e.file) === 'codec' && fileIn(e, 'router', 'connectors', 'cli'),
  },
  {
    name: 'only src/connectors/kafka imports kafkajs',
    forbids: (e) => e.target.kind === 'package' && e.target.name === 'kafkajs' && !e.file.startsWith('src/connectors/kafka/'),
  },
  {
    name: 'only src/cli imports src/index.ts (the composition root)',
    forbids: (e) => e.target.kind === 'file' && e.target.path === 'src/index.ts' && areaOf(e.file) !== 'cli',
  },
];

/** Every import the rules forbid. */
export function checkImports(edges: readonly ImportEdge[], rules: readonly ImportRule[]): Violation[] {
  return edges.flatMap((edge) => rules.filter((r) => r.forbids(edge)).map((r) => ({ rule: r.name, edge })));
}

export function describeViolation({ rule, edge }: Violation): string {
  const t = edge.target;
  const resolved = t.kind === 'file' && t.path !== edge.specifier ? ` (${t.path})` : '';
  return `${edge.file}:${edge.line} imports '${edge.specifier}'${resolved}: breaks "${rule}"`;
}

const root = new URL('../../../', import.meta.url).pathname;

test('the imports of src/ keep the whiteboard rules', () => {
  const edges = importGraph(readSourceTree(root, 'src'));
  assert.ok(edges.length > 500, `expected the whole of src/, found ${edges.length} imports`);
  const violations = checkImports(edges, RULES).map(describeViolation);
  assert.deepEqual(violations, [], `imports that break the architecture rules:\n${violations.join('\n')}`);
});

test('the walker finds every kind of import, resolves it, and reports each violation by file, line and import', () => {
  const tree = new Map<string, string>([
    [
      'src/core/bad.ts',
      [
        "import type { Router } from '../router/server.ts';", // line 1: type-only counts
        '// import { nope } from "../router/comment.ts";', // a comment is not an import
        "const text = \"import x from '../router/in-a-string.ts'\";",
        'const re = /from \'..\\/router\\/regex.ts\'/;',
        'const t = `${"a"} import(\'../router/template.ts\')`;',
        "export { fine } from './ok.ts';",
        'export {',
        '  Spread,',
        "} from '../observability/logger.ts';", // lines 7-9: multi-line export-from, reported at the specifier's line
        "const lazy = await import('../connectors/kafka/client.ts');", // line 10: dynamic import
        "import * as k from 'kafkajs';", // line 11: kafkajs outside the connector
        "import 'node:fs';",
        "import { z } from 'zod';",
      ].join('\n'),
    ],
    ['src/core/ok.ts', "export const fine = 1;\n"],
    ['src/config/load.ts', "import { x } from '../core/errors.ts';\nimport { y } from './yaml.ts';\nimport { r } from '../router/spec.ts';\n"],
    ['src/codec/decode.ts', "import { c } from '../config/load.ts';\nimport { io } from '../cli/io.ts';\nexport * from '../connectors/file/x.ts';\n"],
    ['src/connectors/kafka/client.ts', "import { Kafka } from 'kafkajs';\n"],
    ['src/connectors/kafka/local/launcher.ts', "import type { Admin } from 'kafkajs/types';\n"],
    ['src/router/server.ts', "import { Kafka } from 'kafkajs';\nimport { decode } from '../codec/decode.ts';\n"],
    ['src/router/admin/router-component.ts', "import type { GatewayComponent } from '../../index.ts';\n"],
    ['src/cli/commands/start.ts', "import { buildGateway } from '../../index.ts';\n"],
  ]);
  const edges = importGraph(tree);
  assert.deepEqual(
    edges.filter((e) => e.file === 'src/core/bad.ts').map((e) => [e.line, e.specifier, e.target]),
    [
      [1, '../router/server.ts', { kind: 'file', path: 'src/router/server.ts' }],
      [6, './ok.ts', { kind: 'file', path: 'src/core/ok.ts' }],
      [9, '../observability/logger.ts', { kind: 'file', path: 'src/observability/logger.ts' }],
      [10, '../connectors/kafka/client.ts', { kind: 'file', path: 'src/connectors/kafka/client.ts' }],
      [11, 'kafkajs', { kind: 'package', name: 'kafkajs' }],
      [12, 'node:fs', { kind: 'node', name: 'node:fs' }],
      [13, 'zod', { kind: 'package', name: 'zod' }],
    ],
  );
  assert.deepEqual(checkImports(edges, RULES).map(describeViolation), [
    `src/core/bad.ts:1 imports '../router/server.ts' (src/router/server.ts): breaks "${RULES[0]!.name}"`,
    `src/core/bad.ts:9 imports '../observability/logger.ts' (src/observability/logger.ts): breaks "${RULES[0]!.name}"`,
    `src/core/bad.ts:10 imports '../connectors/kafka/client.ts' (src/connectors/kafka/client.ts): breaks "${RULES[0]!.name}"`,
    `src/core/bad.ts:11 imports 'kafkajs': breaks "${RULES[3]!.name}"`,
    `src/config/load.ts:3 imports '../router/spec.ts' (src/router/spec.ts): breaks "${RULES[1]!.name}"`,
    `src/codec/decode.ts:2 imports '../cli/io.ts' (src/cli/io.ts): breaks "${RULES[2]!.name}"`,
    `src/codec/decode.ts:3 imports '../connectors/file/x.ts' (src/connectors/file/x.ts): breaks "${RULES[2]!.name}"`,
    `src/router/server.ts:1 imports 'kafkajs': breaks "${RULES[3]!.name}"`,
    `src/router/admin/router-component.ts:1 imports '../../index.ts' (src/index.ts): breaks "${RULES[4]!.name}"`,
  ]);
});
