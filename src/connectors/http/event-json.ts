/**
 * An event's Kafka value as JSON, read once per delivery when a template or a projection needs its
 * fields. Numbers keep their exact source text (JSON.parse's reviver `context.source`, turned back
 * into JSON.rawJSON): an amount such as 12345678901234567.89 or a 19-digit account number goes into
 * a URL or a projected body as written, never through a binary double (DESIGN.md, "Decimal numbers
 * never pass through binary floating point").
 */
import { isRawJson, rawJson } from './field-path.ts';

export type EventJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

export function parseEventJson(value: Buffer | null): EventJson {
  if (value === null) return { ok: false, reason: 'the record has no value (a tombstone)' };
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8'), keepNumberText as never) };
  } catch (err) {
    // V8's message names the position: "Unexpected token } in JSON at position 17".
    return { ok: false, reason: `the value is not JSON: ${(err as Error).message}` };
  }
}

/**
 * The text a scalar puts into a URL or a header: strings as they are, numbers as their source text,
 * booleans as true/false. Objects, arrays and null have no text form there.
 */
export function scalarText(value: unknown): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string } {
  if (typeof value === 'string') return { ok: true, text: value };
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return { ok: true, text: String(value) };
  if (isRawJson(value)) return { ok: true, text: value.rawJSON };
  if (value === null) return { ok: false, reason: 'is null' };
  return { ok: false, reason: Array.isArray(value) ? 'is an array, not a single value' : 'is an object, not a single value' };
}

function keepNumberText(_key: string, value: unknown, context: { source?: string }): unknown {
  return typeof value === 'number' && context.source !== undefined ? rawJson(context.source) : value;
}
