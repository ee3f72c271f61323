/**
 * Header rewriting between client and upstream (RFC 9110 section 7.6.1): hop-by-hop headers and
 * those named in `Connection` are dropped both ways; X-Forwarded-For/-Proto/-Host are appended, and
 * `Forwarded` (RFC 7239) when asked for; the request id is generated or passed; per-side add/remove
 * rules apply.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { HeaderRules } from '../config/schema.ts';
import { headerValue } from '../match/route-matcher.ts';
import { childTraceParent } from './trace-context.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // undici sets Host from the upstream origin (like nginx's default `proxy_set_header Host $proxy_host`);
  // the client's host travels in X-Forwarded-Host and Forwarded.
  'host',
]);

export interface ClientInfo {
  readonly ip: string;
  readonly protocol: 'http' | 'https';
  readonly host: string | undefined;
}

export type UpstreamHeaders = Record<string, string | string[]>;

export interface ForwardingOptions {
  /**
   * Also append RFC 7239 `Forwarded`. Off by default: X-Forwarded-For/-Proto/-Host carry the same
   * facts and are what Envoy, nginx and Traefik send by default (HAProxy's `option forwarded` is
   * opt-in too); each extra header costs every proxied request on both hops.
   */
  readonly forwardedHeader: boolean;
}

/** A request id a client may pass in: printable ASCII, at most 200 characters; otherwise a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const v = headers['x-request-id'];
  if (typeof v === 'string' && v.length > 0 && v.length <= 200 && /^[\x21-\x7e]+$/.test(v)) return v;
  return randomUUID();
}

/** Headers of the request sent upstream; `traceparent` is a child span of the client's. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  client: ClientInfo,
  requestId: string,
  rules: HeaderRules,
  forwarding: ForwardingOptions,
): UpstreamHeaders {
  const out: UpstreamHeaders = {};
  const dropped = connectionTokens(incoming.connection);
  for (const name in incoming) {
    if (HOP_BY_HOP.has(name) || (dropped && dropped.has(name))) continue;
    const v = incoming[name];
    if (v !== undefined) out[name] = v;
  }
  const xff = headerValue(incoming, 'x-forwarded-for');
  out['x-forwarded-for'] = xff ? `${xff}, ${client.ip}` : client.ip;
  out['x-forwarded-proto'] = client.protocol;
  if (client.host) out['x-forwarded-host'] = client.host;
  if (forwarding.forwardedHeader) {
    const forwarded = `for=${forwardedNode(client.ip)};proto=${client.protocol}${client.host ? `;host="${client.host}"` : ''}`;
    const prior = headerValue(incoming, 'forwarded');
    out.forwarded = prior ? `${prior}, ${forwarded}` : forwarded;
  }
  out['x-request-id'] = requestId;
  out.traceparent = childTraceParent(typeof incoming.traceparent === 'string' ? incoming.traceparent : undefined);
  applyRules(out, rules);
  return out;
}

/** Headers of the upstream response passed to the client. */
export function clientResponseHeaders(
  upstream: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  rules: HeaderRules,
  extra: Record<string, string>,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const conn = upstream.connection;
  const dropped = connectionTokens(typeof conn === 'string' || Array.isArray(conn) ? conn : undefined);
  for (const name in upstream) {
    if (HOP_BY_HOP.has(name) || (dropped && dropped.has(name))) continue;
    const v = upstream[name];
    if (v !== undefined) out[name] = v;
  }
  applyRules(out, rules);
  for (const k in extra) out[k] = extra[k];
  return out;
}

function applyRules(headers: Record<string, unknown>, rules: HeaderRules): void {
  for (const name of rules.remove) delete headers[name.toLowerCase()];
  for (const name in rules.add) headers[name.toLowerCase()] = rules.add[name];
}

function connectionTokens(v: string | string[] | undefined): Set<string> | undefined {
  if (!v || v === 'keep-alive' || v === 'close') return undefined;
  const s = Array.isArray(v) ? v.join(',') : v;
  const tokens = s
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== 'close' && t !== 'keep-alive');
  return tokens.length > 0 ? new Set(tokens) : undefined;
}

/** RFC 7239 section 6: IPv6 addresses are bracketed and quoted. */
function forwardedNode(ip: string): string {
  const bare = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  return bare.includes(':') ? `"[${bare}]"` : bare;
}
