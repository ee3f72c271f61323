/**
 * Path patterns of route files: literal segments, `:name` parameters (one segment each) and a
 * trailing `*` for the rest of the path (Istio's prefix match, captured as param `*`). Segments are
 * compared after percent-decoding of parameters only, so `/a%2Fb` never matches `/a/b`.
 */
export interface PathPattern {
  readonly source: string;
  /** Returns the parameters when `path` (no query string) matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'rest' };

export function compilePathPattern(source: string): PathPattern {
  const segments: Segment[] = source
    .split('/')
    .slice(1)
    .map((s): Segment => (s === '*' ? { kind: 'rest' } : s.startsWith(':') ? { kind: 'param', name: s.slice(1) } : { kind: 'literal', value: s }));
  const hasRest = segments.length > 0 && segments[segments.length - 1].kind === 'rest';
  const fixed = hasRest ? segments.length - 1 : segments.length;

  return {
    source,
    match(path) {
      const parts = path.split('/');
      // parts[0] is the empty string before the leading slash.
      const count = parts.length - 1;
      if (hasRest ? count < fixed : count !== fixed) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < fixed; i++) {
        const seg = segments[i];
        const part = parts[i + 1];
        if (seg.kind === 'literal') {
          if (seg.value !== part) return undefined;
        } else if (seg.kind === 'param') {
          if (part === '') return undefined;
          params[seg.name] = safeDecode(part);
        }
      }
      if (hasRest) params['*'] = parts.slice(fixed + 1).join('/');
      return params;
    },
  };
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
