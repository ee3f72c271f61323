/**
 * `${NAME}` and `${NAME:-default}` interpolation in string values, applied after YAML parsing so
 * positions stay exact and a secret can never change the document's structure. `$${` escapes.
 */
import type { PathSegment } from './yaml-document.ts';

export interface Interpolated {
  readonly value: unknown;
  readonly missing: ReadonlyArray<{ name: string; path: PathSegment[] }>;
}

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const missing: Array<{ name: string; path: PathSegment[] }> = [];

  const walk = (v: unknown, path: PathSegment[]): unknown => {
    if (typeof v === 'string') {
      return v.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$${') return '${';
        const found = env[name!];
        if (found !== undefined) return found;
        if (fallback !== undefined) return fallback;
        missing.push({ name: name!, path });
        return '';
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, [...path, k]);
      return out;
    }
    return v;
  };

  return { value: walk(value, []), missing };
}
