/**
 * What a delivery sends as its body: the event's value as is, nothing, or a projection of its
 * fields into a new JSON object. Two projection forms, as a bridge file writes them:
 *
 *   body: [after.ACCOUNT_ID, after.BALANCE]          -> {"ACCOUNT_ID": ..., "BALANCE": ...}
 *   body: { id: after.ACCOUNT_ID, balance: after.BALANCE } -> {"id": ..., "balance": ...}
 *
 * A list names each member by its path's last segment (two paths ending alike are refused when the
 * target is built: use the map form); a map names them itself. A projected field may be any JSON
 * (an object takes its whole subtree, null stays null); a missing one fails that record.
 */
import { isFieldPath, lookupField, parseFieldPath, type FieldPath } from './field-path.ts';

export type BodyPlan =
  | { readonly kind: 'event' }
  | { readonly kind: 'none' }
  | { readonly kind: 'projection'; readonly members: ReadonlyArray<{ readonly name: string; readonly path: FieldPath }> };

/** A bridge file's `body`: `event`, `none`, a list of paths, or a map of member name -> path. */
export type BodySetting = 'event' | 'none' | readonly string[] | Readonly<Record<string, string>>;

export type BodyPlanParse = { readonly ok: true; readonly plan: BodyPlan } | { readonly ok: false; readonly message: string };

export type Projection = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly field: string; readonly reason: string };

export function planBody(setting: BodySetting): BodyPlanParse {
  if (setting === 'event' || setting === 'none') return { ok: true, plan: { kind: setting } };
  const entries: Array<[string | undefined, string]> = isList(setting) ? setting.map((p) => [undefined, p]) : Object.entries(setting);
  if (entries.length === 0) return { ok: false, message: 'a projection names at least one field' };
  const members: Array<{ name: string; path: FieldPath }> = [];
  for (const [given, text] of entries) {
    const path = parseFieldPath(text);
    if (!isFieldPath(path)) return { ok: false, message: path.error };
    const name = given ?? path.segments[path.segments.length - 1]!;
    const clash = members.find((m) => m.name === name);
    if (clash) return { ok: false, message: `"${clash.path.text}" and "${path.text}" would both be the member "${name}"; name the members with a map (name: path)` };
    members.push({ name, path });
  }
  return { ok: true, plan: { kind: 'projection', members } };
}

/** The projected body of one event (`value` parsed by event-json.ts, numbers kept exact). */
export function projectBody(members: ReadonlyArray<{ readonly name: string; readonly path: FieldPath }>, value: unknown): Projection {
  const out: Record<string, unknown> = {};
  for (const { name, path } of members) {
    const found = lookupField(value, path);
    if (!found.found) return { ok: false, field: path.text, reason: found.reason };
    out[name] = found.value;
  }
  return { ok: true, json: JSON.stringify(out) };
}

function isList(setting: readonly string[] | Readonly<Record<string, string>>): setting is readonly string[] {
  return Array.isArray(setting);
}
