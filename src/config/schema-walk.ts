/**
 * What the spec walkers (key style, secret paths, the ${ENV} scalar check) see through: zod
 * wrappers, unions, pipes and intersections hold the schemas that describe the same value.
 */
import type { z } from 'zod';

interface WalkDef {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly left?: z.core.$ZodType;
  readonly right?: z.core.$ZodType;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/** The schemas of the same value inside `schema` (empty when it is an object, array, record or scalar). */
export function sameValueSchemas(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = schema._zod.def as unknown as WalkDef;
  if (WRAPPERS.has(def.type)) return [def.innerType!];
  switch (def.type) {
    case 'pipe':
      return [def.in!, def.out!];
    case 'union':
      return [...def.options!];
    case 'intersection':
      return [def.left!, def.right!];
    default:
      return [];
  }
}
