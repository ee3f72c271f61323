/**
 * zod building blocks shared by Banyan's config schemas. Values interpolated from `${ENV}` arrive as
 * strings (env.ts substitutes text), so numbers and booleans also accept their string form; a literal
 * typed in YAML as `port: "80"` is accepted the same way, which is harmless.
 */
import { z } from 'zod';

export const port = z.preprocess(numberFromString, z.number().int().min(1).max(65535));
/** 0 asks the OS for a free port (tests); never a default. */
export const portOrZero = z.preprocess(numberFromString, z.number().int().min(0).max(65535));
export const positiveInt = z.preprocess(numberFromString, z.number().int().min(1));
export const boolean = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
export const nonEmpty = z.string().min(1);

export function intBetween(min: number, max: number) {
  return z.preprocess(numberFromString, z.number().int().min(min).max(max));
}

function numberFromString(v: unknown): unknown {
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
}
