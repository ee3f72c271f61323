/**
 * Which config fields are secrets is said by the spec that owns them: `secret(z.string())` marks a
 * field (zod metadata `{ secret: true }`, so it shows in the spec's JSON Schema too), and
 * `secretRedactPaths(schema)` turns every marked field into a pino redact path
 * (https://getpino.io/#/docs/redaction) for the config logged under `config` (how the gateway logs
 * its settings).
 *
 * Nothing is guessed any more: not from key names (a `key_file` or a `password_hint` is not a
 * secret, a `token` is only when its spec says so) and not from `${ENV}`, which is how a value gets
 * out of git, not what it is (`port: ${BANYAN_HTTP_PORT}` is logged; `password` is redacted even when
 * typed literally). Paths follow the spec's keys; a spec that renames keys in a transform
 * (key-style.ts's snakeCaseObject, route files) holds no secrets today.
 */
import { z } from 'zod';
import { sameValueSchemas } from './schema-walk.ts';

/** Marks `schema` as holding a credential: redacted wherever its config is logged. */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ ...z.globalRegistry.get(schema), secret: true }) as S;
}

export function isSecret(schema: z.core.$ZodType): boolean {
  return (z.globalRegistry.get(schema) as { secret?: unknown } | undefined)?.secret === true;
}

/** Redact paths of every secret-marked field of `schema`'s value, logged under `prefix`. */
export function secretRedactPaths(schema: z.core.$ZodType, prefix = 'config'): string[] {
  return [...new Set(walk(schema, prefix.split('.')).map(joinRedactPath))];
}

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

function walk(schema: z.core.$ZodType, path: readonly string[]): string[][] {
  if (isSecret(schema)) return [[...path]];
  const same = sameValueSchemas(schema);
  if (same.length > 0) return same.flatMap((s) => walk(s, path));
  const def = schema._zod.def as unknown as Def;
  const into = (child: unknown, segment: string) => walk(child as z.core.$ZodType, [...path, segment]);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, child]) => into(child, key));
    case 'array':
      return into(def.element, '[*]');
    case 'record':
      return into(def.valueType, '*');
    default:
      return [];
  }
}

// pino paths: `a.b`, `a[*].b`, `a.*.b`, and `a["x-y"]` for keys that are not identifiers.
function joinRedactPath(segments: readonly string[]): string {
  return segments.map(redactSegment).join('.').replace(/\.\[/g, '[');
}

function redactSegment(segment: string): string {
  if (segment === '[*]' || segment === '*') return segment;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment) ? segment : `["${segment.replace(/"/g, '\\"')}"]`;
}
