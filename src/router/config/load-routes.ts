/**
 * Reads every mappings/routes/*.yaml into one validated route table, or returns every issue with
 * file:line:col. Checks that span files (duplicate ids and cohorts, unknown cohort names, a second
 * `default`) and rules zod cannot express (a canary without a new upstream, bad regexes) are pinned
 * to the offending node too, so `banyan validate` and the hot reloader print the same messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigText } from '../../config/load.ts';
import type { ConfigIssue } from '../../config/issues.ts';
import type { YamlSource } from '../../config/yaml-document.ts';
import { RouteFileSchema, type RouteFile, type RouteSpec, type UpstreamSpec } from './schema.ts';

export interface NamedCohort {
  readonly name: string;
  readonly salt: string;
  readonly buckets: number;
  readonly file: string;
}

export interface LoadedRoute {
  readonly spec: RouteSpec;
  readonly file: string;
}

export interface RouteTableSpec {
  readonly files: readonly string[];
  readonly routes: readonly LoadedRoute[];
  readonly cohorts: ReadonlyMap<string, NamedCohort>;
  readonly defaultLegacy?: { readonly upstream: UpstreamSpec; readonly file: string };
}

export type RouteTableResult = { ok: true; table: RouteTableSpec } | { ok: false; issues: ConfigIssue[]; files: string[] };

/** The `check(file, text)` used by `banyan validate` for one route file (single-file rules only). */
export function checkRouteFile(file: string, text: string, env?: NodeJS.ProcessEnv): ConfigIssue[] {
  const r = checkConfigText(file, text, RouteFileSchema, { env });
  if (!r.ok) return r.issues;
  return fileRuleIssues(r.config.value, r.config.source).sort(byPosition);
}

/** Route files of a directory, `*.yaml` / `*.yml`, in name order. */
export function listRouteFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadRouteDirectory(dir: string, env?: NodeJS.ProcessEnv): RouteTableResult {
  let files: string[];
  try {
    files = listRouteFiles(dir);
  } catch (err) {
    return { ok: false, files: [], issues: [{ file: dir, line: 1, col: 1, rule: 'file-unreadable', message: (err as Error).message }] };
  }
  const texts: Array<{ file: string; text: string }> = [];
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      issues.push({ file, line: 1, col: 1, rule: 'file-unreadable', message: (err as Error).message });
    }
  }
  if (issues.length > 0) return { ok: false, issues, files };
  return buildRouteTable(texts, env);
}

/** Validates a set of route file texts as one table (exported for tests and the validator). */
export function buildRouteTable(texts: ReadonlyArray<{ file: string; text: string }>, env?: NodeJS.ProcessEnv): RouteTableResult {
  const issues: ConfigIssue[] = [];
  const parsed: Array<{ file: string; value: RouteFile; source: YamlSource }> = [];
  for (const { file, text } of texts) {
    const r = checkConfigText(file, text, RouteFileSchema, { env });
    if (!r.ok) issues.push(...r.issues);
    else {
      parsed.push({ file, value: r.config.value, source: r.config.source });
      issues.push(...fileRuleIssues(r.config.value, r.config.source));
    }
  }

  const cohorts = new Map<string, NamedCohort>();
  const routeIds = new Map<string, string>();
  const routes: LoadedRoute[] = [];
  let defaultLegacy: RouteTableSpec['defaultLegacy'];
  for (const { file, value, source } of parsed) {
    for (const [name, c] of Object.entries(value.cohorts)) {
      const prior = cohorts.get(name);
      if (prior) issues.push(source.issueAt(['cohorts', name], 'duplicate-cohort', `cohort "${name}" is already defined in ${prior.file}`, true));
      else cohorts.set(name, { name, salt: c.salt, buckets: c.buckets, file });
    }
    if (value.default) {
      if (defaultLegacy) issues.push(source.issueAt(['default'], 'duplicate-default', `a default route is already defined in ${defaultLegacy.file}`, true));
      else defaultLegacy = { upstream: value.default.legacy, file };
    }
  }
  for (const { file, value, source } of parsed) {
    value.routes.forEach((spec, i) => {
      const prior = routeIds.get(spec.id);
      if (prior) issues.push(source.issueAt(['routes', i, 'id'], 'duplicate-route', `route id "${spec.id}" is already used in ${prior}`));
      routeIds.set(spec.id, file);
      if (spec.cohort.name && !cohorts.has(spec.cohort.name)) {
        issues.push(source.issueAt(['routes', i, 'cohort', 'name'], 'unknown-cohort', `no cohort named "${spec.cohort.name}" in any route file`));
      }
      routes.push({ spec, file });
    });
  }
  if (issues.length > 0) return { ok: false, issues: issues.sort(byPosition), files: texts.map((t) => t.file) };
  return { ok: true, table: { files: texts.map((t) => t.file), routes, cohorts, defaultLegacy } };
}

/** Rules of one file that need more than the schema. */
function fileRuleIssues(value: RouteFile, source: YamlSource): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  value.routes.forEach((r, i) => {
    if (r.mode !== 'legacy' && !r.new) out.push(source.issueAt(['routes', i, 'mode'], 'needs-new-upstream', `mode "${r.mode}" needs a "new" upstream`));
    if (r.cohort.name && (r.cohort.salt || r.cohort.buckets)) {
      out.push(source.issueAt(['routes', i, 'cohort', 'name'], 'cohort-conflict', 'a named cohort brings its own salt and buckets; drop "salt"/"buckets"'));
    }
    const segments = r.match.path.split('/');
    segments.forEach((seg, j) => {
      if (seg === '*' && j !== segments.length - 1) out.push(source.issueAt(['routes', i, 'match', 'path'], 'path-pattern', '"*" may only be the last segment'));
    });
  });
  return out;
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}
