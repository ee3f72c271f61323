/**
 * REDEFINES branch selection. A rule (options.redefines) names a selector field; its decoded value
 * (trimmed text, or the number as text) picks the branch to decode. The selector is read from the
 * slot its own decoder filled, or straight from its bytes when it comes later in the record.
 * Encoding picks the branch from the selector's value in the record being written, or, without a
 * rule, the first branch that carries data.
 */
import type { DecodeContext } from './fields/leaf.ts';
import type { DecodedRecord, DecodedValue } from './types.ts';

export interface CompiledRule {
  /** Slot of the selector's value. */
  readonly slot: number;
  readonly readDirect: (bytes: Uint8Array, ctx: DecodeContext) => DecodedValue;
  readonly selectorKeys: readonly string[];
  readonly when: ReadonlyMap<string, number>;
  /** Branch index, -1 for 'all', -2 for 'none'. */
  readonly otherwise: number;
}

export function choose(rule: CompiledRule, bytes: Uint8Array, ctx: DecodeContext): number {
  let v = ctx.slots[rule.slot];
  if (v === undefined) v = ctx.slots[rule.slot] = rule.readDirect(bytes, ctx);
  const hit = typeof v === 'string' ? rule.when.get(v.trim()) : v === null || v === undefined ? undefined : rule.when.get(String(v).trim());
  return hit ?? rule.otherwise;
}

export function chooseForEncode(rule: CompiledRule, root: DecodedRecord): number {
  let v: unknown = root;
  for (const k of rule.selectorKeys) v = v && typeof v === 'object' ? (v as DecodedRecord)[k] : undefined;
  const hit = v === null || v === undefined ? undefined : rule.when.get(String(v).trim());
  return hit ?? rule.otherwise;
}

/** True when a value carries data: not null/undefined, and for groups/tables some member does. */
export function hasContent(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.some(hasContent);
  if (typeof v === 'object') return Object.values(v as object).some(hasContent);
  return true;
}
