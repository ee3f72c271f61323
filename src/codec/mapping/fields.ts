/**
 * Resolving the field names a mapping uses against a record layout. A mapping may name a field by
 * its COBOL name (`COMPANY-ID`) when that name is unique in the record, or by a dotted path suffix
 * (`CONTACTS.PHONE-NUMBER`), the way COBOL qualifies names with OF/IN.
 */
import { walkFields, type Field, type RecordLayout } from '../layout.ts';

export type FieldLookup = { ok: true; field: Field } | { ok: false; message: string };

export function resolveField(record: RecordLayout, ref: string): FieldLookup {
  const wanted = ref.toUpperCase().split('.');
  const matches: Field[] = [];
  for (const field of walkFields(record.root)) {
    if (field.isFiller) continue;
    const path = field.path.toUpperCase().split('.');
    if (path.length < wanted.length) continue;
    const tail = path.slice(path.length - wanted.length);
    if (tail.every((seg, i) => seg === wanted[i])) matches.push(field);
  }
  if (matches.length === 1) return { ok: true, field: matches[0]! };
  if (matches.length === 0) return { ok: false, message: `field "${ref}" is not in record ${record.name}` };
  return {
    ok: false,
    message: `field "${ref}" is ambiguous in record ${record.name}: ${matches.map((m) => m.path).join(', ')}; qualify it with its group (GROUP.FIELD)`,
  };
}

/** True when `field` sits inside an OCCURS table (itself or an ancestor repeats). */
export function isInsideTable(record: RecordLayout, field: Field): boolean {
  const segments = field.path.split('.');
  let node: Field | undefined = record.root;
  if (node.occurs) return true;
  for (let i = 1; i < segments.length && node; i++) {
    const children: readonly Field[] = node.kind === 'group' ? node.children : [];
    node = children.find((c) => c.name === segments[i]);
    if (node?.occurs) return true;
  }
  return false;
}
