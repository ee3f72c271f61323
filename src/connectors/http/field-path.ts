/**
 * Field paths into an event's JSON value, as URL and header templates (`{after.ACCOUNT_ID}`) and
 * body projections (`[after.ACCOUNT_ID, after.BALANCE]`) name them.
 *
 * Grammar: `segment ("." segment)*`, a segment being letters, digits, `_`, `-`, `$`, `#`, `@`
 * (mapping field names and COBOL data names such as ACCOUNT-ID). On an array, an all-digit segment
 * is an index (`items.0.sku`); on an object it is a key like any other.
 */

export interface FieldPath {
  /** The path as written, for messages. */
  readonly text: string;
  readonly segments: readonly string[];
}

export type FieldLookup =
  | { readonly found: true; readonly value: unknown }
  /** `reason` completes "field X ...": `is missing`, `is missing (before is null)`, ... */
  | { readonly found: false; readonly reason: string };

const SEGMENT = /^[A-Za-z0-9_$#@-]+$/;

/** Parses a field path; the error says which segment is wrong. */
export function parseFieldPath(text: string): FieldPath | { readonly error: string } {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { error: 'an empty field path' };
  const segments = trimmed.split('.');
  const bad = segments.findIndex((s) => !SEGMENT.test(s));
  if (bad >= 0) {
    return { error: `field path "${trimmed}": segment ${bad + 1} ${segments[bad] === '' ? 'is empty' : `"${segments[bad]}" has a character other than letters, digits, _ - $ # @`}` };
  }
  return { text: trimmed, segments };
}

export function isFieldPath(p: FieldPath | { readonly error: string }): p is FieldPath {
  return 'segments' in p;
}

/** The value at `path` in `root`; a `null` on the way is missing, a `null` at the end is found. */
export function lookupField(root: unknown, path: FieldPath): FieldLookup {
  let current: unknown = root;
  for (let i = 0; i < path.segments.length; i++) {
    const segment = path.segments[i]!;
    const next = child(current, segment);
    if (next === NOT_THERE) return { found: false, reason: missingReason(path, i, current) };
    current = next;
  }
  return { found: true, value: current };
}

function missingReason(path: FieldPath, index: number, parent: unknown): string {
  const parentPath = path.segments.slice(0, index).join('.');
  const prefix = path.segments.slice(0, index + 1).join('.');
  if (index > 0 && parent === null) return `is missing (${parentPath} is null)`;
  if (Array.isArray(parent)) return `is missing (${parentPath} has no item ${path.segments[index]})`;
  if (index > 0 && (typeof parent !== 'object' || isRawJson(parent))) return `is missing (${parentPath} is a ${isRawJson(parent) ? 'number' : typeof parent}, not an object)`;
  return prefix === path.text ? 'is missing' : `is missing (no ${prefix})`;
}

const NOT_THERE = Symbol('not there');

function child(node: unknown, segment: string): unknown {
  if (Array.isArray(node)) {
    if (!/^\d+$/.test(segment)) return NOT_THERE;
    const index = Number(segment);
    return index < node.length ? node[index] : NOT_THERE;
  }
  if (typeof node === 'object' && node !== null && !isRawJson(node) && Object.hasOwn(node, segment)) {
    return (node as Record<string, unknown>)[segment];
  }
  return NOT_THERE;
}

// JSON.rawJSON / JSON.isRawJSON (TC39 "JSON.parse source text access", V8 in Node >= 21); not yet in
// TypeScript's lib for our target, so typed here once.
interface RawJsonApi {
  rawJSON(text: string): object;
  isRawJSON(value: unknown): boolean;
}
const RawJson = JSON as unknown as RawJsonApi;

/** True for a number kept as its exact source text (see event-json.ts). */
export function isRawJson(value: unknown): value is { readonly rawJSON: string } {
  return RawJson.isRawJSON(value);
}

export function rawJson(text: string): object {
  return RawJson.rawJSON(text);
}
