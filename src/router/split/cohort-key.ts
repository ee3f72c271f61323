/**
 * Extracts a route's cohort key from the request: a path parameter, header, cookie, query
 * parameter, field of a JSON body, or the client address. Each source is read lazily so a route
 * keyed on a header never parses cookies, the query string or the body.
 */
import type { CohortKeySpec } from '../config/schema.ts';

export interface KeySources {
  readonly params: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
  cookie(name: string): string | undefined;
  query(): URLSearchParams;
  /** The buffered request body, when the route buffered it. */
  body(): Buffer | undefined;
  readonly ip: string;
}

export function extractCohortKey(spec: CohortKeySpec, src: KeySources): string | undefined {
  switch (spec.from) {
    case 'path':
      return nonEmpty(src.params[spec.name]);
    case 'header':
      return nonEmpty(src.header(spec.name.toLowerCase()));
    case 'cookie':
      return nonEmpty(src.cookie(spec.name));
    case 'query':
      return nonEmpty(src.query().get(spec.name) ?? undefined);
    case 'body':
      return bodyField(src.body(), spec.path);
    case 'ip':
      return nonEmpty(src.ip);
  }
}

/** One cookie's value from a Cookie header (RFC 6265 section 5.4 pairs separated by `;`). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() !== name) continue;
    let v = pair.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  }
  return undefined;
}

function bodyField(body: Buffer | undefined, path: string): string | undefined {
  if (!body || body.length === 0) return undefined;
  let node: unknown;
  try {
    node = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  for (const seg of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint' ? nonEmpty(String(node)) : undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
