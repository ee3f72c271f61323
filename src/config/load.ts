/**
 * The one way Banyan reads a YAML config file: parse with positions, interpolate `${ENV}`,
 * validate against a zod schema, and either return a frozen typed value or throw a ConfigError
 * listing every issue with file:line:col and the rule broken.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './issues.ts';
import { interpolateEnv } from './env.ts';
import { renamedKey } from './key-style.ts';
import { parseYamlSource, type PathSegment, type YamlSource } from './yaml-document.ts';

export interface LoadedConfig<T> {
  readonly file: string;
  readonly value: T;
  readonly source: YamlSource;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
}

export function loadConfigFile<S extends z.ZodType>(file: string, schema: S, options: LoadOptions = {}): LoadedConfig<z.output<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: 1, col: 1, rule: 'file-unreadable', message: (err as Error).message }]);
  }
  return loadConfigText(file, text, schema, options);
}

export function loadConfigText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  options: LoadOptions = {},
): LoadedConfig<z.output<S>> {
  const result = checkConfigText(file, text, schema, options);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

export type CheckResult<T> = { ok: true; config: LoadedConfig<T> } | { ok: false; issues: ConfigIssue[] };

/** Like loadConfigText but returns issues instead of throwing (used by `banyan validate`). */
export function checkConfigText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  options: LoadOptions = {},
): CheckResult<z.output<S>> {
  const source = parseYamlSource(file, text);
  if (source.syntaxIssues.length > 0) return { ok: false, issues: [...source.syntaxIssues] };

  const env = options.env ?? process.env;
  const interpolated = interpolateEnv(source.value, env);
  const issues: ConfigIssue[] = interpolated.missing.map((m) =>
    source.issueAt(m.path, 'env-missing', `environment variable ${m.name} is not set`),
  );

  const parsed = schema.safeParse(interpolated.value);
  if (!parsed.success) issues.push(...zodIssuesToConfigIssues(source, parsed.error.issues, interpolated.value, schema));
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };

  return {
    ok: true,
    config: { file, value: deepFreeze(parsed.data as z.output<S>), source },
  };
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  /** invalid_union: each option's issues, paths relative to the union. */
  errors?: ZodIssueLike[][];
  /** A spec's own rules (custom issues) may name their rule: `params: { rule: 'requires' }`. */
  params?: { rule?: unknown };
}

export function zodIssuesToConfigIssues(source: YamlSource, zodIssues: readonly ZodIssueLike[], input: unknown, schema: z.core.$ZodType): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const renamed = (path: readonly PathSegment[], key: string) => {
    const now = renamedKey(schema, path, key);
    return now === undefined ? undefined : source.issueAt([...path, key], 'renamed-key', `'${key}' is now '${now}'`, true);
  };
  for (const issue of zodIssues) {
    const path = segments(issue.path);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        out.push(renamed(path, key) ?? source.issueAt([...path, key], 'unknown-key', `unknown key "${key}"`, true));
      }
      continue;
    }
    // No option of a union matched; when one failed only on an old key spelling, that is the news.
    if (issue.code === 'invalid_union' && issue.errors) {
      const hints = issue.errors.flat().flatMap((inner) => {
        const at = [...path, ...segments(inner.path)];
        return inner.code === 'unrecognized_keys' ? (inner.keys ?? []).flatMap((k) => renamed(at, k) ?? []) : [];
      });
      if (hints.length > 0) {
        out.push(...new Map(hints.map((h) => [`${h.line}:${h.col}`, h])).values());
        continue;
      }
    }
    const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && !hasPath(input, path);
    const named = issue.code === 'custom' && typeof issue.params?.rule === 'string' ? issue.params.rule : undefined;
    const rule = missing ? 'required' : (named ?? RULE_BY_ZOD_CODE[issue.code] ?? issue.code);
    const message = missing ? `required field "${String(path[path.length - 1] ?? '')}" is missing` : issue.message;
    out.push(source.issueAt(path, rule, message, missing));
  }
  return out;
}

const RULE_BY_ZOD_CODE: Record<string, string> = {
  invalid_type: 'type',
  too_small: 'range',
  too_big: 'range',
  invalid_value: 'enum',
  invalid_format: 'format',
  invalid_union: 'one-of',
  not_multiple_of: 'range',
  custom: 'rule',
};

function segments(path: readonly PropertyKey[]): PathSegment[] {
  return path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
}

function hasPath(value: unknown, path: readonly PathSegment[]): boolean {
  let node = value;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !(String(seg) in (node as object))) return false;
    node = (node as Record<string, unknown>)[seg as string];
  }
  return node !== undefined;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.col - b.col);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
