/**
 * The response diff engine (written for Banyan; Diffy's ideas, none of its AGPL code): status,
 * chosen headers and JSON bodies compared field by field after normalisation. Non-JSON bodies are
 * compared as bytes and reported as the single field `body`.
 *
 * Normalisation, in order: ignore (the node and its subtree are skipped), sortBy (arrays of objects
 * sorted by a key so order does not matter), replace (regex on strings, e.g. dates), tolerance
 * (numbers equal when |a-b| <= tolerance).
 */
import type { CompareSpec } from '../config/schema.ts';
import type { CapturedResponse } from './capture.ts';
import { compileFieldPattern, formatFieldPath, type FieldPattern, type Segment } from './field-path.ts';

export interface FieldDiff {
  readonly path: string;
  readonly legacy: unknown;
  readonly candidate: unknown;
}

export interface CompiledComparison {
  compare(legacy: CapturedResponse, candidate: CapturedResponse): FieldDiff[];
}

export function compileComparison(spec: CompareSpec): CompiledComparison {
  const ignore = spec.ignore.map(compileFieldPattern);
  const sorts: Array<{ at: FieldPattern; key: string }> = [];
  const replaces: Array<{ at: FieldPattern; re: RegExp; with: string }> = [];
  const tolerances: Array<{ at: FieldPattern; tolerance: number }> = [];
  for (const rule of spec.rules) {
    const at = compileFieldPattern(rule.path);
    if ('sortBy' in rule) sorts.push({ at, key: rule.sortBy });
    else if ('replace' in rule) replaces.push({ at, re: new RegExp(rule.replace.pattern, 'g'), with: rule.replace.with });
    else tolerances.push({ at, tolerance: rule.tolerance });
  }
  const headers = spec.headers.map((h) => h.toLowerCase());
  const ignored = (path: Segment[]) => ignore.some((p) => p.covers(path));

  const normalise = (value: unknown, path: Segment[]): unknown => {
    if (Array.isArray(value)) {
      let arr = value.map((v, i) => normalise(v, [...path, i]));
      const sort = sorts.find((s) => s.at.matches(path));
      if (sort) arr = [...arr].sort((a, b) => compareKeys(keyOf(a, sort.key), keyOf(b, sort.key)));
      return arr;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = normalise(v, [...path, k]);
      return out;
    }
    if (typeof value === 'string') {
      let s = value;
      for (const r of replaces) if (r.at.matches(path)) s = s.replace(r.re, r.with);
      return s;
    }
    return value;
  };

  const diffValues = (a: unknown, b: unknown, path: Segment[], out: FieldDiff[]): void => {
    if (ignored(path)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) diffValues(a[i], b[i], [...path, i], out);
      return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys) diffValues(a[k], b[k], [...path, k], out);
      return;
    }
    if (typeof a === 'number' && typeof b === 'number') {
      const tol = tolerances.find((t) => t.at.matches(path));
      if (tol ? Math.abs(a - b) <= tol.tolerance : a === b) return;
    } else if (a === b) return;
    out.push({ path: formatFieldPath(path), legacy: a, candidate: b });
  };

  return {
    compare(legacy, candidate) {
      const out: FieldDiff[] = [];
      if (spec.status && legacy.status !== candidate.status && !ignored(['status'])) {
        out.push({ path: 'status', legacy: legacy.status, candidate: candidate.status });
      }
      for (const h of headers) {
        const path: Segment[] = ['header', h];
        if (ignored(path)) continue;
        const a = headerText(legacy.headers[h]);
        const b = headerText(candidate.headers[h]);
        if (a !== b) out.push({ path: formatFieldPath(path), legacy: a, candidate: b });
      }
      if (ignored(['body'])) return out;
      const ja = parseJson(legacy.body);
      const jb = parseJson(candidate.body);
      if (ja.ok && jb.ok) diffValues(normalise(ja.value, ['body']), normalise(jb.value, ['body']), ['body'], out);
      else if (!legacy.body.equals(candidate.body)) {
        out.push({ path: 'body', legacy: legacy.body.toString('utf8', 0, 200), candidate: candidate.body.toString('utf8', 0, 200) });
      }
      return out;
    },
  };
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: false };
  const first = body[0];
  // Only objects and arrays (after optional whitespace) are compared field by field.
  if (first !== 0x7b && first !== 0x5b && first !== 0x20 && first !== 0x0a && first !== 0x0d && first !== 0x09) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keyOf(v: unknown, key: string): string | number | undefined {
  if (!isPlainObject(v)) return undefined;
  const k = v[key];
  return typeof k === 'number' || typeof k === 'string' ? k : k === undefined ? undefined : JSON.stringify(k);
}

function compareKeys(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
