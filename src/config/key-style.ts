/**
 * One key style in every YAML file a team writes: snake_case (`queue_manager`, `timeout_ms`).
 *
 * - `snakeCaseObject(shape)`: a strict object whose YAML keys are snake_case and whose parsed value
 *   has them in camelCase, for areas whose TypeScript types are camelCase (the router's route specs).
 * - `renamedKey(schema, path, key)`: when an unknown key is the camelCase spelling of a key the
 *   object at `path` accepts, its snake_case spelling; load.ts then reports a `renamed-key` issue
 *   naming it (route files used camelCase keys until issue 11) instead of a bare `unknown-key`.
 */
import { z } from 'zod';
import { sameValueSchemas } from './schema-walk.ts';
import type { PathSegment } from './yaml-document.ts';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** `T` with every snake_case key in camelCase (one level: nested objects convert themselves). */
export type CamelCaseKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

export function snakeCaseObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const object = z.strictObject(shape);
  return object.transform((value) => camelCaseKeys(value) as CamelCaseKeys<z.output<typeof object>>);
}

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The snake_case key `key` stands for in the object `schema` has at `path`, if it is one's camelCase spelling. */
export function renamedKey(schema: z.core.$ZodType, path: readonly PathSegment[], key: string): string | undefined {
  if (!/^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(key)) return undefined;
  const wanted = snakeCase(key);
  return objectsAt(schema, path).some((shape) => wanted in shape) ? wanted : undefined;
}

function camelCaseKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelCase(k), v]));
}

interface DefLike {
  readonly type: string;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly element?: z.core.$ZodType;
  readonly valueType?: z.core.$ZodType;
}

/** The shapes of every object schema `path` can lead to (all options of a union, both ends of a pipe). */
function objectsAt(schema: z.core.$ZodType, path: readonly PathSegment[]): Array<Record<string, z.core.$ZodType>> {
  const same = sameValueSchemas(schema);
  if (same.length > 0) return same.flatMap((s) => objectsAt(s, path));
  const def = schema._zod.def as unknown as DefLike;
  if (path.length === 0) return def.type === 'object' ? [def.shape!] : [];
  const [segment, ...rest] = path;
  if (def.type === 'object') {
    const child = def.shape![String(segment)];
    return child ? objectsAt(child, rest) : [];
  }
  if (def.type === 'array' && typeof segment === 'number') return objectsAt(def.element!, rest);
  if (def.type === 'record') return objectsAt(def.valueType!, rest);
  return [];
}
