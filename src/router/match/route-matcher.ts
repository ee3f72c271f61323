/**
 * First-match route selection (Envoy/Istio semantics: routes are tried in declaration order, files
 * in name order). Inactive routes are skipped, so their traffic falls through to the next match or
 * the default catch-all (AWS Refactor Spaces' ActivationState INACTIVE).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { MatchSpec } from '../config/schema.ts';
import { compilePathPattern, type PathPattern } from './path-pattern.ts';

export interface RequestShape {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed lazily: only routes with query matchers pay for it. */
  query(): URLSearchParams;
}

export interface CompiledMatch {
  /** Returns path parameters when the request matches. */
  test(req: RequestShape): Record<string, string> | undefined;
}

type ValueTest = (value: string | undefined) => boolean;

export function compileMatch(spec: MatchSpec): CompiledMatch {
  const methods = spec.method === undefined ? undefined : new Set(Array.isArray(spec.method) ? spec.method : [spec.method]);
  const path: PathPattern = compilePathPattern(spec.path);
  const headerTests = Object.entries(spec.headers).map(([k, v]) => [k.toLowerCase(), valueTest(v)] as const);
  const queryTests = Object.entries(spec.query).map(([k, v]) => [k, valueTest(v)] as const);

  return {
    test(req) {
      if (methods && !methods.has(req.method)) return undefined;
      const params = path.match(req.path);
      if (!params) return undefined;
      for (const [name, t] of headerTests) if (!t(headerValue(req.headers, name))) return undefined;
      if (queryTests.length > 0) {
        const q = req.query();
        for (const [name, t] of queryTests) if (!t(q.get(name) ?? undefined)) return undefined;
      }
      return params;
    },
  };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function valueTest(v: string | { regex: string } | { present: boolean }): ValueTest {
  if (typeof v === 'string') return (x) => x === v;
  if ('regex' in v) {
    const re = new RegExp(v.regex);
    return (x) => x !== undefined && re.test(x);
  }
  return v.present ? (x) => x !== undefined : (x) => x === undefined;
}
