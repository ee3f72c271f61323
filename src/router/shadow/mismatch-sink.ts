/**
 * Where shadow mismatches go: a `MismatchSink` (the Kafka topic in production, see
 * kafka-mismatch-sink.ts) and a capped in-memory sample store the console reads through
 * `RouteControlPort.recentMismatches` (GitHub Scientist keeps a capped mismatch store the same way).
 */
import type { MismatchSample } from '../contracts.ts';

/** One mismatch as published: the request, both responses and the differing fields. */
export interface MismatchRecord {
  readonly routeId: string;
  readonly at: number;
  readonly requestId: string;
  readonly request: { readonly method: string; readonly url: string };
  readonly legacy: { readonly status: number; readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly body: string };
  readonly candidate: { readonly status: number; readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly body: string };
  readonly fields: ReadonlyArray<{ readonly path: string; readonly legacy: unknown; readonly candidate: unknown }>;
}

export interface MismatchSink {
  /** Called once per reported mismatch, off the request path; a rejection is logged, never retried here. */
  publish(record: MismatchRecord): Promise<void>;
}

export interface MismatchSampleStore {
  add(record: MismatchRecord): void;
  recent(routeId?: string, limit?: number): MismatchSample[];
}

const TEXT_CAP = 4096;

export function createSampleStore(perRoute = 50): MismatchSampleStore {
  const byRoute = new Map<string, MismatchSample[]>();
  return {
    add(r) {
      const list = byRoute.get(r.routeId) ?? [];
      list.push(toSample(r));
      if (list.length > perRoute) list.splice(0, list.length - perRoute);
      byRoute.set(r.routeId, list);
    },
    recent(routeId, limit = 50) {
      const lists = routeId ? [byRoute.get(routeId) ?? []] : [...byRoute.values()];
      return lists
        .flat()
        .sort((a, b) => b.at - a.at)
        .slice(0, limit);
    },
  };
}

function toSample(r: MismatchRecord): MismatchSample {
  return {
    routeId: r.routeId,
    at: r.at,
    request: { method: r.request.method, url: r.request.url, requestId: r.requestId },
    legacy: { status: r.legacy.status, body: r.legacy.body.slice(0, TEXT_CAP) },
    candidate: { status: r.candidate.status, body: r.candidate.body.slice(0, TEXT_CAP) },
    fields: r.fields.map((f) => ({ path: f.path, legacy: jsonText(f.legacy), candidate: jsonText(f.candidate) })),
  };
}

function jsonText(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 500 ? `${s.slice(0, 500)}...` : s;
}
