/**
 * zod building blocks shared by Banyan's config specs.
 *
 * `${ENV}` interpolation substitutes text (env.ts), so a boolean or a number that comes from the
 * environment arrives as a string. `fromEnv(z.boolean())` / `fromEnv(z.number()...)` accept that
 * string form the same way in every spec: `true`/`false` (YAML 1.2's spellings: also `True`, `TRUE`,
 * ...) and decimal numbers (`9464`, `-4`, `12.5`). Every boolean and number in a spec goes through it
 * (test/unit/config/env-scalars.test.ts walks the specs). A literal typed in YAML as `port: "80"` is
 * accepted the same way, which is harmless.
 */
import { z } from 'zod';

const envScalars = new WeakSet<z.core.$ZodType>();

/** `schema` also accepting the text an `${ENV}` reference leaves for it. */
export function fromEnv<S extends z.ZodBoolean | z.ZodNumber>(schema: S) {
  envScalars.add(schema);
  return z.preprocess(schema.def.type === 'boolean' ? booleanFromText : numberFromText, schema);
}

/** True for a boolean or number schema wrapped by `fromEnv` (for the test that walks every spec). */
export function acceptsEnvText(schema: z.core.$ZodType): boolean {
  return envScalars.has(schema);
}

export const boolean = fromEnv(z.boolean());
export const port = fromEnv(z.number().int().min(1).max(65535));
/** 0 asks the OS for a free port (tests); never a default. */
export const portOrZero = fromEnv(z.number().int().min(0).max(65535));
export const positiveInt = fromEnv(z.number().int().min(1));
export const nonNegativeInt = fromEnv(z.number().int().min(0));
export const nonEmpty = z.string().min(1);

export function intBetween(min: number, max: number) {
  return fromEnv(z.number().int().min(min).max(max));
}

/** A number between `min` and `max`, fractions allowed (weights, percentages, rates). */
export function numberBetween(min: number, max: number) {
  return fromEnv(z.number().min(min).max(max));
}

function booleanFromText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^(true|True|TRUE)$/.test(v)) return true;
  if (/^(false|False|FALSE)$/.test(v)) return false;
  return v;
}

function numberFromText(v: unknown): unknown {
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}
