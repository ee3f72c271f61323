/**
 * URL and header templates: text with `{field.path}` placeholders filled from the event's JSON
 * value, e.g. `https://svc/accounts/{after.ACCOUNT_ID}`. `{{` and `}}` stand for literal braces.
 * Parsed once when the target is built (and when the bridge file is checked); rendered per record.
 * A placeholder whose field is missing, null or not a single value fails that one record, naming
 * the field: the processor sends it to the dead-letter topic (trying again cannot fill the field).
 */
import { isFieldPath, lookupField, parseFieldPath, type FieldPath } from './field-path.ts';
import { scalarText } from './event-json.ts';

export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `offset`: where the placeholder's `{` stands in the source, for messages. */
  | { readonly kind: 'field'; readonly path: FieldPath; readonly offset: number };

export type TemplateParse =
  | { readonly ok: true; readonly template: Template }
  | { readonly ok: false; readonly message: string; readonly offset: number };

export type TemplateRender =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly field: string; readonly reason: string };

export function parseTemplate(source: string): TemplateParse {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if ((c === '{' || c === '}') && source[i + 1] === c) {
      text += c;
      i += 2;
      continue;
    }
    if (c === '}') return { ok: false, message: 'a "}" without its "{" (write "}}" for a literal brace)', offset: i };
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    const close = source.indexOf('}', i + 1);
    const open = source.indexOf('{', i + 1);
    if (close < 0 || (open >= 0 && open < close)) return { ok: false, message: 'a "{" without its "}" (write "{{" for a literal brace)', offset: i };
    const path = parseFieldPath(source.slice(i + 1, close));
    if (!isFieldPath(path)) return { ok: false, message: path.error, offset: i };
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'field', path, offset: i });
    i = close + 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { ok: true, template: { source, parts } };
}

/** The field paths a template reads (none: the template is static and needs no JSON value). */
export function templateFields(template: Template): FieldPath[] {
  return template.parts.flatMap((p) => (p.kind === 'field' ? [p.path] : []));
}

/**
 * Fills the placeholders from `value`; `encode` escapes each field's text for where it goes
 * (encodeURIComponent in a URL, nothing in a header), literal text is kept as written.
 */
export function renderTemplate(template: Template, value: unknown, encode: (text: string) => string): TemplateRender {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const found = lookupField(value, part.path);
    if (!found.found) return { ok: false, field: part.path.text, reason: found.reason };
    const scalar = scalarText(found.value);
    if (!scalar.ok) return { ok: false, field: part.path.text, reason: scalar.reason };
    out += encode(scalar.text);
  }
  return { ok: true, text: out };
}
